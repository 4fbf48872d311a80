/**
 * What a member learns about its peer across reconnections, with real clients against a real
 * service: the member's `peerId` in every presence message (the same after a rejoin with its
 * token, so that the roles each pair derives from peerIds survive it), and `room:peer-left` `reason` — `left` for a leave or a
 * deliberate disconnect, `disconnected` for a lost connection (closed abruptly, or gone silent and
 * noticed by a late `watch:beat` within 5 s, or by the engine.io ping timeout).
 * Rejoins and takeover attempts are in rejoin.test.ts.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { SignalService } from '../src/server.js';
import {
  TestContext,
  assertOk,
  disconnected,
  join,
  nextEvent,
  request,
  testConfig,
  waitFor,
  health,
  type ClientSocket,
} from './helpers.js';
import { NetworkLink } from './network-link.js';
import { isPolite } from 'video-call-protocol';

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

/** `a` (Ann) joined first, then `b` (Bob); `url` lets `b` go through a NetworkLink. */
async function pair(bUrl = service.url) {
  const a = await ctx.client(service.url);
  const b = await ctx.client(bUrl);
  const aJoin = await join(a, 'r1', { name: 'Ann' });
  const aSeesB = nextEvent(a, 'room:peer-joined');
  const bJoin = await join(b, 'r1', { name: 'Bob' });
  await aSeesB;
  return { a, b, aJoin, bJoin, bId: b.id!, bob: bJoin.self.peerId };
}

describe('peer ids', () => {
  it('are issued by the service, distinct, and the same in self, peers, room:peer-joined and room:peer-left', async () => {
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    const aJoin = await join(a, 'r1', { name: 'Ann' });
    const peerJoined = nextEvent(a, 'room:peer-joined');
    const bJoin = await join(b, 'r1', { name: 'Bob' });
    assert.notEqual(aJoin.self.peerId, bJoin.self.peerId);
    assert.deepEqual(bJoin.peers, [aJoin.self]);
    assert.deepEqual(await peerJoined, bJoin.self);
    // Only the joiner ever sees its rejoin token.
    assert.ok(!JSON.stringify([bJoin.peers, aJoin.self]).includes(bJoin.rejoinToken));
    const peerLeft = nextEvent(a, 'room:peer-left');
    assertOk(await request(b, 'room:leave'));
    assert.deepEqual(await peerLeft, { ...bJoin.self, reason: 'left' });
  });

  it('let a member recognise its peer coming back on a new connection with its rejoin token', async () => {
    const { a, b, bob, bJoin } = await pair();
    const left = nextEvent(a, 'room:peer-left');
    b.disconnect();
    assert.equal((await left).peerId, bob);
    const back = await ctx.client(service.url);
    const rejoined = nextEvent(a, 'room:peer-joined');
    await join(back, 'r1', { name: 'Bob', rejoin: bJoin.rejoinToken });
    const seen = await rejoined;
    assert.equal(seen.peerId, bob);
    assert.equal(seen.id, back.id);
  });

  it('are new for a join without a token, even with the same name', async () => {
    const { a, b, bob } = await pair();
    const left = nextEvent(a, 'room:peer-left');
    b.disconnect();
    await left;
    const other = await ctx.client(service.url);
    const joined = nextEvent(a, 'room:peer-joined');
    await join(other, 'r1', { name: 'Bob' });
    assert.notEqual((await joined).peerId, bob);
  });
});

describe('roles per pair', () => {
  it('are not handed out: the answer has no role, and a pair keeps its peerIds (so its roles) through rejoins into an emptied room', async () => {
    const { a, aJoin, b, bJoin } = await pair();
    assert.equal('polite' in aJoin || 'polite' in bJoin, false);
    const before = isPolite(aJoin.self.peerId, bJoin.self.peerId);
    const left = nextEvent(a, 'room:peer-left');
    b.disconnect();
    await left;
    // Service restart seen from the members: both rejoin an empty room, in the other order.
    assertOk(await request(a, 'room:leave'));
    const [b2, a2] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    const bBack = await join(b2, 'r1', { rejoin: bJoin.rejoinToken });
    const aBack = await join(a2, 'r1', { rejoin: aJoin.rejoinToken });
    assert.deepEqual([bBack.self.peerId, aBack.self.peerId], [bJoin.self.peerId, aJoin.self.peerId]);
    assert.equal(isPolite(aBack.self.peerId, bBack.self.peerId), before);
    assert.equal(isPolite(bBack.self.peerId, aBack.self.peerId), !before);
  });
});

describe('room:peer-left reason', () => {
  it('is left after room:leave', async () => {
    const { a, b, bId, bob } = await pair();
    const left = nextEvent(a, 'room:peer-left');
    assertOk(await request(b, 'room:leave'));
    assert.deepEqual(await left, { id: bId, name: 'Bob', peerId: bob, reason: 'left' });
  });

  it('is left after the client disconnects on purpose (socket.disconnect())', async () => {
    const { a, b, bId, bob } = await pair();
    const left = nextEvent(a, 'room:peer-left');
    b.disconnect();
    assert.deepEqual(await left, { id: bId, name: 'Bob', peerId: bob, reason: 'left' });
  });

  it("is disconnected when the client's transport closes without a socket.io goodbye (engine.close())", async () => {
    const { a, b, bId, bob } = await pair();
    const left = nextEvent(a, 'room:peer-left');
    // Closes the WebSocket (close frame) without the socket.io DISCONNECT packet: to the service
    // this is `transport close`, as when a tab is closed or the page navigates away.
    b.io.engine.close();
    assert.deepEqual(await left, { id: bId, name: 'Bob', peerId: bob, reason: 'disconnected' });
  });

  it('is disconnected when the TCP connection just ends (client process died)', async () => {
    link = await new NetworkLink(service.port).start();
    const { a, b, bId, bob } = await pair(link.url);
    const left = nextEvent(a, 'room:peer-left');
    const bGone = disconnected(b);
    link.cut();
    assert.deepEqual(await left, { id: bId, name: 'Bob', peerId: bob, reason: 'disconnected' });
    assert.equal(await bGone, 'transport close');
  });

  it('is disconnected, within 5 s, for a client in a call that goes silent (its watch:beat is late)', async () => {
    link = await new NetworkLink(service.port).start();
    const { a, b, bId, bob } = await pair(link.url);
    // What the widget does in a call: a beat every 1.5 s, the next one due within 3.5 s.
    assertOk(await request(b, 'watch:beat', { next: 3500 }));
    const left = nextEvent(a, 'room:peer-left', 6000);
    const frozenAt = Date.now();
    link.freeze();
    const message = await left;
    const elapsed = Date.now() - frozenAt;
    console.log(`silent client in a call reported to its peer after ${elapsed} ms (watch:beat next 3500)`);
    assert.deepEqual(message, { id: bId, name: 'Bob', peerId: bob, reason: 'disconnected' });
    assert.ok(elapsed < 5000, `reported after ${elapsed} ms`);
    // The place is free again.
    await waitFor('room with one member', async () => (await health(service)).rooms === 1);
    const c = await ctx.client(service.url);
    assert.deepEqual(
      (await join(c, 'r1')).peers.map((peer) => peer.name),
      ['Ann'],
    );
  });
});

describe('watch:beat', () => {
  it('keeps a beating client connected; next: 0 ends the watch', async () => {
    const { a, b } = await pair();
    for (let i = 0; i < 4; i++) {
      assertOk(await request(b, 'watch:beat', { next: 1000 }));
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    assertOk(await request(b, 'watch:beat', { next: 0 }));
    await new Promise((resolve) => setTimeout(resolve, 1300));
    assert.ok(b.connected && a.connected);
  });

  it('refuses a bad next with invalid-payload', async () => {
    const { b } = await pair();
    for (const next of [999, 30_001, -1, 1.5, '2000']) {
      const answer = (await request(b, 'watch:beat', { next } as never)) as { ok: boolean; error?: { code: string } };
      assert.equal(answer.error?.code, 'invalid-payload', `next ${next}`);
    }
  });
});

describe('engine.io heartbeat', () => {
  it('still drops a silent client that asked for no watch, after PING_INTERVAL_MS + PING_TIMEOUT_MS', async () => {
    const quick = await ctx.server({}, testConfig({ PING_INTERVAL_MS: '1000', PING_TIMEOUT_MS: '1000' }));
    link = await new NetworkLink(quick.port).start();
    const a = await ctx.client(quick.url);
    const b = await ctx.client(link.url);
    await join(a, 'r1');
    await join(b, 'r1');
    const left = nextEvent(a, 'room:peer-left', 4000);
    const frozenAt = Date.now();
    link.freeze();
    assert.equal((await left).reason, 'disconnected');
    assert.ok(Date.now() - frozenAt < 3000);
  });
});
