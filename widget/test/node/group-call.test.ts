/**
 * Group calls, end to end in node: up to five room machines joined by an ordered relay (a full
 * mesh of legs), on one fake clock. Alice < Bob < Carol < Dan < Erin by peerId: each is polite
 * toward those before it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RING_TIMEOUT_MS } from '../../src/call/room-context.js';
import { runningCall } from '../../src/call/room-state.js';
import { placeholderText } from '../../src/call/status-text.js';
import { ALICE, BOB, CAROL, DAN, enter, ERIN, meshPc, room, type Side } from './runner.js';

const CALL = 'call-group-0001';
const OTHER = 'call-other-0001';
const states = (sides: Side[]) => sides.map((s) => s.state);
/** The `open-leg` effects of `side` (from its log entry `since` on), as `<name>:offer|answer`. */
const opened = (side: Side, sides: Side[], since = 0) =>
  side.log
    .slice(since)
    .flatMap(({ effect: e }) =>
      e.type === 'open-leg' ? [`${sides.find((s) => s.member.peerId === e.peerId)!.member.name}:${e.offer ? 'offer' : 'answer'}`] : [],
    );
/** Names of the members `side` has attached its tracks for (consent given on that leg). */
const attachedTo = (side: Side, sides: Side[]) =>
  side.log.flatMap(({ effect: e }) => (e.type === 'attach-media' ? [sides.find((s) => s.member.peerId === e.peerId)!.member.name] : []));
const sent = (side: Side, kind: string) => side.log.flatMap(({ effect: e }) => (e.type === 'send' && e.signal.kind === kind ? [e.to] : []));

/** Four people in a room of four; Alice rings the three others. */
function ringing() {
  const r = room([ALICE, BOB, CAROL, DAN], [], 4);
  const [alice, bob, carol, dan] = r.sides as [Side, Side, Side, Side];
  alice.dispatch({ type: 'call', callId: CALL });
  return { ...r, alice, bob, carol, dan };
}

describe('ringing several members', () => {
  test('call() rings every member present: each rings on its own, with a leg from the caller that offers', () => {
    const { sides, alice, bob, carol, dan } = ringing();
    assert.deepEqual(states(sides), ['calling', 'incoming', 'incoming', 'incoming']);
    assert.deepEqual(sent(alice, 'ring').sort(), ['bob-1', 'carol-1', 'dan-1']);
    assert.deepEqual(opened(alice, sides), ['Bob:offer', 'Carol:offer', 'Dan:offer']);
    for (const callee of [bob, carol, dan]) {
      assert.deepEqual(opened(callee, sides), ['Alice:answer']);
      assert.deepEqual(
        callee
          .notices()
          .filter((n) => n.type === 'incoming-call')
          .map((n) => n.type === 'incoming-call' && n.member.name),
        ['Alice'],
      );
    }
    assert.deepEqual(attachedTo(alice, sides), [], 'no camera or microphone before anyone accepts');
  });

  test('the call starts when the first accepts; the others still ring and learn who is in it', () => {
    const { sides, alice, bob, carol, dan } = ringing();
    bob.dispatch({ type: 'accept' });
    meshPc([alice, bob], 'connected');
    assert.deepEqual(states(sides), ['connected', 'connected', 'incoming', 'incoming']);
    assert.deepEqual(attachedTo(alice, sides), ['Bob']);
    assert.deepEqual(attachedTo(bob, sides), ['Alice']);
    assert.deepEqual([carol.ctx.members[BOB.peerId]?.call, dan.ctx.members[BOB.peerId]?.call], [CALL, CALL]);
    assert.deepEqual(attachedTo(carol, sides), [], 'Carol still rings: nothing of hers is sent');
  });

  test('a decline by one does not end the call for the others; the decliner sees it running', () => {
    const { sides, alice, bob, carol } = ringing();
    bob.dispatch({ type: 'accept' });
    meshPc([alice, bob], 'connected');
    carol.dispatch({ type: 'decline' });
    assert.deepEqual(states(sides), ['connected', 'connected', 'ended', 'incoming']);
    assert.deepEqual(alice.legs(), [BOB.peerId, DAN.peerId].sort());
    assert.deepEqual(carol.endings(), ['declined']);
    assert.equal(runningCall(carol.ctx), CALL, 'Carol can join the running call');
    assert.equal(placeholderText(carol.ctx), 'A call is in progress', 'her stage says a call runs (who is in it is listed below it)');
  });

  test("every callee declines: the caller's call ends declined", () => {
    const { sides, alice, bob, carol, dan } = ringing();
    for (const callee of [bob, carol, dan]) callee.dispatch({ type: 'decline' });
    assert.deepEqual(states(sides), ['ended', 'ended', 'ended', 'ended']);
    assert.deepEqual(alice.endings(), ['declined']);
    assert.equal(runningCall(bob.ctx), null, 'nothing left to join');
    assert.equal(placeholderText(bob.ctx), 'Alice, Carol, and Dan', 'his stage names who is in the room');
  });

  test('the ring timeout ends the call for whoever has not answered, and only for them', () => {
    const { clock, sides, alice, bob, dan } = ringing();
    clock.advance(5_000);
    bob.dispatch({ type: 'accept' });
    meshPc([alice, bob], 'connected');
    clock.advance(RING_TIMEOUT_MS - 5_000);
    assert.deepEqual(states(sides), ['connected', 'connected', 'ended', 'ended']);
    assert.deepEqual(dan.endings(), ['no-answer']);
    assert.deepEqual(alice.legs(), [BOB.peerId]);
    assert.equal(runningCall(dan.ctx), CALL);
  });
});

describe('joining a running call', () => {
  test('a member who declined joins later: it offers to every participant, nobody rings', () => {
    const { sides, alice, bob, carol } = ringing();
    bob.dispatch({ type: 'accept' });
    carol.dispatch({ type: 'decline' });
    meshPc([alice, bob], 'connected');
    const mark = alice.log.length;
    carol.dispatch({ type: 'call', callId: 'unused-call-id' });
    assert.deepEqual(opened(carol, sides), ['Alice:answer', 'Alice:offer', 'Bob:offer']);
    assert.equal(carol.ctx.call?.id, CALL);
    meshPc([alice, bob, carol], 'connected');
    assert.deepEqual(states(sides).slice(0, 3), ['connected', 'connected', 'connected']);
    assert.deepEqual(
      [alice.participants(), bob.participants(), carol.participants()],
      [
        ['Bob', 'Carol'],
        ['Alice', 'Carol'],
        ['Alice', 'Bob'],
      ],
    );
    assert.deepEqual(
      alice.notices().filter((n) => n.type === 'incoming-call'),
      [],
      'joining rings nobody',
    );
    assert.deepEqual(opened(alice, sides, mark), ['Carol:answer'], 'existing participants never offer on a join');
  });

  test('someone entering the room during the call hears of it and joins it', () => {
    const r = room([ALICE, BOB, CAROL], [], 5);
    const [alice, bob, carol] = r.sides as [Side, Side, Side];
    alice.dispatch({ type: 'call', callId: CALL });
    bob.dispatch({ type: 'accept' });
    carol.dispatch({ type: 'accept' });
    meshPc([alice, bob, carol], 'connected');
    // Erin enters the room now: every participant tells her of the call (in-call).
    const erin = enter(r, ERIN);
    assert.equal(runningCall(erin.ctx), CALL);
    assert.equal(erin.state, 'ready');
    erin.dispatch({ type: 'call', callId: 'unused-call-id' });
    meshPc(r.sides, 'connected');
    assert.deepEqual(erin.participants(), ['Alice', 'Bob', 'Carol']);
    assert.deepEqual(states(r.sides), ['connected', 'connected', 'connected', 'connected']);
  });

  test('two members entering at once, each before hearing of the other: exactly one of the pair offers', () => {
    const { sides, relay, alice, bob, carol } = ringing();
    relay.held = true;
    bob.dispatch({ type: 'accept' });
    carol.dispatch({ type: 'accept' });
    relay.release();
    meshPc(sides.slice(0, 3), 'connected');
    const bobToCarol = opened(bob, sides).filter((o) => o.startsWith('Carol'));
    const carolToBob = opened(carol, sides).filter((o) => o.startsWith('Bob'));
    assert.deepEqual([bobToCarol, carolToBob], [['Carol:offer'], ['Bob:answer']], 'Bob, the impolite one of the pair, offers');
    assert.deepEqual(
      [alice.participants(), bob.participants(), carol.participants()],
      [
        ['Bob', 'Carol'],
        ['Alice', 'Carol'],
        ['Alice', 'Bob'],
      ],
    );
  });
});

describe('leaving', () => {
  function threeConnected() {
    const r = ringing();
    r.bob.dispatch({ type: 'accept' });
    r.carol.dispatch({ type: 'accept' });
    r.dan.dispatch({ type: 'decline' });
    meshPc(r.sides.slice(0, 3), 'connected');
    return r;
  }

  test('the caller hangs up: the others go on', () => {
    const { sides, alice, bob, carol } = threeConnected();
    alice.dispatch({ type: 'hang-up' });
    assert.deepEqual(states(sides).slice(0, 3), ['ended', 'connected', 'connected']);
    assert.deepEqual([bob.participants(), carol.participants()], [['Carol'], ['Bob']]);
    assert.deepEqual([bob.endings(), carol.endings()], [[], []]);
    assert.equal(runningCall(alice.ctx), CALL, 'Alice may join again');
  });

  test('the last one standing: the call ends for them (remote-hang-up)', () => {
    const { sides, alice, bob, carol, dan } = threeConnected();
    alice.dispatch({ type: 'hang-up' });
    bob.dispatch({ type: 'hang-up' });
    assert.deepEqual(states(sides), ['ended', 'ended', 'ended', 'ended']);
    assert.deepEqual(carol.endings(), ['remote-hang-up']);
    for (const side of [alice, bob, dan]) assert.equal(runningCall(side.ctx), null, `${side.member.name} sees no call left`);
  });

  test('a participant leaves the room: its legs close, the rest go on', () => {
    const { sides, alice, bob, carol } = threeConnected();
    for (const side of sides) if (side !== bob) side.dispatch({ type: 'member-left', member: { ...bob.member }, reason: 'left' });
    assert.deepEqual([alice.participants(), carol.participants()], [['Carol'], ['Alice']]);
    assert.deepEqual([alice.state, carol.state], ['connected', 'connected']);
  });
});

describe('a participant away and back, per leg', () => {
  test('its signaling drops: its legs are watched, the call stays connected with the others; back: the legs go on', () => {
    const { alice, bob, carol, dan, sides } = ringing();
    bob.dispatch({ type: 'accept' });
    carol.dispatch({ type: 'accept' });
    dan.dispatch({ type: 'decline' });
    meshPc(sides.slice(0, 3), 'connected');
    for (const side of [alice, carol]) side.dispatch({ type: 'member-left', member: { ...bob.member }, reason: 'disconnected' });
    assert.deepEqual([alice.state, carol.state], ['connected', 'connected']);
    assert.equal(alice.ctx.members[BOB.peerId]?.away, true);
    const watching = (s: Side) => s.log.filter(({ effect: e }) => e.type === 'watch-leg-media' && e.on && e.peerId === BOB.peerId).length;
    assert.deepEqual([watching(alice), watching(carol)], [1, 1]);
    bob.member.id = 'bob-2';
    bob.dispatch({ type: 'rejoined', self: BOB.peerId, members: [alice, carol, dan].map((s) => ({ ...s.member })) });
    for (const side of [alice, carol]) side.dispatch({ type: 'member-joined', member: { ...bob.member } });
    assert.equal(alice.ctx.members[BOB.peerId]?.away, false);
    assert.deepEqual(
      [alice.participants(), carol.participants(), bob.participants()],
      [
        ['Bob', 'Carol'],
        ['Alice', 'Bob'],
        ['Alice', 'Carol'],
      ],
    );
    // Signals now reach Bob at his new connection.
    alice.dispatch({ type: 'hang-up' });
    assert.deepEqual(bob.participants(), ['Carol']);
  });

  test('everyone else away: reconnecting (peer); its media stalls: gone, the call ends for us', () => {
    const { alice, bob, dan, carol, sides } = ringing();
    bob.dispatch({ type: 'accept' });
    carol.dispatch({ type: 'decline' });
    dan.dispatch({ type: 'decline' });
    meshPc(sides.slice(0, 2), 'connected');
    alice.dispatch({ type: 'member-left', member: { ...bob.member }, reason: 'disconnected' });
    assert.equal(alice.state, 'reconnecting');
    alice.dispatch({ type: 'leg-media-stalled', peerId: BOB.peerId });
    assert.deepEqual(alice.endings(), ['peer-left']);
  });
});

describe('glare and strangers', () => {
  test("two members call at once: one call remains (the smaller peerId's); the others ring for it only", () => {
    const r = room([ALICE, BOB, CAROL], [], 3);
    const [alice, bob, carol] = r.sides as [Side, Side, Side];
    r.relay.held = true;
    alice.dispatch({ type: 'call', callId: CALL });
    bob.dispatch({ type: 'call', callId: OTHER });
    r.relay.release();
    assert.deepEqual([alice.ctx.call?.id, bob.ctx.call?.id, carol.ctx.call?.id], [CALL, CALL, CALL]);
    assert.deepEqual(states(r.sides), ['connecting', 'connecting', 'incoming']);
    meshPc([alice, bob], 'connected');
    assert.deepEqual(bob.participants(), ['Alice'], 'both asked: connected without Accept');
    carol.dispatch({ type: 'accept' });
    meshPc(r.sides, 'connected');
    assert.deepEqual(states(r.sides), ['connected', 'connected', 'connected']);
    assert.deepEqual(carol.participants(), ['Alice', 'Bob']);
  });

  test('call signals from a member neither ringing with us nor in our call are ignored', () => {
    const { alice, bob, dan } = ringing();
    bob.dispatch({ type: 'accept' });
    dan.dispatch({ type: 'decline' });
    const before = alice.ctx;
    for (const signal of [
      { kind: 'description', call: CALL, description: { type: 'offer', sdp: 'v=0\r\n' } },
      { kind: 'candidate', call: CALL, candidate: null },
      { kind: 'accept', call: OTHER },
      { kind: 'hang-up', call: OTHER },
    ] as const) {
      const log = alice.log.length;
      alice.dispatch({ type: 'signal', from: dan.member.id, signal });
      assert.deepEqual(alice.log.slice(log), [], signal.kind);
    }
    assert.deepEqual(alice.ctx.legs, before.legs);
    const log = alice.log.length;
    alice.dispatch({ type: 'signal', from: 'stranger-1', signal: { kind: 'ring', call: OTHER } });
    assert.deepEqual(alice.log.slice(log), [], 'a connection that is no member');
    assert.deepEqual(alice.legs(), [BOB.peerId, CAROL.peerId].sort());
  });
});
