/**
 * The connection to the signal service: a typed socket.io client speaking the protocol of
 * the video-call-protocol package (protocol/, described in its PROTOCOL.md).
 *
 * Requests use acknowledgements with a timeout; failures become {@link VideoCallError}s with a
 * code and the key and params of words fit for the person (errors.ts). Incoming events are handed to the options' callbacks.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  IceServersResult,
  JoinRequest,
  JoinResult,
  PeerInfo,
  PeerLeft,
  RelayedSignal,
  ServerToClientEvents,
  Signal,
} from 'video-call-protocol';
import { busyRetryDelay } from '../call/busy-retry.js';
import { VideoCallError } from '../errors.js';

export interface SignalingControllerOptions {
  /** Another member joined the room (or is back on a new connection, with the same `peerId`). */
  onMemberJoined(member: PeerInfo): void;
  /** A member left the room or disconnected (`reason` tells which). */
  onMemberLeft(member: PeerLeft): void;
  /** A signal relayed from another member (`from` stamped by the service). */
  onSignal(message: RelayedSignal): void;
  /**
   * The connection dropped after it had been established (not after `close()`). When
   * `willReconnect`, socket.io reconnects by itself with back-off and `onReconnected` follows.
   */
  onConnectionLost(willReconnect: boolean): void;
  /** The connection is back after `onConnectionLost` (a new connection: rejoin the room). */
  onReconnected(): void;
  /** How long to wait for the service to connect or to answer a request, in ms. Default 10000. */
  timeoutMs?: number;
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** During a call: a liveness beat this often (ms) … */
const BEAT_INTERVAL_MS = 1_000;
/** … the service treats us as gone when the next is this late (ms; protocol `MIN_WATCH_MS`–`MAX_WATCH_MS`) … */
const WATCH_MS = 2_500;
/** … and we treat the connection as dead when a beat is not answered within this (ms). */
const BEAT_TIMEOUT_MS = 2_000;

/**
 * Reactive controller owning the socket.io connection to the signal service: `connect()`, then
 * requests (`join`, `iceServers`) and fire-and-forget relays (`send`); incoming events go to the
 * options' callbacks. Closed on host disconnect.
 */
export class SignalingController implements ReactiveController {
  /** True while connected to the service. */
  connected = false;

  readonly #host: ReactiveControllerHost;
  readonly #options: SignalingControllerOptions;
  #socket: ClientSocket | null = null;
  #beats: ReturnType<typeof setInterval> | undefined;
  /** Rejects the `connect()` in progress, if any (so `close()` never leaves it pending). */
  #abortConnect: ((reason: VideoCallError) => void) | null = null;
  /** The secret of our place in the room, from the latest join answer (see {@link enter}). */
  #rejoinToken = '';

  constructor(host: ReactiveControllerHost, options: SignalingControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.close();
  }

  get #timeoutMs(): number {
    return this.#options.timeoutMs ?? 10_000;
  }

  /**
   * Connects to the service at `url` (http(s) origin; socket.io path `/socket.io/`).
   * @throws VideoCallError `missing-signaling-url` when `url` is empty (io('') would guess the
   *   page's own origin), `signaling-unreachable` when it cannot connect within the timeout.
   */
  async connect(url: string): Promise<void> {
    this.close();
    this.#rejoinToken = '';
    if (!url.trim()) throw new VideoCallError('missing-signaling-url');
    const socket: ClientSocket = io(url, {
      timeout: this.#timeoutMs,
      transports: ['websocket', 'polling'],
      // A proxy that blocks WebSockets should not block calls: fall back to long-polling.
      tryAllTransports: true,
      // Reconnect on its own after a drop (service restart, network blip), with back-off.
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      randomizationFactor: 0.3,
    });
    this.#socket = socket;
    await new Promise<void>((resolve, reject) => {
      // A refused first attempt is tried again by socket.io's own back-off (a busy service
      // answers 503 with Retry-After; a restarting one refuses for a second): the connection
      // has failed only when none succeeded within the timeout.
      const giveUp = setTimeout(() => {
        socket.removeAllListeners();
        socket.io.removeAllListeners();
        socket.close();
        reject(new VideoCallError('signaling-unreachable'));
      }, this.#timeoutMs);
      socket.once('connect', () => {
        clearTimeout(giveUp);
        resolve();
      });
      this.#abortConnect = (reason) => {
        clearTimeout(giveUp);
        reject(reason);
      };
    }).finally(() => (this.#abortConnect = null));
    if (socket !== this.#socket) return; // closed meanwhile
    this.connected = true;
    socket.on('room:peer-joined', (member) => this.#options.onMemberJoined(member));
    socket.on('room:peer-left', (member) => this.#options.onMemberLeft(member));
    socket.on('signal:relay', (message) => this.#options.onSignal(message));
    socket.on('disconnect', (reason) => {
      if (socket !== this.#socket) return;
      this.connected = false;
      // Signals queued while disconnected would reach a peer that has moved on: never replay them.
      socket.sendBuffer = [];
      this.#host.requestUpdate();
      // After 'io server disconnect' (the service closed it on purpose) socket.io does not retry.
      this.#options.onConnectionLost(reason !== 'io server disconnect');
    });
    socket.on('connect', () => {
      if (socket !== this.#socket) return;
      this.connected = true;
      this.#host.requestUpdate();
      this.#options.onReconnected();
    });
    this.#host.requestUpdate();
  }

  /**
   * Joins `room` as `name` (with the host site's `ticket` when the service requires one). With
   * `rejoin`, after a reconnection, comes back as the same member (same `peerId`) with the
   * secret of the last join answer; when the service refuses it (`rejoin-invalid`: it was
   * restarted without its secret, or the token expired), joins as a new member instead. The
   * secret is kept in memory only, never shown. A join refused as busy (`overloaded`,
   * `unavailable`) is tried again with back-off within the request timeout.
   * @throws VideoCallError `room-full`, `ticket-*`, `join-failed`, or `signaling-unreachable` on timeout.
   */
  async enter(room: string, { name, ticket }: { name: string; ticket: string }, rejoin: boolean): Promise<JoinResult> {
    const request: JoinRequest = { room };
    if (name) request.name = name;
    if (ticket) request.ticket = ticket;
    if (rejoin && this.#rejoinToken) request.rejoin = this.#rejoinToken;
    let joined: JoinResult;
    try {
      joined = await this.#joinWhenNotBusy(request);
    } catch (error) {
      if (!(error instanceof VideoCallError && error.protocolCode === 'rejoin-invalid' && request.rejoin)) throw error;
      delete request.rejoin;
      joined = await this.#joinWhenNotBusy(request);
    }
    this.#rejoinToken = joined.rejoinToken;
    return joined;
  }

  /** {@link join}, tried again with back-off while the service answers that it is busy (call/busy-retry.ts). */
  async #joinWhenNotBusy(request: JoinRequest): Promise<JoinResult> {
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.join(request);
      } catch (error) {
        const busy = error instanceof VideoCallError && (error.protocolCode === 'overloaded' || error.protocolCode === 'unavailable');
        const delay = busy ? busyRetryDelay(attempt, performance.now() - started, this.#timeoutMs) : undefined;
        if (delay === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /**
   * Sends one `room:join` request as it is.
   * @throws VideoCallError `room-full`, `ticket-*`, `join-failed`, or `signaling-unreachable` on timeout.
   */
  async join(request: JoinRequest): Promise<JoinResult> {
    const result = await this.#request<JoinResult>((socket) => socket.emitWithAck('room:join', request));
    if (result.ok) return result;
    const { code, message } = result.error;
    const room = request.room;
    if (code === 'room-full') throw new VideoCallError('room-full', { params: { room } });
    if (code === 'ticket-required' || code === 'ticket-invalid' || code === 'ticket-expired' || code === 'ticket-wrong-room') {
      throw new VideoCallError(code);
    }
    if (code === 'overloaded' || code === 'unavailable')
      throw new VideoCallError('join-failed', { key: 'errorServiceBusy', protocolCode: code });
    // The service's own words name the cause (they are not translated).
    throw new VideoCallError('join-failed', { params: { room, reason: message }, protocolCode: code });
  }

  /**
   * Asks the service for ICE servers (only granted to room members).
   * @throws VideoCallError `ice-degraded` when the service refuses (e.g. `rate-limited`),
   *   `signaling-unreachable` on timeout, `signaling-lost` when not connected.
   */
  async iceServers(): Promise<IceServersResult> {
    const result = await this.#request<IceServersResult>((socket) => socket.emitWithAck('ice:servers'));
    if (result.ok) return result;
    throw new VideoCallError('ice-degraded', { params: { reason: result.error.code } });
  }

  /**
   * Sends `signal` to the room member whose connection is `to`. Fire and forget: signals are ordered on one socket.
   * Dropped while disconnected (returns false): after a reconnection the call resynchronises.
   */
  send(to: string, signal: Signal): boolean {
    if (!this.#socket?.connected) return false;
    this.#socket.emit('signal:relay', { to, signal });
    return true;
  }

  /**
   * During a call, a tighter watch on the connection than the service's slow idle heartbeat: a
   * `watch:beat` every {@link BEAT_INTERVAL_MS} asks the service to treat us as gone when the
   * next one is {@link WATCH_MS} late (the other person learns within that), and a beat not
   * answered within {@link BEAT_TIMEOUT_MS} makes us drop the connection ourselves and reconnect.
   */
  watch(on: boolean): void {
    if (on === (this.#beats !== undefined)) return;
    clearInterval(this.#beats);
    this.#beats = undefined;
    if (!on) {
      if (this.#socket?.connected) this.#socket.emit('watch:beat', { next: 0 });
      return;
    }
    const beat = () => {
      const socket = this.#socket;
      if (!socket?.connected) return;
      socket.timeout(BEAT_TIMEOUT_MS).emit('watch:beat', { next: WATCH_MS }, (error: unknown) => {
        // The service did not answer: the connection is dead even if nothing said so yet.
        if (error && socket === this.#socket && socket.connected) socket.io.engine.close();
      });
    };
    beat();
    this.#beats = setInterval(beat, BEAT_INTERVAL_MS);
  }

  /** Disconnects. Safe to call at any time; no `onConnectionLost` follows. */
  close(): void {
    this.watch(false);
    this.#abortConnect?.(new VideoCallError('signaling-lost'));
    const socket = this.#socket;
    this.#socket = null;
    this.connected = false;
    socket?.removeAllListeners();
    socket?.io.removeAllListeners();
    socket?.disconnect();
  }

  async #request<T extends object>(send: (socket: ClientSocket) => Promise<Ack<T>>): Promise<Ack<T>> {
    const socket = this.#socket;
    if (!socket?.connected) {
      throw new VideoCallError('signaling-lost', { key: 'errorNotConnected' });
    }
    try {
      return await send(socket.timeout(this.#timeoutMs));
    } catch {
      throw new VideoCallError('signaling-unreachable', { key: 'errorServiceTimeout' });
    }
  }
}
