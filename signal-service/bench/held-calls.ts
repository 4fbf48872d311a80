/**
 * Held calls without browsers: does the service's heap grow while calls are simply held? Prints
 * figures, asserts nothing (not a test).
 *
 * What a held call costs the service: each widget sends `watch:beat { next: 2500 }` every second
 * with an acknowledgement (widget/src/controllers/signaling-controller.ts `watch()`), engine.io
 * pings every PING_INTERVAL_MS, and nothing else (media, chat and quality go peer to peer). This
 * bench does exactly that with real socket.io-client sockets (WebSocket, as the widget): `--clients`
 * clients in `--rooms` rooms (`room:join`, ROOM_CAPACITY set to fit), each beating every second,
 * for `--minutes`. Many clients at once speed up what a call of 2–3 people does in a soak.
 *
 * The service runs in its own process from signal-service/src (tsx, `video-call-source`
 * condition), or from signal-service/dist with `--dist`, on 127.0.0.1:<ephemeral>, with
 * bench/soak-service-gc.mjs preloaded (SIGUSR2: full GC, then `soak-heap {…}` on stderr) and
 * held-calls-snapshot.mjs (heap snapshots over IPC). Every `--interval` seconds it prints the live
 * heap after a forced full GC (MB = 2^20 bytes), its old space and code space (V8's compiled code,
 * which grows while V8 optimises the hot paths; in Node 20 bytecode and deoptimisation data are in
 * old space), RSS from /proc, and the beats answered and lost since the last line; at the end, the
 * heap's least-squares slope (MB/h) and r², over the whole run and over its second half (a heap
 * that settles has a flat second half), and how each heap space changed.
 *
 * `--snapshots DIR --snapshot-at 3,13` writes heap snapshots at those minutes into DIR (compare
 * them with heap-diff.ts). Usage:
 *   node --import tsx signal-service/bench/held-calls.ts [--clients 30] [--rooms 10] [--minutes 20]
 *     [--interval 30] [--dist] [--snapshots DIR --snapshot-at 3,13]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, JoinResult, ServerToClientEvents } from 'video-call-protocol';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const MB = 1024 * 1024;
/** The widget's beat: every BEAT_INTERVAL_MS, `next` WATCH_MS, unanswered after BEAT_TIMEOUT_MS (signaling-controller.ts). */
const BEAT_INTERVAL_MS = 1_000;
const WATCH_MS = 2_500;
/**
 * The `next` beats ask for while a heap snapshot is being written (protocol MAX_WATCH_MS): writing
 * one blocks the service for seconds, and a 2.5 s watch would then close every connection.
 */
const SNAPSHOT_WATCH_MS = 30_000;
/** What beats ask for now: WATCH_MS, or SNAPSHOT_WATCH_MS around a snapshot. */
let watchMs = WATCH_MS;
const BEAT_TIMEOUT_MS = 2_000;

const out = (line = '') => process.stdout.write(`${line}\n`);
const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '30' },
    rooms: { type: 'string', default: '10' },
    minutes: { type: 'string', default: '20' },
    interval: { type: 'string', default: '30' },
    dist: { type: 'boolean', default: false },
    snapshots: { type: 'string' },
    'snapshot-at': { type: 'string', default: '' },
  },
});
const CLIENTS = Number(args.clients);
const ROOMS = Number(args.rooms);
const MINUTES = Number(args.minutes);
const INTERVAL_S = Number(args.interval);
const SNAPSHOT_AT = args['snapshot-at'] ? args['snapshot-at'].split(',').map(Number) : [];
const CAPACITY = Math.max(2, Math.ceil(CLIENTS / ROOMS));
if (!(CLIENTS >= 0 && ROOMS > 0 && MINUTES > 0 && INTERVAL_S >= 5) || CAPACITY > 6 || SNAPSHOT_AT.some((m) => !(m >= 0))) {
  process.stderr.write(
    'usage: held-calls.ts [--clients 30 (0: the idle service alone)] [--rooms 10] (at most 6 a room) [--minutes 20] [--interval 30 (≥ 5)] [--dist] [--snapshots DIR --snapshot-at 3,13]\n',
  );
  process.exit(2);
}

const serviceDir = path.resolve(import.meta.dirname, '..');
const repoDir = path.resolve(serviceDir, '..');

/** The service process, everything it wrote to stderr, and its port. */
interface Service {
  child: ChildProcess;
  stderr: () => string;
  port: number;
}

/** Starts the service (source or dist) with the two preloads and an IPC channel; resolves once it listens. */
async function startService(stateDir: string): Promise<Service> {
  const main = args.dist
    ? [path.join(serviceDir, 'dist/main.js')]
    : ['--conditions=video-call-source', '--import', 'tsx', path.join(serviceDir, 'src/main.ts')];
  const preloads = [
    '--import',
    path.join(repoDir, 'bench/soak-service-gc.mjs'),
    '--import',
    path.join(serviceDir, 'bench/held-calls-snapshot.mjs'),
  ];
  const child = spawn(process.execPath, ['--expose-gc', ...preloads, ...main], {
    cwd: repoDir,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      STATE_DIR: stateDir,
      ROOM_CAPACITY: String(CAPACITY),
      MAX_CONNECTIONS_PER_IP: '10000',
      NEW_CONNECTIONS_PER_IP: '10000',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // A leading newline, so that the first `soak-heap` line also follows one.
  let stderr = '\n';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${stdout}${stderr}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stdout += text;
      // Warnings and errors after start-up are worth seeing; info lines (joins, leaves) are not.
      for (const line of text.split('\n'))
        if (/"level":(40|50|60)/.test(line) && !line.includes('ALLOWED_ORIGINS')) out(`service: ${line}`);
      const match = /"port":(\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code}:\n${stdout}${stderr}`)));
  });
  return { child, stderr: () => stderr, port };
}

/** Full GC in the service, then its live heap in MB (SIGUSR2, bench/soak-service-gc.mjs); NaN without an answer. */
async function readHeapMB(service: Service): Promise<number> {
  const marker = '\nsoak-heap ';
  const before = service.stderr().split(marker).length;
  service.child.kill('SIGUSR2');
  for (let waited = 0; waited < 5000; waited += 20) {
    const text = service.stderr();
    if (text.split(marker).length > before) {
      const line = text.slice(text.lastIndexOf(marker) + marker.length).split('\n')[0]!;
      return (JSON.parse(line) as { heapUsed: number }).heapUsed / MB;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Number.NaN;
}

/** The service's resident set in MB (/proc, Linux). */
async function readRssMB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/**
 * Writes a heap snapshot of the service to `file` (held-calls-snapshot.mjs); resolves its path.
 * Beats ask for a long watch from two beats before until the snapshot is written.
 */
async function snapshot(service: Service, file: string): Promise<string> {
  watchMs = SNAPSHOT_WATCH_MS;
  await new Promise((resolve) => setTimeout(resolve, 2 * BEAT_INTERVAL_MS + 200));
  try {
    return await writeSnapshot(service, file);
  } finally {
    watchMs = WATCH_MS;
  }
}

/** One answer of held-calls-snapshot.mjs. */
interface HookAnswer {
  op?: string;
  file?: string;
  error?: string;
  spaces?: Record<string, number>;
}

/** Sends `request` to the service's debug hook (held-calls-snapshot.mjs) and resolves its answer of the same `op`. */
function askHook(service: Service, request: { op: 'snapshot'; file: string } | { op: 'spaces' }): Promise<HookAnswer> {
  return new Promise((resolve) => {
    const onMessage = (message: HookAnswer) => {
      if (message.op !== request.op) return;
      service.child.off('message', onMessage);
      resolve(message);
    };
    service.child.on('message', onMessage);
    service.child.send(request);
  });
}

async function writeSnapshot(service: Service, file: string): Promise<string> {
  const answer = await askHook(service, { op: 'snapshot', file });
  if (!answer.file) throw new Error(answer.error ?? 'no snapshot');
  return answer.file;
}

/** V8's heap spaces in use, MB by space name (read right after a full GC). */
async function readSpacesMB(service: Service): Promise<Record<string, number>> {
  const spaces = (await askHook(service, { op: 'spaces' })).spaces ?? {};
  return Object.fromEntries(Object.entries(spaces).map(([name, bytes]) => [name, bytes / MB]));
}

/** Beats answered and lost (no answer within BEAT_TIMEOUT_MS, or an error answer), and sockets dropped. */
const counts = { answered: 0, lost: 0, dropped: 0 };

/** Connects one client, joins `room`, and starts beating like the widget in a call. Resolves the socket and its beat timer. */
async function holdCall(port: number, room: string, name: string): Promise<{ socket: Client; beats: NodeJS.Timeout }> {
  const socket: Client = io(`http://127.0.0.1:${port}`, { transports: ['websocket', 'polling'], reconnection: false, timeout: 10_000 });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const joined = await new Promise<Ack<JoinResult>>((resolve, reject) => {
    socket
      .timeout(10_000)
      .emit('room:join', { room, name }, (error: Error | null, answer: Ack<JoinResult>) => (error ? reject(error) : resolve(answer)));
  });
  if (!joined.ok) throw new Error(`join ${room} refused: ${joined.error.code}`);
  socket.on('disconnect', () => counts.dropped++);
  // `watch:beat` declares its acknowledgement optional, which timeout().emit() cannot type.
  type TimedBeat = { emit(event: 'watch:beat', beat: { next: number }, ack: (error: Error | null, answer: Ack) => void): void };
  const beat = () => {
    if (!socket.connected) return;
    (socket.timeout(BEAT_TIMEOUT_MS) as unknown as TimedBeat).emit('watch:beat', { next: watchMs }, (error, answer) => {
      if (!error && answer.ok) counts.answered++;
      else counts.lost++;
    });
  };
  beat();
  return { socket, beats: setInterval(beat, BEAT_INTERVAL_MS) };
}

/** Least-squares slope (per unit of x) and r² of `y` over `x`. */
function fit(x: number[], y: number[]): { slope: number; r2: number } {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return { slope: sxy / sxx, r2: syy === 0 ? 0 : (sxy * sxy) / (sxx * syy) };
}

const stateDir = await mkdtemp(path.join(tmpdir(), 'held-calls-'));
const service = await startService(stateDir);
const held: { socket: Client; beats: NodeJS.Timeout }[] = [];
try {
  out(
    `held-calls: ${CLIENTS} clients in ${ROOMS} rooms (capacity ${CAPACITY}), a beat a second each, ${MINUTES} min, a sample every ${INTERVAL_S} s; service from ${args.dist ? 'dist' : 'src'}, pid ${service.child.pid}, port ${service.port}`,
  );
  const baseHeap = await readHeapMB(service);
  out(`before any client: heap ${baseHeap.toFixed(2)} MB, RSS ${(await readRssMB(service.child.pid!)).toFixed(1)} MB`);
  for (let i = 0; i < CLIENTS; i++) {
    held.push(await holdCall(service.port, `held-${i % ROOMS}`, `client ${i}`));
    // Spread the beats over the second, as independent widgets would be.
    await new Promise((resolve) => setTimeout(resolve, BEAT_INTERVAL_MS / CLIENTS));
  }
  out('   min   heap MB    old MB   code MB    RSS MB   beats ok  lost  dropped');
  const started = performance.now();
  const minutes: number[] = [];
  const heaps: number[] = [];
  const spacesSeen: Record<string, number>[] = [];
  const pending = [...SNAPSHOT_AT].sort((a, b) => a - b);
  let last = { ...counts };
  for (let at = 0; at <= MINUTES + 1e-9; at += INTERVAL_S / 60) {
    const wait = started + at * 60_000 - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (args.snapshots && pending.length > 0 && pending[0]! <= at + 1e-9) {
      const file = path.resolve(args.snapshots, `held-calls-${String(pending.shift()).padStart(3, '0')}min.heapsnapshot`);
      out(`snapshot: ${await snapshot(service, file)}`);
    }
    const heap = await readHeapMB(service);
    const spaces = await readSpacesMB(service);
    const rss = await readRssMB(service.child.pid!);
    minutes.push(at);
    heaps.push(heap);
    spacesSeen.push(spaces);
    const [old, code] = [spaces.old_space ?? Number.NaN, spaces.code_space ?? Number.NaN];
    out(
      `${at.toFixed(1).padStart(6)} ${heap.toFixed(3).padStart(9)} ${old.toFixed(3).padStart(9)} ${code.toFixed(3).padStart(9)} ${rss.toFixed(1).padStart(9)} ${String(counts.answered - last.answered).padStart(10)} ${String(counts.lost - last.lost).padStart(5)} ${String(counts.dropped).padStart(8)}`,
    );
    last = { ...counts };
  }
  const whole = fit(minutes, heaps);
  const half = Math.floor(minutes.length / 2);
  const late = fit(minutes.slice(half), heaps.slice(half));
  out(
    `heap ${heaps[0]!.toFixed(3)} → ${heaps.at(-1)!.toFixed(3)} MB; slope ${(whole.slope * 60).toFixed(2)} MB/h (r² ${whole.r2.toFixed(2)}), second half ${(late.slope * 60).toFixed(2)} MB/h (r² ${late.r2.toFixed(2)})`,
  );
  const [first, end] = [spacesSeen[0]!, spacesSeen.at(-1)!];
  const changed = Object.keys(end).filter((name) => Math.abs(end[name]! - (first[name] ?? 0)) >= 0.001);
  out(
    `heap spaces, first → last sample: ${changed.map((name) => `${name} ${(first[name] ?? 0).toFixed(3)} → ${end[name]!.toFixed(3)} MB`).join(', ')}`,
  );
  out(`beats answered ${counts.answered}, lost ${counts.lost}; sockets dropped ${counts.dropped}`);
} finally {
  for (const { socket, beats } of held) {
    clearInterval(beats);
    socket.disconnect();
  }
  if (service.child.exitCode === null && service.child.signalCode === null) {
    service.child.kill('SIGTERM');
    await new Promise((resolve) => service.child.once('exit', resolve));
  }
  await rm(stateDir, { recursive: true, force: true });
}
