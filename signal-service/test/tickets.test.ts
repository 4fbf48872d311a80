/**
 * Room tickets (ROOM_TICKET_SECRET): the verifier on its own with tokens made by jose here and by
 * hand (alg none), then `room:join` through a real service with real clients, and the
 * examples/mint-ticket.mjs script a host backend copies.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SignJWT, type JWTPayload } from 'jose';
import type { SignalService } from '../src/server.js';
import { MAX_NAME_LENGTH, MAX_TICKET_LENGTH } from 'video-call-protocol';
import { MAX_TICKET_LIFETIME_SECONDS, TICKET_CLOCK_TOLERANCE_SECONDS, createTicketVerifier } from '../src/tickets.js';
import {
  TestContext,
  assertError,
  assertOk,
  health,
  join,
  nextEvent,
  rawRequest,
  record,
  request,
  settle,
  testConfig,
  type ClientSocket,
  opaque,
  PEER_ID,
} from './helpers.js';
import { servicePerTest } from './service-per-test.js';

const SECRET = 'north-wind-room-ticket-secret-0123456789';
const OTHER_SECRET = 'south-wind-room-ticket-secret-0123456789';
const NOW_S = 1_800_000_000;
const mintScript = fileURLToPath(new URL('../examples/mint-ticket.mjs', import.meta.url));

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs `claims` (exp defaults to an hour from now) with `secret` and `alg`. */
function mint(claims: JWTPayload, { secret = SECRET, alg = 'HS256', exp = true } = {}): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' });
  if (exp && claims.exp === undefined) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + 3600);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** An unsecured JWT (RFC 7519 §6): header alg "none" and an empty signature. */
function unsecured(claims: JWTPayload): string {
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}

describe('createTicketVerifier', () => {
  const verifier = createTicketVerifier(SECRET, { now: () => NOW_S * 1000 });
  const at = (claims: JWTPayload, options?: Parameters<typeof mint>[1]) => mint({ exp: NOW_S + 60, ...claims }, options);

  it('admits a valid ticket for its room, with the name claim when there is one', async () => {
    assert.equal(verifier.required, true);
    assert.deepEqual(await verifier.check(await at({ room: 'r1' }), 'r1'), { ok: true });
    assert.deepEqual(await verifier.check(await at({ room: 'r1', name: '  Ada  ', iat: NOW_S, nbf: NOW_S }), 'r1'), {
      ok: true,
      name: 'Ada',
    });
  });

  const cases: [string, () => string | undefined | Promise<string | undefined>, string][] = [
    ['no ticket', () => undefined, 'ticket-required'],
    ['an empty ticket', () => '', 'ticket-required'],
    ['expired beyond the clock tolerance', () => at({ room: 'r1', exp: NOW_S - TICKET_CLOCK_TOLERANCE_SECONDS - 1 }), 'ticket-expired'],
    ['for another room', () => at({ room: 'r2' }), 'ticket-wrong-room'],
    ['for a room that differs only in case', () => at({ room: 'R1' }), 'ticket-wrong-room'],
    ['signed with another secret (forged)', () => at({ room: 'r1' }, { secret: OTHER_SECRET }), 'ticket-invalid'],
    ['signed HS512 with the right secret', () => at({ room: 'r1' }, { alg: 'HS512' }), 'ticket-invalid'],
    ['signed HS384 with the right secret', () => at({ room: 'r1' }, { alg: 'HS384' }), 'ticket-invalid'],
    ['unsecured (alg none)', () => unsecured({ room: 'r1', exp: NOW_S + 60 }), 'ticket-invalid'],
    ['without exp', () => mint({ room: 'r1' }, { exp: false }), 'ticket-invalid'],
    ['with exp a string', () => at({ room: 'r1', exp: String(NOW_S + 60) as unknown as number }), 'ticket-invalid'],
    ['without room', () => at({ name: 'Ada' }), 'ticket-invalid'],
    ['with room a number', () => at({ room: 1 }), 'ticket-invalid'],
    ['with a name too long', () => at({ room: 'r1', name: 'n'.repeat(MAX_NAME_LENGTH + 1) }), 'ticket-invalid'],
    ['with a name holding a control character', () => at({ room: 'r1', name: 'Ada\u0007' }), 'ticket-invalid'],
    ['with a name that is not a string', () => at({ room: 'r1', name: 7 }), 'ticket-invalid'],
    ...[0, 1, 7, 2.5, -4, '4', null, true, [4]].map((capacity): [string, () => Promise<string>, string] => [
      `with a capacity claim of ${JSON.stringify(capacity)}`,
      () => at({ room: 'r1', capacity }),
      'ticket-invalid',
    ]),
    ['not valid yet (nbf in a minute)', () => at({ room: 'r1', nbf: NOW_S + 60 }), 'ticket-invalid'],
    ['lasting longer than 24 h from now', () => at({ room: 'r1', exp: NOW_S + MAX_TICKET_LIFETIME_SECONDS + 60 }), 'ticket-invalid'],
    [
      'lasting longer than 24 h from its iat',
      () => at({ room: 'r1', iat: NOW_S - 3600, exp: NOW_S + MAX_TICKET_LIFETIME_SECONDS - 60 }),
      'ticket-invalid',
    ],
    ['not a JWT at all', () => 'hello', 'ticket-invalid'],
    ['three dots of garbage', () => 'a.b.c', 'ticket-invalid'],
    [
      'a valid ticket with its payload swapped',
      async () => {
        const [header, , signature] = (await at({ room: 'r2' })).split('.');
        return `${header}.${encode({ room: 'r1', exp: NOW_S + 60 })}.${signature}`;
      },
      'ticket-invalid',
    ],
  ];
  for (const [label, ticket, code] of cases) {
    it(`refuses a ticket ${label} with ${code}`, async () => {
      const outcome = await verifier.check(await ticket(), 'r1');
      assert.equal(outcome.ok, false);
      assert.ok(!outcome.ok);
      assert.equal(outcome.code, code);
      assert.match(outcome.message, /^[A-Z][^{}<>/\\]*\.$/, 'one plain sentence, nothing from the token');
    });
  }

  it('admits a capacity claim of 2 to 6, and says it', async () => {
    for (const capacity of [2, 3, 4, 5, 6]) {
      assert.deepEqual(await verifier.check(await at({ room: 'r1', capacity }), 'r1'), { ok: true, capacity });
    }
    assert.deepEqual(await verifier.check(await at({ room: 'r1', name: 'Ada', capacity: 4 }), 'r1'), {
      ok: true,
      name: 'Ada',
      capacity: 4,
    });
  });

  it('accepts a ticket of just under 24 h', async () => {
    assert.deepEqual(await verifier.check(await at({ room: 'r1', iat: NOW_S, exp: NOW_S + MAX_TICKET_LIFETIME_SECONDS }), 'r1'), {
      ok: true,
    });
  });

  it(`accepts a ticket that expired less than ${TICKET_CLOCK_TOLERANCE_SECONDS} s ago (clock skew)`, async () => {
    assert.deepEqual(await verifier.check(await at({ room: 'r1', exp: NOW_S - 2 }), 'r1'), { ok: true });
  });

  it('without a secret admits every join and ignores the ticket', async () => {
    const open = createTicketVerifier(undefined);
    assert.equal(open.required, false);
    assert.deepEqual(await open.check(undefined, 'r1'), { ok: true });
    assert.deepEqual(await open.check('garbage', 'r1'), { ok: true });
    assert.deepEqual(await open.check(await mint({ room: 'r2', name: 'Mallory' }), 'r1'), { ok: true });
  });
});

describe('room:join with ROOM_TICKET_SECRET set', () => {
  let ctx: TestContext;
  let service: SignalService;

  beforeEach(async () => {
    ctx = new TestContext();
    service = await ctx.server({}, testConfig({ ROOM_TICKET_SECRET: SECRET }));
  });
  afterEach(() => ctx.close());

  /** Asserts a refused join of r1 with `ticket` answers `code` and changes nothing. */
  async function refused(ticket: string | undefined, code: string) {
    const [member, joiner] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await join(member, 'r1', { name: 'Ann', ticket: await mint({ room: 'r1' }) });
    const seen = record(member, 'room:peer-joined');
    const answer = await request(
      joiner,
      'room:join',
      ticket === undefined ? { room: 'r1', name: 'Bob' } : { room: 'r1', name: 'Bob', ticket },
    );
    assertError(answer, code);
    assert.doesNotMatch(JSON.stringify(answer), /at |\/|\\|eyJ/, 'no stack, paths or token in the answer');
    await settle(member);
    assert.deepEqual(seen.received, []);
    assert.deepEqual(await health(service), { status: 'ok', rooms: 1 });
    assertError(await request(joiner, 'ice:servers'), 'not-in-room');
    // The refused joiner is not in the room: a valid ticket now takes the place.
    assertOk(await request(joiner, 'room:join', { room: 'r1', name: 'Bob', ticket: await mint({ room: 'r1' }) }));
  }

  it('admits a join with a valid ticket', async () => {
    const a = await ctx.client(service.url);
    const answer = await join(a, 'r1', { name: 'Ann', ticket: await mint({ room: 'r1' }) });
    assert.deepEqual(opaque(answer.self), { id: a.id, name: 'Ann', peerId: PEER_ID });
  });

  it("shows the ticket's name, not the client's, in self, peers and room:peer-joined", async () => {
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    const aJoin = await join(a, 'r1', { name: 'I am the admin', ticket: await mint({ room: 'r1', name: 'Ann (verified)' }) });
    assert.equal(aJoin.self.name, 'Ann (verified)');
    const peerJoined = nextEvent(a, 'room:peer-joined');
    const bJoin = await join(b, 'r1', { name: 'Bob', ticket: await mint({ room: 'r1', name: 'Robert' }) });
    assert.equal(bJoin.self.name, 'Robert');
    assert.deepEqual(
      bJoin.peers.map((peer) => peer.name),
      ['Ann (verified)'],
    );
    assert.deepEqual(opaque(await peerJoined), { id: b.id, name: 'Robert', peerId: PEER_ID });
    const left = nextEvent(a, 'room:peer-left');
    b.disconnect();
    assert.equal((await left).name, 'Robert');
  });

  it('refuses a join without a ticket with ticket-required', () => refused(undefined, 'ticket-required'));
  it('refuses an expired ticket with ticket-expired', async () =>
    refused(await mint({ room: 'r1', exp: Math.floor(Date.now() / 1000) - 60 }), 'ticket-expired'));
  it('refuses a forged ticket (another secret) with ticket-invalid', async () =>
    refused(await mint({ room: 'r1' }, { secret: OTHER_SECRET }), 'ticket-invalid'));
  it('refuses an unsecured ticket (alg none) with ticket-invalid', () =>
    refused(unsecured({ room: 'r1', exp: Math.floor(Date.now() / 1000) + 60 }), 'ticket-invalid'));
  it('refuses an HS512 ticket with ticket-invalid', async () => refused(await mint({ room: 'r1' }, { alg: 'HS512' }), 'ticket-invalid'));
  it('refuses a ticket for another room with ticket-wrong-room', async () => refused(await mint({ room: 'r2' }), 'ticket-wrong-room'));

  it('validates the payload before the ticket, and refuses a ticket over 4096 characters as invalid-payload', async () => {
    const a = await ctx.client(service.url);
    assertError(await rawRequest(a, 'room:join', [{ room: 'a b' }]), 'invalid-payload');
    assertError(await rawRequest(a, 'room:join', [{ room: 'r1', ticket: 7 }]), 'invalid-payload');
    const long = await rawRequest(a, 'room:join', [{ room: 'r1', ticket: 'x'.repeat(MAX_TICKET_LENGTH + 1) }]);
    assertError(long, 'invalid-payload');
    assert.match((long as { error: { message: string } }).error.message, /^ticket: /);
    assert.deepEqual(await health(service), { status: 'ok', rooms: 0 });
  });

  it('admits a ticket minted by examples/mint-ticket.mjs, with its name and capacity', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, ROOM_TICKET_SECRET: SECRET };
    const { stdout } = await run(process.execPath, [mintScript, 'r1', 'Grace', '120', '3'], { env });
    const ticket = stdout.trim();
    assert.match(ticket, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const a = await ctx.client(service.url);
    const answer = await join(a, 'r1', { name: 'x', ticket });
    assert.equal(answer.self.name, 'Grace');
    assert.equal(answer.capacity, 3);
    // Without the capacity argument: the service's ROOM_CAPACITY (2 here).
    const plain = (await run(process.execPath, [mintScript, 'r2', 'Grace'], { env })).stdout.trim();
    assert.equal((await join(await ctx.client(service.url), 'r2', { ticket: plain })).capacity, 2);
    // The script refuses to run without the secret, or with a capacity outside 2-6.
    for (const [args, scriptEnv] of [
      [['r1'], { PATH: process.env.PATH }],
      [['r1', 'Grace', '120', '7'], env],
    ] as const) {
      await assert.rejects(run(process.execPath, [mintScript, ...args], { env: scriptEnv }), (error: { code?: number }) => {
        assert.equal(error.code, 2);
        return true;
      });
    }
  });
});

describe('room:join without ROOM_TICKET_SECRET', () => {
  const rig = servicePerTest();

  it('accepts and ignores a ticket field, even a bad one or one naming someone else', async () => {
    const [a, b] = (await rig.ctx.clients(rig.service.url, 2)) as [ClientSocket, ClientSocket];
    assert.equal((await join(a, 'r1', { name: 'Ann', ticket: 'not-a-jwt' })).self.name, 'Ann');
    const other = await mint({ room: 'r2', name: 'Mallory' }, { secret: OTHER_SECRET });
    assert.equal((await join(b, 'r1', { name: 'Bob', ticket: other })).self.name, 'Bob');
  });
});
