/**
 * The socket.io protocol end to end, relay: a real service on port 0 and real socket.io clients.
 * `signal:relay` strictly inside a room with the sender stamped by the service, the message size
 * limit, and what the service does not serve over HTTP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Signal } from 'video-call-protocol';
import {
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
  waitFor,
  type ClientSocket,
  opaque,
  PEER_ID,
} from './helpers.js';
import { CALL, HANG_UP, OFFER } from './sample-signals.js';
import { servicePerTest } from './service-per-test.js';

const rig = servicePerTest();
const { pair } = rig;

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
    const [s, t] = (await rig.ctx.clients(rig.service.url, 2)) as [ClientSocket, ClientSocket];
    await join(s, 'r2');
    await join(t, 'r2');
    const lurker = await rig.ctx.client(rig.service.url); // connected, in no room
    const spies = [a, s, t, lurker].map((socket) => ({ socket, events: record(socket, 'signal:relay') }));
    const delivered = nextEvent(b, 'signal:relay');
    assertOk(await request(a, 'signal:relay', { to: b.id!, signal: OFFER }));
    assert.equal((await delivered).from, a.id);
    for (const spy of spies) await settle(spy.socket);
    for (const spy of spies) assert.deepEqual(spy.events.received, [], `socket ${spy.socket.id} got a relay`);
  });

  it('refuses with peer-not-found a target in another room, and the target receives nothing', async () => {
    const { a, b } = await pair('r1');
    const s = await rig.ctx.client(rig.service.url);
    await join(s, 'r2');
    await expectNoEvent(s, 'signal:relay', undefined, async () => {
      assertError(await request(a, 'signal:relay', { to: s.id!, signal: OFFER }), 'peer-not-found');
      assertError(await request(s, 'signal:relay', { to: b.id!, signal: OFFER }), 'peer-not-found');
    });
  });

  it('refuses with peer-not-found a connected socket in no room, an unknown id, the sender itself and the room name', async () => {
    const { a, b } = await pair('r1');
    const lurker = await rig.ctx.client(rig.service.url);
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
    const [a, b] = (await rig.ctx.clients(rig.service.url, 2)) as [ClientSocket, ClientSocket];
    await join(b, 'r1');
    await expectNoEvent(b, 'signal:relay', undefined, async () => {
      assertError(await request(a, 'signal:relay', { to: b.id!, signal: OFFER }), 'not-in-room');
    });
  });

  it('refuses a client-supplied `from` with invalid-payload, and relays nothing', async () => {
    const { a, b } = await pair();
    const c = await rig.ctx.client(rig.service.url);
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
    const eavesdropper = await rig.ctx.client(rig.service.url);
    await join(eavesdropper, a.id!);
    const stolen = record(eavesdropper, 'signal:relay');
    const delivered = nextEvent(a, 'signal:relay');
    assertOk(await request(b, 'signal:relay', { to: a.id!, signal: OFFER }));
    await delivered;
    await settle(eavesdropper);
    assert.deepEqual(stolen.received, []);
  });

  it('does not send presence events of a room named after a socket id to that socket', async () => {
    const victim = await rig.ctx.client(rig.service.url);
    await join(victim, 'r1');
    const [x, y] = (await rig.ctx.clients(rig.service.url, 2)) as [ClientSocket, ClientSocket];
    await expectNoEvent(victim, 'room:peer-joined', undefined, async () => {
      await join(x, victim.id!);
      await join(y, victim.id!);
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
    await waitFor('room count 1', async () => (await health(rig.service)).rooms === 1);
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
      const response = await fetch(`${rig.service.url}${path}`);
      const body = await response.text();
      assert.notEqual(response.status, 200, path);
      assert.doesNotMatch(body, /socket\.io|sourceMappingURL|function/i, path);
    }
  });
});
