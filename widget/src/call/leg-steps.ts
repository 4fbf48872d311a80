/**
 * The transitions of one leg: consent (accept), its end, its failure, its media path (pc-state,
 * connect timeout, ICE restarts by the policy of ice-recovery.ts) and its ring timer. This is
 * the one-to-one call's reducer of before, per leg; the room (call-steps.ts) decides which legs
 * exist. Pure: each reads and replaces the context of a {@link Step} and collects effects.
 */
import type { CodedError } from '../errors.js';
import type { CallEndReason } from './call-state.js';
import { ICE_RESTART_TIMEOUT_MS, iceRestartDelayMs, MAX_ICE_RESTARTS } from './ice-recovery.js';
import { CONNECT_TIMEOUT_MS, type TimerName } from './room-context.js';
import type { Step } from './room-step.js';

/**
 * Both ends of the leg to `peerId` are in the call: attach our tracks (capturing first if the
 * camera is off) and give its media path {@link CONNECT_TIMEOUT_MS} to come up. `tell`: send
 * `accept` (we accept their ring); a leg that rang from our side stops ringing.
 */
export function acceptLeg(t: Step, peerId: string, tell: boolean): void {
  const leg = t.leg(peerId);
  if (!leg) return;
  t.patchLeg(peerId, { accepted: true });
  if (tell) t.sendTo(peerId, { kind: 'accept', call: leg.call });
  t.cancelTimer('ring', peerId);
  t.attachTo(peerId);
  if (!leg.everConnected) t.startTimer('connect', peerId, CONNECT_TIMEOUT_MS);
}

/**
 * Opens a leg to a participant of our call, both ends already in it (no ring): we joined a
 * running call and offer, they joined ours and offer, or two of us entered at once and the
 * impolite one offers. `announce`: send `accept` first (our offer follows it).
 */
export function enterLeg(t: Step, peerId: string, call: string, offer: boolean, announce: boolean): void {
  if (announce) t.sendTo(peerId, { kind: 'accept', call });
  t.openLeg(peerId, { call, direction: offer ? 'outgoing' : 'incoming', accepted: true }, offer);
  t.attachTo(peerId);
  t.startTimer('connect', peerId, CONNECT_TIMEOUT_MS);
}

/**
 * The leg to `peerId` ended (`reason` from its side or ours): it closes, and our call ends with
 * it when no leg is left.
 */
export function legEnded(t: Step, peerId: string, reason: CallEndReason): void {
  const leg = t.leg(peerId);
  t.closeLeg(peerId);
  const call = t.ctx.call;
  if (call && Object.keys(t.ctx.legs).length === 0) return t.endCall(reason, peerId);
  // Their part ended (they declined, did not answer, hung up) but the call goes on: they hear
  // that it does, and may join it again.
  if (call?.joined && leg) t.sendTo(peerId, { kind: 'in-call', call: call.id });
}

/**
 * The leg to `peerId` could not be set up or restored: its member is told (`hang-up`, `failed`),
 * the person too (`vc-error`); the call ends when it was the last leg.
 */
export function legFailed(t: Step, peerId: string, error: CodedError): void {
  const leg = t.leg(peerId);
  if (!leg) return;
  t.sendTo(peerId, { kind: 'hang-up', call: leg.call, reason: 'failed' });
  if (Object.keys(t.ctx.legs).length > 1) {
    t.closeLeg(peerId);
  } else {
    t.endCall('failed', peerId);
    t.set({ ended: { ...t.ctx.ended!, error } });
  }
  t.notify({ type: 'error', error });
  if (t.member(peerId)?.away) t.memberGone(peerId);
}

/** The leg's `RTCPeerConnection.connectionState` changed. */
export function legStateChanged(t: Step, peerId: string, state: RTCPeerConnectionState): void {
  const leg = t.leg(peerId);
  if (!leg) return;
  if (state === 'connected') {
    t.patchLeg(peerId, { connected: true, everConnected: true, iceRestarts: 0, loss: null });
    t.cancelTimer('connect', peerId);
    t.cancelTimer('ice-restart', peerId);
    return;
  }
  t.patchLeg(peerId, { connected: false });
  if (state !== 'disconnected' && state !== 'failed') return;
  // Its member's signaling was already gone; now its media is too.
  if (t.member(peerId)?.away) return t.memberGone(peerId);
  if (!leg.everConnected) {
    if (state === 'failed') legFailed(t, peerId, { code: 'call-failed' });
    return;
  }
  if (leg.loss !== null) return; // a recovery is already under way
  t.patchLeg(peerId, { loss: state });
  t.startTimer('ice-restart', peerId, iceRestartDelayMs(0, { cause: state, polite: t.polite(peerId) })!);
}

/** One of the leg's timers fired. */
export function legTimer(t: Step, timer: TimerName, peerId: string): void {
  const leg = t.leg(peerId);
  if (!leg) return;
  if (timer === 'ring' && !leg.accepted) {
    // Either side's timer ends the ring for both.
    t.sendTo(peerId, { kind: 'hang-up', call: leg.call, reason: 'no-answer' });
    return legEnded(t, peerId, 'no-answer');
  }
  if (timer === 'connect' && leg.accepted && !leg.everConnected) return legFailed(t, peerId, { code: 'call-failed' });
  if (timer === 'ice-restart' && !leg.connected && leg.loss) {
    if (leg.iceRestarts >= MAX_ICE_RESTARTS) return legFailed(t, peerId, { code: 'call-failed' });
    const restarts = leg.iceRestarts + 1;
    t.patchLeg(peerId, { iceRestarts: restarts });
    // After the last restart the timer runs once more, to give up if it did not help.
    const next = iceRestartDelayMs(restarts, { cause: leg.loss, polite: t.polite(peerId) }) ?? ICE_RESTART_TIMEOUT_MS;
    t.do({ type: 'restart-ice', peerId });
    t.startTimer('ice-restart', peerId, next);
  }
}
