/**
 * Two services in this process, each with its own socket.io server, sharing one real
 * redis-server (`REDIS_URL`): presence, relay with sender stamping and room scope, and rejoin
 * across nodes; each node subscribed only to its own rooms' and sockets' sharded channels;
 * presence order under join/leave races between nodes; a dead node's member dropped by a join
 * (announced first) and the node closing its connections once it finds its lease gone; a node's
 * graceful close; Redis unreachable at start and going away later. The configuration of
 * REDIS_URL and NODE_LEASE_MS is checked here too. (Two processes, a kill -9 and the 500-round
 * capacity race: deploy/test/multi-node*.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { createClient } from 'redis';
import { startRedisServer, type RedisServerProcess } from '../../deploy/test/redis-server.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { HandshakeRefused, RawClient } from './raw-client.js';
import type { JoinResult, Signal } from 'video-call-protocol';
import type { SignalService } from '../src/server.js';
import {
  TestContext,
  assertError,
  assertOk,
  disconnected,
  expectNoEvent,
  join,
  nextEvent,
  record,
  request,
  settle,
  testConfig,
  waitFor,
  type ClientSocket,
} from './helpers.js';

const OFFER: Signal = { kind: 'description', call: 'call-0001', description: { type: 'offer', sdp: 'v=0\r\n' } };
const REJOIN_SECRET = 'r'.repeat(40);

let redis: RedisServerProcess;
let ctx: TestContext;

before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  await redis?.stop();
});
beforeEach(() => {
  ctx = new TestContext();
});
afterEach(async () => {
  await ctx.close();
});

/** A node of the cluster; `logs` collects its log lines when given. */
function node(logs?: string[]): Promise<SignalService> {
  const config = testConfig({ REDIS_URL: redis.url, REJOIN_SECRET });
  const logger = logs ? pino({ level: 'info' }, { write: (line: string) => void logs.push(line) }) : undefined;
  return ctx.server(logger ? { logger } : {}, config);
}

/**
 * Joins `room` within 8 s, asking gently: every attempt takes a point of the join budget (10 a
 * minute). Resolves the successful answer.
 */
async function joinSoon(socket: ClientSocket, room: string): Promise<JoinResult> {
  const answers: unknown[] = [];
  // A request lost with a connection the node closed (it found its lease gone) is a retry too.
  for (const deadline = Date.now() + 8000; Date.now() < deadline; await sleep(300)) {
    const answer = await request(socket, 'room:join', { room }).catch((error: unknown) => ({ ok: false, error: String(error) }));
    if (answer.ok) return answer as JoinResult;
    answers.push(answer);
  }
  assert.fail(`could not join ${room}: ${JSON.stringify(answers)}`);
}

/** Members Redis records for `room`. */
async function membersInRedis(room: string): Promise<string[]> {
  const client = createClient({ url: redis.url });
  await client.connect();
  try {
    return (await client.hKeys(`vc:room:${room}`)).sort();
  } finally {
    await client.close();
  }
}

describe('two nodes on one Redis', () => {
  it('share presence and relay between nodes, stamped with the sender and scoped to the room', async () => {
    const [s1, s2] = [await node(), await node()];
    const a = await ctx.client(s1.url);
    const [b, c] = await ctx.clients(s2.url, 2);
    const aJoin = await join(a, 'x1', 'Ann');
    const aSeesB = nextEvent(a, 'room:peer-joined');
    const bJoin = await join(b!, 'x1', 'Bob');
    assert.deepEqual(bJoin.peers, [aJoin.self]);
    assert.deepEqual([aJoin.capacity, bJoin.capacity], [2, 2]);
    assert.deepEqual(await aSeesB, bJoin.self);
    assert.deepEqual(await membersInRedis('x1'), [a.id, b!.id].sort());

    const toB = nextEvent(b!, 'signal:relay');
    assertOk(await request(a, 'signal:relay', { to: b!.id!, signal: OFFER }));
    assert.deepEqual(await toB, { from: a.id, signal: OFFER });
    const toA = nextEvent(a, 'signal:relay');
    assertOk(await request(b!, 'signal:relay', { to: a.id!, signal: OFFER }));
    assert.deepEqual(await toA, { from: b!.id, signal: OFFER });

    // c is on b's node but in another room: out of a's reach, and a's room is full for a third.
    await join(c!, 'x2', 'Cid');
    await expectNoEvent(c!, 'signal:relay', 150, async () => {
      assertError(await request(a, 'signal:relay', { to: c!.id!, signal: OFFER }), 'peer-not-found');
    });
    const d = await ctx.client(s1.url);
    assertError(await request(d, 'room:join', { room: 'x1' }), 'room-full');

    const left = nextEvent(a, 'room:peer-left');
    assertOk(await request(b!, 'room:leave'));
    assert.deepEqual(await left, { ...bJoin.self, reason: 'left' });
    const b2 = await ctx.client(s2.url);
    const b2Join = await join(b2, 'x1', 'Bea');
    const lost = nextEvent(a, 'room:peer-left');
    b2.io.engine.close();
    assert.deepEqual(await lost, { ...b2Join.self, reason: 'disconnected' });
    await waitFor('x1 holds only a', async () => (await membersInRedis('x1')).length === 1);
  });

  it('subscribe each node only to the sharded channels of its own rooms and sockets', async () => {
    const [s1, s2] = [await node(), await node()];
    const a = await ctx.client(s1.url);
    const [b, c] = await ctx.clients(s2.url, 2);
    await join(a, 'x8', 'Ann');
    await join(b!, 'x8', 'Bob');
    await join(c!, 'x9', 'Cid');
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      /** Subscribers of each channel (the adapter's channel names: `socket.io#/#<room or socket id>#`). */
      const numsub = async (...channels: string[]) => {
        const reply = await client.sendCommand<(string | number)[]>(['PUBSUB', 'SHARDNUMSUB', ...channels]);
        return channels.map((_, i) => Number(reply[2 * i + 1]));
      };
      const subscribers = (...names: string[]) => numsub(...names.map((n) => `socket.io#/#${n}#`));
      assert.deepEqual(await subscribers('room:x8', 'room:x9', a.id!, b!.id!, c!.id!), [2, 1, 1, 1, 1]);
      assert.deepEqual(await numsub('socket.io#/#'), [2], 'the channel for requests to every node');
      c!.close();
      await waitFor('x9 channel dropped', async () => (await subscribers('room:x9'))[0] === 0);
    } finally {
      await client.close();
    }
  });

  it('keep presence consistent across nodes: a joiner hears `room:peer-left` exactly about the peers it was told about (100 races)', async () => {
    const [s1, s2] = [await node(), await node()];
    const mismatches: string[] = [];
    for (let round = 0; round < 100; round += 1) {
      const room = `order-${round}`;
      const [x, y] = [await ctx.client(s1.url), await ctx.client(s2.url)];
      const yJoin = await join(y, room, 'Y');
      const heard = record(x, 'room:peer-left');
      // x joins on one node while y leaves on the other, at the same moment.
      const [xJoin] = await Promise.all([request(x, 'room:join', { room }), request(y, 'room:leave')]);
      assertOk(xJoin);
      await settle(x, 30);
      const told = xJoin.peers.some((p) => p.peerId === yJoin.self.peerId);
      const left = heard.received.filter((p) => p.peerId === yJoin.self.peerId).length;
      if (left !== (told ? 1 : 0)) mismatches.push(`round ${round}: told ${told}, heard peer-left ${left} times`);
      heard.stop();
      x.close();
      y.close();
    }
    assert.deepEqual(mismatches, []);
  });

  it('when a node’s lease is gone: a join drops its member and announces it first; the node then closes its connections', async () => {
    const [s1, s2] = [await node(), await node()];
    const a = await ctx.client(s1.url);
    const [b, c] = await ctx.clients(s2.url, 2);
    await join(a, 'x10', 'Ann');
    await join(b!, 'x10', 'Bob');
    const client = createClient({ url: redis.url });
    await client.connect();
    const s1Node = (JSON.parse((await client.hGet('vc:room:x10', a.id!))!) as { node: string }).node;
    // s1 "dies" as far as Redis can tell (its process lives on: it renews within NODE_LEASE_MS / 3).
    await client.del(`vc:lease:${s1Node}`);
    await client.close();
    const events: string[] = [];
    b!.on('room:peer-left', (p) => events.push(`left:${p.name}:${p.reason}`));
    b!.on('room:peer-joined', (p) => events.push(`joined:${p.name}`));
    const cJoin = await join(c!, 'x10', 'Cid');
    assert.deepEqual(
      cJoin.peers.map((p) => p.name),
      ['Bob'],
    );
    await settle(b!, 50);
    assert.deepEqual(events, ['left:Ann:disconnected', 'joined:Cid'], 'the dead member first, once');
    assert.equal(await disconnected(a, 5000), 'transport close', 'closed by its node, so that it reconnects');
  });

  it('let a member rejoin on the other node with its token: same peerId and role, old connection closed, nobody told it left', async () => {
    const [s1, s2] = [await node(), await node()];
    const [a, b] = [await ctx.client(s1.url), await ctx.client(s2.url)];
    const aJoin = await join(a, 'x3', 'Ann');
    await join(b, 'x3', 'Bob');
    const back = await ctx.client(s2.url);
    const aClosed = disconnected(a);
    const bSees = nextEvent(b, 'room:peer-joined');
    await expectNoEvent(b, 'room:peer-left', 150, async () => {
      const again = await join(back, 'x3', { name: 'Ann', rejoin: aJoin.rejoinToken });
      assert.equal(again.self.peerId, aJoin.self.peerId);
      assert.equal(await aClosed, 'io server disconnect');
      assert.deepEqual(await bSees, again.self);
    });
    assert.deepEqual(await membersInRedis('x3'), [b.id, back.id].sort());
  });

  it('release a node on graceful close: its members leave, the other node’s members hear it, the room takes a new member', async () => {
    const [s1, s2] = [await node(), await node()];
    const [a, b] = [await ctx.client(s1.url), await ctx.client(s2.url)];
    const aJoin = await join(a, 'x4', 'Ann');
    await join(b, 'x4', 'Bob');
    const left = nextEvent(b, 'room:peer-left');
    await s1.close();
    assert.deepEqual(await left, { ...aJoin.self, reason: 'disconnected' });
    assert.deepEqual(await membersInRedis('x4'), [b.id]);
    await join(await ctx.client(s2.url), 'x4', 'Cid');
  });
});

describe('Redis unavailable', () => {
  it('answers joins `unavailable` while Redis is down, crashes nothing, and works again once it is back', async () => {
    const [s1, s2] = [await node(), await node()];
    const [a, b] = [await ctx.client(s1.url), await ctx.client(s2.url)];
    await join(a, 'x5', 'Ann');
    await redis.stop();
    const started = Date.now();
    assertError(await request(b, 'room:join', { room: 'x5' }), 'unavailable');
    assertError(await request(a, 'room:leave'), 'unavailable');
    assert.ok(Date.now() - started < 500, `answered in ${Date.now() - started} ms`);
    assert.equal((await fetch(`${s2.url}/healthz`)).status >= 500, true, 'health says something is wrong');
    await redis.restart();
    // Redis came back empty: the nodes lost their leases, close their connections, clients rejoin.
    await disconnected(a, 5000);
    // Reconnecting clients, as the widget's are: a node that finds its lease gone after Redis
    // came back closes its connections (their clients reconnect and join again).
    const c = await ctx.client(s1.url, { reconnection: true });
    await joinSoon(c, 'x6');
    // Each node reconnects on its own (jittered) schedule: the second may answer `unavailable` a
    // moment longer.
    const d = await ctx.client(s2.url, { reconnection: true });
    const dJoin = await joinSoon(d, 'x6');
    assert.equal(dJoin.peers.length, 1);
  });

  it('starts while Redis is unreachable: says so in the log, refuses joins `unavailable`, serves once Redis is up', async () => {
    await redis.stop();
    const logs: string[] = [];
    const s1 = await node(logs);
    assert.ok(
      logs.some((line) => line.includes('could not reach Redis')),
      logs.join(''),
    );
    assert.ok(!logs.some((line) => line.includes('redis://')), 'logs name host:port, not the URL');
    const a = await ctx.client(s1.url);
    assertError(await request(a, 'room:join', { room: 'x7' }), 'unavailable');
    await redis.restart();
    await joinSoon(a, 'x7');
  });
});

describe('REDIS_URL and NODE_LEASE_MS', () => {
  it('are off by default, parsed when set, and refused with a clear message (no secret echoed) when bad', () => {
    assert.equal(loadConfig({}).redis, undefined);
    assert.deepEqual(loadConfig({ REDIS_URL: 'redis://:pw@cache:6379/2' }).redis, { url: 'redis://:pw@cache:6379/2', leaseMs: 10_000 });
    assert.deepEqual(loadConfig({ REDIS_URL: 'rediss://cache', NODE_LEASE_MS: '3000' }).redis, { url: 'rediss://cache', leaseMs: 3000 });
    for (const [name, value] of [
      ['REDIS_URL', 'http://secret@cache'],
      ['REDIS_URL', 'cache:6379'],
      ['NODE_LEASE_MS', '500'],
    ] as const) {
      assert.throws(
        () => loadConfig({ REDIS_URL: 'redis://cache', [name]: value }),
        (e: unknown) => e instanceof ConfigError && e.message.includes(name) && !e.message.includes('secret'),
      );
    }
  });
});

describe('the new-connection budget per address, shared by the nodes', () => {
  it('counts the handshakes of one address on every node together (429 rate-limited on the second node)', async () => {
    const config = testConfig({ REDIS_URL: redis.url, REJOIN_SECRET, NEW_CONNECTIONS_PER_IP: '3' });
    const [a, b] = [await ctx.server({}, config), await ctx.server({}, config)];
    const raws: RawClient[] = [];
    try {
      // 127.0.0.7: an address no other test of this file uses (the budget lives in Redis for 10 s).
      for (const service of [a, b, a]) raws.push(await RawClient.connect(service.port, { localAddress: '127.0.0.7' }));
      const refused = await RawClient.connect(b.port, { localAddress: '127.0.0.7' }).then(
        (raw) => (raws.push(raw), null),
        (error: unknown) => error,
      );
      assert.ok(refused instanceof HandshakeRefused, 'the fourth handshake, on the other node, is refused');
      assert.equal(refused.status, 429);
      assert.equal(refused.errorCode, 'rate-limited');
      // Another address has its own budget.
      raws.push(await RawClient.connect(b.port, { localAddress: '127.0.0.8' }));
    } finally {
      for (const raw of raws) raw.destroy();
    }
  });
});
