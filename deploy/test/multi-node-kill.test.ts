/**
 * A node killed with SIGKILL (no goodbye, no cleanup) while its member is in a call with a member
 * of another node, with the default lease (NODE_LEASE_MS 10 s, renewed every 3.3 s, swept every
 * 1 s):
 * - a client that does not come back: its member is gone from Redis and the remaining peer hears
 *   `room:peer-left` (`disconnected`) within lease + sweep; meanwhile the room counts it (full),
 *   and afterwards a new member can join and call. Prints the measured time.
 * - a client that reconnects to the surviving node with its rejoin token takes its place back at
 *   once, without waiting for the lease.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Signal } from 'video-call-protocol';
import {
  assertError,
  assertOk,
  connectClient,
  expectNoEvent,
  join,
  nextEvent,
  request,
  type ClientSocket,
} from '../../signal-service/test/helpers.js';
import { startCluster, type Cluster } from './multi-node.js';

const LEASE_MS = 10_000;
const SWEEP_MS = 1000;
const RING: Signal = { kind: 'ring', call: 'call-after-crash' };

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

describe('kill -9 of one node', () => {
  test('its member leaves the room within the lease time, the peer hears it, and a new call can start', async () => {
    cluster = await startCluster();
    const [doomed, survivor] = cluster.nodes;
    const alice = await client(doomed.url);
    const bob = await client(survivor.url);
    const aliceJoin = await join(alice, 'crash-1', 'Alice');
    await join(bob, 'crash-1', 'Bob');
    const peerLeft = nextEvent(bob, 'room:peer-left', LEASE_MS + 5000);
    const killedAt = Date.now();
    doomed.child.kill('SIGKILL');

    // Until the lease runs out the room still counts Alice: a newcomer is refused.
    const early = await client(survivor.url);
    assertError(await request(early, 'room:join', { room: 'crash-1' }), 'room-full');
    assert.equal((await cluster.membersInRedis('crash-1')).length, 2);

    assert.deepEqual(await peerLeft, { ...aliceJoin.self, reason: 'disconnected' });
    const heardMs = Date.now() - killedAt;
    assert.deepEqual(await cluster.membersInRedis('crash-1'), [bob.id]);
    console.log(
      `kill -9: the crashed node's member left the room ${heardMs} ms after the kill (lease ${LEASE_MS} ms, sweep ${SWEEP_MS} ms)`,
    );
    // The lease (renewed every LEASE_MS / 3) outlives the kill by 2/3 to 3/3 of it; one sweep more at most.
    assert.ok(heardMs >= (LEASE_MS * 2) / 3 - 500, `too early: ${heardMs} ms`);
    assert.ok(heardMs <= LEASE_MS + SWEEP_MS + 1000, `too late: ${heardMs} ms`);

    const carol = await client(survivor.url);
    const bobSees = nextEvent(bob, 'room:peer-joined');
    const carolJoin = await join(carol, 'crash-1', 'Carol');
    assert.deepEqual(
      carolJoin.peers.map((p) => p.name),
      ['Bob'],
    );
    assert.deepEqual(await bobSees, carolJoin.self);
    const rings = nextEvent(bob, 'signal:relay');
    assertOk(await request(carol, 'signal:relay', { to: bob.id!, signal: RING }));
    assert.deepEqual(await rings, { from: carol.id, signal: RING });
  });

  test('a client that reconnects to the other node with its rejoin token takes its place back at once', async () => {
    cluster = await startCluster();
    const [doomed, survivor] = cluster.nodes;
    const alice = await client(doomed.url);
    const bob = await client(survivor.url);
    const aliceJoin = await join(alice, 'crash-2', 'Alice');
    await join(bob, 'crash-2', 'Bob');
    doomed.child.kill('SIGKILL');
    const killedAt = Date.now();
    const back = await client(survivor.url);
    const bobSees = nextEvent(bob, 'room:peer-joined');
    await expectNoEvent(bob, 'room:peer-left', 150, async () => {
      const again = await join(back, 'crash-2', { name: 'Alice', rejoin: aliceJoin.rejoinToken });
      assert.equal(again.self.peerId, aliceJoin.self.peerId);
      assert.deepEqual(await bobSees, again.self);
    });
    const rejoinMs = Date.now() - killedAt;
    assert.deepEqual(await cluster.membersInRedis('crash-2'), [back.id, bob.id].sort());
    console.log(`kill -9: a client rejoined on the surviving node ${rejoinMs} ms after the kill, without waiting for the lease`);
    assert.ok(rejoinMs < 2000, `${rejoinMs} ms`);
  });
});
