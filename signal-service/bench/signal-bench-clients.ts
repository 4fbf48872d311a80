/**
 * The clients of the signal service benchmark (`npm run bench`), run in a worker thread that
 * signal-bench.ts starts: real socket.io-client sockets over WebSocket, on an event loop and a V8
 * heap of their own, so that client-side work neither inflates the service's latencies nor shows
 * in its heap figures. Loading this file starts the worker's side: it answers each request of the
 * main thread (an Op of signal-bench-shared.ts) with the figures the clients measured, after
 * posting `{ ready: true }` once. It imports nothing of the service.
 */
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, RelayRequest, ServerToClientEvents, Signal } from 'video-call-protocol';
import {
  BURST_ACK_EVERY,
  CLIENTS,
  ICE_SAMPLES,
  IDLE_RELAY_SAMPLES,
  RELAYS_PER_MEMBER,
  SDP_BYTES,
  SDP_SAMPLES,
  STEP_TIMEOUT_MS,
  WARM_UP_CLIENTS,
  WARM_UP_RELAYS_PER_MEMBER,
  tick,
  type BurstResult,
  type DisconnectResult,
  type FromWorker,
  type SdpResult,
  type Timing,
  type ToWorker,
} from './signal-bench-shared.js';
import { CANDIDATE_SIGNAL, sdpOffer } from './signal-bench-signals.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const now = () => performance.now();

/** Waits for `ack` to be called; rejects after STEP_TIMEOUT_MS. Resolves with the answer and the round trip. */
function roundTrip<T>(send: (ack: (answer: T) => void) => void, what: string): Promise<{ answer: T; ms: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
    const start = now();
    send((answer) => {
      const ms = now() - start;
      clearTimeout(timer);
      resolve({ answer, ms });
    });
  });
}

/** The benchmark's clients: their sockets, and the deliveries, refusals and unexpected disconnections counted over the run. */
class Clients {
  sockets: ClientSocket[] = [];
  /** `signal:relay` deliveries since the last reset. */
  delivered = 0;
  refused = 0;
  unexpectedDisconnects = 0;
  #closing = false;
  #onDelivery: (() => void) | undefined;

  constructor(readonly url: string) {}

  /** Connects one client over WebSocket; resolves with it and its connection time. */
  connectOne(): Promise<{ socket: ClientSocket; ms: number }> {
    const start = now();
    const socket: ClientSocket = io(this.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: STEP_TIMEOUT_MS,
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        const ms = now() - start;
        socket.on('signal:relay', () => {
          this.delivered++;
          this.#onDelivery?.();
        });
        socket.on('disconnect', () => {
          if (!this.#closing) this.unexpectedDisconnects++;
        });
        resolve({ socket, ms });
      });
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
  }

  async connect(count: number): Promise<Timing> {
    const start = now();
    const connected = await Promise.all(Array.from({ length: count }, () => this.connectOne()));
    const wallMs = now() - start;
    this.sockets = connected.map(({ socket }) => socket);
    return { ms: connected.map(({ ms }) => ms), wallMs };
  }

  socket(index: number): ClientSocket {
    const socket = this.sockets[index];
    if (!socket) throw new Error(`no client ${index}`);
    return socket;
  }

  /** The other member of client `index`'s room (rooms are pairs 0-1, 2-3, ...). */
  peerOf(index: number): ClientSocket {
    return this.socket(index ^ 1);
  }

  #count<T extends object>(answer: Ack<T>): void {
    if (!answer.ok) this.refused++;
  }

  /** Client `index` joins room `<prefix>-<index / 2>`. */
  async join(index: number, prefix: string): Promise<number> {
    const room = `${prefix}-${index >> 1}`;
    const { answer, ms } = await roundTrip<Ack>(
      (ack) => this.socket(index).emit('room:join', { room, name: `m${index}` }, ack),
      'room:join',
    );
    if (!answer.ok) throw new Error(`room:join ${room} refused: ${answer.error.code}`);
    return ms;
  }

  async joinOneAtATime(prefix: string): Promise<Timing> {
    const ms: number[] = [];
    const start = now();
    for (let index = 0; index < this.sockets.length; index++) ms.push(await this.join(index, prefix));
    return { ms, wallMs: now() - start };
  }

  async joinAllAtOnce(prefix: string): Promise<Timing> {
    const start = now();
    const ms = await Promise.all(this.sockets.map((_socket, index) => this.join(index, prefix)));
    return { ms, wallMs: now() - start };
  }

  async leaveAll(): Promise<void> {
    await Promise.all(
      this.sockets.map(async (socket) => {
        const { answer } = await roundTrip<Ack>((ack) => socket.emit('room:leave', ack), 'room:leave');
        this.#count(answer);
      }),
    );
  }

  /** `count` relays of `signal` from client 0 to client 1, one at a time. */
  async relayOneAtATime(signal: Signal, count: number): Promise<Timing> {
    const from = this.socket(0);
    const request: RelayRequest = { to: this.peerOf(0).id ?? '', signal };
    const ms: number[] = [];
    const start = now();
    for (let i = 0; i < count; i++) {
      const trip = await roundTrip<Ack>((ack) => from.emit('signal:relay', request, ack), 'signal:relay');
      this.#count(trip.answer);
      ms.push(trip.ms);
    }
    return { ms, wallMs: now() - start };
  }

  /**
   * Every member sends `perMember` candidates to its peer without waiting, one round (one
   * relay from each member) per event-loop turn; every BURST_ACK_EVERY-th carries an ack, timed.
   * Ends when every relay has been delivered and every sampled ack has come back.
   */
  async relayBurst(perMember: number): Promise<BurstResult> {
    const members = this.sockets.map((socket, index) => ({
      socket,
      request: { to: this.peerOf(index).id ?? '', signal: CANDIDATE_SIGNAL } satisfies RelayRequest,
    }));
    const expected = members.length * perMember;
    this.delivered = 0;
    let lastDelivery = 0;
    const allDelivered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.delivered} of ${expected} relays delivered within ${STEP_TIMEOUT_MS} ms`)),
        STEP_TIMEOUT_MS,
      );
      this.#onDelivery = () => {
        if (this.delivered < expected) return;
        lastDelivery = now();
        clearTimeout(timer);
        resolve();
      };
    });
    const acks: Promise<{ answer: Ack; ms: number }>[] = [];
    const start = now();
    for (let round = 0; round < perMember; round++) {
      for (const { socket, request } of members) {
        if (round % BURST_ACK_EVERY === 0) {
          acks.push(roundTrip<Ack>((ack) => socket.emit('signal:relay', request, ack), 'signal:relay'));
        } else {
          socket.emit('signal:relay', request);
        }
      }
      await tick();
    }
    const [trips] = await Promise.all([Promise.all(acks), allDelivered]);
    this.#onDelivery = undefined;
    for (const { answer } of trips) this.#count(answer);
    return { sent: expected, delivered: this.delivered, wallMs: lastDelivery - start, ackMs: trips.map(({ ms }) => ms) };
  }

  /** `count` ice:servers requests, one at a time, each from the next client. */
  async iceOneAtATime(count: number): Promise<Timing> {
    const ms: number[] = [];
    const start = now();
    for (let i = 0; i < count; i++) {
      const socket = this.socket(i % this.sockets.length);
      const trip = await roundTrip<Ack>((ack) => socket.emit('ice:servers', ack), 'ice:servers');
      this.#count(trip.answer);
      ms.push(trip.ms);
    }
    return { ms, wallMs: now() - start };
  }

  disconnectAll(): void {
    this.#closing = true;
    for (const socket of this.sockets.splice(0)) {
      socket.removeAllListeners();
      socket.disconnect();
    }
  }
}

/** The worker's side: answers each ToWorker request with its op's result or error message. Throws outside a worker. */
function runClients(): void {
  const port = parentPort;
  if (!port) throw new Error('runClients() runs in a worker');
  let clients: Clients | undefined;
  const sdp = {
    kind: 'description',
    call: 'bench-call-0001',
    description: { type: 'offer', sdp: sdpOffer(SDP_BYTES) },
  } satisfies Signal;

  const handle = async ({ op, url }: ToWorker): Promise<unknown> => {
    clients ??= new Clients(url);
    switch (op) {
      case 'warm-up': {
        // Same paths as the measured ones (a small burst included), so JIT compilation and lazy
        // initialisation happen here, not in the figures or the heap baseline.
        const warm = new Clients(url);
        await warm.connect(WARM_UP_CLIENTS);
        await warm.joinAllAtOnce('warm-up');
        await warm.relayOneAtATime(CANDIDATE_SIGNAL, 50);
        await warm.relayBurst(WARM_UP_RELAYS_PER_MEMBER);
        await warm.relayOneAtATime(sdp, 10);
        await warm.iceOneAtATime(WARM_UP_CLIENTS);
        await warm.leaveAll();
        warm.disconnectAll();
        return null;
      }
      case 'connect':
        return clients.connect(CLIENTS);
      case 'join-one-at-a-time':
        return clients.joinOneAtATime('bench');
      case 'leave-all':
        return clients.leaveAll();
      case 'join-all-at-once':
        return clients.joinAllAtOnce('bench');
      case 'relay-one-at-a-time':
        return clients.relayOneAtATime(CANDIDATE_SIGNAL, IDLE_RELAY_SAMPLES);
      case 'relay-burst':
        return clients.relayBurst(RELAYS_PER_MEMBER);
      case 'sdp-one-at-a-time':
        return { ...(await clients.relayOneAtATime(sdp, SDP_SAMPLES)), bytes: sdp.description.sdp.length } satisfies SdpResult;
      case 'ice-one-at-a-time':
        return clients.iceOneAtATime(ICE_SAMPLES);
      case 'disconnect': {
        const result: DisconnectResult = { unexpectedDisconnects: clients.unexpectedDisconnects, refused: clients.refused };
        clients.disconnectAll();
        return result;
      }
    }
  };

  port.on('message', (message: ToWorker) => {
    handle(message).then(
      (result) => port.postMessage({ id: message.id, result } satisfies FromWorker),
      (error: unknown) =>
        port.postMessage({ id: message.id, error: String(error instanceof Error ? error.message : error) } satisfies FromWorker),
    );
  });
  port.postMessage({ ready: true } satisfies FromWorker);
}

runClients();
