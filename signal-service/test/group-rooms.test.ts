/**
 * Rooms of several members through a real service (port 0) with real socket.io clients:
 * `ROOM_CAPACITY=4` (a fifth join is `room-full`), presence reaching every other member (joins,
 * leaves, lost connections), `peers` in join order, relays addressed to one member and kept inside
 * the room, and concurrent joins on one node that never exceed the capacity.
 * Capacities from room tickets: room-capacity.test.ts.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { PeerInfo } from 'video-call-protocol';
import type { SignalService } from '../src/server.js';
import {
  TestContext,
  assertError,
  assertOk,
  expectNoEvent,
  health,
  join,
  nextEvent,
  rawRequest,
  record,
  request,
  settle,
  testConfig,
  type ClientSocket,
} from './helpers.js';

const HANG_UP = { kind: 'hang-up', call: 'call-group-0001' } as const;

let ctx: TestContext;
let service: SignalService;

beforeEach(async () => {
  ctx = new TestContext();
  service = await ctx.server({}, testConfig({ ROOM_CAPACITY: '4' }));
});
afterEach(() => ctx.close());

const NAMES = ['Ann', 'Bob', 'Cid', 'Dee', 'Eve'];

/**
 * Joins `count` new clients to `room` one after another; checks along the way that each joiner's
 * `peers` lists the earlier ones in join order and that every earlier member hears
 * `room:peer-joined` about it, once.
 */
async function fillRoom(room: string, count: number) {
  const sockets: ClientSocket[] = [];
  const selves: PeerInfo[] = [];
  for (let i = 0; i < count; i += 1) {
    const socket = await ctx.client(service.url);
    const heard = sockets.map((s) => nextEvent(s, 'room:peer-joined'));
    const answer = await join(socket, room, NAMES[i]);
    assert.equal(answer.capacity, 4);
    assert.deepEqual(answer.peers, selves, `${NAMES[i]!}'s peers: everyone before, in join order`);
    for (const event of await Promise.all(heard)) assert.deepEqual(event, answer.self);
    sockets.push(socket);
    selves.push(answer.self);
  }
  return { sockets, selves };
}

describe('a room of four (ROOM_CAPACITY=4)', () => {
  it('admits four, each hearing of every later joiner; a fifth is room-full and nobody hears of it', async () => {
    const { sockets } = await fillRoom('g1', 4);
    const heard = sockets.map((s) => record(s, 'room:peer-joined'));
    const fifth = await ctx.client(service.url);
    const refused = await request(fifth, 'room:join', { room: 'g1', name: 'Eve' });
    assertError(refused, 'room-full');
    assert.match(refused.ok ? '' : refused.error.message, /4 people/);
    assertError(await request(fifth, 'ice:servers'), 'not-in-room');
    assertError(await request(fifth, 'signal:relay', { to: sockets[0]!.id!, signal: HANG_UP }), 'not-in-room');
    await Promise.all(sockets.map((s) => settle(s)));
    assert.deepEqual(
      heard.map((h) => h.received),
      [[], [], [], []],
    );
    assert.deepEqual(await health(service), { status: 'ok', rooms: 1 });
  });

  it('tells every other member when one leaves or loses its connection, and frees its place', async () => {
    const { sockets, selves } = await fillRoom('g1', 4);
    const [ann, bob, cid, dee] = sockets as [ClientSocket, ClientSocket, ClientSocket, ClientSocket];
    // Bob leaves on purpose: Ann, Cid and Dee hear `left`; Bob hears nothing about himself.
    const leftEvents = [ann, cid, dee].map((s) => nextEvent(s, 'room:peer-left'));
    await expectNoEvent(bob, 'room:peer-left', undefined, async () => assertOk(await request(bob, 'room:leave')));
    for (const event of await Promise.all(leftEvents)) assert.deepEqual(event, { ...selves[1]!, reason: 'left' });
    // Dee's connection drops without a goodbye: Ann and Cid hear `disconnected`.
    const lostEvents = [ann, cid].map((s) => nextEvent(s, 'room:peer-left'));
    dee.io.engine.close();
    for (const event of await Promise.all(lostEvents)) assert.deepEqual(event, { ...selves[3]!, reason: 'disconnected' });
    // Two places are free: Eve and Bob (again) take them, and the room is full once more.
    const eve = await ctx.client(service.url);
    const eveJoin = await join(eve, 'g1', 'Eve');
    assert.deepEqual(
      eveJoin.peers.map((p) => p.name),
      ['Ann', 'Cid'],
    );
    const bobAgain = await join(bob, 'g1', 'Bob');
    assert.deepEqual(
      bobAgain.peers.map((p) => p.name),
      ['Ann', 'Cid', 'Eve'],
    );
    assertError(await request(await ctx.client(service.url), 'room:join', { room: 'g1' }), 'room-full');
  });

  it('relays a signal to its addressee only, stamped with the sender; the other members get nothing', async () => {
    const { sockets } = await fillRoom('g1', 4);
    const [ann, bob, cid, dee] = sockets as [ClientSocket, ClientSocket, ClientSocket, ClientSocket];
    const got = sockets.map((s) => record(s, 'signal:relay'));
    assertOk(await request(ann, 'signal:relay', { to: cid.id!, signal: HANG_UP }));
    assertOk(await request(dee, 'signal:relay', { to: bob.id!, signal: HANG_UP }));
    assertOk(await request(bob, 'signal:relay', { to: ann.id!, signal: HANG_UP }));
    await Promise.all(sockets.map((s) => settle(s)));
    assert.deepEqual(
      got.map((g) => g.received),
      [[{ from: bob.id, signal: HANG_UP }], [{ from: dee.id, signal: HANG_UP }], [{ from: ann.id, signal: HANG_UP }], []],
    );
  });

  it('refuses a relay to a member of another room, to itself or to nobody with peer-not-found, and sends nothing', async () => {
    const { sockets } = await fillRoom('g1', 3);
    const others = [await ctx.client(service.url), await ctx.client(service.url)] as [ClientSocket, ClientSocket];
    await join(others[0], 'g2', 'Xan');
    await join(others[1], 'g2', 'Yul');
    const got = [...sockets, ...others].map((s) => record(s, 'signal:relay'));
    const ann = sockets[0]!;
    for (const to of [others[0].id!, ann.id!, 'no-such-connection-id']) {
      assertError(await request(ann, 'signal:relay', { to, signal: HANG_UP }), 'peer-not-found', to);
    }
    // And the other way: from the other room into this one.
    assertError(await request(others[1], 'signal:relay', { to: sockets[2]!.id!, signal: HANG_UP }), 'peer-not-found');
    await Promise.all([...sockets, ...others].map((s) => settle(s)));
    assert.deepEqual(
      got.map((g) => g.received),
      [[], [], [], [], []],
    );
  });

  it('never admits more than four under concurrent joins on one node (30 rounds of 9 at once)', async () => {
    for (let round = 0; round < 30; round += 1) {
      const room = `race-${round}`;
      const sockets = await ctx.clients(service.url, 9);
      const heard = sockets.map((s) => record(s, 'room:peer-joined'));
      const answers = (await Promise.all(sockets.map((s) => rawRequest(s, 'room:join', [{ room }])))) as {
        ok: boolean;
        error?: { code: string };
        self?: PeerInfo;
        peers?: PeerInfo[];
      }[];
      const admitted = sockets.filter((_, i) => answers[i]!.ok);
      assert.equal(admitted.length, 4, `round ${round}: ${JSON.stringify(answers.map((a) => a.ok || a.error?.code))}`);
      assert.ok(answers.every((a) => a.ok || a.error?.code === 'room-full'));
      // Presence is consistent: each admitted member knows exactly the other three (peers, then peer-joined).
      await Promise.all(admitted.map((s) => settle(s, 20)));
      const ids = admitted.map((s) => s.id!).sort();
      for (const [i, socket] of sockets.entries()) {
        if (!answers[i]!.ok) {
          assert.deepEqual(heard[i]!.received, [], `round ${round}: a refused joiner hears nothing`);
          continue;
        }
        const known = [...answers[i]!.peers!.map((p) => p.id), ...heard[i]!.received.map((p) => p.id), socket.id!].sort();
        assert.deepEqual(known, ids, `round ${round}: what ${socket.id!} was told`);
      }
      for (const s of sockets) s.disconnect();
    }
    await settle(await ctx.client(service.url), 50);
  });
});
