/**
 * What a member learns about its peer across reconnections, with real clients against a real
 * service: the client's `session` id in every presence message, the preferred `polite` role, and
 * `room:peer-left` `reason` — `left` for a leave or a deliberate disconnect, `disconnected` for a
 * lost connection (closed abruptly, or gone silent and noticed by the ping timeout within 5 s).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { SignalService } from '../src/server.js';
import { TestContext, assertError, assertOk, disconnected, join, nextEvent, record, request, settle, waitFor, health, type ClientSocket } from './helpers.js';
import { NetworkLink } from './network-link.js';

const ANN_SESSION = 'ann-session-0001';
const BOB_SESSION = '6f1c2a4e-9b7d-4e3a-8c11-2f5d8e9a0b7c';

let ctx: TestContext;
let service: SignalService;
let link: NetworkLink | undefined;

beforeEach(async () => {
  ctx = new TestContext();
  service = await ctx.server();
});

afterEach(async () => {
  // The link first: the service would wait for a frozen connection's WebSocket close handshake.
  await link?.close();
  link = undefined;
  await ctx.close();
});

/** `a` (Ann) joined first, then `b` (Bob), both with session ids; `url` lets `b` go through a NetworkLink. */
async function pair(bUrl = service.url) {
  const a = await ctx.client(service.url);
  const b = await ctx.client(bUrl);
  const aJoin = await join(a, 'r1', { name: 'Ann', session: ANN_SESSION });
  const aSeesB = nextEvent(a, 'room:peer-joined');
  const bJoin = await join(b, 'r1', { name: 'Bob', session: BOB_SESSION });
  await aSeesB;
  return { a, b, aJoin, bJoin, bId: b.id! };
}

describe('session ids', () => {
  it('are echoed in self, peers, room:peer-joined and room:peer-left', async () => {
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    const aJoin = await join(a, 'r1', { name: 'Ann', session: ANN_SESSION });
    assert.deepEqual(aJoin.self, { id: a.id, name: 'Ann', session: ANN_SESSION });
    const peerJoined = nextEvent(a, 'room:peer-joined');
    const bJoin = await join(b, 'r1', { name: 'Bob', session: BOB_SESSION });
    assert.deepEqual(bJoin.self, { id: b.id, name: 'Bob', session: BOB_SESSION });
    assert.deepEqual(bJoin.peers, [{ id: a.id, name: 'Ann', session: ANN_SESSION }]);
    assert.deepEqual(await peerJoined, { id: b.id, name: 'Bob', session: BOB_SESSION });
    const peerLeft = nextEvent(a, 'room:peer-left');
    assertOk(await request(b, 'room:leave'));
    assert.deepEqual(await peerLeft, { id: b.id, name: 'Bob', session: BOB_SESSION, reason: 'left' });
  });

  it('lets a member recognise its peer coming back on a new connection with the same session', async () => {
    const { a, b } = await pair();
    const left = nextEvent(a, 'room:peer-left');
    b.disconnect();
    assert.equal((await left).session, BOB_SESSION);
    const back = await ctx.client(service.url);
    const rejoined = nextEvent(a, 'room:peer-joined');
    await join(back, 'r1', { name: 'Bob', session: BOB_SESSION });
    const seen = await rejoined;
    assert.equal(seen.session, BOB_SESSION);
    assert.equal(seen.id, back.id);
  });
});

describe('preferred role', () => {
  it('is granted in an empty room, either way', async () => {
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    assert.equal((await join(a, 'polite-room', { polite: true })).polite, true);
    assert.equal((await join(b, 'impolite-room', { polite: false })).polite, false);
  });

  it('is ignored when a member is present: the joiner gets the role opposite to it', async () => {
    const [a, b, c, d] = (await ctx.clients(service.url, 4)) as ClientSocket[] as [ClientSocket, ClientSocket, ClientSocket, ClientSocket];
    assert.equal((await join(a, 'r1', { polite: true })).polite, true);
    assert.equal((await join(b, 'r1', { polite: true })).polite, false);
    assert.equal((await join(c, 'r2')).polite, false);
    assert.equal((await join(d, 'r2', { polite: false })).polite, true);
  });

  it('keeps a call\'s roles when the polite member rejoins after losing its connection', async () => {
    const { a, aJoin, b, bJoin } = await pair();
    assert.deepEqual([aJoin.polite, bJoin.polite], [false, true]);
    const left = nextEvent(a, 'room:peer-left');
    b.disconnect();
    await left;
    // Service restart seen from the members: both rejoin an empty room, asking for their roles.
    assertOk(await request(a, 'room:leave'));
    const [b2, a2] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    assert.equal((await join(b2, 'r1', { session: BOB_SESSION, polite: true })).polite, true);
    assert.equal((await join(a2, 'r1', { session: ANN_SESSION, polite: false })).polite, false);
  });
});

describe('room:peer-left reason', () => {
  it('is left after room:leave', async () => {
    const { a, b, bId } = await pair();
    const left = nextEvent(a, 'room:peer-left');
    assertOk(await request(b, 'room:leave'));
    assert.deepEqual(await left, { id: bId, name: 'Bob', session: BOB_SESSION, reason: 'left' });
  });

  it('is left after the client disconnects on purpose (socket.disconnect())', async () => {
    const { a, b, bId } = await pair();
    const left = nextEvent(a, 'room:peer-left');
    b.disconnect();
    assert.deepEqual(await left, { id: bId, name: 'Bob', session: BOB_SESSION, reason: 'left' });
  });

  it('is disconnected when the client\'s transport closes without a socket.io goodbye (engine.close())', async () => {
    const { a, b, bId } = await pair();
    const left = nextEvent(a, 'room:peer-left');
    // Closes the WebSocket (close frame) without the socket.io DISCONNECT packet: to the service
    // this is `transport close`, as when a tab is closed or the page navigates away.
    b.io.engine.close();
    assert.deepEqual(await left, { id: bId, name: 'Bob', session: BOB_SESSION, reason: 'disconnected' });
  });

  it('is disconnected when the TCP connection just ends (client process died)', async () => {
    link = await new NetworkLink(service.port).start();
    const { a, b, bId } = await pair(link.url);
    const left = nextEvent(a, 'room:peer-left');
    const bGone = disconnected(b);
    link.cut();
    assert.deepEqual(await left, { id: bId, name: 'Bob', session: BOB_SESSION, reason: 'disconnected' });
    assert.equal(await bGone, 'transport close');
  });

  it('is disconnected, within 5 s, for a client that goes silent (no pongs) without closing anything', async () => {
    link = await new NetworkLink(service.port).start();
    const { a, bId } = await pair(link.url);
    const left = nextEvent(a, 'room:peer-left', 6000);
    const frozenAt = Date.now();
    link.freeze();
    const message = await left;
    const elapsed = Date.now() - frozenAt;
    console.log(`silent client reported to its peer after ${elapsed} ms (ping interval 1500 + timeout 2000)`);
    assert.deepEqual(message, { id: bId, name: 'Bob', session: BOB_SESSION, reason: 'disconnected' });
    assert.ok(elapsed < 5000, `reported after ${elapsed} ms`);
    // The place is free again.
    await waitFor('room with one member', async () => (await health(service)).rooms === 1);
    const c = await ctx.client(service.url);
    assert.deepEqual((await join(c, 'r1')).peers.map((peer) => peer.name), ['Ann']);
  });
});

describe('a rejoin with the same session replaces the dead connection', () => {
  let ctx: TestContext;
  let service: SignalService;
  beforeEach(async () => {
    ctx = new TestContext();
    service = await ctx.server();
  });
  afterEach(() => ctx.close());

  it('takes the old member’s place and role, closes the old connection, tells the peer peer-joined only', async () => {
    const [ann, oldBob, newBob] = (await ctx.clients(service.url, 3)) as [ClientSocket, ClientSocket, ClientSocket];
    await join(ann, 'r1', { session: 'ann-session-1' });
    const first = await join(oldBob, 'r1', { session: 'bob-session-1' });
    assert.equal(first.polite, true);
    const annLeft = record(ann, 'room:peer-left');
    const annJoined = nextEvent(ann, 'room:peer-joined');
    const oldGone = new Promise<string>((resolve) => oldBob.once('disconnect', resolve));

    // The old connection still looks alive to the service, so the room is "full" but for this rule.
    const again = await join(newBob, 'r1', { session: 'bob-session-1', polite: true });
    assert.equal(again.polite, true, 'keeps its role');
    assert.deepEqual(again.peers.map((p) => p.id), [ann.id]);
    assert.equal(await oldGone, 'io server disconnect');
    const joined = await annJoined;
    assert.deepEqual(joined, { id: newBob.id, name: '', session: 'bob-session-1' });
    await settle(ann);
    assert.deepEqual(annLeft.received, [], 'no peer-left for the replaced connection');
    // Relay works between Ann and the new connection.
    const delivered = nextEvent(newBob, 'signal:relay');
    assertOk(await request(ann, 'signal:relay', { to: newBob.id!, signal: { kind: 'hang-up', call: 'call-0001' } }));
    assert.equal((await delivered).from, ann.id);
  });

  it('a different session still gets room-full', async () => {
    const [a, b, c] = (await ctx.clients(service.url, 3)) as [ClientSocket, ClientSocket, ClientSocket];
    await join(a, 'r1', { session: 'session-aaaa' });
    await join(b, 'r1', { session: 'session-bbbb' });
    assertError(await request(c, 'room:join', { room: 'r1', session: 'session-cccc' }), 'room-full');
  });
});
