/**
 * Node leases (redis/node-lease.ts) against a real redis-server: a node that stops renewing is
 * swept by another within lease + sweep, its members announced gone; a node whose lease lapsed
 * is told so; members whose connection is gone are removed after a failed Redis call; a graceful
 * release removes the node's members and its lease.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { startRedisServer, type RedisServerProcess } from '../../deploy/test/redis-server.js';
import { connectRedis, type RedisConnections } from '../src/redis/clients.js';
import { startNodeLease, type NodeLease } from '../src/redis/node-lease.js';
import { RedisRoomStore } from '../src/redis/room-store.js';
import type { RoomMember } from '../src/rooms.js';

const silent = pino({ level: 'silent' });
let redis: RedisServerProcess;
const connections: RedisConnections[] = [];
const leases: NodeLease[] = [];
let prefixes = 0;

async function store(nodeId: string, prefix: string): Promise<RedisRoomStore> {
  const c = connectRedis(redis.url, silent);
  connections.push(c);
  assert.ok(await c.connected(2000));
  return new RedisRoomStore(c.command, { nodeId, prefix });
}

/** A node with a running lease that records what it announces and whether it was told it lapsed. */
async function node(nodeId: string, prefix: string, leaseMs: number, local: Set<string> = new Set()) {
  const s = await store(nodeId, prefix);
  const gone: { room: string; member: RoomMember; at: number }[] = [];
  let lapsed = 0;
  const lease = await startNodeLease({
    store: s,
    leaseMs,
    sweepMs: 100,
    logger: silent,
    isLocal: (id) => local.has(id),
    announceGone: (room, member) => gone.push({ room, member, at: Date.now() }),
    onLapsed: () => (lapsed += 1),
  });
  leases.push(lease);
  return { store: s, lease, gone, lapsed: () => lapsed, local };
}

const waitFor = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000) => {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
};

before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  for (const lease of leases) await lease.release();
  await Promise.all(connections.map((c) => c.close()));
  await redis?.stop();
});

describe('node leases', () => {
  it('sweeps the members of a node that stopped renewing within lease + sweep, announcing each once', async () => {
    const prefix = `l${(prefixes += 1)}:`;
    const watcher = await node('watcher', prefix, 600);
    const other = await node('other', prefix, 600);
    // The crashed node: one renewal, then nothing.
    const crashed = await store('crashed', prefix);
    await crashed.renewLease(600);
    await watcher.store.join('r1', { id: 'w', name: 'W', peerId: 'p-w' }, 2);
    await crashed.join('r1', { id: 'c1', name: 'C', peerId: 'p-c1' }, 2);
    await crashed.join('r2', { id: 'c2', name: 'D', peerId: 'p-c2' }, 2);
    const crashedAt = Date.now();
    await waitFor(
      'both members swept',
      async () => (await watcher.store.roomOf('c1')) === undefined && (await watcher.store.roomOf('c2')) === undefined,
    );
    const elapsed = Date.now() - crashedAt;
    assert.ok(elapsed >= 500 && elapsed <= 600 + 100 + 300, `swept after ${elapsed} ms (lease 600 ms, sweep 100 ms)`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const announced = [...watcher.gone, ...other.gone].map((g) => `${g.room}:${g.member.id}`).sort();
    assert.deepEqual(announced, ['r1:c1', 'r2:c2'], 'each member announced once, by one node');
    assert.deepEqual(
      (await watcher.store.members('r1')).map((m) => m.id),
      ['w'],
      'live members stay',
    );
    await waitFor('dead node forgotten', async () => (await watcher.store.deadNodes()).length === 0);
    assert.equal(watcher.lapsed() + other.lapsed(), 0);
  });

  it('sweeps 300 members of a dead node in one go, many rooms at once, without waiting for the node’s pending subscriptions', async () => {
    const prefix = `l${(prefixes += 1)}:`;
    const c = connectRedis(redis.url, silent);
    connections.push(c);
    assert.ok(await c.connected(2000));
    // Every release of a join's lock waits 1 s here (subscriptions that take long to be confirmed):
    // a removal must not wait for it.
    const slow = new RedisRoomStore(c.command, {
      nodeId: 'watcher',
      prefix,
      beforeUnlock: () => new Promise((resolve) => setTimeout(resolve, 1000)),
    });
    const gone: string[] = [];
    leases.push(
      await startNodeLease({
        store: slow,
        leaseMs: 600,
        sweepMs: 100,
        logger: silent,
        isLocal: () => true,
        announceGone: (room, member) => gone.push(`${room}:${member.id}`),
        onLapsed: () => {},
      }),
    );
    const crashed = await store('crashed', prefix);
    await crashed.renewLease(600);
    // 100 rooms with both members on the crashed node, 100 with one, and a stale entry.
    const expected: string[] = [];
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        for (const n of i < 100 ? [0, 1] : [0]) {
          await crashed.join(`r${i}`, { id: `c${i}-${n}`, name: '', peerId: `p${i}-${n}` }, 2);
          expected.push(`r${i}:c${i}-${n}`);
        }
      }),
    );
    await c.command.sAdd(`${prefix}node:crashed`, 'stale-socket');
    const crashedAt = Date.now();
    await waitFor('all 300 swept', async () => (await c.command.hLen(`${prefix}members`)) === 0, 5000);
    const elapsed = Date.now() - crashedAt;
    assert.ok(elapsed <= 600 + 100 + 500, `swept ${elapsed} ms after the last renewal (lease 600 ms, sweep 100 ms)`);
    await waitFor('dead node forgotten', async () => (await slow.deadNodes()).length === 0);
    assert.deepEqual(gone.sort(), expected.sort(), 'each member announced once');
    assert.equal(await c.command.exists(`${prefix}node:crashed`), 0);
  });

  it('forgets a dead node whose set names a socket that is in no room', async () => {
    const prefix = `l${(prefixes += 1)}:`;
    const watcher = await node('watcher', prefix, 600);
    const client = connections[0]!.command;
    await client.sAdd(`${prefix}nodes`, 'ghost');
    await client.sAdd(`${prefix}node:ghost`, 'stale-socket');
    await waitFor('ghost node forgotten', async () => (await client.sIsMember(`${prefix}nodes`, 'ghost')) === 0, 1000);
    assert.equal(await client.exists(`${prefix}node:ghost`), 0);
    assert.deepEqual(watcher.gone, []);
  });

  it('tells a node whose lease lapsed (so that it closes its connections)', async () => {
    const prefix = `l${(prefixes += 1)}:`;
    const n = await node('n', prefix, 600);
    await connections[0]!.command.del(`${prefix}lease:n`);
    await waitFor('lapse noticed', () => n.lapsed() === 1, 1000);
  });

  it('after a failed Redis call, removes (and announces) its own members whose connection is gone', async () => {
    const prefix = `l${(prefixes += 1)}:`;
    const n = await node('n', prefix, 5000, new Set(['here']));
    await n.store.join('r1', { id: 'here', name: '', peerId: 'p-here' }, 2);
    await n.store.join('r2', { id: 'gone', name: '', peerId: 'p-gone' }, 2);
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(await n.store.roomOf('gone'), 'r2', 'nothing is reconciled without a failure');
    n.store.needsReconcile = true;
    await waitFor('member without connection removed', async () => (await n.store.roomOf('gone')) === undefined, 1000);
    assert.equal(await n.store.roomOf('here'), 'r1');
    assert.deepEqual(
      n.gone.map((g) => g.member.id),
      ['gone'],
    );
  });

  it('releases a node on close: its members leave (announced), its lease and registration go', async () => {
    const prefix = `l${(prefixes += 1)}:`;
    const n = await node('n', prefix, 5000);
    await n.store.join('r1', { id: 'a', name: '', peerId: 'p-a' }, 2);
    await n.lease.release();
    assert.equal(await n.store.roomOf('a'), undefined);
    assert.deepEqual(
      n.gone.map((g) => g.member.id),
      ['a'],
    );
    const client = connections[0]!.command;
    assert.equal(await client.exists(`${prefix}lease:n`), 0);
    assert.equal(await client.sIsMember(`${prefix}nodes`, 'n'), 0);
  });
});
