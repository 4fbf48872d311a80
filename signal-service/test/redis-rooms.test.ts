/**
 * RedisRoomStore against a real redis-server: the same answers as MemoryRoomStore (capacity,
 * rejoin, empty rooms), an atomic join across two nodes, dead nodes' members dropped, the room
 * lock, and clean failures while Redis is down. Rooms of several members and the capacity kept
 * per room: redis-room-capacity.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { startRedisServer, type RedisServerProcess } from '../../deploy/test/redis-server.js';
import { connectRedis, reconnectDelayMs, type RedisConnections } from '../src/redis/clients.js';
import { RedisRoomStore } from '../src/redis/room-store.js';
import { MemoryRoomStore, StoreUnavailableError, type Joiner, type RoomStore } from '../src/rooms.js';

const silent = pino({ level: 'silent' });
const joiner = (id: string, name = ''): Joiner => ({ id, name, peerId: `p-${id}` });
/** The default room capacity (two). */
const TWO = 2;

let redis: RedisServerProcess;
const connections: RedisConnections[] = [];
let prefixes = 0;

/** A connection to the test's redis-server, closed after the file. */
async function connection(): Promise<RedisConnections> {
  const c = connectRedis(redis.url, silent);
  connections.push(c);
  assert.ok(await c.connected(2000), 'connected to redis-server');
  return c;
}

/** A store of node `nodeId` under a fresh prefix (or `prefix`), with its lease taken. */
async function redisStore(nodeId = 'n1', prefix = `t${(prefixes += 1)}:`): Promise<RedisRoomStore> {
  const store = new RedisRoomStore((await connection()).command, { nodeId, prefix });
  await store.renewLease(60_000);
  return store;
}

before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await redis?.stop();
});

const stores: [string, () => Promise<RoomStore>][] = [
  ['MemoryRoomStore', () => Promise.resolve(new MemoryRoomStore())],
  ['RedisRoomStore', () => redisStore()],
];

for (const [kind, make] of stores) {
  describe(`${kind}: the RoomStore contract`, () => {
    it('holds two members, answers peers and the capacity, refuses a third with room-full', async () => {
      const store = await make();
      const a = await store.join('r1', joiner('a', 'Ann'), TWO);
      const b = await store.join('r1', joiner('b', 'Bob'), TWO);
      assert.deepEqual(a, { ok: true, member: { id: 'a', name: 'Ann', peerId: 'p-a' }, peers: [], capacity: 2 });
      assert.deepEqual(b, {
        ok: true,
        member: { id: 'b', name: 'Bob', peerId: 'p-b' },
        peers: [{ id: 'a', name: 'Ann', peerId: 'p-a' }],
        capacity: 2,
      });
      assert.deepEqual(await store.join('r1', joiner('c'), TWO), { ok: false, reason: 'room-full', capacity: 2 });
      assert.equal(await store.roomOf('c'), undefined);
      assert.deepEqual((await store.members('r1')).map((m) => m.id).sort(), ['a', 'b']);
    });

    it('refuses a second join of one id, keeps names with any characters, deletes empty rooms', async () => {
      const store = await make();
      await store.join('r1', joiner('a', 'Zoë "🦊" \\ O\'Neil'), TWO);
      assert.deepEqual(await store.join('r2', joiner('a'), TWO), { ok: false, reason: 'already-in-room' });
      assert.equal((await store.members('r1'))[0]?.name, 'Zoë "🦊" \\ O\'Neil');
      assert.equal(await store.roomCount(), 1);
      assert.deepEqual(await store.leave('a'), { room: 'r1', member: { id: 'a', name: 'Zoë "🦊" \\ O\'Neil', peerId: 'p-a' } });
      assert.equal(await store.leave('a'), undefined);
      assert.equal(await store.roomCount(), 0);
      assert.deepEqual(await store.members('r1'), []);
    });

    it('lets a rejoin (same peerId, new id) take the old connection’s place, even in a full room', async () => {
      const store = await make();
      await store.join('r1', joiner('a'), TWO);
      await store.join('r1', joiner('b'), TWO);
      const back = await store.join('r1', { id: 'b2', name: '', peerId: 'p-b' }, TWO);
      assert.ok(back.ok);
      assert.deepEqual(back.replaced, { id: 'b', name: '', peerId: 'p-b' });
      assert.equal(await store.roomOf('b'), undefined);
      assert.equal(await store.leave('b'), undefined, 'the replaced connection has nothing left to leave');
      assert.deepEqual((await store.members('r1')).map((m) => m.id).sort(), ['a', 'b2']);
    });
  });
}

describe('RedisRoomStore across nodes', () => {
  it('never puts more than two members in a room when two nodes join four at once (200 rooms)', async () => {
    const prefix = 'race:';
    const [n1, n2] = [await redisStore('n1', prefix), await redisStore('n2', prefix)];
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, async (_, r) => {
        const answers = await Promise.all([0, 1, 2, 3].map((i) => (i % 2 ? n2 : n1).join(`r${r}`, joiner(`s${r}-${i}`), TWO)));
        return answers
          .map((a) => (a.ok ? 'ok' : a.reason))
          .sort()
          .join(',');
      }),
    );
    assert.deepEqual(new Set(outcomes), new Set(['ok,ok,room-full,room-full']));
    const client = (await connection()).command;
    for (let r = 0; r < 200; r += 1) assert.equal(await client.hLen(`${prefix}room:r${r}`), 2);
    assert.equal(await n1.roomCount(), 200);
  });

  it('drops the members of a node whose lease is gone when someone joins, and reports them', async () => {
    const prefix = 'dead:';
    const [alive, dying] = [await redisStore('alive', prefix), await redisStore('dying', prefix)];
    await alive.join('r1', joiner('a'), TWO);
    await dying.join('r1', joiner('d', 'Dee'), TWO);
    assert.deepEqual(await alive.join('r1', joiner('c'), TWO), { ok: false, reason: 'room-full', capacity: 2 });
    await (await connection()).command.del(`${prefix}lease:dying`);
    assert.deepEqual(await alive.deadNodes(), ['dying']);
    const c = await alive.join('r1', joiner('c'), TWO);
    assert.ok(c.ok);
    assert.deepEqual(c.expired, [{ id: 'd', name: 'Dee', peerId: 'p-d' }]);
    assert.deepEqual(
      c.peers.map((p) => p.id),
      ['a'],
    );
    assert.equal(await alive.roomOf('d'), undefined);
    assert.deepEqual(await alive.membersOf('dying'), []);
    assert.equal(await alive.forgetNode('dying'), true);
    assert.deepEqual(await alive.deadNodes(), []);
  });

  it('expires a member only when its node is dead; the dead node cannot add members', async () => {
    const prefix = 'expire:';
    const [alive, dying] = [await redisStore('alive', prefix), await redisStore('dying', prefix)];
    await dying.join('r1', joiner('d'), TWO);
    assert.equal(await alive.expire('d'), undefined, 'alive node: nothing expires');
    assert.equal(await alive.forgetNode('dying'), false);
    await (await connection()).command.del(`${prefix}lease:dying`);
    await assert.rejects(dying.join('r2', joiner('e'), TWO), (e: unknown) => e instanceof StoreUnavailableError && !e.maybeApplied);
    assert.equal(await alive.roomOf('e'), undefined);
    assert.deepEqual(await alive.expire('d'), { room: 'r1', member: { id: 'd', name: '', peerId: 'p-d' } });
    assert.equal(await alive.roomCount(), 0);
  });

  it('says whether the lease was still held when renewing it', async () => {
    const store = new RedisRoomStore((await connection()).command, { nodeId: 'n', prefix: 'lease:' });
    assert.equal(await store.renewLease(60_000), false, 'first renewal: no lease yet');
    assert.equal(await store.renewLease(60_000), true);
    await (await connection()).command.del('lease:lease:n');
    assert.equal(await store.renewLease(60_000), false, 'lapsed');
  });

  it('runs one holder of a room lock at a time across nodes, and different rooms in parallel', async () => {
    const prefix = 'lock:';
    const [n1, n2] = [await redisStore('n1', prefix), await redisStore('n2', prefix)];
    let inside = 0;
    let most = 0;
    const task = async () => {
      inside += 1;
      most = Math.max(most, inside);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inside -= 1;
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? n1 : n2).exclusive('r1', task)));
    assert.equal(most, 1);
    most = 0;
    await Promise.all([n1.exclusive('r1', task), n2.exclusive('r2', task)]);
    assert.equal(most, 2);
    assert.equal(await (await connection()).command.exists(`${prefix}lock:r1`), 0, 'released');
  });
});

describe('RedisRoomStore while Redis is down', () => {
  it('fails at once with StoreUnavailableError (never sent), and works again once Redis is back', async () => {
    const store = await redisStore('n1', 'down:');
    await store.join('r1', joiner('a'), TWO);
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await assert.rejects(store.join('r1', joiner('b'), TWO), (e: unknown) => e instanceof StoreUnavailableError && !e.maybeApplied);
    await assert.rejects(store.roomOf('a'), StoreUnavailableError);
    await assert.rejects(
      store.exclusive('r1', () => Promise.resolve(1)),
      StoreUnavailableError,
    );
    assert.ok(Date.now() - started < 200, `failed in ${Date.now() - started} ms`);
    assert.equal(store.needsReconcile, true);
    await redis.restart();
    for (let i = 0; i < 100 && !connections.every((c) => c.ready); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    await store.renewLease(60_000);
    assert.ok((await store.join('r1', joiner('b'), TWO)).ok, 'a join works again (Redis came back empty)');
  });
});

describe('reconnection to Redis', () => {
  it('backs off exponentially up to 2 s with jitter, so that nodes that lost Redis together do not reconnect in lockstep', () => {
    for (const [retries, base] of [
      [0, 50],
      [1, 100],
      [3, 400],
      [5, 1600],
      [6, 2000],
      [50, 2000],
    ] as const) {
      const delays = Array.from({ length: 200 }, () => reconnectDelayMs(retries));
      assert.ok(
        delays.every((ms) => Number.isInteger(ms) && ms >= base / 2 && ms <= base),
        `retry ${retries}: ${Math.min(...delays)}–${Math.max(...delays)} ms, base ${base}`,
      );
      assert.ok(new Set(delays).size > 10, `retry ${retries}: ${new Set(delays).size} distinct delays`);
    }
  });
});
