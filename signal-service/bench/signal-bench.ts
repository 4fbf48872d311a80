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
 *
 * Files: this one is the main thread (the service, the requests to the clients' worker, the
 * report, then the load benchmark); signal-bench-clients.ts is the worker's code;
 * signal-bench-shared.ts holds the parameters and the messages both threads use;
 * signal-bench-signals.ts the candidate and SDP offer the clients relay.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { DEFAULT_RATE_LIMITS, SocketRateLimiter, type RateLimitConfig } from '../src/rate-limits.js';
import { startSignalService, type SignalService } from '../src/server.js';
import {
  BURST_ACK_EVERY,
  CLIENTS,
  GENEROUS_POINTS,
  RELAYS_PER_MEMBER,
  RUN_DEADLINE_MS,
  STEP_TIMEOUT_MS,
  tick,
  type BurstResult,
  type DisconnectResult,
  type FromWorker,
  type Op,
  type SdpResult,
  type Timing,
  type ToWorker,
} from './signal-bench-shared.js';

/** Starts the clients' worker (signal-bench-clients.ts, loaded through tsx) and resolves once it is ready. */
function startClientWorker(): Promise<Worker> {
  // Node 20 does not apply `--import tsx` to worker threads: the worker loads the clients' file with tsx's API.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const clients = JSON.stringify(new URL('./signal-bench-clients.ts', import.meta.url).href);
  const self = JSON.stringify(import.meta.url);
  const worker = new Worker(`import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${clients}, ${self}));`, { eval: true });
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

main()
  .then(async () => {
    if (process.env.BENCH_SKIP_LOAD !== '1') process.exitCode = await runLoadBench();
  })
  .catch((error: unknown) => {
    console.error('signal-bench failed:', error);
    process.exitCode = 1;
  });
