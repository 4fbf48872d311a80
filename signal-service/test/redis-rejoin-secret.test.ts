/**
 * The rejoin secret shared through Redis (redis/rejoin-secret.ts), against a real redis-server,
 * without REJOIN_SECRET: concurrent proposals agree on one secret; two nodes accept each other's
 * tokens, and so do nodes started afterwards; a Redis restarted empty gets the cluster's secret
 * back from a running node; a node started while Redis is down answers joins `unavailable` until
 * it has read the secret; a key holding something else stops the start with a ConfigError.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { createClient } from 'redis';
import { startRedisServer, type RedisServerProcess } from '../../deploy/test/redis-server.js';
import { ConfigError } from '../src/config.js';
import { agreeOnSecret, rejoinSecretKey } from '../src/redis/rejoin-secret.js';
import { startSignalService, type SignalService } from '../src/server.js';
import type { CommandClient } from '../src/redis/clients.js';
import { TestContext, assertError, join, request, testConfig, waitFor, type ClientSocket } from './helpers.js';

const KEY = rejoinSecretKey('vc:');
let redis: RedisServerProcess;
let ctx: TestContext;
let admin: ReturnType<typeof createClient>;

before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  await redis?.stop();
});
beforeEach(async () => {
  ctx = new TestContext();
  admin = createClient({ url: redis.url });
  await admin.connect();
  await admin.flushAll();
});
afterEach(async () => {
  await ctx.close();
  await admin.close().catch(() => admin.destroy());
});

/** A node on the test's Redis, with no REJOIN_SECRET. */
const node = (): Promise<SignalService> => ctx.server({}, testConfig({ REDIS_URL: redis.url }));

/**
 * Joins `room` within 10 s, asking every 300 ms (each attempt takes a point of the join budget),
 * on a client that reconnects; resolves the rejoin token of the successful answer.
 */
async function joinSoon(socket: ClientSocket, room: string): Promise<string> {
  const answers: unknown[] = [];
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(300)) {
    const answer = await request(socket, 'room:join', { room }).catch((error: unknown) => ({ ok: false, error: String(error) }));
    if (answer.ok) return (answer as { rejoinToken: string }).rejoinToken;
    answers.push(answer);
  }
  assert.fail(`could not join ${room}: ${JSON.stringify(answers)}`);
}

describe('the rejoin secret shared in Redis', () => {
  it('is one secret for 10 concurrent proposals, stored once (SET NX)', async () => {
    const clients = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const client = createClient({ url: redis.url });
        await client.connect();
        return client;
      }),
    );
    try {
      const proposals = clients.map((_, i) => Buffer.alloc(32, i + 1));
      const agreed = await Promise.all(clients.map((client, i) => agreeOnSecret(client as unknown as CommandClient, KEY, proposals[i]!)));
      const stored = Buffer.from((await admin.get(KEY))!, 'hex');
      assert.ok(
        proposals.some((p) => p.equals(stored)),
        'one of the proposals won',
      );
      for (const secret of agreed) assert.deepEqual(secret, stored);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it('lets two nodes, and nodes started later, accept each other’s tokens', async () => {
    const [n1, n2] = await Promise.all([node(), node()]);
    const stored = await admin.get(KEY);
    assert.match(stored ?? '', /^[0-9a-f]{64}$/);
    const [a, b] = [await ctx.client(n1.url), await ctx.client(n2.url)];
    const first = await join(a, 'shared');
    const moved = await join(b, 'shared', { rejoin: first.rejoinToken });
    assert.equal(moved.self.peerId, first.self.peerId);
    await n1.close();
    await n2.close();

    // Every node restarted: the secret in Redis is the same, so the latest token still works.
    const n3 = await node();
    assert.equal(await admin.get(KEY), stored);
    const c = await ctx.client(n3.url);
    const back = await join(c, 'shared', { rejoin: moved.rejoinToken });
    assert.equal(back.self.peerId, first.self.peerId);
  });

  it('is put back by a running node when Redis comes back empty', async () => {
    const n1 = await node();
    const stored = await admin.get(KEY);
    // The node may put its secret back before this client reconnects: a key nobody rewrites
    // tells whether Redis really came back empty.
    await admin.set('restart-marker', '1');
    await admin.close();
    await redis.restart();
    admin = createClient({ url: redis.url });
    await admin.connect();
    assert.equal(await admin.get('restart-marker'), null, 'Redis came back empty');
    await waitFor('the node to put its secret back', async () => (await admin.get(KEY)) === stored, 10_000);
    // A node started now agrees with the running one.
    const n2 = await node();
    // The first node's lease was lost with Redis's data: it closes its connections once back,
    // and clients reconnect (as the widget's do).
    const a = await ctx.client(n1.url, { reconnection: true });
    const token = await joinSoon(a, 'after-outage');
    const b = await ctx.client(n2.url);
    await join(b, 'after-outage', { rejoin: token });
  });

  it('is read once Redis is up by a node that started without it: joins are `unavailable` until then', async () => {
    await admin.close();
    await redis.stop();
    const n1 = await node();
    const a = await ctx.client(n1.url, { reconnection: true });
    assertError(await request(a, 'room:join', { room: 'late' }), 'unavailable');
    await redis.restart();
    admin = createClient({ url: redis.url });
    await admin.connect();
    await waitFor('the node to store a secret', async () => (await admin.get(KEY)) !== null, 10_000);
    const token = await joinSoon(a, 'late');
    // Signed with the shared secret: another node accepts it.
    const n2 = await node();
    const b = await ctx.client(n2.url);
    await join(b, 'late', { rejoin: token });
  });

  it('stops the start with a ConfigError when the key holds something else', async () => {
    await admin.set(KEY, 'not a secret');
    await assert.rejects(
      startSignalService(testConfig({ REDIS_URL: redis.url }), { logger: pino({ level: 'silent' }) }),
      (error: unknown) => error instanceof ConfigError && error.message.includes(`Redis key ${KEY} does not hold a rejoin secret`),
    );
    await sleep(50);
    assert.equal(await admin.get(KEY), 'not a secret', 'left as it was');
  });
});
