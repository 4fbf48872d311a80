/**
 * Malformed payloads on every client event: each is answered `invalid-payload` (when it carries an
 * acknowledgement) and changes nothing: the room count stays, other members see no event, the
 * sender is still where it was.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MAX_CANDIDATE_LENGTH, MAX_NAME_LENGTH, MAX_SDP_LENGTH, type Signal } from 'video-call-protocol';
import type { SignalService } from '../src/server.js';
import {
  TestContext,
  assertError,
  assertOk,
  health,
  join,
  nextEvent,
  rawEmit,
  rawRequest,
  record,
  request,
  settle,
  type ClientSocket,
  generousRateLimiter,
} from './helpers.js';

let ctx: TestContext;
let service: SignalService;

beforeEach(async () => {
  ctx = new TestContext();
  // Hundreds of bad requests from one socket: budgets large enough that validation, not the rate
  // limiter (tested in rate-limits.test.ts), is what answers.

  service = await ctx.server({
    rateLimiter: generousRateLimiter(100_000),
  });
});

afterEach(async () => {
  await ctx.close();
});

/** `a` alone in room r1, `b` connected but in no room, recorders on `a`'s presence and relay events. */
async function setup() {
  const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
  await join(a, 'r1', 'Ann');
  const watched = {
    joined: record(a, 'room:peer-joined'),
    left: record(a, 'room:peer-left'),
    relayed: record(a, 'signal:relay'),
  };
  /** Asserts that nothing reached `a` and that the service still holds exactly room r1 with `a`. */
  const assertNothingChanged = async () => {
    await settle(a);
    assert.deepEqual(watched.joined.received, [], 'a got room:peer-joined');
    assert.deepEqual(watched.left.received, [], 'a got room:peer-left');
    assert.deepEqual(watched.relayed.received, [], 'a got signal:relay');
    assert.deepEqual(await health(service), { status: 'ok', rooms: 1 });
    // b is in no room, a still is.
    assertError(await request(b, 'ice:servers'), 'not-in-room');
    assertOk(await request(a, 'ice:servers'));
  };
  return { a, b, assertNothingChanged };
}

const BAD_JOINS: [string, unknown[]][] = [
  ['no payload', []],
  ['null', [null]],
  ['a string', ['r1']],
  ['a number', [42]],
  ['an array', [['r1']]],
  ['room missing', [{ name: 'Bob' }]],
  ['room a number', [{ room: 1 }]],
  ['room null', [{ room: null }]],
  ['room with a space', [{ room: 'a b' }]],
  ['room empty', [{ room: '' }]],
  ['room of 65 characters', [{ room: 'x'.repeat(65) }]],
  ['room with a slash', [{ room: '../x' }]],
  ['room with a colon', [{ room: 'r:1' }]],
  ['room with non-ASCII letters', [{ room: 'salle-é' }]],
  ['name a number', [{ room: 'r1', name: 7 }]],
  ['name null', [{ room: 'r1', name: null }]],
  ['name too long', [{ room: 'r1', name: 'n'.repeat(MAX_NAME_LENGTH + 1) }]],
  ['name with a control character', [{ room: 'r1', name: 'Bob\u0007' }]],
  ['name with a newline', [{ room: 'r1', name: 'Bob\nAdmin' }]],
  ['name with C1 control', [{ room: 'r1', name: 'Bob\u0085' }]],
  ['the former session field', [{ room: 'r1', session: 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d' }]],
  ['rejoin a number', [{ room: 'r1', rejoin: 12345678 }]],
  ['rejoin null', [{ room: 'r1', rejoin: null }]],
  ['rejoin too short', [{ room: 'r1', rejoin: 't'.repeat(15) }]],
  ['rejoin too long', [{ room: 'r1', rejoin: 't'.repeat(129) }]],
  ['rejoin with a space', [{ room: 'r1', rejoin: 'has space in it, and more' }]],
  ['rejoin with non-ASCII letters', [{ room: 'r1', rejoin: 'jéton-1234567890abc' }]],
  // Roles are derived per pair by the clients: `polite` is an unknown field, whatever its value.
  ['polite true', [{ room: 'r1', polite: true }]],
  ['polite false', [{ room: 'r1', polite: false }]],
  ['polite a string', [{ room: 'r1', polite: 'yes' }]],
  ['a capacity field (capacity comes from the ticket only)', [{ room: 'r1', capacity: 4 }]],
  ['an extra field', [{ room: 'r1', role: 'polite' }]],
  ['an extra id field', [{ room: 'r1', id: 'someone-else' }]],
];

describe('room:join with a malformed payload', () => {
  it('answers invalid-payload to each and joins nobody', async () => {
    const { b, assertNothingChanged } = await setup();
    for (const [label, args] of BAD_JOINS) {
      assertError(await rawRequest(b, 'room:join', args), 'invalid-payload', label);
    }
    await assertNothingChanged();
    // The same socket can still join with a good payload: the bad ones left no trace.
    const good = await join(b, 'r1', 'Bob');
    assert.equal(good.peers.length, 1);
  });

  it('names the offending field in the message', async () => {
    const { b } = await setup();
    const answer = (await rawRequest(b, 'room:join', [{ room: 'a b' }])) as { error: { message: string } };
    assert.match(answer.error.message, /^room: /);
    const extra = (await rawRequest(b, 'room:join', [{ room: 'r1', role: 'polite' }])) as { error: { message: string } };
    assert.match(extra.error.message, /role/);
    const rejoin = (await rawRequest(b, 'room:join', [{ room: 'r1', rejoin: 'short' }])) as { error: { message: string } };
    assert.match(rejoin.error.message, /^rejoin: /);
    const polite = (await rawRequest(b, 'room:join', [{ room: 'r1', polite: true }])) as { error: { message: string } };
    assert.match(polite.error.message, /polite/);
  });

  it('strips bidi and zero-width controls and lone surrogates from names, keeping emoji sequences whole', async () => {
    const { b } = await setup();
    const cases: [string, string][] = [
      ['Bob\u202e', 'Bob'],
      ['\u2066evil\u2069 Ann', 'evil Ann'],
      ['A\u200bd\u200ca\u2060\ufeff\u200e\u200f\u061c', 'Ada'],
      ['x\ud800y\udc00z', 'xyz'],
      ['a\u200db', 'ab'],
      ['\u{1F469}\u200d\u{1F4BB} Eve', '\u{1F469}\u200d\u{1F4BB} Eve'],
      [' \u200b ', ''],
    ];
    for (const [sent, shown] of cases) {
      const answer = await request(b, 'room:join', { room: 'r2', name: sent });
      assertOk(answer);
      assert.equal(answer.self.name, shown, JSON.stringify(sent));
      assertOk(await request(b, 'room:leave'));
    }
  });

  it('accepts a name of exactly the maximum length', async () => {
    const { b } = await setup();
    const name = 'n'.repeat(MAX_NAME_LENGTH);
    assert.equal((await join(b, 'r1', name)).self.name, name);
  });

  it('a join without an acknowledgement changes nothing', async () => {
    const { b, assertNothingChanged } = await setup();
    rawEmit(b, 'room:join', { room: 'r1', name: 'Bob' });
    await settle(b);
    await assertNothingChanged();
  });

  it('a malformed join without an acknowledgement changes nothing and keeps the connection', async () => {
    const { b, assertNothingChanged } = await setup();
    rawEmit(b, 'room:join', { room: 'a b' });
    rawEmit(b, 'room:join', 'r1');
    rawEmit(b, 'room:join');
    await assertNothingChanged();
    assert.equal(b.connected, true);
  });
});

const DESCRIPTION = { type: 'offer', sdp: 'v=0\r\n' } as const;
const CALL = 'call-0001';
const OFFER: Signal = { kind: 'description', call: CALL, description: DESCRIPTION };

/** Each case has exactly one thing wrong: every other field is valid (`call` included). */
function badRelays(to: string): [string, unknown[]][] {
  const signal = (fields: Record<string, unknown>) => ({ to, signal: { call: CALL, ...fields } });
  const candidate = (extra: Record<string, unknown>) =>
    signal({ kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 192.0.2.1 9 typ host', ...extra } });
  return [
    ['no payload', []],
    ['null', [null]],
    ['a string', ['hello']],
    ['an array', [[to, OFFER]]],
    ['to missing', [{ signal: OFFER }]],
    ['to a number', [{ to: 5, signal: OFFER }]],
    ['to empty', [{ to: '', signal: OFFER }]],
    ['to of 65 characters', [{ to: 'x'.repeat(65), signal: OFFER }]],
    ['signal missing', [{ to }]],
    ['signal a string', [{ to, signal: 'offer' }]],
    ['unknown kind', [signal({ kind: 'chat', text: 'hi' })]],
    ['kind missing', [signal({ description: DESCRIPTION })]],
    ...(['ring', 'accept', 'decline', 'hang-up', 'description', 'candidate'] as const).flatMap((kind): [string, unknown[]][] => {
      const valid = {
        ring: {},
        accept: {},
        decline: {},
        'hang-up': {},
        description: { description: DESCRIPTION },
        candidate: { candidate: null },
      }[kind];
      return [
        [`${kind} without call`, [{ to, signal: { kind, ...valid } }]],
        [`${kind} with call null`, [signal({ kind, ...valid, call: null })]],
        [`${kind} with a numeric call`, [signal({ kind, ...valid, call: 12345678 })]],
        [`${kind} with a call of 7 characters`, [signal({ kind, ...valid, call: 'c'.repeat(7) })]],
        [`${kind} with a call of 65 characters`, [signal({ kind, ...valid, call: 'c'.repeat(65) })]],
        [`${kind} with a call with a dot`, [signal({ kind, ...valid, call: 'call.0001' })]],
        [`${kind} with a call with a space`, [signal({ kind, ...valid, call: 'call 0001' })]],
        [`${kind} with an extra field`, [signal({ kind, ...valid, sender: 'x' })]],
      ];
    }),
    ['description missing', [signal({ kind: 'description' })]],
    ['description type rollback', [signal({ kind: 'description', description: { type: 'rollback', sdp: '' } })]],
    ['description sdp a number', [signal({ kind: 'description', description: { type: 'offer', sdp: 1 } })]],
    ['sdp over 32 KiB', [signal({ kind: 'description', description: { type: 'offer', sdp: 'a'.repeat(MAX_SDP_LENGTH + 1) } })]],
    ['candidate missing', [signal({ kind: 'candidate' })]],
    ['candidate a string', [signal({ kind: 'candidate', candidate: 'candidate:1 1 udp 1 192.0.2.1 9 typ host' })]],
    ['candidate over 1 KiB', [signal({ kind: 'candidate', candidate: { candidate: 'c'.repeat(MAX_CANDIDATE_LENGTH + 1) } })]],
    ['sdpMLineIndex negative', [candidate({ sdpMLineIndex: -1 })]],
    ['sdpMLineIndex fractional', [candidate({ sdpMLineIndex: 0.5 })]],
    ['sdpMLineIndex a string', [candidate({ sdpMLineIndex: '0' })]],
    ['sdpMid too long', [candidate({ sdpMid: 'm'.repeat(33) })]],
    ['an extra candidate field', [candidate({ foundation: '1' })]],
    ['hang-up with an unknown reason', [signal({ kind: 'hang-up', reason: 'bye' })]],
    ['hang-up with reason null', [signal({ kind: 'hang-up', reason: null })]],
    ['decline with a reason', [signal({ kind: 'decline', reason: 'no-answer' })]],
    ['an extra description field', [signal({ kind: 'description', description: { ...DESCRIPTION, sender: 'x' } })]],
    ['an extra top-level field', [{ to, signal: OFFER, room: 'r2' }]],
    ['a claimed sender', [{ to, signal: OFFER, from: 'someone-else' }]],
  ];
}

describe('signal:relay with a malformed payload', () => {
  it('answers invalid-payload to each and relays nothing', async () => {
    const { a, b } = await setup();
    await join(b, 'r1', 'Bob');
    const relayed = record(a, 'signal:relay');
    for (const [label, args] of badRelays(a.id!)) {
      assertError(await rawRequest(b, 'signal:relay', args), 'invalid-payload', label);
    }
    await settle(a);
    assert.deepEqual(relayed.received, []);
    assert.deepEqual(await health(service), { status: 'ok', rooms: 1 });
    // Still in the room, and a good relay gets through: the recorder would have seen the bad ones.
    const delivered = nextEvent(a, 'signal:relay');
    assertOk(await request(b, 'signal:relay', { to: a.id!, signal: OFFER }));
    assert.deepEqual(await delivered, { from: b.id, signal: OFFER });
  });

  it('names signal.call in the message when the call id is missing or malformed', async () => {
    const { a, b } = await setup();
    await join(b, 'r1');
    for (const call of [undefined, 'short', 'has space 0001']) {
      const answer = (await rawRequest(b, 'signal:relay', [{ to: a.id, signal: { kind: 'ring', call } }])) as {
        error: { message: string };
      };
      assert.match(answer.error.message, /^signal\.call: /, String(call));
    }
  });

  it('validates before checking membership: a malformed relay outside a room is invalid-payload', async () => {
    const { a, b } = await setup();
    assertError(await rawRequest(b, 'signal:relay', [{ to: a.id, signal: { kind: 'chat', call: CALL } }]), 'invalid-payload');
  });

  it('accepts an SDP of exactly 32 KiB and a candidate of exactly 1 KiB', async () => {
    const { a, b } = await setup();
    await join(b, 'r1');
    const big: Signal = { kind: 'description', call: CALL, description: { type: 'offer', sdp: 'a'.repeat(MAX_SDP_LENGTH) } };
    const bigDelivered = nextEvent(a, 'signal:relay');
    assertOk(await request(b, 'signal:relay', { to: a.id!, signal: big }));
    assert.equal((await bigDelivered).signal.kind, 'description');
    const long: Signal = { kind: 'candidate', call: CALL, candidate: { candidate: 'c'.repeat(MAX_CANDIDATE_LENGTH) } };
    const longDelivered = nextEvent(a, 'signal:relay');
    assertOk(await request(b, 'signal:relay', { to: a.id!, signal: long }));
    assert.deepEqual((await longDelivered).signal, long);
  });

  it('a malformed relay without an acknowledgement relays nothing and keeps the connection', async () => {
    const { a, b } = await setup();
    await join(b, 'r1');
    const relayed = record(a, 'signal:relay');
    rawEmit(b, 'signal:relay', { to: a.id, signal: OFFER, from: 'someone-else' });
    rawEmit(b, 'signal:relay', 'garbage');
    rawEmit(b, 'signal:relay');
    await settle(a);
    await settle(b);
    assert.deepEqual(relayed.received, []);
    assert.equal(b.connected, true);
  });
});

describe('room:leave and ice:servers with unexpected arguments', () => {
  it('ignore arguments other than the acknowledgement', async () => {
    const { a, b } = await setup();
    assertError(await rawRequest(b, 'ice:servers', [{ room: 'r1' }]), 'not-in-room');
    assertError(await rawRequest(b, 'room:leave', [{ room: 'r1' }]), 'not-in-room');
    const answer = (await rawRequest(a, 'ice:servers', ['anything'])) as { ok: boolean; iceServers: unknown[] };
    assert.equal(answer.ok, true);
    assert.ok(answer.iceServers.length > 0);
    assert.deepEqual(await health(service), { status: 'ok', rooms: 1 });
  });

  it('ice:servers without an acknowledgement changes nothing and keeps the connection', async () => {
    const { a, assertNothingChanged } = await setup();
    rawEmit(a, 'ice:servers');
    rawEmit(a, 'ice:servers', { x: 1 });
    await assertNothingChanged();
    assert.equal(a.connected, true);
  });
});
