/**
 * The socket.io protocol end to end, presence: a real service on port 0 and real socket.io
 * clients joining, leaving and disconnecting. The relay is in relay.test.ts, ICE servers in
 * ice-servers.test.ts, malformed payloads in validation.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertError,
  assertOk,
  expectNoEvent,
  health,
  join,
  nextEvent,
  rawEmit,
  record,
  request,
  settle,
  waitFor,
  type ClientSocket,
  opaque,
  PEER_ID,
  TOKEN,
} from './helpers.js';
import { HANG_UP, OFFER } from './sample-signals.js';
import { servicePerTest } from './service-per-test.js';

const rig = servicePerTest();
const { pair } = rig;

describe('room:join', () => {
  it("answers self (id = socket id, trimmed name), no peers and the room's capacity to the first member, and no role", async () => {
    const a = await rig.ctx.client(rig.service.url);
    const answer = await request(a, 'room:join', { room: 'r1', name: '  Ann  ' });
    assert.deepEqual(opaque(answer), {
      ok: true,
      self: { id: a.id, name: 'Ann', peerId: PEER_ID },
      peers: [],
      capacity: 2,
      rejoinToken: TOKEN,
    });
    assert.deepEqual(await health(rig.service), { status: 'ok', rooms: 1 });
  });

  it('answers the second member the first as peer; the first gets room:peer-joined', async () => {
    const [a, b] = (await rig.ctx.clients(rig.service.url, 2)) as [ClientSocket, ClientSocket];
    await join(a, 'r1', 'Ann');
    const peerJoined = nextEvent(a, 'room:peer-joined');
    const bJoin = await join(b, 'r1', 'Bob');
    assert.deepEqual(opaque(bJoin.self), { id: b.id, name: 'Bob', peerId: PEER_ID });
    assert.deepEqual(opaque(bJoin.peers), [{ id: a.id, name: 'Ann', peerId: PEER_ID }]);
    assert.equal(bJoin.capacity, 2);
    assert.deepEqual(opaque(await peerJoined), { id: b.id, name: 'Bob', peerId: PEER_ID });
    assert.deepEqual(await health(rig.service), { status: 'ok', rooms: 1 });
  });

  it('the joiner gets no room:peer-joined about itself', async () => {
    const [a, b] = (await rig.ctx.clients(rig.service.url, 2)) as [ClientSocket, ClientSocket];
    await expectNoEvent(a, 'room:peer-joined', undefined, () => join(a, 'r1'));
    const aSeesB = nextEvent(a, 'room:peer-joined');
    await expectNoEvent(b, 'room:peer-joined', undefined, () => join(b, 'r1'));
    assert.equal((await aSeesB).id, b.id);
  });

  it('defaults the name to the empty string', async () => {
    const [a, b] = (await rig.ctx.clients(rig.service.url, 2)) as [ClientSocket, ClientSocket];
    const aJoin = await join(a, 'r1');
    assert.equal(aJoin.self.name, '');
    const bJoin = await join(b, 'r1');
    assert.deepEqual(opaque(bJoin.peers), [{ id: a.id, name: '', peerId: PEER_ID }]);
  });

  it('accepts room names of 64 characters with letters, digits, "_", "." and "-"', async () => {
    const a = await rig.ctx.client(rig.service.url);
    const room = `Room_1.2-${'x'.repeat(55)}`;
    assert.equal(room.length, 64);
    const answer = await join(a, room);
    assert.deepEqual(answer.peers, []);
  });

  it('refuses a third joiner with room-full, does not join it, and tells nobody', async () => {
    const { a, b } = await pair();
    const c = await rig.ctx.client(rig.service.url);
    const aEvents = record(a, 'room:peer-joined');
    const bEvents = record(b, 'room:peer-joined');
    assertError(await request(c, 'room:join', { room: 'r1', name: 'Cid' }), 'room-full');
    // C is in no room: no ICE servers, no relay.
    assertError(await request(c, 'ice:servers'), 'not-in-room');
    assertError(await request(c, 'signal:relay', { to: a.id!, signal: OFFER }), 'not-in-room');
    await settle(a);
    await settle(b);
    assert.deepEqual(aEvents.received, []);
    assert.deepEqual(bEvents.received, []);
    assert.deepEqual(await health(rig.service), { status: 'ok', rooms: 1 });

    // Once a place is free, C gets it.
    assertOk(await request(b, 'room:leave'));
    const cJoin = await join(c, 'r1', 'Cid');
    assert.deepEqual(opaque(cJoin.peers), [{ id: a.id, name: 'Ann', peerId: PEER_ID }]);
  });

  it('refuses a second join with already-in-room, to the same room or another', async () => {
    const { a, b } = await pair();
    const bEvents = record(b, 'room:peer-joined');
    assertError(await request(a, 'room:join', { room: 'r1' }), 'already-in-room');
    assertError(await request(a, 'room:join', { room: 'r2' }), 'already-in-room');
    await settle(b);
    assert.deepEqual(bEvents.received, []);
    assert.deepEqual(await health(rig.service), { status: 'ok', rooms: 1 });
    // A is still B's peer: relays between them still work.
    const delivered = nextEvent(b, 'signal:relay');
    assertOk(await request(a, 'signal:relay', { to: b.id!, signal: OFFER }));
    assert.equal((await delivered).from, a.id);
  });

  it('lets only one of two simultaneous joiners take the last place', async () => {
    const a = await rig.ctx.client(rig.service.url);
    await join(a, 'r1');
    const [b, c] = (await rig.ctx.clients(rig.service.url, 2)) as [ClientSocket, ClientSocket];
    const answers = await Promise.all([request(b, 'room:join', { room: 'r1' }), request(c, 'room:join', { room: 'r1' })]);
    assert.deepEqual(answers.map((answer) => answer.ok).sort(), [false, true]);
    const refused = answers.find((answer) => !answer.ok);
    assertError(refused, 'room-full');
  });

  it('keeps rooms apart: members of another room get no presence events', async () => {
    const [x, y] = (await rig.ctx.clients(rig.service.url, 2)) as [ClientSocket, ClientSocket];
    await join(x, 'other');
    await expectNoEvent(x, 'room:peer-joined', undefined, async () => {
      await join(y, 'r1');
      const z = await rig.ctx.client(rig.service.url);
      await join(z, 'r1');
    });
    assert.deepEqual(await health(rig.service), { status: 'ok', rooms: 2 });
  });
});

describe('room:leave and disconnect', () => {
  it('room:leave answers ok, tells the other member room:peer-left and frees the place', async () => {
    const { a, b } = await pair();
    const left = nextEvent(b, 'room:peer-left');
    assert.deepEqual(await request(a, 'room:leave'), { ok: true });
    assert.deepEqual(opaque(await left), { id: a.id, name: 'Ann', peerId: PEER_ID, reason: 'left' });
    assertError(await request(a, 'ice:servers'), 'not-in-room');
    assertError(await request(a, 'signal:relay', { to: b.id!, signal: OFFER }), 'not-in-room');
    assert.deepEqual(await health(rig.service), { status: 'ok', rooms: 1 });
  });

  it('room:leave without an acknowledgement still leaves', async () => {
    const { a, b } = await pair();
    const left = nextEvent(b, 'room:peer-left');
    rawEmit(a, 'room:leave');
    assert.deepEqual(opaque(await left), { id: a.id, name: 'Ann', peerId: PEER_ID, reason: 'left' });
  });

  it('the leaver gets no room:peer-left about itself', async () => {
    const { a } = await pair();
    await expectNoEvent(a, 'room:peer-left', undefined, () => request(a, 'room:leave'));
  });

  it('room:leave outside a room answers not-in-room', async () => {
    const a = await rig.ctx.client(rig.service.url);
    assertError(await request(a, 'room:leave'), 'not-in-room');
  });

  it('the last member leaving deletes the room', async () => {
    const { a, b } = await pair();
    assertOk(await request(a, 'room:leave'));
    assertOk(await request(b, 'room:leave'));
    assert.deepEqual(await health(rig.service), { status: 'ok', rooms: 0 });
  });

  it('leave then rejoin works: same room, peers listed', async () => {
    const { a, b } = await pair();
    assertOk(await request(a, 'room:leave'));
    const rejoined = nextEvent(b, 'room:peer-joined');
    const again = await join(a, 'r1', 'Ann again');
    assert.deepEqual(opaque(again.self), { id: a.id, name: 'Ann again', peerId: PEER_ID });
    assert.deepEqual(opaque(again.peers), [{ id: b.id, name: 'Bob', peerId: PEER_ID }]);
    assert.deepEqual(opaque(await rejoined), { id: a.id, name: 'Ann again', peerId: PEER_ID });
    // Relay works again after the rejoin.
    const delivered = nextEvent(b, 'signal:relay');
    assertOk(await request(a, 'signal:relay', { to: b.id!, signal: HANG_UP }));
    assert.deepEqual(await delivered, { from: a.id, signal: HANG_UP });
  });

  it('leave then join another room works', async () => {
    const { a, b } = await pair();
    assertOk(await request(a, 'room:leave'));
    const other = await join(a, 'r2');
    assert.deepEqual(other.peers, []);
    assert.deepEqual(await health(rig.service), { status: 'ok', rooms: 2 });
    assertError(await request(a, 'signal:relay', { to: b.id!, signal: OFFER }), 'peer-not-found');
  });

  it('a leave immediately followed by a rejoin (without waiting for the leave answer) sends the rejoiner no room:peer-left about itself', async () => {
    const { a, b } = await pair();
    const selfLeft = record(a, 'room:peer-left');
    const bLeft = record(b, 'room:peer-left');
    const leave = request(a, 'room:leave');
    const rejoin = request(a, 'room:join', { room: 'r1', name: 'Ann' });
    assertOk(await leave);
    assertOk(await rejoin);
    await settle(a);
    await settle(b);
    assert.deepEqual(opaque(bLeft.received), [{ id: a.id, name: 'Ann', peerId: PEER_ID, reason: 'left' }]);
    assert.deepEqual(selfLeft.received, []);
  });

  it('a disconnect tells the other member room:peer-left and frees the place', async () => {
    const { a, b } = await pair();
    const left = nextEvent(a, 'room:peer-left');
    const bId = b.id; // socket.io-client forgets the id on disconnect
    b.disconnect();
    assert.deepEqual(opaque(await left), { id: bId, name: 'Bob', peerId: PEER_ID, reason: 'left' });
    const c = await rig.ctx.client(rig.service.url);
    const cJoin = await join(c, 'r1');
    assert.deepEqual(
      cJoin.peers.map((peer) => peer.name),
      ['Ann'],
    );
  });

  it('the last member disconnecting deletes the room', async () => {
    const { a, b } = await pair();
    a.disconnect();
    b.disconnect();
    await waitFor('room count 0', async () => (await health(rig.service)).rooms === 0);
    assert.deepEqual(await health(rig.service), { status: 'ok', rooms: 0 });
  });
});
