/**
 * Per-socket rate limits with real clients: over budget is answered `rate-limited` and changes
 * nothing, other sockets keep their own budget, and persistent abuse ends the connection.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SocketRateLimiter } from '../src/rate-limits.js';
import type { SignalService } from '../src/server.js';
import { TestContext, assertError, assertOk, join, nextEvent, request, type ClientSocket, opaque, PEER_ID } from './helpers.js';

const OFFER = { kind: 'description', call: 'call-0001', description: { type: 'offer', sdp: 'v=0\r\n' } } as const;

describe('rate limits', () => {
  let ctx: TestContext;
  let service: SignalService;

  beforeEach(async () => {
    ctx = new TestContext();
    service = await ctx.server({
      rateLimiter: new SocketRateLimiter({
        join: { points: 3, duration: 60 },
        relay: { points: 5, duration: 60 },
        ice: { points: 2, duration: 60 },
        violations: { points: 4, duration: 60 },
      }),
    });
  });
  afterEach(() => ctx.close());

  it('answers ice:servers over budget with rate-limited; another member keeps its budget', async () => {
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await join(a, 'r1');
    await join(b, 'r1');
    assertOk(await request(a, 'ice:servers'));
    assertOk(await request(a, 'ice:servers'));
    const refused = await request(a, 'ice:servers');
    assertError(refused, 'rate-limited');
    assert.doesNotMatch(JSON.stringify(refused), /at |\/|\\/); // no stack, no paths
    assertOk(await request(b, 'ice:servers'));
  });

  it('stops relaying over budget: the peer receives exactly the allowed signals', async () => {
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await join(a, 'r1');
    await join(b, 'r1');
    let received = 0;
    b.on('signal:relay', () => received++);
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await request(a, 'signal:relay', { to: b.id!, signal: OFFER }));
    assert.deepEqual(
      answers.map((answer) => (answer.ok ? 'ok' : answer.error.code)),
      ['ok', 'ok', 'ok', 'ok', 'ok', 'rate-limited', 'rate-limited'],
    );
    assertOk(await request(b, 'ice:servers')); // round trip: every relay that was sent has arrived
    assert.equal(received, 5);
  });

  it('counts joins: a socket hopping between rooms is refused after its budget', async () => {
    const [a] = (await ctx.clients(service.url, 1)) as [ClientSocket];
    for (const room of ['r1', 'r2', 'r3']) {
      await join(a, room);
      assertOk(await request(a, 'room:leave'));
    }
    assertError(await request(a, 'room:join', { room: 'r4' }), 'rate-limited');
  });

  it('disconnects a socket that keeps exceeding its budget, and tells its peer it left', async () => {
    const [abuser, peer] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await join(peer, 'r1');
    await join(abuser, 'r1');
    const left = nextEvent(peer, 'room:peer-left');
    const abuserId = abuser.id;
    const disconnected = new Promise<string>((resolve) => abuser.once('disconnect', resolve));
    for (let i = 0; i < 2; i++) assertOk(await request(abuser, 'ice:servers'));
    // 4 refusals are tolerated; the 5th ends the connection.
    for (let i = 0; i < 4; i++) assertError(await request(abuser, 'ice:servers'), 'rate-limited');
    abuser.emit('ice:servers', () => {});
    assert.equal(await disconnected, 'io server disconnect');
    // Cut off by the service: it is not coming back, so `left`, not `disconnected`.
    assert.deepEqual(opaque(await left), { id: abuserId, name: '', peerId: PEER_ID, reason: 'left' });
    assertOk(await request(peer, 'ice:servers'));
  });
});
