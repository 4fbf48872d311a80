/**
 * The media path: pc-state, the connect timeout, ICE restarts by the policy, gathering failures,
 * and losing the signal service for good. Presence and rejoin: call-presence.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONNECT_TIMEOUT_MS, type RoomContext } from '../../src/call/room-context.js';
import { reduce } from '../../src/call/room-machine.js';
import { callState } from '../../src/call/room-state.js';
import { ICE_RESTART_TIMEOUT_MS, iceRestartDelayMs, MAX_ICE_RESTARTS } from '../../src/call/ice-recovery.js';
import {
  accept,
  acquiring,
  ATTACH,
  bob,
  endCall,
  legOf,
  BOB_CALL,
  callFailed,
  calling,
  cancelTimer,
  CLOSE_SIGNALING,
  configure,
  connected,
  connecting,
  drive,
  fire,
  from,
  incoming,
  joining,
  legState,
  lost,
  noCandidates,
  notifyError,
  OUR_CALL,
  ready,
  send,
  sig,
  startTimer,
} from './helpers.js';

const RESTART = { type: 'restart-ice', peerId: bob.peerId } as const;
const connectedEffects = [cancelTimer('connect'), cancelTimer('ice-restart')];

describe('pc-state before the media path was ever up', () => {
  test('connected: the call is connected, connect and ICE timers cancelled', () => {
    const { context, effects } = drive(connecting(), legState('connected'));
    assert.deepEqual(effects, connectedEffects);
    assert.equal(callState(context), 'connected');
    assert.equal(legOf(context)?.everConnected, true);
  });

  test('connected while it still rings: no connect timer at the accept', () => {
    const early = drive(calling(), legState('connected'));
    assert.equal(callState(early.context), 'calling');
    const { context, effects } = drive(early.context, from(sig.accept()));
    assert.deepEqual(effects, [cancelTimer('ring'), ATTACH]);
    assert.equal(callState(context), 'connected');
  });

  test('same for the callee', () => {
    const { context, effects } = drive(incoming(), legState('connected'), accept);
    assert.deepEqual(effects, [...connectedEffects, send(sig.accept(BOB_CALL)), cancelTimer('ring'), ATTACH]);
    assert.equal(callState(context), 'connected');
  });

  test('new, connecting and disconnected change nothing visible; no recovery before the first connect', () => {
    for (const state of ['new', 'connecting', 'disconnected'] as const) {
      const { context, effects } = drive(connecting(), legState(state));
      assert.deepEqual(effects, []);
      assert.equal(callState(context), 'connecting');
      assert.equal(legOf(context)?.loss, null);
    }
  });

  test('failed: the call failed (peer told, camera released, call-failed)', () => {
    const { context, effects } = drive(connecting(), legState('failed'));
    assert.deepEqual(effects, callFailed('call-failed'));
    assert.equal(callState(context), 'ended');
    assert.deepEqual(context.ended, { reason: 'failed', direction: 'outgoing', peerName: 'Bob', error: { code: 'call-failed' } });
  });

  test('failed while it rings, on either side', () => {
    assert.deepEqual(drive(calling(), legState('failed')).effects, callFailed('call-failed'));
    assert.deepEqual(drive(incoming(), legState('failed')).effects, callFailed('call-failed', BOB_CALL));
  });

  test('pc-state without a call is ignored', () => {
    const ctx = ready();
    for (const state of ['connected', 'failed', 'disconnected', 'closed'] as const) assert.equal(reduce(ctx, legState(state)).context, ctx);
  });
});

describe('connect timeout', () => {
  test('an accepted call that never connected has failed', () => {
    assert.deepEqual(drive(connecting(), fire('connect')).effects, callFailed('call-failed'));
    assert.deepEqual(
      drive(incoming(), accept, fire('connect')).effects.slice(-callFailed('call-failed').length),
      callFailed('call-failed', BOB_CALL),
    );
  });

  test('is ignored once connected, while ringing, or without a call', () => {
    for (const ctx of [connected(), calling(), incoming(), ready()]) assert.deepEqual(drive(ctx, fire('connect')).effects, []);
  });

  test('the timer is the module constant', () => {
    assert.deepEqual(drive(calling(), from(sig.accept())).effects.at(-1), startTimer('connect', CONNECT_TIMEOUT_MS));
  });
});

describe('ICE restarts after the media path was lost', () => {
  const losses = [
    { cause: 'disconnected', polite: false },
    { cause: 'failed', polite: false },
    { cause: 'disconnected', polite: true },
    { cause: 'failed', polite: true },
  ] as const;

  for (const loss of losses) {
    test(`${loss.cause}, ${loss.polite ? 'polite' : 'impolite'}: reconnecting, first restart after the policy's delay`, () => {
      const { context, effects } = drive(connected(loss.polite), legState(loss.cause));
      assert.deepEqual(effects, [startTimer('ice-restart', iceRestartDelayMs(0, loss)!)]);
      assert.equal(callState(context), 'reconnecting');
      assert.equal(legOf(context)?.loss, loss.cause);
    });
  }

  test('the delays are 2 s / 0 s impolite, 5 s / 3 s polite', () => {
    const first = (ctx: RoomContext, cause: 'disconnected' | 'failed') => drive(ctx, legState(cause)).effects;
    assert.deepEqual(first(connected(false), 'disconnected'), [startTimer('ice-restart', 2_000)]);
    assert.deepEqual(first(connected(false), 'failed'), [startTimer('ice-restart', 0)]);
    assert.deepEqual(first(connected(true), 'disconnected'), [startTimer('ice-restart', 5_000)]);
    assert.deepEqual(first(connected(true), 'failed'), [startTimer('ice-restart', 3_000)]);
  });

  test('a further loss while recovering starts nothing new', () => {
    const ctx = drive(connected(), legState('disconnected')).context;
    for (const state of ['disconnected', 'failed', 'connecting'] as const) assert.deepEqual(drive(ctx, legState(state)).effects, []);
  });

  test(`restarts up to ${MAX_ICE_RESTARTS} times, each given the restart timeout, then gives up`, () => {
    let ctx = drive(connected(), legState('failed')).context;
    for (let n = 1; n <= MAX_ICE_RESTARTS; n++) {
      const step = drive(ctx, fire('ice-restart'));
      assert.deepEqual(step.effects, [RESTART, startTimer('ice-restart', ICE_RESTART_TIMEOUT_MS)], `restart ${n}`);
      assert.equal(legOf(step.context)?.iceRestarts, n);
      assert.equal(callState(step.context), 'reconnecting');
      ctx = step.context;
    }
    const { context, effects } = drive(ctx, fire('ice-restart'));
    assert.deepEqual(effects, callFailed('call-failed'));
    assert.equal(context.ended?.reason, 'failed');
  });

  test('connected again: recovery over, counters reset; a new loss starts from the first delay', () => {
    const back = drive(connected(), legState('disconnected'), fire('ice-restart'), fire('ice-restart'), legState('connected'));
    assert.deepEqual(back.effects.slice(-2), connectedEffects);
    assert.equal(callState(back.context), 'connected');
    assert.deepEqual([legOf(back.context)?.iceRestarts, legOf(back.context)?.loss], [0, null]);
    assert.deepEqual(drive(back.context, legState('failed')).effects, [startTimer('ice-restart', 0)]);
  });

  test('an ICE timer with nothing to recover is ignored', () => {
    for (const ctx of [connected(), connecting(), ready()]) assert.deepEqual(drive(ctx, fire('ice-restart')).effects, []);
  });
});

describe('no local candidates', () => {
  test('relay only: relay-unavailable', () => {
    const ctx = drive(ready(), configure({ relayOnly: true }), { type: 'call', callId: OUR_CALL }).context;
    const { context, effects } = drive(ctx, noCandidates());
    assert.deepEqual(effects, callFailed('relay-unavailable'));
    assert.deepEqual(context.ended?.error, { code: 'relay-unavailable' });
  });

  test('otherwise: call-failed', () => {
    assert.deepEqual(drive(calling(), noCandidates()).effects, callFailed('call-failed'));
    assert.deepEqual(drive(connected(), noCandidates()).effects, callFailed('call-failed'));
  });

  test('without a call: ignored', () => {
    assert.deepEqual(drive(ready(), noCandidates()).effects, []);
  });
});

describe('the signal service lost for good', () => {
  test('in a call: the call ends as failed, signaling closed, error signaling-lost', () => {
    const { context, effects } = drive(connected(), lost(false));
    assert.deepEqual(effects, [...endCall('failed'), CLOSE_SIGNALING, notifyError('signaling-lost')]);
    assert.equal(callState(context), 'error');
    assert.equal(context.room, 'room-1');
  });

  test('in the room or joining: error', () => {
    assert.equal(callState(drive(ready(), lost(false)).context), 'error');
    assert.deepEqual(drive(joining(), lost(false)).effects, [CLOSE_SIGNALING, { type: 'release-media' }, notifyError('signaling-lost')]);
  });

  test('before joining: ignored', () => {
    assert.deepEqual(drive(acquiring(), lost(false)).effects, []);
  });
});
