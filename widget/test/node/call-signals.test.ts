/**
 * Calls between two people, past ringing: the other side's media state on its leg, signals that
 * are not for this call (another sender, an ended call, no call), glare (both call at once), and
 * the camera released at every end of a call. Ringing, accepting and hanging up: call-flow.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONNECT_TIMEOUT_MS, type RoomContext, type RoomEvent } from '../../src/call/room-context.js';
import { reduce } from '../../src/call/room-machine.js';
import { callState } from '../../src/call/room-state.js';
import {
  legOf,
  ATTACH,
  away,
  bob,
  BOB_CALL,
  call,
  callFailed,
  calling,
  cancelTimer,
  carol,
  connected,
  connecting,
  decline,
  drive,
  ended,
  fire,
  from,
  hangUp,
  incoming,
  leave,
  legSignal,
  legState,
  lost,
  memberLeft,
  noCandidates,
  OLD_CALL,
  openLeg,
  OUR_CALL,
  ready,
  send,
  sig,
  stalled,
  startTimer,
} from './helpers.js';

const connectTimer = startTimer('connect', CONNECT_TIMEOUT_MS);

describe('the other side’s media state (the leg’s data channel)', () => {
  const media = (patch: Partial<{ microphoneEnabled: boolean; cameraEnabled: boolean; screenSharing: boolean }>): RoomEvent => ({
    type: 'leg-message',
    peerId: bob.peerId,
    message: { t: 'media', microphoneEnabled: true, cameraEnabled: true, screenSharing: false, ...patch },
  });

  test('a change is kept on the leg', () => {
    const { context } = drive(connecting(), legState('connected'), media({ cameraEnabled: false }));
    assert.deepEqual(legOf(context)?.media, { microphoneEnabled: true, cameraEnabled: false, screenSharing: false });
  });

  test('the state the leg already had leaves the context as it was (nothing to render)', () => {
    const before = drive(connecting(), legState('connected')).context;
    const { context, effects } = drive(before, media({}));
    assert.equal(context, before);
    assert.deepEqual(effects, []);
  });
});

describe('signals that are not for this call', () => {
  test('media signals of the call go to the peer connection', () => {
    for (const signal of [sig.offer(), sig.candidate()]) {
      assert.deepEqual(drive(calling(), from(signal)).effects, [legSignal(signal)]);
    }
  });

  test('from anyone but the peer: dropped', () => {
    for (const signal of [sig.offer(), sig.hangUp(), sig.accept(), sig.decline()]) {
      assert.deepEqual(drive(calling(), from(signal, carol)).effects, []);
    }
    assert.deepEqual(drive(ready(), from(sig.ring(), carol)).effects, []);
  });

  test('of an ended call, crossing a new one: dropped', () => {
    // We hung up OLD_CALL and called again; Bob's hang-up and offer of OLD_CALL arrive now.
    const ctx = drive(ready(), call(OLD_CALL), hangUp, call()).context;
    for (const signal of [sig.hangUp(OLD_CALL), sig.offer(OLD_CALL), sig.candidate(OLD_CALL), sig.decline(OLD_CALL)]) {
      const t = reduce(ctx, from(signal));
      assert.deepEqual(t.effects, []);
      assert.equal(t.context, ctx);
    }
    assert.equal(callState(ctx), 'calling');
  });

  test('without a call: everything but a ring is dropped', () => {
    for (const signal of [sig.offer(), sig.hangUp(), sig.accept(), sig.decline()]) {
      assert.deepEqual(drive(ended(), from(signal)).effects, []);
    }
  });
});

describe('glare: both call at once', () => {
  test('impolite side: its own call wins; it ignores the crossing ring and is accepted by the polite side', () => {
    const { context, effects } = drive(calling(false), from(sig.ring()));
    assert.deepEqual(effects, []);
    assert.equal(context.call?.id, OUR_CALL);
    assert.equal(callState(context), 'calling');
    assert.deepEqual(drive(context, from(sig.offer(BOB_CALL))).effects, [], "the polite side's offer is void");
    assert.deepEqual(drive(context, from(sig.hangUp(BOB_CALL))).effects, [], 'so is its hang-up of its own call');
    const accepted = drive(context, from(sig.hangUp(BOB_CALL)), from(sig.accept(OUR_CALL)));
    assert.deepEqual(accepted.effects, [cancelTimer('ring'), ATTACH, connectTimer]);
    assert.equal(callState(accepted.context), 'connecting');
  });

  test('polite side: hangs up its own call, takes the impolite call id, opens a connection that answers', () => {
    const { context, effects } = drive(calling(true), from(sig.ring()));
    assert.deepEqual(effects, [
      send(sig.hangUp(OUR_CALL)),
      openLeg(false, true),
      send(sig.accept(BOB_CALL)),
      cancelTimer('ring'),
      ATTACH,
      connectTimer,
    ]);
    assert.equal(context.call?.id, BOB_CALL);
    assert.equal(context.call?.direction, 'incoming');
    assert.equal(callState(context), 'connecting');
    assert.deepEqual(drive(context, from(sig.offer(BOB_CALL))).effects, [legSignal(sig.offer(BOB_CALL))]);
    assert.deepEqual(drive(context, from(sig.candidate(OUR_CALL))).effects, [], 'its own first offer is void');
  });
});

describe('the camera is released at every end of a call', () => {
  const ends: [string, () => RoomContext, RoomEvent][] = [
    ['hang-up while calling', calling, hangUp],
    ['hang-up while connected', connected, hangUp],
    ['decline', incoming, decline],
    ['remote decline', calling, from(sig.decline())],
    ['remote hang-up', connected, from(sig.hangUp())],
    ['ring timeout (caller)', calling, fire('ring')],
    ['ring timeout (callee)', incoming, fire('ring')],
    ['connect timeout', connecting, fire('connect')],
    ['failed before connecting', connecting, legState('failed')],
    ['no local candidates', connecting, noCandidates()],
    ['peer left', connected, memberLeft(bob, 'left')],
    ['peer away, then its media stalled()', away, stalled()],
    ['signaling lost for good', connected, lost(false)],
    ['leave', connected, leave],
  ];
  for (const [name, make, event] of ends) {
    test(name, () => {
      const ctx = make();
      assert.equal(ctx.media, 'on');
      const { context, effects } = drive(ctx, event);
      assert.equal(context.call, null);
      assert.equal(context.media, 'off');
      assert.equal(effects.filter((e) => e.type === 'release-media').length, 1);
      assert.ok(effects.some((e) => e.type === 'close-leg'));
    });
  }

  test('the ICE give-up too', () => {
    const ctx = drive(connected(), legState('failed'), fire('ice-restart'), fire('ice-restart'), fire('ice-restart')).context;
    const { effects } = drive(ctx, fire('ice-restart'));
    assert.deepEqual(effects, callFailed('call-failed'));
  });
});
