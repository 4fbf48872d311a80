/**
 * Calls between two people: ring, accept, decline, hang-up on both sides, and ring timeouts.
 * Media state, stale signals, glare and the camera's release: call-signals.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONNECT_TIMEOUT_MS, type RoomContext, type RoomEvent } from '../../src/call/room-context.js';
import { reduce } from '../../src/call/room-machine.js';
import { callState } from '../../src/call/room-state.js';
import type { CallEndReason } from '../../src/call/call-state.js';
import {
  accept,
  ACQUIRE,
  legOf,
  ATTACH,
  bob,
  BOB_CALL,
  call,
  calling,
  cancelTimer,
  configure,
  connected,
  connectedIncoming,
  connecting,
  decline,
  drive,
  endCall,
  ended,
  fire,
  from,
  hangUp,
  incoming,
  mediaReady,
  notify,
  OLD_CALL,
  openLeg,
  OUR_CALL,
  ready,
  send,
  sig,
  startTimer,
} from './helpers.js';

const connectTimer = startTimer('connect', CONNECT_TIMEOUT_MS);

describe('calling', () => {
  test('rings the peer first, then opens the connection with its offer, then the ring timer', () => {
    const { context, effects } = drive(ready(), call());
    assert.deepEqual(effects, [send(sig.ring(OUR_CALL)), openLeg(true), startTimer('ring', 30_000)]);
    assert.equal(callState(context), 'calling');
    assert.deepEqual(context.call, { id: OUR_CALL, direction: 'outgoing', joined: true });
    assert.deepEqual(legOf(context), {
      call: OUR_CALL,
      direction: 'outgoing',
      accepted: false,
      connected: false,
      everConnected: false,
      iceRestarts: 0,
      loss: null,
      media: { microphoneEnabled: true, cameraEnabled: true, screenSharing: false },
    });
  });

  test('the ring timer uses the configured timeout', () => {
    assert.deepEqual(drive(ready(), configure({ ringTimeoutMs: 12_000 }), call()).effects.at(-1), startTimer('ring', 12_000));
  });

  test('after an ended call (camera off): the camera is captured again first, attached only on accept', () => {
    const rang = drive(ended(), call('call-second-01'));
    assert.deepEqual(rang.effects, [ACQUIRE, send(sig.ring('call-second-01')), openLeg(true), startTimer('ring', 30_000)]);
    assert.equal(callState(rang.context), 'calling');
    assert.equal(rang.context.ended, null);
    const captured = drive(rang.context, mediaReady);
    assert.deepEqual(captured.effects, [], 'no track before the callee accepts');
    assert.deepEqual(drive(captured.context, from(sig.accept('call-second-01'))).effects, [cancelTimer('ring'), ATTACH, connectTimer]);
  });

  test('the callee accepts: tracks attached, connect timer started, no accept sent back', () => {
    const { context, effects } = drive(calling(), from(sig.accept()));
    assert.deepEqual(effects, [cancelTimer('ring'), ATTACH, connectTimer]);
    assert.equal(callState(context), 'connecting');
  });

  test('accepted while the camera is still being captured: attached when it is ready', () => {
    const accepted = drive(ended(), call('call-second-01'), from(sig.accept('call-second-01')));
    assert.equal(accepted.context.media, 'acquiring');
    assert.deepEqual(drive(accepted.context, mediaReady).effects, [ATTACH]);
  });

  test('a capture that completes (or fails) after the call ended is ignored', () => {
    for (const late of [mediaReady, { type: 'media-failed', error: { code: 'media-failed' } }] as const) {
      const gone = drive(ended(), call('call-second-01'), hangUp);
      assert.equal(gone.context.media, 'off');
      assert.ok(
        gone.effects.some((e) => e.type === 'release-media'),
        'the pending capture is released',
      );
      assert.deepEqual(reduce(gone.context, late).effects, []);
    }
  });

  test('the camera fails during a call: the call goes on, the person is told', () => {
    const { context, effects } = drive(ended(), call('call-second-01'), { type: 'media-failed', error: { code: 'media-in-use' } });
    assert.deepEqual(effects.at(-1), notify({ type: 'error', error: { code: 'media-in-use' } }));
    assert.equal(callState(context), 'calling');
    assert.equal(context.media, 'off');
  });

  test('an accept of another call, or a second accept, changes nothing', () => {
    assert.deepEqual(drive(calling(), from(sig.accept(OLD_CALL))).effects, []);
    assert.deepEqual(drive(connecting(), from(sig.accept())).effects, []);
  });
});

describe('being called', () => {
  test('rings: incoming, the host page is told, a connection that answers, the ring timer', () => {
    const { context, effects } = drive(ready(), from(sig.ring()));
    assert.deepEqual(effects, [openLeg(false), notify({ type: 'incoming-call', member: bob }), startTimer('ring', 30_000)]);
    assert.equal(callState(context), 'incoming');
    assert.equal(context.call?.id, BOB_CALL);
    assert.equal(context.call?.direction, 'incoming');
  });

  test('auto-answer accepts at once', () => {
    const { context, effects } = drive(ready(), configure({ autoAnswer: true }), from(sig.ring()));
    assert.deepEqual(effects, [
      openLeg(false),
      notify({ type: 'incoming-call', member: bob }),
      send(sig.accept(BOB_CALL)),
      cancelTimer('ring'),
      ATTACH,
      connectTimer,
    ]);
    assert.equal(callState(context), 'connecting');
  });

  test('accept: the caller is told, tracks attached, connect timer', () => {
    const { context, effects } = drive(incoming(), accept);
    assert.deepEqual(effects, [send(sig.accept(BOB_CALL)), cancelTimer('ring'), ATTACH, connectTimer]);
    assert.equal(callState(context), 'connecting');
  });

  test('accept with the camera off captures it first and attaches when ready', () => {
    const rung = drive(ended(), from(sig.ring('call-bobs-0002')));
    assert.equal(callState(rung.context), 'incoming');
    const accepted = drive(rung.context, accept);
    assert.deepEqual(accepted.effects, [send(sig.accept('call-bobs-0002')), cancelTimer('ring'), ACQUIRE, connectTimer]);
    assert.deepEqual(drive(accepted.context, mediaReady).effects, [ATTACH]);
  });

  test('accept and decline are ignored without an incoming ringing call', () => {
    for (const ctx of [ready(), calling(), connectedIncoming()]) {
      assert.equal(reduce(ctx, accept).context, ctx);
      assert.equal(reduce(ctx, decline).context, ctx);
    }
  });

  test('decline: the caller is told; ended (declined)', () => {
    const { context, effects } = drive(incoming(), decline);
    assert.deepEqual(effects, [send(sig.decline(BOB_CALL)), ...endCall('declined')]);
    assert.equal(callState(context), 'ended');
    assert.deepEqual(context.ended, { reason: 'declined', direction: 'incoming', peerName: 'Bob' });
  });

  test('hang-up while it rings here is a decline', () => {
    assert.deepEqual(drive(incoming(), hangUp).effects, drive(incoming(), decline).effects);
  });

  test('a second ring of the same call, or a ring during a call, is ignored', () => {
    assert.deepEqual(drive(incoming(), from(sig.ring())).effects, []);
    assert.deepEqual(drive(connected(), from(sig.ring())).effects, []);
    assert.deepEqual(drive(connectedIncoming(), from(sig.ring('call-bobs-0002'))).effects, []);
  });
});

describe('hanging up and the remote side', () => {
  const remote: [string, () => RoomContext, RoomEvent, CallEndReason][] = [
    ['the callee declines our call', calling, from(sig.decline()), 'declined'],
    ['the callee hangs up our ringing call', calling, from(sig.hangUp()), 'remote-hang-up'],
    ['the peer hangs up our connected call', connected, from(sig.hangUp()), 'remote-hang-up'],
    ['the caller hangs up a connected call', connectedIncoming, from(sig.hangUp(BOB_CALL)), 'remote-hang-up'],
    ['the caller cancels while it rings here', incoming, from(sig.hangUp(BOB_CALL)), 'cancelled'],
    ["the caller's ring timed out", incoming, from(sig.noAnswer(BOB_CALL)), 'no-answer'],
    ["the callee's ring timed out", calling, from(sig.noAnswer()), 'no-answer'],
    ["our ringing call failed on the callee's side", calling, from(sig.failed()), 'failed'],
    ["the call failed on the caller's side while it rings here", incoming, from(sig.failed(BOB_CALL)), 'failed'],
    ["our connected call failed on the peer's side", connected, from(sig.failed()), 'failed'],
  ];
  for (const [name, make, event, reason] of remote) {
    test(`${name}: ${reason}`, () => {
      const { context, effects } = drive(make(), event);
      assert.deepEqual(effects, endCall(reason));
      assert.equal(callState(context), 'ended');
      assert.equal(context.ended?.reason, reason);
    });
  }

  for (const [name, make] of [
    ['calling (cancel)', calling],
    ['connecting', connecting],
    ['connected', connected],
  ] as const) {
    test(`hang-up while ${name}: the peer is told; ended (hang-up)`, () => {
      const { context, effects } = drive(make(), hangUp);
      assert.deepEqual(effects, [send(sig.hangUp()), ...endCall('hang-up')]);
      assert.deepEqual(context.ended, { reason: 'hang-up', direction: 'outgoing', peerName: 'Bob' });
      assert.equal(context.media, 'off');
    });
  }

  test('hang-up without a call does nothing', () => {
    for (const ctx of [ready(), ended()]) assert.deepEqual(drive(ctx, hangUp).effects, []);
  });
});

describe('ring timeout', () => {
  for (const [name, make, id] of [
    ['caller', calling, OUR_CALL],
    ['callee', incoming, BOB_CALL],
  ] as const) {
    test(`the ${name} gives up: tells the other side (hang-up, no-answer) and ends no-answer`, () => {
      const { context, effects } = drive(make(), fire('ring'));
      assert.deepEqual(effects, [send(sig.noAnswer(id)), ...endCall('no-answer')]);
      assert.equal(callState(context), 'ended');
      assert.equal(context.ended?.reason, 'no-answer');
    });
  }

  test('a ring timer after the accept, or without a call, is ignored', () => {
    for (const ctx of [connecting(), connected(), ready()]) assert.deepEqual(drive(ctx, fire('ring')).effects, []);
  });
});
