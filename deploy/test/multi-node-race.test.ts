/**
 * The capacity race across nodes: 500 rounds of 4 fresh clients, 2 on each of two service
 * processes sharing one redis-server, joining one fresh room at the same moment. Every round must
 * answer exactly 2 joins `ok` and 2 `room-full`, and Redis must hold exactly 2 members. Prints
 * the timing of the join phase (first emit to last answer).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectClient, rawRequest, type ClientSocket } from '../../signal-service/test/helpers.js';
import { startCluster, type Cluster } from './multi-node.js';

const ROUNDS = 500;
let cluster: Cluster;

before(async () => {
  cluster = await startCluster();
});
after(async () => {
  await cluster?.stop();
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

describe('two nodes on one Redis: the capacity race', () => {
  test(`${ROUNDS} rounds of 4 clients joining one room at once, over both nodes, never put more than 2 in it`, async () => {
    const [a, b] = cluster.nodes;
    const joinMs: number[] = [];
    const tally = new Map<string, number>();
    const started = performance.now();
    for (let round = 0; round < ROUNDS; round += 1) {
      const room = `race-${round}`;
      const clients: ClientSocket[] = await Promise.all([a, b, a, b].map((node) => connectClient(node.url)));
      try {
        const t0 = performance.now();
        const answers = (await Promise.all(clients.map((c) => rawRequest(c, 'room:join', [{ room }], 5000)))) as { ok: boolean; error?: { code: string } }[];
        joinMs.push(performance.now() - t0);
        const outcome = answers.map((x) => (x.ok ? 'ok' : x.error?.code)).sort().join(',');
        tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
        assert.equal(outcome, 'ok,ok,room-full,room-full', `round ${round}: ${JSON.stringify(answers)}`);
        const admitted = clients.filter((_, i) => answers[i]!.ok).map((c) => c.id!).sort();
        assert.deepEqual(await cluster.membersInRedis(room), admitted, `round ${round}: Redis holds exactly the two admitted`);
      } finally {
        for (const c of clients) c.close();
      }
    }
    const totalS = (performance.now() - started) / 1000;
    joinMs.sort((x, y) => x - y);
    console.log(
      `capacity race: ${ROUNDS} rounds x 4 joins over 2 nodes: ${JSON.stringify(Object.fromEntries(tally))}; ` +
        `join phase median ${percentile(joinMs, 50).toFixed(1)} ms, p95 ${percentile(joinMs, 95).toFixed(1)} ms, ` +
        `max ${joinMs.at(-1)!.toFixed(1)} ms; whole test ${totalS.toFixed(1)} s (connects and closes included)`,
    );
  });
});
