/**
 * The socket.io protocol end to end: a real service on port 0 and real socket.io clients.
 * Presence (join, leave, disconnect), room-scoped relay with sender stamping, ICE servers.
 * Malformed payloads are in validation.test.ts.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DEFAULT_STUN_URLS } from '../src/ice/static.js';
import type { IceProvider } from '../src/ice/index.js';
import type { Signal } from 'video-call-protocol';
import type { SignalService } from '../src/server.js';
import {
  TestContext,
  assertError,
  assertOk,
  disconnected,
  expectNoEvent,
  health,
  join,
  nextEvent,
  rawEmit,
  rawRequest,
  record,
  request,
  settle,
  testConfig,
  waitFor,
  type ClientSocket,
  opaque,
  PEER_ID,
  TOKEN,
} from './helpers.js';

const CALL = '0b5c1a7e-3d2f-4e8a-9c61-5f7d2b4a8e10';
const OFFER: Signal = { kind: 'description', call: CALL, description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } };
const HANG_UP: Signal = { kind: 'hang-up', call: CALL };

let ctx: TestContext;
let service: SignalService;

beforeEach(async () => {
  ctx = new TestContext();
  service = await ctx.server();
});

afterEach(async () => {
  await ctx.close();
});

/** Two clients joined to `room`; `a` joined first. */
async function pair(room = 'r1') {
  const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
  const aJoin = await join(a, room, 'Ann');
  const aSeesB = nextEvent(a, 'room:peer-joined');
  const bJoin = await join(b, room, 'Bob');
  await aSeesB;
  return { a, b, aJoin, bJoin };
}

describe('room:join', () => {
  it("answers self (id = socket id, trimmed name), no peers and the room's capacity to the first member, and no role", async () => {
    const a = await ctx.client(service.url);
    const answer = await request(a, 'room:join', { room: 'r1', name: '  Ann  ' });
    assert.deepEqual(opaque(answer), {
      ok: true,
      self: { id: a.id, name: 'Ann', peerId: PEER_ID },
      peers: [],
      capacity: 2,
      rejoinToken: TOKEN,
    });
    assert.deepEqual(await health(service), { status: 'ok', rooms: 1 });
  });

  it('answers the second member the first as peer; the first gets room:peer-joined', async () => {
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await join(a, 'r1', 'Ann');
    const peerJoined = nextEvent(a, 'room:peer-joined');
    const bJoin = await join(b, 'r1', 'Bob');
    assert.deepEqual(opaque(bJoin.self), { id: b.id, name: 'Bob', peerId: PEER_ID });
    assert.deepEqual(opaque(bJoin.peers), [{ id: a.id, name: 'Ann', peerId: PEER_ID }]);
    assert.equal(bJoin.capacity, 2);
    assert.deepEqual(opaque(await peerJoined), { id: b.id, name: 'Bob', peerId: PEER_ID });
    assert.deepEqual(await health(service), { status: 'ok', rooms: 1 });
  });

  it('the joiner gets no room:peer-joined about itself', async () => {
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await expectNoEvent(a, 'room:peer-joined', undefined, () => join(a, 'r1'));
    const aSeesB = nextEvent(a, 'room:peer-joined');
    await expectNoEvent(b, 'room:peer-joined', undefined, () => join(b, 'r1'));
    assert.equal((await aSeesB).id, b.id);
  });

  it('defaults the name to the empty string', async () => {
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    const aJoin = await join(a, 'r1');
    assert.equal(aJoin.self.name, '');
    const bJoin = await join(b, 'r1');
    assert.deepEqual(opaque(bJoin.peers), [{ id: a.id, name: '', peerId: PEER_ID }]);
  });

  it('accepts room names of 64 characters with letters, digits, "_", "." and "-"', async () => {
    const a = await ctx.client(service.url);
    const room = `Room_1.2-${'x'.repeat(55)}`;
    assert.equal(room.length, 64);
    const answer = await join(a, room);
    assert.deepEqual(answer.peers, []);
  });

  it('refuses a third joiner with room-full, does not join it, and tells nobody', async () => {
    const { a, b } = await pair();
    const c = await ctx.client(service.url);
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
    assert.deepEqual(await health(service), { status: 'ok', rooms: 1 });

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
    assert.deepEqual(await health(service), { status: 'ok', rooms: 1 });
    // A is still B's peer: relays between them still work.
    const delivered = nextEvent(b, 'signal:relay');
    assertOk(await request(a, 'signal:relay', { to: b.id!, signal: OFFER }));
    assert.equal((await delivered).from, a.id);
  });

  it('lets only one of two simultaneous joiners take the last place', async () => {
    const a = await ctx.client(service.url);
    await join(a, 'r1');
    const [b, c] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    const answers = await Promise.all([request(b, 'room:join', { room: 'r1' }), request(c, 'room:join', { room: 'r1' })]);
    assert.deepEqual(answers.map((answer) => answer.ok).sort(), [false, true]);
    const refused = answers.find((answer) => !answer.ok);
    assertError(refused, 'room-full');
  });

  it('keeps rooms apart: members of another room get no presence events', async () => {
    const [x, y] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await join(x, 'other');
    await expectNoEvent(x, 'room:peer-joined', undefined, async () => {
      await join(y, 'r1');
      const z = await ctx.client(service.url);
      await join(z, 'r1');
    });
    assert.deepEqual(await health(service), { status: 'ok', rooms: 2 });
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
    assert.deepEqual(await health(service), { status: 'ok', rooms: 1 });
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
    const a = await ctx.client(service.url);
    assertError(await request(a, 'room:leave'), 'not-in-room');
  });

  it('the last member leaving deletes the room', async () => {
    const { a, b } = await pair();
    assertOk(await request(a, 'room:leave'));
    assertOk(await request(b, 'room:leave'));
    assert.deepEqual(await health(service), { status: 'ok', rooms: 0 });
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
    assert.deepEqual(await health(service), { status: 'ok', rooms: 2 });
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
    const c = await ctx.client(service.url);
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
    await waitFor('room count 0', async () => (await health(service)).rooms === 0);
    assert.deepEqual(await health(service), { status: 'ok', rooms: 0 });
  });
});

describe('signal:relay', () => {
  it('delivers the signal unchanged to the addressed member, stamped with the real sender id', async () => {
    const { a, b } = await pair();
    // The consent flow of one call, then a second call, and every optional form of each kind.
    const signals: Signal[] = [
      { kind: 'ring', call: CALL },
      OFFER,
      { kind: 'description', call: CALL, description: { type: 'answer', sdp: 'v=0\r\n' } },
      {
        kind: 'candidate',
        call: CALL,
        candidate: {
          candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host',
          sdpMid: '0',
          sdpMLineIndex: 0,
          usernameFragment: 'abcd',
        },
      },
      { kind: 'candidate', call: CALL, candidate: { candidate: '', sdpMid: null, sdpMLineIndex: null, usernameFragment: null } },
      { kind: 'candidate', call: CALL, candidate: null },
      { kind: 'accept', call: CALL },
      HANG_UP,
      { kind: 'ring', call: 'second_call-12' },
      { kind: 'decline', call: 'second_call-12' },
      { kind: 'ring', call: 'x'.repeat(64) },
      { kind: 'hang-up', call: 'x'.repeat(64), reason: 'no-answer' },
      { kind: 'description', call: 'x'.repeat(8), description: { type: 'pranswer', sdp: '' } },
    ];
    for (const signal of signals) {
      const toB = nextEvent(b, 'signal:relay');
      assert.deepEqual(await request(a, 'signal:relay', { to: b.id!, signal }), { ok: true });
      assert.deepEqual(await toB, { from: a.id, signal });
      const toA = nextEvent(a, 'signal:relay');
      assertOk(await request(b, 'signal:relay', { to: a.id!, signal }));
      assert.deepEqual(await toA, { from: b.id, signal });
    }
  });

  it('keeps the order of signals sent without waiting for acknowledgements', async () => {
    const { a, b } = await pair();
    const received = record(b, 'signal:relay');
    const sent: Signal[] = [OFFER];
    for (let i = 0; i < 20; i += 1) {
      sent.push({
        kind: 'candidate',
        call: CALL,
        candidate: { candidate: `candidate:${i} 1 udp 1 192.0.2.1 ${5000 + i} typ host`, sdpMid: '0' },
      });
    }
    sent.push({ kind: 'candidate', call: CALL, candidate: null });
    for (const signal of sent) a.emit('signal:relay', { to: b.id!, signal });
    await waitFor('all signals', () => received.received.length >= sent.length);
    assert.deepEqual(
      received.received.map((message) => message.signal),
      sent,
    );
    assert.ok(received.received.every((message) => message.from === a.id));
  });

  it('reaches only the addressed member: not the sender, not another room', async () => {
    const { a, b } = await pair('r1');
    const [s, t] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await join(s, 'r2');
    await join(t, 'r2');
    const lurker = await ctx.client(service.url); // connected, in no room
    const spies = [a, s, t, lurker].map((socket) => ({ socket, events: record(socket, 'signal:relay') }));
    const delivered = nextEvent(b, 'signal:relay');
    assertOk(await request(a, 'signal:relay', { to: b.id!, signal: OFFER }));
    assert.equal((await delivered).from, a.id);
    for (const spy of spies) await settle(spy.socket);
    for (const spy of spies) assert.deepEqual(spy.events.received, [], `socket ${spy.socket.id} got a relay`);
  });

  it('refuses with peer-not-found a target in another room, and the target receives nothing', async () => {
    const { a, b } = await pair('r1');
    const s = await ctx.client(service.url);
    await join(s, 'r2');
    await expectNoEvent(s, 'signal:relay', undefined, async () => {
      assertError(await request(a, 'signal:relay', { to: s.id!, signal: OFFER }), 'peer-not-found');
      assertError(await request(s, 'signal:relay', { to: b.id!, signal: OFFER }), 'peer-not-found');
    });
  });

  it('refuses with peer-not-found a connected socket in no room, an unknown id, the sender itself and the room name', async () => {
    const { a, b } = await pair('r1');
    const lurker = await ctx.client(service.url);
    const bEvents = record(b, 'signal:relay');
    await expectNoEvent(lurker, 'signal:relay', undefined, async () => {
      for (const to of [lurker.id!, 'no-such-socket-id', a.id!, 'r1']) {
        assertError(await request(a, 'signal:relay', { to, signal: OFFER }), 'peer-not-found');
      }
    });
    await settle(b);
    assert.deepEqual(bEvents.received, []);
  });

  it('refuses with peer-not-found a member who has left', async () => {
    const { a, b } = await pair();
    assertOk(await request(b, 'room:leave'));
    assertError(await request(a, 'signal:relay', { to: b.id!, signal: OFFER }), 'peer-not-found');
  });

  it('refuses a relay before join with not-in-room', async () => {
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await join(b, 'r1');
    await expectNoEvent(b, 'signal:relay', undefined, async () => {
      assertError(await request(a, 'signal:relay', { to: b.id!, signal: OFFER }), 'not-in-room');
    });
  });

  it('refuses a client-supplied `from` with invalid-payload, and relays nothing', async () => {
    const { a, b } = await pair();
    const c = await ctx.client(service.url);
    await expectNoEvent(b, 'signal:relay', undefined, async () => {
      const fake = { to: b.id!, from: c.id!, signal: OFFER };
      assertError(await rawRequest(a, 'signal:relay', [fake]), 'invalid-payload');
      const fakeInSignal = { to: b.id!, signal: { ...OFFER, from: c.id! } };
      assertError(await rawRequest(a, 'signal:relay', [fakeInSignal]), 'invalid-payload');
    });
  });

  it('relays a signal sent without an acknowledgement', async () => {
    const { a, b } = await pair();
    const delivered = nextEvent(b, 'signal:relay');
    a.emit('signal:relay', { to: b.id!, signal: HANG_UP });
    assert.deepEqual(await delivered, { from: a.id, signal: HANG_UP });
  });

  it('does not leak signals to a socket that joined a room named after the target socket id', async () => {
    const { a, b } = await pair('r1');
    const eavesdropper = await ctx.client(service.url);
    await join(eavesdropper, a.id!);
    const stolen = record(eavesdropper, 'signal:relay');
    const delivered = nextEvent(a, 'signal:relay');
    assertOk(await request(b, 'signal:relay', { to: a.id!, signal: OFFER }));
    await delivered;
    await settle(eavesdropper);
    assert.deepEqual(stolen.received, []);
  });

  it('does not send presence events of a room named after a socket id to that socket', async () => {
    const victim = await ctx.client(service.url);
    await join(victim, 'r1');
    const [x, y] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await expectNoEvent(victim, 'room:peer-joined', undefined, async () => {
      await join(x, victim.id!);
      await join(y, victim.id!);
    });
  });
});

describe('ice:servers', () => {
  it('refuses a socket in no room with not-in-room', async () => {
    const a = await ctx.client(service.url);
    assertError(await request(a, 'ice:servers'), 'not-in-room');
  });

  it('gives a member the default STUN entry, without ttl or degraded', async () => {
    const a = await ctx.client(service.url);
    await join(a, 'r1');
    assert.deepEqual(await request(a, 'ice:servers'), { ok: true, iceServers: [{ urls: DEFAULT_STUN_URLS }] });
  });

  it('refuses again after the member left', async () => {
    const a = await ctx.client(service.url);
    await join(a, 'r1');
    assertOk(await request(a, 'ice:servers'));
    assertOk(await request(a, 'room:leave'));
    assertError(await request(a, 'ice:servers'), 'not-in-room');
  });

  it('gives the ICE_SERVERS list as configured', async () => {
    const iceServers = [{ urls: ['turn:turn.example.org:3478'], username: 'u', credential: 'c' }];
    const custom = await ctx.server({}, testConfig({ ICE_SERVERS: JSON.stringify(iceServers) }));
    const a = await ctx.client(custom.url);
    await join(a, 'r1');
    assert.deepEqual(await request(a, 'ice:servers'), { ok: true, iceServers });
  });

  it('gives TURN REST credentials for the member id with a ttl', async () => {
    const turn = await ctx.server(
      {},
      testConfig({
        TURN_URLS: 'turn:127.0.0.1:3478',
        TURN_SECRET: 'shared-secret',
        STUN_URLS: 'stun:127.0.0.1:3478',
        ICE_TTL_SECONDS: '600',
      }),
    );
    const a = await ctx.client(turn.url);
    await join(a, 'r1');
    const before = Math.floor(Date.now() / 1000);
    const answer = await request(a, 'ice:servers');
    const after = Math.floor(Date.now() / 1000);
    assertOk(answer);
    assert.equal(answer.ttl, 600);
    assert.equal(answer.degraded, undefined);
    assert.deepEqual(answer.iceServers[0], { urls: ['stun:127.0.0.1:3478'] });
    const entry = answer.iceServers[1];
    assert.ok(entry?.username && entry.credential);
    assert.deepEqual(entry.urls, ['turn:127.0.0.1:3478']);
    const [expiry, user] = entry.username.split(':');
    assert.equal(user, a.id);
    assert.ok(Number(expiry) >= before + 600 && Number(expiry) <= after + 600, `expiry ${expiry}`);
    assert.equal(entry.credential, createHmac('sha1', 'shared-secret').update(entry.username).digest('base64'));
  });

  it('falls back to STUN with degraded: true when the ICE provider fails', async () => {
    const failing: IceProvider = {
      kind: 'failing',
      getIceServers: () => Promise.reject(new Error('upstream unreachable')),
    };
    const broken = await ctx.server(
      { ice: failing },
      testConfig({ TURN_URLS: 'turn:127.0.0.1:3478', TURN_SECRET: 's', STUN_URLS: 'stun:stun.example.org:3478' }),
    );
    const a = await ctx.client(broken.url);
    await join(a, 'r1');
    assert.deepEqual(await request(a, 'ice:servers'), {
      ok: true,
      iceServers: [{ urls: ['stun:stun.example.org:3478'] }],
      degraded: true,
    });
  });
});

describe('message size limit', () => {
  it('disconnects a client whose message exceeds 64 KiB; its peer gets room:peer-left', async () => {
    const { a, b } = await pair();
    const left = nextEvent(b, 'room:peer-left');
    const aId = a.id;
    const gone = disconnected(a);
    const huge = { to: b.id!, signal: { kind: 'description', call: CALL, description: { type: 'offer', sdp: 'a'.repeat(70 * 1024) } } };
    rawEmit(a, 'signal:relay', huge);
    await gone;
    // The service's transport refuses the message (a transport error on its side); the client sees
    // a lost connection and, by default, reconnects: for the peer it is a lost connection.
    assert.deepEqual(opaque(await left), { id: aId, name: 'Ann', peerId: PEER_ID, reason: 'disconnected' });
    await waitFor('room count 1', async () => (await health(service)).rooms === 1);
  });
});

describe('socket.io over HTTP', () => {
  it('does not serve the socket.io client bundle or its source map (the widget bundles its own)', async () => {
    for (const path of [
      '/socket.io/socket.io.js',
      '/socket.io/socket.io.min.js',
      '/socket.io/socket.io.js.map',
      '/socket.io/socket.io.esm.min.js',
    ]) {
      const response = await fetch(`${service.url}${path}`);
      const body = await response.text();
      assert.notEqual(response.status, 200, path);
      assert.doesNotMatch(body, /socket\.io|sourceMappingURL|function/i, path);
    }
  });
});
