/**
 * The call machine outside calls: start, camera, join, presence, leave, and the derived state.
 * Calls: call-flow.test.ts. Failures and recovery: call-recovery.test.ts, call-presence.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { initialContext, RING_TIMEOUT_MS, type RoomContext } from '../../src/call/room-context.js';
import { reduce } from '../../src/call/room-machine.js';
import { callState, canCall, canStart, reconnectingCause } from '../../src/call/room-state.js';
import { CALL_STATES, type CallState } from '../../src/call/call-state.js';
import {
  ACQUIRE,
  acquiring,
  away,
  presentOf,
  SELF,
  bob,
  BOB_CALL,
  call,
  calling,
  came,
  CLOSE_SIGNALING,
  configure,
  connected,
  connecting,
  drive,
  endCall,
  ended,
  failed,
  from,
  full,
  incoming,
  inRoom,
  joined,
  joining,
  leave,
  left,
  legState,
  lost,
  mediaReady,
  memberJoined,
  memberLeft,
  notifyError,
  ready,
  RELEASE,
  send,
  sig,
  start,
  watch,
} from './helpers.js';

describe('initialContext', () => {
  test('starts idle, alone, camera off, default settings', () => {
    const ctx = initialContext();
    assert.equal(ctx.stage, 'idle');
    assert.equal(ctx.media, 'off');
    assert.equal(ctx.ringTimeoutMs, RING_TIMEOUT_MS);
    assert.deepEqual([ctx.members, ctx.legs, ctx.owedHangUps], [{}, {}, {}]);
    assert.deepEqual([ctx.call, ctx.ended, ctx.error], [null, null, null]);
    assert.equal(initialContext({ autoAnswer: true }).autoAnswer, true);
  });
});

describe('start', () => {
  test('asks for camera and microphone', () => {
    const { context, effects } = drive(initialContext(), start('room-1'));
    assert.deepEqual(effects, [ACQUIRE]);
    assert.equal(context.stage, 'acquiring-media');
    assert.equal(context.media, 'acquiring');
    assert.equal(context.room, 'room-1');
  });

  for (const room of ['', 'has space', 'a/b', 'x'.repeat(65), 'ünïcode']) {
    test(`an invalid room name (${JSON.stringify(room.slice(0, 12))}) is missing-room, nothing captured`, () => {
      const { context, effects } = drive(initialContext(), start(room));
      assert.deepEqual(effects, [notifyError('missing-room')]);
      assert.equal(callState(context), 'error');
      assert.deepEqual(context.error, { code: 'missing-room' });
    });
  }

  test('accepts the longest valid name', () => {
    assert.equal(drive(initialContext(), start('A-z_0.9'.padEnd(64, 'x'))).context.stage, 'acquiring-media');
  });

  test('is ignored unless idle, full or error', () => {
    for (const ctx of [acquiring(), joining(), ready(), calling(), connected()]) {
      assert.equal(canStart(ctx), false);
      const t = reduce(ctx, start());
      assert.deepEqual(t.effects, []);
      assert.equal(t.context, ctx);
    }
  });

  test('starts again from full and error, clearing the error and keeping the settings', () => {
    for (const ctx of [full(), failed()]) {
      assert.equal(canStart(ctx), true);
      const before = drive(ctx, configure({ autoAnswer: true, ringTimeoutMs: 5_000, relayOnly: true })).context;
      const { context, effects } = drive(before, start('room-2'));
      assert.deepEqual(effects, [ACQUIRE]);
      assert.deepEqual(context, {
        ...initialContext({ autoAnswer: true, ringTimeoutMs: 5_000, relayOnly: true }),
        stage: 'acquiring-media',
        room: 'room-2',
        media: 'acquiring',
      });
    }
  });
});

describe('camera and microphone before joining', () => {
  test('media-ready joins the room', () => {
    const { context, effects } = drive(acquiring(), mediaReady);
    assert.deepEqual(effects, [{ type: 'join', room: 'room-1' }]);
    assert.equal(context.stage, 'joining');
    assert.equal(context.media, 'on');
  });

  test('media-failed is the error it carries; nothing to release or close', () => {
    const { context, effects } = drive(acquiring(), { type: 'media-failed', error: { code: 'media-permission-denied' } });
    assert.deepEqual(effects, [notifyError('media-permission-denied')]);
    assert.equal(callState(context), 'error');
    assert.equal(context.media, 'off');
  });

  test('media-ready and media-failed are ignored while nothing is being captured', () => {
    for (const ctx of [initialContext(), joining(), ready(), connected(), ended()]) {
      assert.deepEqual(drive(ctx, mediaReady).effects, []);
      assert.deepEqual(drive(ctx, { type: 'media-failed', error: { code: 'media-failed' } }).effects, []);
    }
  });
});

describe('joining the room', () => {
  test('alone: waiting; the ICE servers are fetched', () => {
    const { context, effects } = drive(joining(), joined([], true));
    assert.deepEqual(effects, [{ type: 'fetch-ice-servers' }]);
    assert.equal(callState(context), 'waiting');
    assert.equal(context.self, SELF.polite);
  });

  test('with someone there: ready, and the host page hears of the peer', () => {
    const { context, effects } = drive(joining(), joined([bob]));
    assert.deepEqual(effects, [{ type: 'fetch-ice-servers' }, came(bob)]);
    assert.equal(callState(context), 'ready');
    assert.deepEqual(presentOf(context), [bob]);
  });

  test('room-full: full, signaling closed, camera released, room kept', () => {
    const { context, effects } = drive(joining(), { type: 'join-failed', error: { code: 'room-full' } });
    assert.deepEqual(effects, [CLOSE_SIGNALING, RELEASE, notifyError('room-full')]);
    assert.equal(callState(context), 'full');
    assert.equal(context.room, 'room-1');
    assert.equal(context.media, 'off');
  });

  test('another join failure: error', () => {
    const { context, effects } = drive(joining(), { type: 'join-failed', error: { code: 'ticket-expired' } });
    assert.deepEqual(effects, [CLOSE_SIGNALING, RELEASE, notifyError('ticket-expired')]);
    assert.equal(callState(context), 'error');
  });

  test('a refused rejoin (in the room) fails the same way, ending the call', () => {
    const { context, effects } = drive(connected(), lost(true), { type: 'join-failed', error: { code: 'ticket-expired' } });
    assert.deepEqual(effects, [...endCall('failed'), CLOSE_SIGNALING, notifyError('ticket-expired')]);
    assert.equal(callState(context), 'error');
  });

  test('joined is ignored outside joining, join-failed before joining', () => {
    for (const ctx of [initialContext(), acquiring(), ready(), connected()]) assert.equal(reduce(ctx, joined([bob])).context, ctx);
    for (const ctx of [initialContext(), acquiring(), full()]) {
      assert.equal(reduce(ctx, { type: 'join-failed', error: { code: 'room-full' } }).context, ctx);
    }
  });
});

describe('presence without a call', () => {
  test('a peer joins: ready; it leaves: waiting', () => {
    const there = drive(inRoom(), memberJoined(bob));
    assert.deepEqual(there.effects, [came(bob)]);
    assert.equal(callState(there.context), 'ready');
    const gone = drive(there.context, memberLeft(bob, 'disconnected'));
    assert.deepEqual(gone.effects, [watch(false), left(bob)]);
    assert.equal(callState(gone.context), 'waiting');
  });

  test("a peer joining clears the last call's end (ended → ready)", () => {
    const ctx = drive(ended(), memberLeft(bob), memberJoined(bob)).context;
    assert.equal(callState(ctx), 'ready');
  });

  test('presence events are ignored outside the room, and peer-left of someone else', () => {
    assert.deepEqual(drive(joining(), memberJoined(bob)).effects, []);
    const ctx = ready();
    assert.equal(reduce(ctx, memberLeft({ ...bob, id: 'someone-else' })).context, ctx);
  });
});

describe('leave', () => {
  const cases: [string, () => RoomContext, boolean][] = [
    ['acquiring-media', acquiring, true],
    ['joining', joining, true],
    ['waiting', () => inRoom(), true],
    ['ready', ready, true],
    ['ended', ended, false],
    ['full', full, false],
    ['error', failed, false],
  ];
  for (const [name, make, mediaOn] of cases) {
    test(`from ${name}: closes signaling, releases what was captured, back to idle`, () => {
      const ctx = drive(make(), configure({ ringTimeoutMs: 9_000 })).context;
      const { context, effects } = drive(ctx, leave);
      assert.deepEqual(effects, [CLOSE_SIGNALING, ...(mediaOn ? [RELEASE] : [])]);
      assert.deepEqual(context, initialContext({ ringTimeoutMs: 9_000 }));
    });
  }

  test('from idle: nothing to do', () => {
    assert.deepEqual(drive(initialContext(), leave).effects, []);
  });

  test('during a call: hangs up first (the peer is told), then leaves', () => {
    for (const ctx of [calling(), connecting(), connected()]) {
      const { context, effects } = drive(ctx, leave);
      assert.deepEqual(effects, [send(sig.hangUp()), ...endCall('hang-up'), CLOSE_SIGNALING]);
      assert.deepEqual(context, initialContext());
    }
  });

  test('while a call rings here: declines it (the caller is told, ended declined), then leaves', () => {
    const { context, effects } = drive(incoming(), leave);
    assert.deepEqual(effects, [send(sig.decline(BOB_CALL)), ...endCall('declined'), CLOSE_SIGNALING]);
    assert.deepEqual(context, initialContext());
  });

  test('while the partner is away: the call ends, the partner is gone', () => {
    const { context, effects } = drive(away(), leave);
    assert.deepEqual(effects, [...endCall('hang-up'), watch(false), left(bob), CLOSE_SIGNALING]);
    assert.deepEqual(context, initialContext());
  });
});

describe('configure', () => {
  test('changes the settings in any stage and nothing else', () => {
    for (const ctx of [initialContext(), ready(), connected()]) {
      const { context, effects } = drive(ctx, configure({ autoAnswer: true, ringTimeoutMs: 1_000, relayOnly: true }));
      assert.deepEqual(effects, []);
      assert.deepEqual(context, { ...ctx, autoAnswer: true, ringTimeoutMs: 1_000, relayOnly: true });
    }
  });
});

describe('callState and reconnectingCause', () => {
  const states: [CallState, () => RoomContext][] = [
    ['idle', initialContext],
    ['acquiring-media', acquiring],
    ['joining', joining],
    ['waiting', () => inRoom()],
    ['ready', ready],
    ['calling', calling],
    ['incoming', incoming],
    ['connecting', connecting],
    ['connected', connected],
    ['reconnecting', () => drive(connected(), legState('disconnected')).context],
    ['ended', ended],
    ['full', full],
    ['error', failed],
  ];

  test('covers every state', () => {
    assert.deepEqual(states.map(([s]) => s).sort(), [...CALL_STATES].sort());
  });

  for (const [state, make] of states) {
    test(state, () => assert.equal(callState(make()), state));
  }

  test('reconnecting has a cause: our signaling, the partner, or the media path', () => {
    assert.equal(reconnectingCause(drive(ready(), lost(true)).context), 'signaling');
    assert.equal(reconnectingCause(drive(connected(), lost(true)).context), 'signaling');
    assert.equal(reconnectingCause(away()), 'peer');
    assert.equal(reconnectingCause(drive(connected(), legState('failed')).context), 'media');
    for (const [, make] of states.filter(([s]) => s !== 'reconnecting')) assert.equal(reconnectingCause(make()), null);
  });

  test('a connecting call that never connected is not reconnecting when its path drops', () => {
    assert.equal(callState(drive(connecting(), legState('disconnected')).context), 'connecting');
  });

  test('a call whose ICE connects while it rings is still calling / incoming', () => {
    assert.equal(callState(drive(calling(), legState('connected')).context), 'calling');
    assert.equal(callState(drive(incoming(), legState('connected')).context), 'incoming');
  });
});

describe('canCall', () => {
  test('only in the room with a reachable peer, no call, signaling up', () => {
    assert.equal(canCall(ready()), true);
    assert.equal(canCall(ended()), true);
    for (const ctx of [
      initialContext(),
      joining(),
      inRoom(),
      calling(),
      incoming(),
      connected(),
      away(),
      drive(ready(), lost(true)).context,
    ]) {
      assert.equal(canCall(ctx), false);
      assert.deepEqual(drive(ctx, call('call-other-001')).effects, []);
    }
  });

  test('signals from the peer are ignored outside the room', () => {
    assert.deepEqual(drive(joining(), from(sig.ring())).effects, []);
  });
});
