/**
 * Rooms of several members on RedisRoomStore, against a real redis-server: the capacity contract
 * of every store (room-store-contract.ts); the room's capacity kept in Redis beside its members
 * (`room-info:<room>`), set by the first member's join and deleted with the room, whether its
 * last member leaves or is swept with a dead node; join order kept where Redis's hash order is
 * not; and concurrent joins over two nodes that never exceed a room's capacity.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { startRedisServer, type RedisServerProcess } from '../../deploy/test/redis-server.js';
import { connectRedis, type RedisConnections } from '../src/redis/clients.js';
import { RedisRoomStore } from '../src/redis/room-store.js';
import { joiner, roomStoreCapacityContract } from './room-store-contract.js';

const silent = pino({ level: 'silent' });

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
async function redisStore(nodeId = 'n1', prefix = `cap${(prefixes += 1)}:`): Promise<RedisRoomStore> {
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

roomStoreCapacityContract('RedisRoomStore', () => redisStore());

describe('RedisRoomStore: the capacity kept per room', () => {
  it("keeps the first member's capacity in room-info:<room> while the room has members, and deletes it with the room", async () => {
    const prefix = 'info:';
    const store = await redisStore('n1', prefix);
    const redisClient = (await connection()).command;
    const info = () => redisClient.hGetAll(`${prefix}room-info:r1`);
    assert.equal(await redisClient.exists(`${prefix}room-info:r1`), 0, 'no room, no info');
    await store.join('r1', joiner('a'), 5);
    assert.deepEqual({ ...(await info()) }, { capacity: '5', seq: '1' });
    await store.join('r1', joiner('b'), 6);
    await store.join('r1', joiner('c'), 2);
    assert.deepEqual({ ...(await info()) }, { capacity: '5', seq: '3' }, 'later joins change only the join count');
    await store.leave('a');
    await store.leave('b');
    assert.equal((await info()).capacity, '5', 'kept while one member is left');
    await store.leave('c');
    assert.equal(await redisClient.exists(`${prefix}room-info:r1`), 0, 'gone with the last member');
    assert.equal(await redisClient.exists(`${prefix}room:r1`), 0);
    assert.deepEqual(await redisClient.sMembers(`${prefix}rooms`), []);
    // The next first member fixes it anew.
    const d = await store.join('r1', joiner('d'), 3);
    assert.ok(d.ok);
    assert.equal(d.capacity, 3);
    assert.deepEqual({ ...(await info()) }, { capacity: '3', seq: '1' });
  });

  it("forgets the capacity when a dead node's last member is swept, and when a join finds only dead members", async () => {
    const prefix = 'swept:';
    const [alive, dying] = [await redisStore('alive', prefix), await redisStore('dying', prefix)];
    const redisClient = (await connection()).command;
    await dying.join('r1', joiner('d1'), 4);
    await dying.join('r1', joiner('d2'), 4);
    await dying.join('r2', joiner('e1'), 6);
    await redisClient.del(`${prefix}lease:dying`);
    // The sweep of the dead node removes r1's members one by one: the room goes with the last.
    assert.ok(await alive.expire('d1'));
    assert.equal(await redisClient.hGet(`${prefix}room-info:r1`, 'capacity'), '4');
    assert.ok(await alive.expire('d2'));
    assert.equal(await redisClient.exists(`${prefix}room-info:r1`), 0);
    // r2's only member is dead: a joiner drops it and is the room's first member, with its own capacity.
    const a = await alive.join('r2', joiner('a'), 2);
    assert.ok(a.ok);
    assert.deepEqual(
      a.expired?.map((m) => m.id),
      ['e1'],
    );
    assert.deepEqual(a.peers, []);
    assert.equal(a.capacity, 2);
    assert.equal(await redisClient.hGet(`${prefix}room-info:r2`, 'capacity'), '2');
  });

  it('answers peers and members in join order although Redis hashes keep no order (hashtable encoding)', async () => {
    const prefix = 'order:';
    const store = await redisStore('n1', prefix);
    const redisClient = (await connection()).command;
    // Ids chosen so that their hash order is unlikely to match the join order.
    const order = ['zeta', 'alpha', 'mu', 'omega', 'beta', 'kappa'];
    for (const id of order) assert.ok((await store.join('r1', joiner(id, `${id} with a long display name`), 6)).ok);
    assert.equal(await redisClient.objectEncoding(`${prefix}room:r1`), 'hashtable', 'member entries are over 64 bytes');
    assert.deepEqual(
      (await store.members('r1')).map((m) => m.id),
      order,
    );
    await store.leave('zeta');
    const back = await store.join('r1', joiner('zeta'), 6);
    assert.ok(back.ok);
    assert.deepEqual(
      back.peers.map((p) => p.id),
      order.slice(1),
    );
    assert.deepEqual(
      (await store.members('r1')).map((m) => m.id),
      [...order.slice(1), 'zeta'],
    );
  });
});

describe('RedisRoomStore across nodes: rooms of several', () => {
  it('never puts more than 5 in a room of capacity 5 when two nodes join 8 at once (100 rooms)', async () => {
    const prefix = 'race5:';
    const [n1, n2] = [await redisStore('n1', prefix), await redisStore('n2', prefix)];
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, async (_, r) => {
        const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? n2 : n1).join(`r${r}`, joiner(`s${r}-${i}`), 5)));
        return answers
          .map((a) => (a.ok ? 'ok' : a.reason))
          .sort()
          .join(',');
      }),
    );
    assert.deepEqual(new Set(outcomes), new Set(['ok,ok,ok,ok,ok,room-full,room-full,room-full']));
    const redisClient = (await connection()).command;
    for (let r = 0; r < 100; r += 1) assert.equal(await redisClient.hLen(`${prefix}room:r${r}`), 5);
  });

  it('admits, under concurrent joins over two nodes passing different capacities, exactly the capacity one of them fixed', async () => {
    const prefix = 'mixed:';
    const [n1, n2] = [await redisStore('n1', prefix), await redisStore('n2', prefix)];
    const redisClient = (await connection()).command;
    await Promise.all(
      Array.from({ length: 50 }, async (_, r) => {
        const room = `r${r}`;
        const answers = await Promise.all(
          Array.from({ length: 8 }, (_, i) => (i % 2 ? n2 : n1).join(room, joiner(`s${r}-${i}`), 2 + ((i + r) % 5))),
        );
        const capacities = new Set(answers.map((a) => a.capacity));
        assert.equal(capacities.size, 1, `${room}: one capacity in every answer`);
        const [capacity] = capacities;
        assert.equal(answers.filter((a) => a.ok).length, capacity);
        assert.equal(await redisClient.hLen(`${prefix}room:${room}`), capacity);
        assert.equal(await redisClient.hGet(`${prefix}room-info:${room}`, 'capacity'), String(capacity));
      }),
    );
  });
});
