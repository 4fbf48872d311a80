/**
 * The call's lifecycle as one pure reducer: `(context, event) → { context, effects }`. No DOM,
 * socket, timer or RTCPeerConnection here; the element turns what happens into events and
 * carries out the effects. Every transition is tested in node (widget/test/node/).
 *
 * Consent: a call rings first. The caller's RTCPeerConnection is created with its offer at once,
 * so ICE and DTLS finish while it rings, but no local track is attached on either side until
 * the callee accepts (`attach-media`). Both ringing at once (glare) counts as both accepting.
 */
import { ROOM_NAME_PATTERN } from 'video-call-protocol';
import { canCall, canStart, initialContext, type CallContext, type CallEffect, type CallEvent } from './call-context.js';

export { canCall, canStart };
import { Step } from './call-steps.js';

/** What one event did: the next context, and the effects to carry out in order. */
export interface Transition {
  context: CallContext;
  effects: CallEffect[];
}

/** The reducer. Events that do not apply in the current context change nothing. */
export function reduce(ctx: CallContext, event: CallEvent): Transition {
  const t = new Step(ctx);
  apply(t, event);
  return { context: t.ctx, effects: t.effects };
}

/** Picks the transition for `event`. */
function apply(t: Step, event: CallEvent): void {
  const { ctx } = t;
  const inRoom = ctx.stage === 'in-room';
  switch (event.type) {
    case 'configure':
      return t.set({ autoAnswer: event.autoAnswer, ringTimeoutMs: event.ringTimeoutMs, relayOnly: event.relayOnly });
    case 'start':
      if (!canStart(ctx)) return;
      t.ctx = initialContext({ autoAnswer: ctx.autoAnswer, ringTimeoutMs: ctx.ringTimeoutMs, relayOnly: ctx.relayOnly });
      if (!ROOM_NAME_PATTERN.test(event.room)) return t.fail({ code: 'missing-room' });
      t.set({ stage: 'acquiring-media', room: event.room, media: 'acquiring' });
      return t.do({ type: 'acquire-media' });
    case 'media-ready':
      if (ctx.media !== 'acquiring') return;
      t.set({ media: 'on' });
      if (ctx.stage === 'acquiring-media') {
        t.set({ stage: 'joining' });
        return t.do({ type: 'join', room: ctx.room });
      }
      if (ctx.call?.accepted) t.do({ type: 'attach-media' });
      return;
    case 'media-failed':
      if (ctx.media !== 'acquiring') return;
      t.set({ media: 'off' });
      if (ctx.stage === 'acquiring-media') return t.fail(event.error);
      // During a call: it goes on without our camera; the person is told.
      return t.notify({ type: 'error', error: event.error });
    case 'joined':
      if (ctx.stage !== 'joining') return;
      t.set({ stage: 'in-room', polite: event.polite });
      t.do({ type: 'fetch-ice-servers' });
      if (event.peers[0]) t.peerJoined(event.peers[0]);
      return;
    case 'join-failed': // the first join, or the rejoin after a reconnection
      if (ctx.stage === 'joining' || inRoom) t.fail(event.error);
      return;
    case 'call':
      if (!canCall(ctx)) return;
      t.set({
        ended: null,
        call: { id: event.callId, direction: 'outgoing', accepted: false, connected: false, everConnected: false, iceRestarts: 0, loss: null },
      });
      t.wantMedia();
      // The ring goes first: the offer follows on the same ordered socket.
      t.send({ kind: 'ring', call: event.callId });
      t.do({ type: 'open-peer', offer: true }, { type: 'start-timer', timer: 'ring', ms: ctx.ringTimeoutMs });
      return;
    case 'accept':
      if (ctx.call?.direction === 'incoming' && !ctx.call.accepted) t.accept(true);
      return;
    case 'decline':
      return t.decline();
    case 'hang-up':
      return t.hangUpOrDecline();
    case 'leave':
      t.hangUpOrDecline();
      if (ctx.stage !== 'idle') t.do({ type: 'close-signaling' }, { type: 'watch-peer-media', on: false });
      t.releaseMedia();
      t.ctx = initialContext({ autoAnswer: ctx.autoAnswer, ringTimeoutMs: ctx.ringTimeoutMs, relayOnly: ctx.relayOnly });
      return;
    case 'peer-joined':
      if (inRoom) t.peerJoined(event.peer);
      return;
    case 'peer-left':
      if (!inRoom || event.peer.id !== ctx.peer?.id) return;
      if (event.reason === 'disconnected' && ctx.call?.accepted && ctx.call.connected) {
        // Its connection to the service dropped, but its media may still flow: it may come back.
        t.set({ away: ctx.peer, peer: null });
        return t.do({ type: 'watch-peer-media', on: true });
      }
      return t.peerGone();
    case 'peer-media-stalled':
      if (ctx.away) t.peerGone();
      return;
    case 'signal':
      if (inRoom && event.from === ctx.peer?.id) t.signal(event.signal);
      return;
    case 'peer-message': {
      const partner = ctx.peer ?? ctx.away;
      if (!ctx.call || !partner) return; // the channel lives with a call
      const { message } = event;
      if (message.t === 'media') {
        const { microphoneEnabled, cameraEnabled, screenSharing } = message;
        return t.set({ peerMedia: { microphoneEnabled, cameraEnabled, screenSharing } });
      }
      const { id, text, sentAt } = message;
      return t.notify({ type: 'message', from: partner, message: { id, text, sentAt } });
    }
    case 'pc-state':
      return t.pcState(event.state);
    case 'no-local-candidates':
      if (!ctx.call) return;
      return t.callFailed(ctx.relayOnly ? { code: 'relay-unavailable' } : { code: 'call-failed' });
    case 'timer':
      return t.timer(event.timer);
    case 'signaling-lost':
      if (!event.willReconnect) {
        if (inRoom || ctx.stage === 'joining') t.fail({ code: 'signaling-lost' });
        return;
      }
      if (!inRoom) return;
      t.set({ signalingDown: true });
      // A call that still rings cannot be answered meanwhile, and the other side ends it when
      // it sees us drop: end it here too, so both agree.
      if (ctx.call && !ctx.call.accepted) t.endCall('failed');
      return;
    case 'signaling-back':
      if (inRoom) t.do({ type: 'rejoin' });
      return;
    case 'rejoined':
      if (inRoom) t.rejoined(event.polite, event.peers);
      return;
  }
}
