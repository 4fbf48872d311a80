/**
 * The connection to the signal service: a typed socket.io client speaking the protocol of
 * signal-service/src/protocol.ts (described in signal-service/PROTOCOL.md).
 *
 * Requests use acknowledgements with a timeout; failures become {@link VideoCallError}s with a
 * code and a message fit for the person. Incoming events are handed to the options' callbacks.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  IceServersResult,
  JoinResult,
  PeerInfo,
  RelayedSignal,
  ServerToClientEvents,
  Signal,
} from '../../../signal-service/src/protocol.js';
import { VideoCallError } from '../errors.js';

export interface SignalingControllerOptions {
  /** Another member joined the room. */
  onPeerJoined(peer: PeerInfo): void;
  /** A member left the room or disconnected. */
  onPeerLeft(peer: PeerInfo): void;
  /** A signal relayed from another member (`from` stamped by the service). */
  onSignal(message: RelayedSignal): void;
  /** The connection dropped after it had been established (not after `close()`). */
  onConnectionLost(): void;
  /** How long to wait for the service to connect or to answer a request, in ms. Default 10000. */
  timeoutMs?: number;
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class SignalingController implements ReactiveController {
  /** True while connected to the service. */
  connected = false;

  readonly #host: ReactiveControllerHost;
  readonly #options: SignalingControllerOptions;
  #socket: ClientSocket | null = null;

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
   * @throws VideoCallError `signaling-unreachable` when it cannot connect within the timeout.
   */
  async connect(url: string): Promise<void> {
    this.close();
    const socket: ClientSocket = io(url, {
      reconnection: false,
      timeout: this.#timeoutMs,
      transports: ['websocket', 'polling'],
    });
    this.#socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', () => {
        socket.close();
        reject(new VideoCallError('signaling-unreachable', 'Cannot reach the call service. Check the connection and try again.'));
      });
    });
    if (socket !== this.#socket) return; // closed meanwhile
    this.connected = true;
    socket.on('room:peer-joined', (peer) => this.#options.onPeerJoined(peer));
    socket.on('room:peer-left', (peer) => this.#options.onPeerLeft(peer));
    socket.on('signal:relay', (message) => this.#options.onSignal(message));
    socket.on('disconnect', (reason) => {
      this.connected = false;
      this.#host.requestUpdate();
      if (socket === this.#socket && reason !== 'io client disconnect') this.#options.onConnectionLost();
    });
    this.#host.requestUpdate();
  }

  /**
   * Joins `room` under display name `name`.
   * @throws VideoCallError `room-full`, `join-failed`, or `signaling-unreachable` on timeout.
   */
  async join(room: string, name: string): Promise<JoinResult> {
    const result = await this.#request<JoinResult>((socket) => socket.emitWithAck('room:join', { room, name }));
    if (result.ok) return result;
    if (result.error.code === 'room-full') {
      throw new VideoCallError('room-full', `Room “${room}” is full: a call there already has two people.`);
    }
    throw new VideoCallError('join-failed', `Could not join room “${room}”: ${result.error.message}`);
  }

  /**
   * Asks the service for ICE servers (only granted to room members).
   * @throws VideoCallError `join-failed` when refused, `signaling-unreachable` on timeout.
   */
  async iceServers(): Promise<IceServersResult> {
    const result = await this.#request<IceServersResult>((socket) => socket.emitWithAck('ice:servers'));
    if (result.ok) return result;
    throw new VideoCallError('join-failed', `The call service refused ICE servers: ${result.error.message}`);
  }

  /** Sends `signal` to room member `to`. Fire and forget: signals are ordered on one socket. */
  send(to: string, signal: Signal): void {
    this.#socket?.emit('signal:relay', { to, signal });
  }

  /** Disconnects. Safe to call at any time; no `onConnectionLost` follows. */
  close(): void {
    const socket = this.#socket;
    this.#socket = null;
    this.connected = false;
    socket?.removeAllListeners();
    socket?.disconnect();
  }

  async #request<T extends object>(send: (socket: ClientSocket) => Promise<Ack<T>>): Promise<Ack<T>> {
    const socket = this.#socket;
    if (!socket?.connected) {
      throw new VideoCallError('signaling-lost', 'Not connected to the call service.');
    }
    try {
      return await send(socket.timeout(this.#timeoutMs) as unknown as ClientSocket);
    } catch {
      throw new VideoCallError('signaling-unreachable', 'The call service did not answer in time.');
    }
  }
}
