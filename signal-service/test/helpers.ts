/**
 * Shared helpers for the signal service tests: a real server on port 0, real socket.io clients
 * over WebSocket, acknowledgements with a timeout, and "no such event arrives" checks.
 *
 * Every client and server made through a {@link TestContext} is closed by `context.close()`,
 * which the test files call in `afterEach`/`after` so the process exits when the tests end.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import pino from 'pino';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { loadConfig, type Config } from '../src/config.js';
import { PEER_ID_PATTERN, REJOIN_TOKEN_PATTERN } from 'video-call-protocol';
import type {
  Ack,
  ClientToServerEvents,
  IceServersResult,
  JoinRequest,
  JoinResult,
  RelayRequest,
  ServerToClientEvents,
  WatchBeat,
} from 'video-call-protocol';
import { SocketRateLimiter } from '../src/rate-limits.js';
import { startSignalService, type SignalService, type StartOptions } from '../src/server.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a test waits for an answer or an event before it fails. */
export const ANSWER_TIMEOUT_MS = 2000;
/** How long a test listens to show that an event does NOT arrive. */
export const QUIET_MS = 150;

let stateDir: string | undefined;
/**
 * A state directory (STATE_DIR) for the services of this test process, made at first use in the
 * system's temporary folder and removed when the process exits: tests keep their rejoin secret
 * there, not in the user's ~/.local/state.
 */
export function testStateDir(): string {
  if (stateDir === undefined) {
    const dir = mkdtempSync(joinPath(tmpdir(), 'video-call-test-state-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    stateDir = dir;
  }
  return stateDir;
}

/**
 * A configuration for tests: port 0 (any free port), silent logs, default ICE (static STUN),
 * per-address connection limits lifted (every test client comes from 127.0.0.1; admission.test.ts
 * sets its own), and the state directory of {@link testStateDir}.
 */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    MAX_CONNECTIONS_PER_IP: '100000',
    NEW_CONNECTIONS_PER_IP: '100000',
    STATE_DIR: testStateDir(),
    ...env,
  });
}

/** Starts a real service in this process on a free port. */
export function startServer(options: StartOptions = {}, config: Config = testConfig()): Promise<SignalService> {
  return startSignalService(config, { logger: pino({ level: 'silent' }), ...options });
}

/** socket.io-client options a test may change (e.g. `extraHeaders`, `transports`). */
export type ClientOptions = Partial<ManagerOptions & SocketOptions>;

/**
 * Connects a real socket.io client, over WebSocket only unless `options` says otherwise; resolves
 * once connected, rejects with the `connect_error`.
 */
export function connectClient(url: string, options: ClientOptions = {}): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: ANSWER_TIMEOUT_MS,
    ...options,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Owns the servers and clients of one test (or one file) and closes them all. */
export class TestContext {
  readonly #clients: ClientSocket[] = [];
  readonly #servers: SignalService[] = [];

  async server(options: StartOptions = {}, config?: Config): Promise<SignalService> {
    const service = await startServer(options, config);
    this.#servers.push(service);
    return service;
  }

  async client(url: string, options?: ClientOptions): Promise<ClientSocket> {
    const socket = await connectClient(url, options);
    this.#clients.push(socket);
    return socket;
  }

  /** Several connected clients at once. */
  clients(url: string, count: number, options?: ClientOptions): Promise<ClientSocket[]> {
    return Promise.all(Array.from({ length: count }, () => this.client(url, options)));
  }

  async close(): Promise<void> {
    for (const socket of this.#clients.splice(0)) {
      socket.removeAllListeners();
      socket.disconnect();
    }
    await Promise.all(this.#servers.splice(0).map((service) => service.close()));
  }
}

/**
 * Emits `event` with the given arguments (anything at all: this is how the tests send malformed
 * payloads) plus an acknowledgement callback, and resolves with what the service answers.
 * Rejects when no answer comes within `timeoutMs`.
 */
export function rawRequest(socket: ClientSocket, event: string, args: unknown[], timeoutMs = ANSWER_TIMEOUT_MS): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${event} within ${timeoutMs} ms`)), timeoutMs);
    const untyped = socket as unknown as { emit(event: string, ...args: unknown[]): void };
    untyped.emit(event, ...args, (answer: unknown) => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

/** Emits `event` with arguments but WITHOUT an acknowledgement callback. */
export function rawEmit(socket: ClientSocket, event: string, ...args: unknown[]): void {
  (socket as unknown as { emit(event: string, ...args: unknown[]): void }).emit(event, ...args);
}

/** Request arguments and acknowledgement of each client event, as protocol.ts declares them. */
interface Requests {
  'room:join': { args: [request: JoinRequest]; answer: Ack<JoinResult> };
  'room:leave': { args: []; answer: Ack };
  'signal:relay': { args: [request: RelayRequest]; answer: Ack };
  'ice:servers': { args: []; answer: Ack<IceServersResult> };
  'watch:beat': { args: [request: WatchBeat]; answer: Ack };
}
// Fails to compile if protocol.ts grows a client event the map above does not know.
type UncoveredEvents = Exclude<keyof ClientToServerEvents, keyof Requests>;
export const everyClientEventCovered: [UncoveredEvents] extends [never] ? true : false = true;

/** Typed request: emits a well-formed `event` and resolves with its acknowledgement. */
export function request<E extends keyof Requests>(
  socket: ClientSocket,
  event: E,
  ...args: Requests[E]['args']
): Promise<Requests[E]['answer']> {
  return rawRequest(socket, event, args) as Promise<Requests[E]['answer']>;
}

/** Resolves with the next `event` the socket receives; rejects after `timeoutMs`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  timeoutMs = ANSWER_TIMEOUT_MS,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const listener = ((payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(payload);
    }) as ServerToClientEvents[E];
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once(event, listener as never);
  });
}

/**
 * Records every `event` the socket receives from now on. `received` is live; `stop()` detaches.
 * Used to prove that an event did NOT arrive (see {@link settle}).
 */
export function record<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E) {
  const received: Parameters<ServerToClientEvents[E]>[0][] = [];
  const listener = ((payload: Parameters<ServerToClientEvents[E]>[0]) => received.push(payload)) as unknown as ServerToClientEvents[E];
  socket.on(event, listener as never);
  return { received, stop: () => socket.off(event, listener as never) };
}

/**
 * Makes sure everything the service sent `socket` before now has arrived: waits `ms`, then does
 * one round trip on the socket's own connection (the service answers in order on one connection,
 * so any event queued for it before the answer is delivered before the answer).
 */
export async function settle(socket: ClientSocket, ms = QUIET_MS): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  if (socket.connected) await rawRequest(socket, 'ice:servers', []);
}

/**
 * Asserts that `socket` receives no `event` within `ms` (followed by a round trip, see
 * {@link settle}), while `during` (if given) runs.
 */
export async function expectNoEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  ms = QUIET_MS,
  during?: () => Promise<unknown>,
): Promise<void> {
  const recorder = record(socket, event);
  try {
    await during?.();
    await settle(socket, ms);
    assert.deepEqual(recorder.received, [], `expected no ${event}, got ${JSON.stringify(recorder.received)}`);
  } finally {
    recorder.stop();
  }
}

/** Resolves once the socket has been disconnected (by either side); rejects after `timeoutMs`. */
export function disconnected(socket: ClientSocket, timeoutMs = ANSWER_TIMEOUT_MS): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not disconnected within ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** `GET /healthz` of a running service. */
export async function health(service: SignalService): Promise<{ status: string; rooms: number }> {
  const response = await fetch(`${service.url}/healthz`);
  assert.equal(response.status, 200);
  return (await response.json()) as { status: string; rooms: number };
}

/** Asserts that `answer` is `{ ok: false, error: { code, message } }` with the given code. */
export function assertError(answer: unknown, code: string, context = ''): void {
  const where = context ? `${context}: ` : '';
  assert.ok(answer !== null && typeof answer === 'object', `${where}expected an error ack, got ${JSON.stringify(answer)}`);
  const { ok, error } = answer as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  assert.equal(ok, false, `${where}expected ok: false, got ${JSON.stringify(answer)}`);
  assert.equal(error?.code, code, `${where}expected error code ${code}, got ${JSON.stringify(answer)}`);
  assert.equal(typeof error?.message, 'string', `${where}error message is not a string`);
  assert.ok((error?.message as string).length > 0, `${where}error message is empty`);
}

/** Narrows an acknowledgement to its success branch, failing the test otherwise. */
export function assertOk<T extends object>(answer: Ack<T>): asserts answer is { ok: true } & T {
  assert.equal(answer.ok, true, `expected ok: true, got ${JSON.stringify(answer)}`);
}

/**
 * Joins `room` and returns the success answer (fails the test on an error answer). `name` may be
 * a display name or the rest of the join request (`{ name, rejoin, ticket }`).
 */
export async function join(socket: ClientSocket, room: string, name?: string | Omit<JoinRequest, 'room'>) {
  const rest = typeof name === 'string' ? { name } : (name ?? {});
  const answer = await request(socket, 'room:join', { room, ...rest });
  assertOk(answer);
  return answer;
}

/** Polls `check` until it returns true; rejects after `timeoutMs` with `what` in the message. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = ANSWER_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Stands for any well-formed `peerId` in the expectations of {@link opaque}. */
export const PEER_ID = '<peerId>';
/** Stands for any well-formed `rejoinToken` in the expectations of {@link opaque}. */
export const TOKEN = '<rejoinToken>';

/**
 * A deep copy of `value` in which every `peerId` and `rejoinToken` is replaced by {@link PEER_ID}
 * / {@link TOKEN} after checking its shape, so answers compare with `deepEqual` whatever the
 * random ids issued.
 */
export function opaque<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, item: unknown) => {
    if (key === 'peerId') {
      assert.match(String(item), PEER_ID_PATTERN);
      return PEER_ID;
    }
    if (key === 'rejoinToken') {
      assert.match(String(item), REJOIN_TOKEN_PATTERN);
      return TOKEN;
    }
    return item;
  }) as T;
}

/** A rate limiter that allows `points` of every kind of request per 60 s: for tests whose subject is not rate limiting. */
export function generousRateLimiter(points: number): SocketRateLimiter {
  const plenty = { points, duration: 60 };
  return new SocketRateLimiter({
    events: plenty,
    join: plenty,
    leave: plenty,
    relay: plenty,
    ice: plenty,
    watch: plenty,
    violations: plenty,
  });
}
