/**
 * Cross-node relay latency: prints figures, asserts nothing (not a test). Run it with
 * `npm run build:service && flock /tmp/cpu.lock node --import tsx signal-service/bench/cross-node-bench.ts`.
 *
 * Services run as processes of their own (the built `signal-service/dist/main.js`, started as the
 * end-to-end tests start it) on loopback; a real redis-server (deploy/test/redis-server.ts) serves the two-node case.
 * Clients are socket.io-client sockets over WebSocket in this process. A sample is one `signal:relay`
 * (an ICE candidate, ~120 bytes) from its `emit` at the sender to its arrival at the receiver,
 * both in this process (one clock), sent one at a time. Pairs take turns so that no socket
 * leaves its relay budget (300 per 10 s).
 *
 * Figures: median, p95 and p99 for
 * - one node, rooms in memory (no REDIS_URL): the baseline;
 * - two nodes on Redis, both members on the same node;
 * - two nodes on Redis, members on different nodes.
 * Same-node and cross-node samples alternate, so both see the same conditions.
 */
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { startRedisServer } from '../../deploy/test/redis-server.js';
import { startService } from '../../widget/test/e2e/harness.js';
import type { Ack, ClientToServerEvents, ServerToClientEvents, Signal } from 'video-call-protocol';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Relays measured per case. */
const SAMPLES = 1000;
/** Relays per case before measuring (connections, JIT, Redis scripts warm). */
const WARM_UP = 100;
/** Pairs per case: each socket sends SAMPLES / PAIRS relays, well inside its budget. */
const PAIRS = 10;
const CANDIDATE: Signal = {
  kind: 'candidate',
  call: 'bench-call-0001',
  candidate: {
    candidate: 'candidate:842163049 1 udp 1677729535 192.0.2.10 49152 typ srflx raddr 10.0.0.2 rport 49152',
    sdpMid: '0',
    sdpMLineIndex: 0,
  },
};

/** A service process (the built one: `npm run build:service` first), with the limits out of the way. */
const startNode = (env: Record<string, string>) =>
  startService({ MAX_CONNECTIONS_PER_IP: '100000', NEW_CONNECTIONS_PER_IP: '100000', ...env });

function connect(url: string): Promise<Client> {
  const socket: Client = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

const ack = <T extends object>(send: (done: (answer: Ack<T>) => void) => void) =>
  new Promise<Ack<T>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000);
    send((answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
  });

/** `PAIRS` pairs, the first member of each on `urlA`, the second on `urlB`, each pair in a room of its own. */
async function pairs(tag: string, urlA: string, urlB: string): Promise<[Client, Client][]> {
  const result: [Client, Client][] = [];
  for (let i = 0; i < PAIRS; i += 1) {
    const pair: [Client, Client] = [await connect(urlA), await connect(urlB)];
    for (const socket of pair) {
      const answer = await ack((done) => socket.emit('room:join', { room: `${tag}-${i}` }, done));
      if (!answer.ok) throw new Error(`join failed: ${JSON.stringify(answer)}`);
    }
    result.push(pair);
  }
  return result;
}

/** One relay from `from` to `to`: ms from emit to arrival. */
function relayOnce([from, to]: [Client, Client]): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('relay not delivered within 5 s')), 5000);
    const started = performance.now();
    to.once('signal:relay', () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
    from.emit('signal:relay', { to: to.id!, signal: CANDIDATE });
  });
}

/** Samples of each case, taking turns between cases and between pairs. */
async function measure(cases: Record<string, [Client, Client][]>): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let i = 0; i < WARM_UP + SAMPLES; i += 1) {
    for (const [name, list] of Object.entries(cases)) {
      const ms = await relayOnce(list[i % list.length]!);
      if (i >= WARM_UP) samples[name]!.push(ms);
    }
  }
  return samples;
}

const figure = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!.toFixed(3);
  return `median ${at(50)} ms, p95 ${at(95)} ms, p99 ${at(99)} ms`;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const single = await startNode({});
  const memoryPairs = await pairs('mem', single.url, single.url);
  const memory = await measure({ memory: memoryPairs });
  for (const pair of memoryPairs) for (const socket of pair) socket.close();
  await single.stop();

  const redis = await startRedisServer();
  const env = { REDIS_URL: redis.url };
  const [nodeA, nodeB] = await Promise.all([startNode(env), startNode(env)]);
  const clusterCases = {
    'same node': await pairs('same', nodeA.url, nodeA.url),
    'cross node': await pairs('cross', nodeA.url, nodeB.url),
  };
  const cluster = await measure(clusterCases);
  for (const list of Object.values(clusterCases)) for (const pair of list) for (const socket of pair) socket.close();
  await Promise.all([nodeA.stop(), nodeB.stop()]);
  await redis.stop();

  console.log(`relay latency, emit to arrival, ${SAMPLES} samples each (after ${WARM_UP} warm-up), loopback:`);
  console.log(`  one node, in memory:            ${figure(memory.memory!)}`);
  console.log(`  two nodes on Redis, same node:  ${figure(cluster['same node']!)}`);
  console.log(`  two nodes on Redis, cross node: ${figure(cluster['cross node']!)}`);
  const cross = median(cluster['cross node']!);
  console.log(
    `  cross-node overhead (medians): +${(cross - median(cluster['same node']!)).toFixed(3)} ms over same node on Redis, ` +
      `+${(cross - median(memory.memory!)).toFixed(3)} ms over one node in memory`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
