/**
 * A room's capacity through a real service (port 0) with real socket.io clients: the room
 * ticket's `capacity` claim (ROOM_TICKET_SECRET set, ROOM_CAPACITY left at 2) fixes it when its
 * holder is the room's first member, later members' claims change nothing, a claim outside 2-6
 * is `ticket-invalid`, an emptied room forgets it; without tickets, ROOM_CAPACITY decides.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import type { SignalService } from '../src/server.js';
import { TestContext, assertError, assertOk, health, join, record, request, settle, testConfig, type ClientSocket } from './helpers.js';

const SECRET = 'capacity-room-ticket-secret-0123456789abcdef';

/** A room ticket for `room` (an hour), with `claims` added (e.g. `capacity`). */
const ticket = (room: string, claims: Record<string, unknown> = {}) =>
  new SignJWT({ room, ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
    .sign(new TextEncoder().encode(SECRET));

let ctx: TestContext;
let service: SignalService;

beforeEach(async () => {
  ctx = new TestContext();
  service = await ctx.server({}, testConfig({ ROOM_TICKET_SECRET: SECRET }));
});
afterEach(() => ctx.close());

/** Joins `count` new clients to `room`, each with a ticket carrying `claims`; resolves their answer codes and sockets. */
async function joinMany(room: string, count: number, claims: Record<string, unknown> = {}) {
  const sockets = await ctx.clients(service.url, count);
  const codes: string[] = [];
  for (const socket of sockets) {
    const answer = await request(socket, 'room:join', { room, ticket: await ticket(room, claims) });
    codes.push(answer.ok ? `ok:${answer.capacity}` : answer.error.code);
  }
  return { sockets, codes };
}

describe("a ticket's capacity claim (ROOM_CAPACITY=2)", () => {
  it('a room of capacity 5 takes five and refuses the sixth, even one whose ticket claims 6', async () => {
    const { codes } = await joinMany('five', 5, { capacity: 5 });
    assert.deepEqual(codes, Array(5).fill('ok:5'));
    const sixth = await ctx.client(service.url);
    const refused = await request(sixth, 'room:join', { room: 'five', ticket: await ticket('five', { capacity: 6 }) });
    assertError(refused, 'room-full');
    assert.match(refused.ok ? '' : refused.error.message, /5 people/);
  });

  it("the first member's ticket fixes it: a later member's claim of 6 does not raise it, nor a claim of 2 lower it", async () => {
    const first = await joinMany('fixed', 1, { capacity: 3 });
    const later = await joinMany('fixed', 2, { capacity: 6 });
    assert.deepEqual([...first.codes, ...later.codes], ['ok:3', 'ok:3', 'ok:3']);
    assert.deepEqual((await joinMany('fixed', 1, { capacity: 6 })).codes, ['room-full']);
    // A room of 4 whose later members claim 2 still takes its third and fourth.
    const four = await joinMany('four', 1, { capacity: 4 });
    const low = await joinMany('four', 4, { capacity: 2 });
    assert.deepEqual([...four.codes, ...low.codes], ['ok:4', 'ok:4', 'ok:4', 'ok:4', 'room-full']);
    // A ticket without a claim joins a room of 4 as it is.
    assert.deepEqual((await joinMany('fixed-2', 1, { capacity: 4 })).codes.concat((await joinMany('fixed-2', 1)).codes), ['ok:4', 'ok:4']);
  });

  it('a first member without a claim gets ROOM_CAPACITY (2)', async () => {
    assert.deepEqual((await joinMany('plain', 3)).codes, ['ok:2', 'ok:2', 'room-full']);
    // Later claims of 5 change nothing either.
    assert.deepEqual((await joinMany('plain-2', 1)).codes.concat((await joinMany('plain-2', 2, { capacity: 5 })).codes), [
      'ok:2',
      'ok:2',
      'room-full',
    ]);
  });

  it('an emptied room forgets it: the next first member fixes it again', async () => {
    const { sockets, codes } = await joinMany('again', 4, { capacity: 4 });
    assert.deepEqual(codes, Array(4).fill('ok:4'));
    for (const socket of sockets) assertOk(await request(socket, 'room:leave'));
    assert.deepEqual(await health(service), { status: 'ok', rooms: 0 });
    assert.deepEqual((await joinMany('again', 3)).codes, ['ok:2', 'ok:2', 'room-full']);
  });

  for (const capacity of [0, 1, 7, 2.5, -4, '4', null, true]) {
    it(`refuses a ticket whose capacity claim is ${JSON.stringify(capacity)} with ticket-invalid, changing nothing`, async () => {
      const [member, joiner] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
      await join(member, 'bad', { ticket: await ticket('bad') });
      const heard = record(member, 'room:peer-joined');
      assertError(await request(joiner, 'room:join', { room: 'bad', ticket: await ticket('bad', { capacity }) }), 'ticket-invalid');
      // And as the first member of an empty room.
      assertError(
        await request(joiner, 'room:join', { room: 'bad-empty', ticket: await ticket('bad-empty', { capacity }) }),
        'ticket-invalid',
      );
      await settle(member);
      assert.deepEqual(heard.received, []);
      assert.deepEqual(await health(service), { status: 'ok', rooms: 1 });
      assertError(await request(joiner, 'ice:servers'), 'not-in-room');
    });
  }
});

describe('without room tickets', () => {
  it('ROOM_CAPACITY decides every room; a ticket and its claim are ignored', async () => {
    const open = await ctx.server({}, testConfig({ ROOM_CAPACITY: '3' }));
    const sockets = await ctx.clients(open.url, 4);
    // The ticket field is ignored without ROOM_TICKET_SECRET, capacity claim included.
    const claim = await ticket('r1', { capacity: 6 });
    const answers = [];
    for (const socket of sockets) answers.push(await request(socket, 'room:join', { room: 'r1', ticket: claim }));
    assert.deepEqual(
      answers.map((a) => (a.ok ? `ok:${a.capacity}` : a.error.code)),
      ['ok:3', 'ok:3', 'ok:3', 'room-full'],
    );
  });
});
