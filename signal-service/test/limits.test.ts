/**
 * Every incoming event is limited (rate-limits.ts, socket-requests.ts): `room:leave`, requests
 * from non-members, events without an acknowledgement and events of unknown names all take a
 * point of the socket's `events` budget; refusals and unknown names take a violation point, and a
 * socket with none left is cut off. The formerly unlimited floods (10,000 `room:leave` a second)
 * end with the connection.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SocketRateLimiter } from '../src/rate-limits.js';
import type { SignalService } from '../src/server.js';
import { TestContext, assertError, assertOk, disconnected, join, rawEmit, request, type ClientSocket } from './helpers.js';

const EVENTS = 12;
const many = { points: 10_000, duration: 60 };
let ctx: TestContext;
let service: SignalService;

beforeEach(async () => {
  ctx = new TestContext();
  service = await ctx.server({
    rateLimiter: new SocketRateLimiter({
      events: { points: EVENTS, duration: 60 },
      join: many,
      leave: many,
      relay: many,
      ice: many,
      watch: many,
      violations: many,
    }),
  });
});
afterEach(() => ctx.close());

/** Sends `count` requests and returns their answers' codes (`ok` for success). */
async function codes(socket: ClientSocket, count: number, send: () => Promise<unknown>): Promise<string[]> {
  const answers: string[] = [];
  for (let i = 0; i < count; i++) {
    const answer = (await send()) as { ok: boolean; error?: { code: string } };
    answers.push(answer.ok ? 'ok' : answer.error!.code);
  }
  void socket;
  return answers;
}

describe('the events budget', () => {
  it('limits room:leave, also from a socket in no room', async () => {
    const a = await ctx.client(service.url);
    const answers = await codes(a, EVENTS + 3, () => request(a, 'room:leave'));
    assert.deepEqual(answers, [...Array<string>(EVENTS).fill('not-in-room'), 'rate-limited', 'rate-limited', 'rate-limited']);
  });

  it('limits relays and ice:servers from non-members', async () => {
    const a = await ctx.client(service.url);
    const half = EVENTS / 2;
    const relays = await codes(a, half, () => request(a, 'signal:relay', { to: 'x', signal: { kind: 'ring', call: 'call-0001' } }));
    const ice = await codes(a, half + 2, () => request(a, 'ice:servers'));
    assert.deepEqual([...relays, ...ice], [...Array<string>(EVENTS).fill('not-in-room'), 'rate-limited', 'rate-limited']);
  });

  it('counts events sent without an acknowledgement', async () => {
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await join(a, 'r1');
    await join(b, 'r1');
    let delivered = 0;
    b.on('signal:relay', () => delivered++);
    for (let i = 0; i < EVENTS - 1; i++) rawEmit(a, 'signal:relay', { to: b.id, signal: { kind: 'ring', call: 'call-0001' } });
    rawEmit(a, 'room:join', { room: 'r2' }); // ack-less join: ignored, but counted
    assertError(await request(a, 'signal:relay', { to: b.id!, signal: { kind: 'ring', call: 'call-0001' } }), 'rate-limited');
    assertOk(await request(b, 'ice:servers')); // a round trip on b: every relay sent before has arrived
    assert.equal(delivered, EVENTS - 1); // the join took the first point; the ack-less join was over budget
  });

  it('counts events of unknown names (never answered)', async () => {
    const a = await ctx.client(service.url);
    let answered = 0;
    for (let i = 0; i < EVENTS; i++) (a as unknown as { emit(...args: unknown[]): void }).emit(`no:such-${i}`, {}, () => answered++);
    assertError(await request(a, 'ice:servers'), 'rate-limited');
    assert.equal(answered, 0);
  });

  it('limits watch:beat', async () => {
    const a = await ctx.client(service.url);
    const answers = await codes(a, EVENTS + 1, () => request(a, 'watch:beat', { next: 0 }));
    assert.deepEqual(answers, [...Array<string>(EVENTS).fill('ok'), 'rate-limited']);
  });

  it('is per socket: another connection keeps its own', async () => {
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await codes(a, EVENTS, () => request(a, 'room:leave'));
    assertError(await request(a, 'room:leave'), 'rate-limited');
    assertError(await request(b, 'room:leave'), 'not-in-room');
  });
});

describe('the room:leave budget', () => {
  it('refuses leaves over it with rate-limited', async () => {
    const strict = await ctx.server({ rateLimiter: new SocketRateLimiter({ leave: { points: 2, duration: 60 }, violations: many }) });
    const a = await ctx.client(strict.url);
    assert.deepEqual(await codes(a, 4, () => request(a, 'room:leave')), ['not-in-room', 'not-in-room', 'rate-limited', 'rate-limited']);
  });
});

describe('a flood', () => {
  it('of room:leave without answers, as fast as the socket goes, ends with the connection (default budgets)', async () => {
    const strict = await ctx.server();
    const [flooder, a, b] = (await ctx.clients(strict.url, 3)) as [ClientSocket, ClientSocket, ClientSocket];
    await join(a, 'calm');
    await join(b, 'calm');
    const gone = disconnected(flooder, 5000);
    for (let i = 0; i < 2000; i++) rawEmit(flooder, 'room:leave');
    assert.equal(await gone, 'io server disconnect');
    // The call elsewhere is untouched.
    assertOk(await request(a, 'signal:relay', { to: b.id!, signal: { kind: 'ring', call: 'call-0001' } }));
  });

  it('of unknown events ends with the connection once its violations are used up', async () => {
    const strict = await ctx.server({ rateLimiter: new SocketRateLimiter({ violations: { points: 5, duration: 60 } }) });
    const a = await ctx.client(strict.url);
    const gone = disconnected(a, 3000);
    for (let i = 0; i < 10; i++) rawEmit(a, 'admin:kick', { everyone: true });
    assert.equal(await gone, 'io server disconnect');
  });
});
