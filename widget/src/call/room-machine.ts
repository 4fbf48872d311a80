/**
 * The room and its call as one pure reducer: `(context, event) → { context, effects }`. No DOM,
 * socket, timer or RTCPeerConnection here; the element turns what happens into events and
 * carries out the effects. Every transition is tested in node (widget/test/node/).
 *
 * The room holds the other members; our call holds one leg per other participant (a full mesh),
 * each with the one-to-one call's logic of before (leg-steps.ts): consent, glare, ICE restarts,
 * a participant away and back. Consent: a call rings first. The caller's legs are created with
 * their offers at once, so ICE and DTLS finish while it rings, but no local track is attached to
 * a leg until both its ends are in the call (`attach-media`).
 */
import { ROOM_NAME_PATTERN, type MediaState } from 'video-call-protocol';
import {
  acceptCall,
  callOrJoin,
  declineCall,
  handleSignal,
  hangUp,
  memberJoined,
  memberLeft,
  rejoined,
  signalingLost,
} from './call-steps.js';
import { legFailed, legStateChanged, legTimer } from './leg-steps.js';
import { DEFAULT_CAPACITY, initialContext, type CodedError, type RoomContext, type RoomEffect, type RoomEvent } from './room-context.js';
import { canCall, canStart, runningCall } from './room-state.js';
import { Step } from './room-step.js';

/** What one event did: the next context, and the effects to carry out in order. */
export interface Transition {
  context: RoomContext;
  effects: RoomEffect[];
}

/** The reducer. Events that do not apply in the current context change nothing. */
export function reduce(ctx: RoomContext, event: RoomEvent): Transition {
  const t = new Step(ctx);
  apply(t, event);
  return { context: t.ctx, effects: t.effects };
}

/** The host settings a reset keeps. */
const settingsOf = ({ autoAnswer, ringTimeoutMs, relayOnly }: RoomContext) => ({ autoAnswer, ringTimeoutMs, relayOnly });

/** Picks the transition for `event`. */
function apply(t: Step, event: RoomEvent): void {
  const { ctx } = t;
  const inRoom = ctx.stage === 'in-room';
  switch (event.type) {
    case 'configure':
      return t.set({ autoAnswer: event.autoAnswer, ringTimeoutMs: event.ringTimeoutMs, relayOnly: event.relayOnly });
    case 'start':
      if (!canStart(ctx)) return;
      t.ctx = initialContext(settingsOf(ctx));
      if (!ROOM_NAME_PATTERN.test(event.room)) return fail(t, { code: 'missing-room' });
      t.set({ stage: 'acquiring-media', room: event.room, media: 'acquiring' });
      return t.do({ type: 'acquire-media' });
    case 'media-ready':
      if (ctx.media !== 'acquiring') return;
      t.set({ media: 'on' });
      if (ctx.stage === 'acquiring-media') {
        t.set({ stage: 'joining' });
        return t.do({ type: 'join', room: ctx.room });
      }
      if (ctx.call?.joined) for (const [peerId, leg] of Object.entries(ctx.legs)) if (leg.accepted) t.do({ type: 'attach-media', peerId });
      return;
    case 'media-failed':
      if (ctx.media !== 'acquiring') return;
      t.set({ media: 'off' });
      if (ctx.stage === 'acquiring-media') return fail(t, event.error);
      // During a call: it goes on without our camera; the person is told.
      return t.notify({ type: 'error', error: event.error });
    case 'joined':
      if (ctx.stage !== 'joining') return;
      t.set({ stage: 'in-room', self: event.self, capacity: event.capacity ?? DEFAULT_CAPACITY });
      t.do({ type: 'fetch-ice-servers' });
      for (const member of event.members) memberJoined(t, member);
      return;
    case 'join-failed': // the first join, or the rejoin after a reconnection
      if (ctx.stage === 'joining' || inRoom) fail(t, event.error);
      return;
    case 'call':
      if (canCall(ctx)) callOrJoin(t, event.callId, runningCall(ctx));
      return;
    case 'accept':
      return acceptCall(t);
    case 'decline':
      return declineCall(t);
    case 'hang-up':
      return hangUp(t);
    case 'leave':
      hangUp(t);
      if (ctx.stage !== 'idle') t.do({ type: 'close-signaling' });
      t.releaseMedia();
      t.ctx = initialContext(settingsOf(ctx));
      return;
    case 'member-joined':
      if (inRoom) memberJoined(t, event.member);
      return;
    case 'member-left':
      if (inRoom) memberLeft(t, event.member, event.reason);
      return;
    case 'signal': {
      const from = inRoom ? t.memberByConnection(event.from) : undefined;
      if (!from) return;
      const { signal } = event;
      if (signal.kind === 'chat') {
        // Chat through the service, while no leg's data channel joins the two.
        const { id, text, sentAt } = signal;
        return t.notify({ type: 'message', from: t.identity(from.peerId), message: { id, text, sentAt } });
      }
      if (signal.kind === 'description' || signal.kind === 'candidate') {
        // Only for a leg of that call: a member neither ringing with us nor in our call is ignored.
        if (t.leg(from.peerId)?.call === signal.call) t.do({ type: 'leg-signal', peerId: from.peerId, signal });
        return;
      }
      return handleSignal(t, from, signal);
    }
    case 'leg-message': {
      // The channel lives with a leg.
      if (!ctx.legs[event.peerId] || !ctx.members[event.peerId]) return;
      const { message } = event;
      if (message.t === 'media') {
        const { microphoneEnabled, cameraEnabled, screenSharing } = message;
        const media = { microphoneEnabled, cameraEnabled, screenSharing };
        // Every new leg's channel opens with this message, mostly saying what the leg assumed:
        // then the context stays the same object, and nothing is rendered again.
        if (sameMedia(ctx.legs[event.peerId]!.media, media)) return;
        return t.patchLeg(event.peerId, { media });
      }
      const { id, text, sentAt } = message;
      return t.notify({ type: 'message', from: t.identity(event.peerId), message: { id, text, sentAt } });
    }
    case 'leg-state':
      return legStateChanged(t, event.peerId, event.state);
    case 'no-local-candidates':
      return legFailed(t, event.peerId, ctx.relayOnly ? { code: 'relay-unavailable' } : { code: 'call-failed' });
    case 'leg-media-stalled':
      if (ctx.members[event.peerId]?.away) t.memberGone(event.peerId);
      return;
    case 'timer':
      return legTimer(t, event.timer, event.peerId);
    case 'signaling-lost':
      if (!event.willReconnect) {
        if (inRoom || ctx.stage === 'joining') fail(t, { code: 'signaling-lost' });
        return;
      }
      if (inRoom) signalingLost(t);
      return;
    case 'signaling-back':
      if (inRoom) t.do({ type: 'rejoin' });
      return;
    case 'rejoined':
      if (inRoom) rejoined(t, event.self, event.members, event.capacity ?? ctx.capacity);
      return;
  }
}

/** True when two media states say the same. */
function sameMedia(a: MediaState, b: MediaState): boolean {
  return a.microphoneEnabled === b.microphoneEnabled && a.cameraEnabled === b.cameraEnabled && a.screenSharing === b.screenSharing;
}

/** Everything off, out of the room, and `error` (or `full`) with a notice. */
function fail(t: Step, error: CodedError): void {
  t.endCall('failed');
  if (t.ctx.stage === 'in-room' || t.ctx.stage === 'joining') t.do({ type: 'close-signaling' });
  t.releaseMedia();
  const { room } = t.ctx;
  t.ctx = initialContext({ ...settingsOf(t.ctx), room, error, stage: error.code === 'room-full' ? 'full' : 'error' });
  t.notify({ type: 'error', error });
}
