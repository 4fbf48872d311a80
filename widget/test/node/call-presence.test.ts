/**
 * People coming and going during a call: the partner away and back, its media stalling, a hang-up
 * owed to an away partner, our own signaling dropping and the rejoin.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { initialContext } from '../../src/call/room-context.js';
import { reduce } from '../../src/call/room-machine.js';
import { callState, canCall, reconnectingCause } from '../../src/call/room-state.js';
import {
  accept,
  acquiring,
  away,
  awayOf,
  legOf,
  presentOf,
  resend,
  SELF,
  bob,
  bobBack,
  calling,
  came,
  carol,
  connected,
  connecting,
  decline,
  drive,
  endCall,
  fire,
  from,
  hangUp,
  incoming,
  inRoom,
  joining,
  left,
  legState,
  lost,
  memberJoined,
  memberLeft,
  OUR_CALL,
  ready,
  rejoined,
  send,
  sig,
  stalled,
  watch,
} from './helpers.js';

const RESEND = resend();
const REJOIN_START = () => [{ type: 'fetch-ice-servers' }] as const;
/** Calls that are not (yet) accepted and connected: ringing on either side (ICE up or not), connecting. */
const notConnected = () => [
  calling(),
  incoming(),
  drive(calling(), legState('connected')).context,
  drive(incoming(), legState('connected')).context,
  connecting(),
];

describe('the partner away during a connected call', () => {
  test('its signaling dropped: away, reconnecting, its media watched; no new call', () => {
    const { context, effects } = drive(connected(), memberLeft(bob, 'disconnected'));
    assert.deepEqual(effects, [watch(true)]);
    assert.equal(callState(context), 'reconnecting');
    assert.deepEqual([presentOf(context), awayOf(context)], [[], [bob]]);
    assert.equal(canCall(context), false);
  });

  test('it left on purpose: the call ends (peer-left), the host page is told', () => {
    const { context, effects } = drive(connected(), memberLeft(bob, 'left'));
    assert.deepEqual(effects, [...endCall('peer-left'), watch(false), left()]);
    assert.equal(callState(context), 'waiting');
  });

  test('disconnected while the call rings (even with its ICE up) or before it connected: gone at once, not away', () => {
    for (const ctx of notConnected()) {
      const { context, effects } = drive(ctx, memberLeft(bob, 'disconnected'));
      assert.deepEqual(effects, [...endCall('peer-left'), watch(false), left()]);
      assert.equal(callState(context), 'waiting');
      assert.deepEqual([context.call, awayOf(context)], [null, []]);
    }
  });

  test('its media stalls: gone; call-ended peer-left, then peer-left', () => {
    const { context, effects } = drive(away(), stalled());
    assert.deepEqual(effects, [...endCall('peer-left'), watch(false), left()]);
    assert.equal(callState(context), 'waiting');
    assert.deepEqual(drive(connected(), stalled()).effects, [], 'a stall with the partner present is ignored');
  });

  test('its media path drops too: gone', () => {
    assert.deepEqual(drive(away(), legState('disconnected')).effects, [...endCall('peer-left'), watch(false), left()]);
  });

  test('back with the same peerId: the call resumes on its new connection id', () => {
    const { context, effects } = drive(away(), memberJoined(bobBack));
    assert.deepEqual(effects, [watch(false), RESEND]);
    assert.equal(callState(context), 'connected');
    assert.deepEqual([presentOf(context), awayOf(context)], [[bobBack], []]);
    assert.deepEqual(drive(context, from(sig.hangUp(), bobBack)).effects, endCall('remote-hang-up'));
    assert.deepEqual(drive(context, from(sig.hangUp(), bob)).effects, [], 'its old id is void');
  });

  test('someone else joins instead: the call ends, the partner is gone, the newcomer is there', () => {
    const { context, effects } = drive(away(), memberJoined(carol));
    assert.deepEqual(effects, [...endCall('peer-left'), watch(false), left(), came(carol)]);
    assert.equal(callState(context), 'ready');
  });
});

describe('hanging up while the partner is away', () => {
  test('the call ends; the hang-up is owed; the partner counts as gone', () => {
    const { context, effects } = drive(away(), hangUp);
    assert.deepEqual(effects, [...endCall('hang-up'), watch(false), left()]);
    assert.deepEqual(context.owedHangUps, { [bob.peerId]: OUR_CALL });
    assert.equal(callState(context), 'waiting');
  });

  test('it comes back: the owed hang-up is sent to its new id, then it is a new peer', () => {
    const { context, effects } = drive(away(), hangUp, memberJoined(bobBack));
    assert.deepEqual(effects.slice(-2), [send(sig.hangUp(), bobBack), came(bobBack)]);
    assert.deepEqual(context.owedHangUps, {});
    assert.equal(callState(context), 'ready');
  });

  test('someone else joins: nothing is sent and the debt is dropped', () => {
    const { context, effects } = drive(away(), hangUp, memberJoined(carol));
    assert.deepEqual(effects.slice(-1), [came(carol)]);
    assert.deepEqual(context.owedHangUps, {});
    assert.deepEqual(
      drive(context, memberLeft(carol), memberJoined(bobBack)).effects.filter((e) => e.type === 'send'),
      [],
    );
  });

  test('it comes back while our own signaling was down: sent at our rejoin', () => {
    const ctx = drive(away(), hangUp, lost(true)).context;
    const { effects } = drive(ctx, rejoined([bobBack]));
    assert.deepEqual(effects, [...REJOIN_START(), send(sig.hangUp(), bobBack), came(bobBack)]);
  });
});

describe('our own signaling dropping', () => {
  test('will reconnect: reconnecting, the call goes on, no new call', () => {
    for (const ctx of [ready(), connected()]) {
      const { context, effects } = drive(ctx, lost(true));
      assert.deepEqual(effects, []);
      assert.equal(callState(context), 'reconnecting');
      assert.equal(canCall(context), false);
      assert.deepEqual(context.call, ctx.call);
    }
  });

  test('outside the room it changes nothing', () => {
    for (const ctx of [acquiring(), joining(), initialContext()]) assert.equal(reduce(ctx, lost(true)).context, ctx);
  });

  test('signaling back: rejoin (only in the room)', () => {
    assert.deepEqual(drive(connected(), lost(true), { type: 'signaling-back' }).effects, [{ type: 'rejoin' }]);
    for (const ctx of [joining(), initialContext()]) assert.deepEqual(reduce(ctx, { type: 'signaling-back' }).effects, []);
  });

  test('rejoined outside the room is ignored', () => {
    for (const ctx of [joining(), initialContext()]) assert.equal(reduce(ctx, rejoined([bob])).context, ctx);
  });
});

describe('rejoined', () => {
  const down = () => drive(connected(), lost(true)).context;

  test('the partner is still there: ICE servers renewed, the offer re-sent (roles go by peerId: unchanged)', () => {
    const { context, effects } = drive(down(), rejoined([bob]));
    assert.deepEqual(effects, [...REJOIN_START(), watch(false), RESEND]);
    assert.equal(context.self, SELF.impolite);
    assert.equal(callState(context), 'connected');
  });

  test('the partner rejoined first with a new id: the call goes on with it', () => {
    const { context, effects } = drive(down(), rejoined([bobBack]));
    assert.deepEqual(effects, [...REJOIN_START(), watch(false), RESEND]);
    assert.deepEqual(presentOf(context), [bobBack]);
  });

  test('the partner is not there (yet): away, its media watched', () => {
    const { context, effects } = drive(down(), rejoined([]));
    assert.deepEqual(effects, [...REJOIN_START(), watch(true)]);
    assert.equal(reconnectingCause(context), 'peer');
    assert.deepEqual(drive(context, memberJoined(bobBack)).effects, [watch(false), RESEND]);
  });

  test('someone else is there: the call ends with peer-left, the newcomer is announced', () => {
    const { context, effects } = drive(down(), rejoined([carol]));
    assert.deepEqual(effects, [...REJOIN_START(), watch(true), ...endCall('peer-left'), watch(false), left(), came(carol)]);
    assert.equal(callState(context), 'ready');
  });

  test('without a call: the same peer stays, a missing one is gone, a new one is announced', () => {
    const idle = () => drive(ready(), lost(true)).context;
    assert.deepEqual(drive(idle(), rejoined([bob])).effects, [...REJOIN_START(), watch(false)]);
    assert.deepEqual(drive(idle(), rejoined([])).effects, [...REJOIN_START(), watch(false), left()]);
    assert.equal(callState(drive(idle(), rejoined([])).context), 'waiting');
    assert.deepEqual(drive(drive(inRoom(), lost(true)).context, rejoined([bob])).effects, [...REJOIN_START(), came()]);
  });

  test('a call that still rings (even with its ICE up) ends when our signaling drops: the other side ends it too', () => {
    for (const ringing of notConnected().filter((ctx) => !legOf(ctx)!.accepted)) {
      const dropped = drive(ringing, lost(true));
      assert.deepEqual(dropped.effects, endCall('failed'));
      const { context, effects } = drive(dropped.context, rejoined([]));
      assert.deepEqual(effects.slice(-2), [watch(false), left()]);
      assert.deepEqual([context.call, awayOf(context)], [null, []]);
      assert.equal(callState(context), 'waiting');
    }
  });

  test('an accepted call not yet connected is not kept for an absent partner', () => {
    const { context, effects } = drive(connecting(), lost(true), rejoined([]));
    assert.deepEqual(effects.slice(-(endCall('peer-left').length + 2)), [...endCall('peer-left'), watch(false), left()]);
    assert.deepEqual([context.call, awayOf(context)], [null, []]);
    assert.equal(callState(context), 'waiting');
  });
});

describe('after the partner dropped while the call rang (its ICE already up)', () => {
  for (const [name, make] of [
    ['callee', incoming],
    ['caller', calling],
  ] as const) {
    test(`${name}: nothing is left to accept, decline, hang up or time out; the partner back is a new peer`, () => {
      const ctx = drive(make(), legState('connected'), memberLeft(bob, 'disconnected')).context;
      assert.equal(callState(ctx), 'waiting');
      for (const event of [accept, decline, hangUp, fire('ring'), fire('connect')]) assert.equal(reduce(ctx, event).context, ctx);
      const back = drive(ctx, memberJoined(bobBack));
      assert.deepEqual(back.effects.at(-1), came(bobBack));
      assert.equal(callState(back.context), 'ready');
    });
  }
});
