/**
 * End to end: two machines (Alice impolite, Bob polite) joined by an ordered relay, their timers
 * on one fake clock. Time moves only in `clock.advance()`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONNECT_TIMEOUT_MS, RING_TIMEOUT_MS } from '../../src/call/room-context.js';
import { iceRestartDelayMs, MAX_ICE_RESTARTS } from '../../src/call/ice-recovery.js';
import { bothPc, pair, type Side } from './runner.js';

const A_CALL = 'call-alice-0001';
const B_CALL = 'call-bob-00001';
const call = (side: Side, callId: string) => side.dispatch({ type: 'call', callId });
const signal = (side: Side, kind: string) =>
  side.log.filter((l) => l.effect.type === 'send' && l.effect.signal.kind === kind).map((l) => l.effect);

/** Alice called Bob, Bob accepted, both connected. */
function connectedPair() {
  const p = pair();
  call(p.alice, A_CALL);
  p.bob.dispatch({ type: 'accept' });
  bothPc(p.alice, p.bob, 'connected');
  return p;
}

describe('ringing', () => {
  test('unanswered: both sides give up at the ring timeout with no-answer', () => {
    const { clock, alice, bob } = pair();
    call(alice, A_CALL);
    assert.deepEqual([alice.state, bob.state], ['calling', 'incoming']);
    clock.advance(RING_TIMEOUT_MS - 1);
    assert.deepEqual([alice.state, bob.state], ['calling', 'incoming']);
    clock.advance(1);
    assert.deepEqual([alice.state, bob.state], ['ended', 'ended']);
    assert.deepEqual([alice.endings(), bob.endings()], [['no-answer'], ['no-answer']]);
    assert.deepEqual(signal(alice, 'hang-up'), [
      { type: 'send', to: 'bob-1', signal: { kind: 'hang-up', call: A_CALL, reason: 'no-answer' } },
    ]);
    assert.deepEqual([alice.ctx.media, bob.ctx.media], ['off', 'off']);
    assert.equal(clock.pending, 0);
  });

  test('answered after 10 s: no ring timer is left; connected; hang-up ends both, cameras off', () => {
    const { clock, alice, bob } = pair();
    call(alice, A_CALL);
    clock.advance(10_000);
    bob.dispatch({ type: 'accept' });
    assert.deepEqual([alice.state, bob.state], ['connecting', 'connecting']);
    bothPc(alice, bob, 'connected');
    clock.advance(5 * RING_TIMEOUT_MS);
    assert.deepEqual([alice.state, bob.state], ['connected', 'connected']);
    assert.equal(clock.pending, 0);
    alice.dispatch({ type: 'hang-up' });
    assert.deepEqual([alice.endings(), bob.endings()], [['hang-up'], ['remote-hang-up']]);
    assert.deepEqual([alice.ctx.media, bob.ctx.media], ['off', 'off']);
  });

  test('declined: both ended declined', () => {
    const { alice, bob } = pair();
    call(alice, A_CALL);
    bob.dispatch({ type: 'decline' });
    assert.deepEqual([alice.endings(), bob.endings()], [['declined'], ['declined']]);
  });

  test('cancelled by the caller: the callee hears cancelled', () => {
    const { alice, bob } = pair();
    call(alice, A_CALL);
    alice.dispatch({ type: 'hang-up' });
    assert.deepEqual([alice.endings(), bob.endings()], [['hang-up'], ['cancelled']]);
  });
});

describe('glare', () => {
  test('both call at once: one call (the impolite one), both accepted, no timer left once connected', () => {
    const { clock, relay, alice, bob } = pair();
    relay.held = true;
    call(alice, A_CALL);
    call(bob, B_CALL);
    relay.release();
    assert.deepEqual([alice.state, bob.state], ['connecting', 'connecting']);
    assert.deepEqual([alice.ctx.call?.id, bob.ctx.call?.id], [A_CALL, A_CALL]);
    // Nobody pressed Accept: the polite side accepts the impolite call by itself.
    assert.deepEqual(
      [signal(alice, 'accept'), signal(bob, 'accept')],
      [[], [{ type: 'send', to: 'alice-1', signal: { kind: 'accept', call: A_CALL } }]],
    );
    assert.deepEqual(
      bob.log.filter((l) => l.effect.type === 'open-leg').map((l) => l.effect),
      [
        { type: 'open-leg', peerId: alice.member.peerId, offer: true, polite: true },
        { type: 'open-leg', peerId: alice.member.peerId, offer: false, polite: true },
      ],
    );
    // Bob hung up his own call on the way; Alice, in hers, ignores that.
    assert.deepEqual(signal(bob, 'hang-up'), [{ type: 'send', to: 'alice-1', signal: { kind: 'hang-up', call: B_CALL } }]);
    assert.deepEqual([alice.endings(), bob.endings()], [[], []]);
    bothPc(alice, bob, 'connected');
    clock.advance(5 * RING_TIMEOUT_MS);
    assert.deepEqual([alice.state, bob.state], ['connected', 'connected']);
  });
});

describe('timeouts and ICE recovery', () => {
  test('accepted but never connected: fails at the connect timeout', () => {
    const { clock, alice, bob } = pair();
    call(alice, A_CALL);
    clock.advance(5_000);
    bob.dispatch({ type: 'accept' });
    clock.advance(CONNECT_TIMEOUT_MS - 1);
    assert.deepEqual([alice.state, bob.state], ['connecting', 'connecting']);
    clock.advance(1);
    assert.deepEqual([alice.state, bob.state], ['ended', 'ended']);
    // Bob's timer went first (he accepted first); Alice hears it from him: failed on both sides.
    assert.deepEqual([alice.endings(), bob.endings()], [['failed'], ['failed']]);
    assert.deepEqual(bob.notices().at(-1), { type: 'error', error: { code: 'call-failed' } });
    assert.deepEqual([alice.times('close-leg'), bob.times('close-leg')], [[35_000], [35_000]]);
  });

  test("path lost for good: restarts at the policy's times on both sides, then the call fails", () => {
    const { clock, alice, bob } = connectedPair();
    clock.advance(1_000);
    bothPc(alice, bob, 'disconnected');
    assert.deepEqual([alice.state, bob.state], ['reconnecting', 'reconnecting']);
    clock.advance(60_000);

    const restartTimes = (polite: boolean) => {
      const times: number[] = [];
      let at = 1_000;
      for (let n = 0; n < MAX_ICE_RESTARTS; n++) times.push((at += iceRestartDelayMs(n, { cause: 'disconnected', polite })!));
      return times;
    };
    assert.deepEqual(restartTimes(false), [3_000, 11_000, 19_000]);
    assert.deepEqual(alice.times('restart-ice'), restartTimes(false));
    // Alice gives up one restart timeout after her last restart; Bob hears it (hang-up, failed).
    assert.deepEqual(alice.endings(), ['failed']);
    assert.deepEqual(alice.times('close-leg'), [27_000]);
    assert.deepEqual(bob.times('restart-ice'), restartTimes(true)); // 6 s, 14 s, 22 s
    assert.deepEqual(bob.times('close-leg'), [27_000]);
    assert.deepEqual(bob.endings(), ['failed']);
    assert.equal(clock.pending, 0);
  });

  test('path back after the second restart: connected, no restart left pending', () => {
    const { clock, alice, bob } = connectedPair();
    bothPc(alice, bob, 'failed');
    clock.advance(9_000); // Alice at 0 s and 8 s, Bob at 3 s
    assert.deepEqual([alice.times('restart-ice'), bob.times('restart-ice')], [[0, 8_000], [3_000]]);
    bothPc(alice, bob, 'connected');
    clock.advance(60_000);
    assert.deepEqual([alice.state, bob.state], ['connected', 'connected']);
    assert.equal(clock.pending, 0);
  });
});

describe('the partner away and back', () => {
  /** Bob's signaling dropped; the service told Alice (her call's media still flows). */
  function bobAway() {
    const p = connectedPair();
    p.bob.dispatch({ type: 'signaling-lost', willReconnect: true });
    p.alice.dispatch({ type: 'member-left', member: { ...p.bob.member }, reason: 'disconnected' });
    return p;
  }
  /** Bob is back on a new connection id. */
  function bobBack({ alice, bob }: ReturnType<typeof bobAway>) {
    bob.member.id = 'bob-2';
    bob.dispatch({ type: 'signaling-back' });
    bob.dispatch({ type: 'rejoined', self: bob.member.peerId, members: [{ ...alice.member }] });
    alice.dispatch({ type: 'member-joined', member: { ...bob.member } });
  }

  test('both reconnecting meanwhile; the call resumes (offer re-sent) and ends normally', () => {
    const p = bobAway();
    assert.deepEqual([p.alice.state, p.bob.state], ['reconnecting', 'reconnecting']);
    bobBack(p);
    assert.deepEqual([p.alice.state, p.bob.state], ['connected', 'connected']);
    assert.equal(p.alice.times('resend-offer').length, 1);
    assert.equal(p.bob.times('resend-offer').length, 1);
    p.alice.dispatch({ type: 'hang-up' });
    assert.deepEqual([p.alice.endings(), p.bob.endings()], [['hang-up'], ['remote-hang-up']]);
  });

  test('Alice hangs up meanwhile: Bob hears it as soon as he is back', () => {
    const p = bobAway();
    p.alice.dispatch({ type: 'hang-up' });
    assert.deepEqual([p.alice.state, p.bob.state], ['waiting', 'reconnecting']);
    bobBack(p);
    assert.deepEqual(p.bob.endings(), ['remote-hang-up']);
    assert.deepEqual([p.alice.state, p.bob.state], ['ready', 'ended']);
  });

  test('Bob never comes back: his media stalls, the call ends peer-left', () => {
    const p = bobAway();
    p.clock.advance(5_000);
    p.alice.dispatch({ type: 'leg-media-stalled', peerId: p.bob.member.peerId });
    assert.deepEqual(p.alice.endings(), ['peer-left']);
    assert.equal(p.alice.state, 'waiting');
  });
});

describe('both sides agree on how a call ended', () => {
  test("the callee's shorter ring timeout ends the call for the caller too: no-answer on both", () => {
    const { clock, alice, bob } = pair({ bob: { ringTimeoutMs: 10_000 } });
    call(alice, A_CALL);
    clock.advance(9_999);
    assert.deepEqual([alice.state, bob.state], ['calling', 'incoming']);
    clock.advance(1);
    assert.deepEqual([alice.state, bob.state], ['ended', 'ended']);
    assert.deepEqual([alice.endings(), bob.endings()], [['no-answer'], ['no-answer']]);
    assert.deepEqual(signal(bob, 'hang-up'), [
      { type: 'send', to: 'alice-1', signal: { kind: 'hang-up', call: A_CALL, reason: 'no-answer' } },
    ]);
    assert.equal(clock.pending, 0);
  });

  test('after that, Bob calling back is a new call, not glare', () => {
    const { clock, alice, bob } = pair({ bob: { ringTimeoutMs: 10_000 } });
    call(alice, A_CALL);
    clock.advance(12_000);
    call(bob, B_CALL);
    assert.deepEqual([alice.state, bob.state], ['incoming', 'calling']);
    assert.deepEqual([alice.ctx.call?.id, alice.ctx.call?.direction], [B_CALL, 'incoming']);
    alice.dispatch({ type: 'accept' });
    assert.deepEqual([alice.state, bob.state], ['connecting', 'connecting']);
    assert.deepEqual(signal(alice, 'accept'), [{ type: 'send', to: 'bob-1', signal: { kind: 'accept', call: B_CALL } }]);
  });

  test("glare with a crossing hang-up leaves no phantom call: Bob's ring is cancelled at once", () => {
    const { clock, relay, alice, bob } = pair();
    relay.held = true;
    call(alice, A_CALL);
    call(bob, B_CALL);
    alice.dispatch({ type: 'hang-up' }); // before Bob's ring reached her
    relay.release();
    // Bob took her ring as glare (hanging up his own call), then heard her hang-up; his ring
    // reached Alice after her hang-up, and his hang-up of it right behind.
    assert.deepEqual([alice.state, bob.state], ['ended', 'ended']);
    assert.deepEqual([alice.endings(), bob.endings()], [['hang-up', 'cancelled'], ['remote-hang-up']]);
    assert.equal(alice.ctx.call, null);
    assert.equal(clock.pending, 0);
  });

  test('glare where the polite side hangs up first: the impolite side does not take its crossing ring as an accept', () => {
    const { relay, alice, bob } = pair();
    relay.held = true;
    call(alice, A_CALL);
    call(bob, B_CALL);
    bob.dispatch({ type: 'hang-up' }); // before Alice's ring reached him
    relay.release();
    assert.equal(bob.state, 'incoming', "Alice's call rings at Bob");
    assert.equal(alice.times('attach-media').length, 0, "no track of Alice's before Bob accepts");
    assert.equal(alice.state, 'calling');
  });

  test('a call that fails on one side ends as failed on the other, not cancelled', () => {
    const { alice, bob } = pair({ alice: { relayOnly: true } });
    call(alice, A_CALL);
    alice.dispatch({ type: 'no-local-candidates', peerId: bob.member.peerId });
    assert.deepEqual([alice.state, bob.state], ['ended', 'ended']);
    assert.deepEqual([alice.endings(), bob.endings()], [['failed'], ['failed']]);
    assert.deepEqual(signal(alice, 'hang-up'), [
      { type: 'send', to: 'bob-1', signal: { kind: 'hang-up', call: A_CALL, reason: 'failed' } },
    ]);
    assert.deepEqual(alice.notices().at(-1), { type: 'error', error: { code: 'relay-unavailable' } });
  });

  for (const who of ['callee', 'caller'] as const) {
    test(`the ${who}'s signaling drops (timed out) while it rings: once back, its call is over too`, () => {
      const p = pair();
      call(p.alice, A_CALL);
      const [down, other] = who === 'callee' ? [p.bob, p.alice] : [p.alice, p.bob];
      down.dispatch({ type: 'signaling-lost', willReconnect: true });
      other.dispatch({ type: 'member-left', member: { ...down.member }, reason: 'disconnected' });
      assert.deepEqual(other.endings(), ['peer-left']);
      down.member.id += '-back';
      down.dispatch({ type: 'signaling-back' });
      down.dispatch({ type: 'rejoined', self: down.member.peerId, members: [{ ...other.member }] });
      other.dispatch({ type: 'member-joined', member: { ...down.member } });
      assert.equal(other.state, 'ready');
      assert.equal(down.ctx.call, null, `${down.member.name} still has a call ${other.member.name} ended`);
    });
  }
});
