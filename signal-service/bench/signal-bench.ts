/**
 * Signal service benchmark: prints figures, asserts nothing (it is not a test). `npm run bench`:
 * this file's latency figures first, then the load benchmark (load/load-bench.ts: memory and
 * heartbeat CPU of idle sockets, relay latency at fixed rates, saturation), whose service and
 * clients run in processes of their own.
 *
 * The real service runs in this process's main thread, listening on 127.0.0.1 only, with pino
 * silent and rate-limit budgets too large to interfere (same windows as the defaults, so the
 * limiter keeps as much state per socket as in production). The clients are real
 * socket.io-client sockets over WebSocket, run in a worker thread of the same process: they get
 * their own event loop (the service's latency is not inflated by client-side work sharing its
 * loop) and their own V8 heap, so the heap figures below are the service's alone.
 *
 * Latencies are acknowledgement round trips measured by the clients (performance.now()).
 * Bounded: fixed counts below, a timeout on every step and a deadline on the whole run; every
 * socket, the worker and the service are closed at the end, and the process exits by itself.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from '../src/config.js';
import type { Ack, ClientToServerEvents, RelayRequest, ServerToClientEvents, Signal } from 'video-call-protocol';
import { DEFAULT_RATE_LIMITS, SocketRateLimiter, type RateLimitConfig } from '../src/rate-limits.js';
import { startSignalService, type SignalService } from '../src/server.js';

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/** N: connected clients, two a room (N / 2 rooms). */
const CLIENTS = 200;
/** M: ICE candidates each member relays to its peer in the relay burst. */
const RELAYS_PER_MEMBER = 200;
/** In the burst, every k-th relay of a member carries an acknowledgement: the latency sample under load. */
const BURST_ACK_EVERY = 10;
/** Candidate relays sent one at a time (awaiting each ack), nothing else running. */
const IDLE_RELAY_SAMPLES = 200;
/** Size of the SDP offer relayed, in bytes (characters; SDP is ASCII). */
const SDP_BYTES = 10 * 1024;
/** SDP offers relayed one at a time. */
const SDP_SAMPLES = 100;
/** `ice:servers` requests sent one at a time (spread over the clients). */
const ICE_SAMPLES = 200;
/**
 * Clients of the warm-up round (connect, join, relay, ice, disconnect) run before any figure: as
 * many as measured, so the service's tables have already grown to that size in the baseline.
 */
const WARM_UP_CLIENTS = CLIENTS;
/** Candidates each member relays in the warm-up burst. */
const WARM_UP_RELAYS_PER_MEMBER = 20;
/** Longest wait for any one step before the run gives up. */
const STEP_TIMEOUT_MS = 15_000;
/** The whole run stops (exit status 1) if it has not finished by then. */
const RUN_DEADLINE_MS = 55_000;
/** Budget points per window: large enough never to refuse anything in this run. */
const GENEROUS_POINTS = 1_000_000;

/** An ICE candidate as a browser trickles it (`RTCIceCandidate.toJSON()`). */
const CANDIDATE_SIGNAL: Signal = {
  kind: 'candidate',
  call: 'bench-call-0001',
  candidate: {
    candidate:
      'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sXsv network-cost 999',
    sdpMid: '0',
    sdpMLineIndex: 0,
    usernameFragment: 'sXsv',
  },
};

// ---------------------------------------------------------------------------------------------
// Shared between the two threads
// ---------------------------------------------------------------------------------------------

type Op =
  | 'warm-up'
  | 'connect'
  | 'join-one-at-a-time'
  | 'leave-all'
  | 'join-all-at-once'
  | 'relay-one-at-a-time'
  | 'relay-burst'
  | 'sdp-one-at-a-time'
  | 'ice-one-at-a-time'
  | 'disconnect';

/** Latencies of `ms.length` requests, and the wall time from the first send to the last answer. */
interface Timing {
  ms: number[];
  wallMs: number;
}

interface BurstResult {
  sent: number;
  delivered: number;
  /** From the first send to the last delivery. */
  wallMs: number;
  /** Ack round trips of the sampled relays (every BURST_ACK_EVERY-th). */
  ackMs: number[];
}

interface SdpResult extends Timing {
  bytes: number;
}

interface DisconnectResult {
  /** Disconnections nobody asked for during the run (ping timeouts, server cut-offs): should be 0. */
  unexpectedDisconnects: number;
  /** Requests answered `{ ok: false }` during the run: should be 0. */
  refused: number;
}

type ToWorker = { id: number; op: Op; url: string };
type FromWorker = { ready: true } | { id: number; result: unknown } | { id: number; error: string };

// ---------------------------------------------------------------------------------------------
// Clients (worker thread)
// ---------------------------------------------------------------------------------------------

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const now = () => performance.now();
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

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

/** A realistic SDP offer (audio + video, Chrome-like) of about `bytes` characters, CRLF line ends. */
function sdpOffer(bytes: number): string {
  const lines = [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS 7d6c1f0e-3f5b-4f0a-9f3c-2b7c9d1e8a41',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:sXsv',
    'a=ice-pwd:Qv6Yk1n3Cw0z8yJr5HtXe2Lm',
    'a=ice-options:trickle',
    'a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
    'a=setup:actpass',
    'a=mid:0',
    'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
    'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    'a=sendrecv',
    'a=msid:7d6c1f0e-3f5b-4f0a-9f3c-2b7c9d1e8a41 0f4a6a51-9b0e-4c55-8d1f-6b2a3c4d5e6f',
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'a=rtcp-fb:111 transport-cc',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=rtpmap:63 red/48000/2',
    'a=fmtp:63 111/111',
    'a=rtpmap:9 G722/8000',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:13 CN/8000',
    'a=rtpmap:110 telephone-event/48000',
    'a=rtpmap:126 telephone-event/8000',
    'a=ssrc:3570614608 cname:4TOk42mSjXCkVIa6',
    'a=ssrc:3570614608 msid:7d6c1f0e-3f5b-4f0a-9f3c-2b7c9d1e8a41 0f4a6a51-9b0e-4c55-8d1f-6b2a3c4d5e6f',
  ];
  const trailer = [
    'a=ssrc-group:FID 2231627014 632943048',
    'a=ssrc:2231627014 cname:4TOk42mSjXCkVIa6',
    'a=ssrc:2231627014 msid:7d6c1f0e-3f5b-4f0a-9f3c-2b7c9d1e8a41 3b7e2d90-1c4f-4a8e-b6d2-9e0f1a2b3c4d',
    'a=ssrc:632943048 cname:4TOk42mSjXCkVIa6',
    'a=ssrc:632943048 msid:7d6c1f0e-3f5b-4f0a-9f3c-2b7c9d1e8a41 3b7e2d90-1c4f-4a8e-b6d2-9e0f1a2b3c4d',
  ];
  const codecs = ['VP8/90000', 'VP9/90000', 'H264/90000', 'AV1/90000', 'H265/90000'];
  const video: string[] = [
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:sXsv',
    'a=ice-pwd:Qv6Yk1n3Cw0z8yJr5HtXe2Lm',
    'a=ice-options:trickle',
    'a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
    'a=setup:actpass',
    'a=mid:1',
    'a=extmap:14 urn:ietf:params:rtp-hdrext:toffset',
    'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
    'a=extmap:13 urn:3gpp:video-orientation',
    'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    'a=sendrecv',
    'a=msid:7d6c1f0e-3f5b-4f0a-9f3c-2b7c9d1e8a41 3b7e2d90-1c4f-4a8e-b6d2-9e0f1a2b3c4d',
    'a=rtcp-mux',
    'a=rtcp-rsize',
  ];
  const payloadTypes: number[] = [];
  const size = (parts: string[]) => parts.reduce((sum, line) => sum + line.length + 2, 0);
  // Video codecs in pairs (codec, its rtx) until the offer reaches the size asked for.
  for (let pt = 96, n = 0; pt < 128; pt += 2, n++) {
    const codec = codecs[n % codecs.length] ?? 'VP8/90000';
    const block = [
      `a=rtpmap:${pt} ${codec}`,
      `a=rtcp-fb:${pt} goog-remb`,
      `a=rtcp-fb:${pt} transport-cc`,
      `a=rtcp-fb:${pt} ccm fir`,
      `a=rtcp-fb:${pt} nack`,
      `a=rtcp-fb:${pt} nack pli`,
      ...(codec.startsWith('H264')
        ? [`a=fmtp:${pt} level-asymmetry-allowed=1;packetization-mode=${n % 2};profile-level-id=42e01f`]
        : codec.startsWith('VP9')
          ? [`a=fmtp:${pt} profile-id=${n % 3}`]
          : []),
      `a=rtpmap:${pt + 1} rtx/90000`,
      `a=fmtp:${pt + 1} apt=${pt}`,
    ];
    const mLine = `m=video 9 UDP/TLS/RTP/SAVPF ${[...payloadTypes, pt, pt + 1].join(' ')}`;
    if (size([...lines, mLine, ...video, ...block, ...trailer]) > bytes) break;
    payloadTypes.push(pt, pt + 1);
    video.push(...block);
  }
  const sdp = [...lines, `m=video 9 UDP/TLS/RTP/SAVPF ${payloadTypes.join(' ')}`, ...video, ...trailer];
  // Fill the rest with one more attribute line so the size is exactly `bytes` (when it fits).
  const missing = bytes - size(sdp) - 2;
  if (missing > 'a=x-pad:'.length) sdp.push(`a=x-pad:${'0'.repeat(missing - 'a=x-pad:'.length)}`);
  return sdp.map((line) => `${line}\r\n`).join('');
}

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

// ---------------------------------------------------------------------------------------------
// Service and report (main thread)
// ---------------------------------------------------------------------------------------------

/** Starts the clients' worker (this same file, loaded through tsx) and resolves once it is ready. */
function startClientWorker(): Promise<Worker> {
  // Node 20 does not apply `--import tsx` to worker threads: the worker loads this file with tsx's API.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const self = JSON.stringify(import.meta.url);
  const worker = new Worker(`import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${self}, ${self}));`, { eval: true });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the client worker did not start')), STEP_TIMEOUT_MS);
    worker.once('error', reject);
    worker.once('message', (message: FromWorker) => {
      clearTimeout(timer);
      worker.off('error', reject);
      if ('ready' in message) resolve(worker);
      else reject(new Error('unexpected first message from the client worker'));
    });
  });
}

/** Sends `op` to the worker and resolves with its result. */
function rpc(worker: Worker, url: string) {
  let nextId = 0;
  return <T>(op: Op): Promise<T> => {
    const id = ++nextId;
    return new Promise<T>((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if ('ready' in message || message.id !== id) return;
        cleanup();
        if ('error' in message) reject(new Error(`${op}: ${message.error}`));
        else resolve(message.result as T);
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ id, op, url } satisfies ToWorker);
    });
  };
}

async function waitUntil(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The service's heap in use (this thread's V8 heap) after full garbage collections. */
async function settledHeap(): Promise<number> {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') throw new Error('run with node --expose-gc (npm run bench does)');
  for (let i = 0; i < 4; i++) {
    gc();
    await tick();
  }
  return process.memoryUsage().heapUsed;
}

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const ms2 = (value: number) => value.toFixed(2);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(2);
const signedKib = (bytes: number) => `${bytes >= 0 ? '+' : '-'}${int(Math.abs(bytes) / 1024)} KiB`;

function table(header: string[], rows: string[][], rightAligned: (column: number) => boolean): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (rightAligned(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(`signal-bench: did not finish within ${RUN_DEADLINE_MS / 1000} s; stopping.`);
    process.exit(1);
  }, RUN_DEADLINE_MS);
  deadline.unref();

  const cpus = os.cpus();
  console.log('signal-service benchmark');
  console.log(
    `Node ${process.version} on ${os.platform()} ${os.arch()}, ${cpus.length} CPUs (${os.availableParallelism()} available), ${cpus[0]?.model.trim() ?? 'unknown CPU'}`,
  );

  const generous = (Object.keys(DEFAULT_RATE_LIMITS) as (keyof RateLimitConfig)[]).reduce(
    (config, key) => ({ ...config, [key]: { points: GENEROUS_POINTS, duration: DEFAULT_RATE_LIMITS[key].duration } }),
    {} as RateLimitConfig,
  );
  // Every client comes from 127.0.0.1: the per-address caps are lifted for the run.
  const env = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', MAX_CONNECTIONS_PER_IP: '100000', NEW_CONNECTIONS_PER_IP: '100000' };
  const service: SignalService = await startSignalService(loadConfig(env), {
    logger: pino({ level: 'silent' }),
    rateLimiter: new SocketRateLimiter(generous),
  });
  const url = `http://127.0.0.1:${service.port}`;
  const empty = () =>
    service.io.engine.clientsCount === 0 && service.io.of('/').sockets.size === 0 && service.io.of('/').adapter.rooms.size === 0;
  let worker: Worker | undefined;
  try {
    worker = await startClientWorker();
    const call = rpc(worker, url);
    console.log(`service: in this process (main thread) on ${url}; clients: socket.io-client over WebSocket in a worker thread`);
    console.log('');

    await call('warm-up');
    await waitUntil('the warm-up clients to be gone', empty);
    const heapEmpty = await settledHeap();

    const connect = await call<Timing>('connect');
    const joinSerial = await call<Timing>('join-one-at-a-time');
    await call('leave-all');
    const joinBurst = await call<Timing>('join-all-at-once');
    const heapJoined = await settledHeap();

    const relaySerial = await call<Timing>('relay-one-at-a-time');
    const burst = await call<BurstResult>('relay-burst');
    const sdp = await call<SdpResult>('sdp-one-at-a-time');
    const ice = await call<Timing>('ice-one-at-a-time');
    const heapAfterTraffic = await settledHeap();

    const health = await call<DisconnectResult>('disconnect');
    await waitUntil('every client to be gone', empty);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const heapAfter = await settledHeap();

    const rooms = CLIENTS / 2;
    const latencyRow = (what: string, timing: Timing, rate: string): string[] => [
      what,
      int(timing.ms.length),
      ms2(percentile(timing.ms, 50)),
      ms2(percentile(timing.ms, 95)),
      ms2(Math.max(...timing.ms)),
      rate,
    ];
    const perSecond = (count: number, wallMs: number, unit: string) => `${int((count * 1000) / wallMs)} ${unit}/s`;
    console.log(
      table(
        ['measure (ack round trips, client side)', 'n', 'p50 ms', 'p95 ms', 'max ms', 'rate'],
        [
          latencyRow(`connect ${CLIENTS} clients at once`, connect, perSecond(CLIENTS, connect.wallMs, 'connects')),
          latencyRow(`room:join, one at a time (${rooms} rooms of 2)`, joinSerial, perSecond(CLIENTS, joinSerial.wallMs, 'joins')),
          latencyRow(`room:join, ${CLIENTS} at once (${rooms} rooms of 2)`, joinBurst, perSecond(CLIENTS, joinBurst.wallMs, 'joins')),
          latencyRow('signal:relay candidate, one at a time', relaySerial, perSecond(relaySerial.ms.length, relaySerial.wallMs, 'relays')),
          latencyRow(
            `signal:relay candidate burst, sampled acks (1 in ${BURST_ACK_EVERY})`,
            { ms: burst.ackMs, wallMs: burst.wallMs },
            perSecond(burst.delivered, burst.wallMs, 'delivered'),
          ),
          latencyRow(`signal:relay ${int(sdp.bytes)}-byte SDP offer, one at a time`, sdp, perSecond(sdp.ms.length, sdp.wallMs, 'relays')),
          latencyRow('ice:servers (static STUN), one at a time', ice, perSecond(ice.ms.length, ice.wallMs, 'requests')),
        ],
        (column) => column > 0,
      ),
    );
    console.log(
      `burst: ${CLIENTS} members x ${RELAYS_PER_MEMBER} candidates = ${int(burst.sent)} sent, ${int(burst.delivered)} delivered in ${int(burst.wallMs)} ms (first send to last delivery)`,
    );
    console.log('');

    const perMember = (heapJoined - heapEmpty) / CLIENTS;
    console.log(
      table(
        ['service heap used, after gc', 'MiB', 'vs 0 clients'],
        [
          ['0 clients (after a warm-up round)', mib(heapEmpty), ''],
          [`${CLIENTS} connected, joined in ${rooms} rooms`, mib(heapJoined), signedKib(heapJoined - heapEmpty)],
          [`${CLIENTS} connected, after the relay and ice runs`, mib(heapAfterTraffic), signedKib(heapAfterTraffic - heapEmpty)],
          ['0 clients (all disconnected)', mib(heapAfter), signedKib(heapAfter - heapEmpty)],
        ],
        (column) => column > 0,
      ),
    );
    console.log(`per connected member: ${int(perMember)} bytes of heap (${CLIENTS} joined vs 0 clients)`);
    console.log(
      `sanity: ${health.refused} requests refused, ${health.unexpectedDisconnects} unexpected disconnects; process RSS ${mib(process.memoryUsage().rss)} MiB (service and clients)`,
    );
  } finally {
    if (worker) await worker.terminate();
    await service.close();
    clearTimeout(deadline);
  }
}

/** Runs the load benchmark in a process of its own (it starts the service and clients in others). */
function runLoadBench(): Promise<number> {
  console.log('\nload benchmark (service and clients in separate processes; takes about 4 minutes)');
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./load/load-bench.ts', import.meta.url))], {
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

if (isMainThread) {
  main()
    .then(async () => {
      if (process.env.BENCH_SKIP_LOAD !== '1') process.exitCode = await runLoadBench();
    })
    .catch((error: unknown) => {
      console.error('signal-bench failed:', error);
      process.exitCode = 1;
    });
} else {
  runClients();
}
