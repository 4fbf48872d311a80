/**
 * Load benchmark of the signal service: memory and heartbeat CPU of idle sockets, relay latency
 * at fixed rates, the saturation point, and what happens past it. Prints figures, asserts
 * nothing. Run by `npm run bench` after the latency benchmark (signal-bench.ts), or alone:
 * `node --import tsx signal-service/bench/load/load-bench.ts`.
 *
 * The service runs alone in a child process (service-process.ts; its open-file limit raised to
 * 65,536 when the OS allows), the clients in CLIENT_PROCESSES others (client-process.ts: raw
 * WebSocket clients, each process from its own 127.0.1.x address), so clients never share the
 * service's event loop and the service's CPU and memory are its own. Everything on 127.0.0.1.
 * Per-IP caps and budgets are lifted for the run (the clients are a handful of addresses), the
 * service's other defaults (heartbeat, relay budget, load shedding) stay as configured.
 *
 * Bounded: fixed counts, every phase timed, a deadline on the whole run.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Command, IdleResult, ProbeResult, RelayResult } from './client-process.js';
import type { ServiceStats } from './service-process.js';

const CLIENT_PROCESSES = 4;
/**
 * Sockets the service holds (joined members included) at the two idle steps. 20,000 is the goal
 * of the heartbeat figure, but a process here may not open more than 20,000 files (hard limit,
 * no CAP_SYS_RESOURCE): the second step stops at 18,000 and the CPU is also given scaled to 20k.
 */
const IDLE_TOTALS = [10_000, 18_000];
/** Sockets joined two a room for the relay runs. */
const PAIRS_PER_PROCESS = 375;
const FIXED_RATES = [5_000, 10_000];
const RAMP_RATES = [15_000, 20_000, 30_000, 40_000, 50_000, 60_000];
/** Past saturation: new connections + joins tried per second while the calls relay. */
const PROBE_RATE = 20;
const RUN_DEADLINE_MS = 9 * 60_000;

const here = import.meta.dirname;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends IPC requests to a child and resolves with its answers. */
function channel(child: ChildProcess) {
  let next = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.result);
  });
  return <T>(payload: object): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, ...payload });
    });
}

function ready(child: ChildProcess): Promise<{ port?: number }> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before it was ready`)));
    child.on('message', (message: { ready?: boolean; port?: number }) => message.ready && resolve(message));
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const fmt = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';
const mib = (bytes: number) => fmt(bytes / 2 ** 20, 1);

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error('load-bench: did not finish in time; stopping.');
    process.exit(1);
  }, RUN_DEADLINE_MS);
  deadline.unref();
  const children: ChildProcess[] = [];
  try {
    // The service: its own process, open-file limit raised where allowed.
    const service = spawn(
      'sh',
      [
        '-c',
        'ulimit -n 65536 2>/dev/null; echo "service open-file limit: $(ulimit -n)"; exec "$0" "$@"',
        process.execPath,
        '--expose-gc',
        '--import',
        'tsx',
        path.join(here, 'service-process.ts'),
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: {
          ...process.env,
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
          MAX_CONNECTIONS_PER_IP: '100000',
          NEW_CONNECTIONS_PER_IP: '100000',
        },
      },
    );
    children.push(service);
    const { port } = await ready(service);
    if (!port) throw new Error('the service did not report its port');
    const ask = channel(service);
    const stats = (gc = false) => ask<ServiceStats>({ op: gc ? 'gc' : 'stats' });

    const clients = Array.from({ length: CLIENT_PROCESSES + 1 }, (_, index) =>
      fork(path.join(here, 'client-process.ts'), [], {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, BENCH_LOCAL_ADDRESS: index < CLIENT_PROCESSES ? `127.0.1.${index + 1}` : '127.0.2.1' },
      }),
    );
    children.push(...clients);
    await Promise.all(clients.map(ready));
    const workers = clients.slice(0, CLIENT_PROCESSES).map(channel);
    const prober = channel(clients[CLIENT_PROCESSES]!);
    const all = <T>(command: Command) => Promise.all(workers.map((send) => send<T>({ command })));
    console.log(`service on 127.0.0.1:${port} (own process); clients: ${CLIENT_PROCESSES} processes of raw WebSocket clients + 1 prober`);

    // 1. Baseline, then joined members.
    await sleep(1000);
    const base = await stats(true);
    await all({ op: 'pairs', port, pairs: PAIRS_PER_PROCESS, prefix: 'bench' });
    const members = CLIENT_PROCESSES * PAIRS_PER_PROCESS * 2;
    await sleep(2000);
    const joined = await stats(true);

    // 2. Idle sockets: memory and heartbeat CPU at each of IDLE_TOTALS (first: the members alone).
    const baseWindowS = 10;
    const baseCpu0 = await stats();
    await sleep(baseWindowS * 1000);
    const baseCpu = (((await stats()).cpuUs - baseCpu0.cpuUs) / (baseWindowS * 1e6)) * 100;
    const idleRows: string[][] = [];
    let previous = joined;
    let pingInterval = 0;
    for (const total of IDLE_TOTALS) {
      const stepCount = total - previous.connections;
      const opened = await all<IdleResult>({ op: 'idle', port, count: Math.round(stepCount / CLIENT_PROCESSES), concurrency: 50 });
      pingInterval = opened[0]?.pingInterval ?? 0;
      const refused = opened.flatMap((result) => Object.entries(result.refused).map(([why, n]) => `${why} x${n}`));
      // Let the connection storm's garbage and timers settle before measuring.
      await sleep(10_000);
      const after = await stats(true);
      await sleep(2000);
      const windowS = Math.max(10, Math.ceil(pingInterval / 1000) + 5);
      // Two windows in a row; the lower is the steady state (the first may still carry the
      // connection storm's garbage collection).
      const shares: number[] = [];
      for (let i = 0; i < 2; i++) {
        const cpu0 = await stats();
        await sleep(windowS * 1000);
        shares.push((((await stats()).cpuUs - cpu0.cpuUs) / (windowS * 1e6)) * 100);
      }
      const cpuShare = Math.min(...shares);
      const at20k = baseCpu + ((cpuShare - baseCpu) * (20_000 - members)) / (after.connections - members);
      const added = after.connections - previous.connections;
      const perSocket = (after.rss - previous.rss) / added;
      idleRows.push([
        fmt(after.connections),
        mib(after.rss),
        fmt(perSocket / 1024, 1),
        fmt((after.heapUsed - previous.heapUsed) / added / 1024, 1),
        fmt((100 * 2 ** 20) / perSocket),
        `${fmt(cpuShare, 1)} % (windows of ${windowS} s: ${shares.map((x) => fmt(x, 1)).join(', ')}); at 20k, extrapolated: ${fmt(at20k, 1)} %`,
        refused.join(', ') || '-',
      ]);
      previous = after;
    }
    const dropped = (await all<{ dropped: number }>({ op: 'close-idle' })).reduce((sum, r) => sum + r.dropped, 0);
    console.log(
      `\nidle sockets (heartbeat: engine.io pingInterval ${fmt(pingInterval)} ms); the counts include the ${members} joined members, per-socket figures are of the sockets added:`,
    );
    console.log(
      'sockets (all)  service RSS MiB  RSS KiB/socket  heap KiB/socket  sockets per 100 MiB RSS  heartbeat CPU (of one core)  refused at connect',
    );
    for (const row of idleRows) console.log(row.join('  |  '));
    console.log(
      `idle sockets dropped by the service or a ping timeout meanwhile: ${dropped}; CPU with the ${members} members alone: ${fmt(baseCpu, 1)} % over ${baseWindowS} s`,
    );
    console.log(
      `joined members (${members}, two a room): ${fmt((joined.rss - base.rss) / members / 1024, 1)} KiB RSS and ${fmt((joined.heapUsed - base.heapUsed) / members / 1024, 1)} KiB heap each, socket included`,
    );
    await sleep(3000);

    // 3. Relay latency at fixed rates, then a ramp to saturation.
    const run = async (rate: number, seconds: number) => {
      const cpu0 = await stats();
      const results = await all<RelayResult>({ op: 'relay', rate: rate / CLIENT_PROCESSES, seconds, warmUpSeconds: 2 });
      const cpu1 = await stats();
      const latencies = results.flatMap((result) => result.latencies).sort((a, b) => a - b);
      const sent = results.reduce((sum, r) => sum + r.sent, 0);
      const delivered = results.reduce((sum, r) => sum + r.delivered, 0);
      const cpu = ((cpu1.cpuUs - cpu0.cpuUs) / ((seconds + 1) * 1e6)) * 100;
      return {
        rate,
        sent,
        delivered,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        dropped: results.reduce((s, r) => s + r.dropped, 0),
        cpu,
        seconds,
      };
    };
    type Run = Awaited<ReturnType<typeof run>>;
    const row = (r: Run) =>
      [
        fmt(r.rate),
        fmt(r.sent / r.seconds),
        fmt(r.delivered / r.seconds),
        fmt(r.p50, 1),
        fmt(r.p99, 1),
        fmt(r.dropped),
        `${fmt(r.cpu)} %`,
      ].join('  |  ');
    const header = 'offered/s  |  sent/s  |  delivered/s  |  p50 ms  |  p99 ms  |  members dropped  |  service CPU';
    console.log(`\nsignal:relay of ICE candidates between ${members} joined members (one-way latency, sender to receiver):`);
    console.log(header);
    for (const rate of FIXED_RATES) console.log(row(await run(rate, 8)));
    console.log('\nramp to saturation (saturated: under 95 % delivered, or p99 over 1 s):');
    console.log(header);
    let saturatedAt: Run | undefined;
    let lastGood: Run | undefined;
    for (const rate of RAMP_RATES) {
      const result = await run(rate, 6);
      console.log(row(result));
      if (result.delivered < 0.95 * result.sent || result.p99 > 1000) {
        saturatedAt = result;
        break;
      }
      lastGood = result;
      await sleep(1000);
    }
    console.log(
      saturatedAt
        ? `saturation point: between ${fmt(lastGood?.rate ?? 0)} and ${fmt(saturatedAt.rate)} relays/s offered`
        : `saturation not reached at ${fmt(RAMP_RATES.at(-1)!)} relays/s offered`,
    );

    // 4. Past saturation: the calls keep relaying while new connections and joins are tried.
    const overRate = Math.round((saturatedAt?.rate ?? RAMP_RATES.at(-1)!) * 1.25);
    await sleep(2000);
    const shedding: boolean[] = [];
    let maxLag = 0;
    const sampler = setInterval(() => {
      void stats().then((s) => {
        if (s.overloaded !== undefined) shedding.push(s.overloaded);
        maxLag = Math.max(maxLag, s.lagMs ?? 0);
      });
    }, 500);
    const [past, probe] = await Promise.all([
      run(overRate, 10),
      sleep(2000).then(() => prober<ProbeResult>({ command: { op: 'probe', port, rate: PROBE_RATE, seconds: 6 } satisfies Command })),
    ]);
    clearInterval(sampler);
    console.log(
      `\npast saturation: ${fmt(overRate)} relays/s offered for 10 s; meanwhile ${PROBE_RATE} new connections + joins a second for 6 s:`,
    );
    console.log(header);
    console.log(row(past));
    console.log(
      `new connections + joins: ${Object.entries(probe.outcomes)
        .map(([what, n]) => `${what} x${n}`)
        .join(', ')}${probe.joinMs.length ? `; joined ones took p50 ${fmt(percentile(probe.joinMs, 50))} ms` : ''}`,
    );
    if (shedding.length > 0) {
      console.log(
        `load shedding on in ${shedding.filter(Boolean).length} of ${shedding.length} half-second samples; largest event-loop lag seen ${fmt(maxLag)} ms`,
      );
    }
    const end = await stats(true);
    console.log(`service at the end: ${fmt(end.connections)} connections, RSS ${mib(end.rss)} MiB`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    clearTimeout(deadline);
  }
}

main().catch((error: unknown) => {
  console.error('load-bench failed:', error);
  process.exitCode = 1;
});
