/**
 * Node expiry under load: two service processes on one redis-server take a burst of joins and
 * leaves (600 joins, 200 leaves, one member of every room on each node), then one node is killed
 * with SIGKILL while it still holds 200 members. Every one of them must be gone from Redis, and
 * every member left behind on the surviving node must hear `room:peer-left` (`disconnected`),
 * within lease + sweep + 2 s of the kill (NODE_LEASE_MS 10 s, sweep 1 s). Prints the figures.
 *
 * Before the sweep worked on 32 rooms at once (redis/node-lease.ts), it removed a dead node's
 * members one after another, and a node killed right after a burst (its queued leaves never
 * ran) was swept seconds past the bound on a loaded machine.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { createClient } from 'redis';
import { connectClient, join, nextEvent, request, type ClientSocket } from '../../signal-service/test/helpers.js';
import { startCluster, type Cluster } from './multi-node.js';

const LEASE_MS = 10_000;
const SWEEP_MS = 1000;
/** Rooms of the burst: one member on each node, so 2 joins each. */
const ROOMS = 300;
/** Rooms whose members leave again during the burst; the others keep theirs. */
const LEFT_ROOMS = 100;
/** Clients connected and joined at a time (connections are cheap, but not all at once on 2 cores). */
const BATCH = 50;

let cluster: Cluster | undefined;
const clients: ClientSocket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await cluster?.stop();
  cluster = undefined;
});

async function client(url: string): Promise<ClientSocket> {
  const c = await connectClient(url);
  clients.push(c);
  return c;
}

describe('kill -9 of one node right after a burst of joins and leaves', () => {
  test(`its members (${ROOMS - LEFT_ROOMS}) are gone within lease + sweep + 2 s`, async () => {
    cluster = await startCluster();
    const [doomed, survivor] = cluster.nodes;
    const redis = createClient({ url: cluster.redis.url });
    await redis.connect();
    try {
      const startedAt = Date.now();
      /** For each room that keeps its members: the survivor's member, who must hear the other leave. */
      const leftBehind: ClientSocket[] = [];
      for (let first = 0; first < ROOMS; first += BATCH) {
        await Promise.all(
          Array.from({ length: Math.min(BATCH, ROOMS - first) }, async (_, i) => {
            const room = `burst-${first + i}`;
            const [onDoomed, onSurvivor] = await Promise.all([client(doomed.url), client(survivor.url)]);
            await join(onDoomed, room);
            await join(onSurvivor, room);
            if (first + i < LEFT_ROOMS) {
              for (const c of [onDoomed, onSurvivor]) assert.ok((await request(c, 'room:leave')).ok);
            } else {
              leftBehind.push(onSurvivor);
            }
          }),
        );
      }
      const burstMs = Date.now() - startedAt;
      const nodeSets = await redis.keys('vc:node:*');
      const sizes = await Promise.all(nodeSets.map((key) => redis.sCard(key)));
      assert.deepEqual(sizes, [ROOMS - LEFT_ROOMS, ROOMS - LEFT_ROOMS], 'each node holds one member of every room that kept its members');

      const heard: number[] = [];
      const killedAt = Date.now();
      const allHeard = Promise.all(
        leftBehind.map((c) =>
          nextEvent(c, 'room:peer-left', LEASE_MS + 10_000).then((left) => {
            assert.equal(left.reason, 'disconnected');
            heard.push(Date.now() - killedAt);
          }),
        ),
      );
      doomed.child.kill('SIGKILL');
      await allHeard;
      const goneMs = Date.now() - killedAt;
      heard.sort((a, b) => a - b);
      // Redis holds only the survivor's members now, and no set of the dead node.
      assert.equal(await redis.hLen('vc:members'), ROOMS - LEFT_ROOMS);
      const after = await redis.keys('vc:node:*');
      assert.deepEqual(await Promise.all(after.map((key) => redis.sCard(key))), [ROOMS - LEFT_ROOMS]);
      console.log(
        `burst of ${ROOMS * 2} joins and ${LEFT_ROOMS * 2} leaves over 2 nodes in ${burstMs} ms; kill -9 of a node holding ${ROOMS - LEFT_ROOMS} members: ` +
          `first heard gone ${heard[0]} ms, all gone ${goneMs} ms after the kill (sweep span ${heard.at(-1)! - heard[0]!} ms; ` +
          `bound: lease ${LEASE_MS} + sweep ${SWEEP_MS} + 2000 ms)`,
      );
      assert.ok(heard[0]! >= (LEASE_MS * 2) / 3 - 500, `too early: ${heard[0]} ms`);
      assert.ok(goneMs <= LEASE_MS + SWEEP_MS + 2000, `too late: ${goneMs} ms`);
    } finally {
      await redis.close().catch(() => redis.destroy());
    }
  });
});
