/**
 * The room's call: ringing everyone or joining the running call, accepting, declining, hanging
 * up, the signals other members send, and members coming and going. Each builds on a
 * {@link Step}; leg-steps.ts holds what happens to one leg. Pure.
 *
 * Who offers on a leg (protocol PROTOCOL.md, "A group call"): whoever rings (the ring's offer
 * lets ICE finish while it rings); whoever enters a call offers to every participant it knows
 * (`accept`, then the offer); and when two enter at once, each before hearing of the other (each
 * gets the other's `in-call`), the impolite one of the pair offers.
 */
import type { Member, RoomMember } from './room-context.js';
import { acceptLeg, enterLeg, legEnded } from './leg-steps.js';
import type { Step } from './room-step.js';
import type { CallSignal } from './room-context.js';

/** Rings every member present (a new call), or joins the call running in the room. */
export function callOrJoin(t: Step, callId: string, running: string | null): void {
  t.set({ ended: null });
  if (running) return joinCall(t, running);
  t.set({ call: { id: callId, direction: 'outgoing', joined: true } });
  t.wantMedia();
  for (const m of present(t)) {
    // The ring goes first: the offer follows on the same ordered socket.
    t.sendTo(m.peerId, { kind: 'ring', call: callId });
    t.openLeg(m.peerId, { call: callId, direction: 'outgoing', accepted: false }, true);
    t.startTimer('ring', m.peerId, t.ctx.ringTimeoutMs);
  }
}

/** Enters the running call `callId`: a leg to each participant (we offer), nobody rings. */
function joinCall(t: Step, callId: string): void {
  t.set({ call: { id: callId, direction: 'outgoing', joined: true } });
  t.wantMedia();
  enterParticipants(t, callId);
}

/** Accepts the call that rings for us: its ringing legs, then a leg to every other participant. */
export function acceptCall(t: Step): void {
  const call = t.ctx.call;
  if (!call || call.joined) return;
  t.set({ call: { ...call, joined: true } });
  for (const [peerId, leg] of Object.entries(t.ctx.legs)) if (!leg.accepted) acceptLeg(t, peerId, true);
  enterParticipants(t, call.id);
}

/**
 * We just entered call `callId`: `accept` and an offer to each participant without a leg yet,
 * `in-call` to everyone else present, so they can show the call and join it.
 */
function enterParticipants(t: Step, callId: string): void {
  for (const m of present(t)) {
    if (t.leg(m.peerId)) continue;
    if (m.call === callId) enterLeg(t, m.peerId, callId, true, true);
    else t.sendTo(m.peerId, { kind: 'in-call', call: callId });
  }
}

/** Declines the call that rings for us; the ringers are told. */
export function declineCall(t: Step): void {
  const call = t.ctx.call;
  if (!call || call.joined) return;
  for (const [peerId, leg] of Object.entries(t.ctx.legs)) t.sendTo(peerId, { kind: 'decline', call: leg.call });
  t.endCall('declined');
}

/** Leaves our call (or declines the one that rings for us); everyone who knows of our part in it is told. */
export function hangUp(t: Step): void {
  const call = t.ctx.call;
  if (!call) return;
  if (!call.joined) return declineCall(t);
  const away: string[] = [];
  for (const peerId of Object.keys(t.ctx.legs)) {
    if (t.member(peerId)?.away) {
      // It cannot hear us now: it is told if it comes back.
      t.set({ owedHangUps: { ...t.ctx.owedHangUps, [peerId]: call.id } });
      away.push(peerId);
    } else {
      t.sendTo(peerId, { kind: 'hang-up', call: call.id });
    }
  }
  // The members without a leg hear it from endCall.
  t.endCall('hang-up');
  // An away participant is gone for this side; it hears of the hang-up if it comes back.
  for (const peerId of away) t.memberGone(peerId);
}

/** A signal from member `from` (stamped by the service). Call signals of other calls are dropped. */
export function handleSignal(t: Step, from: RoomMember, signal: CallSignal): void {
  const { peerId } = from;
  const call = t.ctx.call;
  const leg = t.leg(peerId);
  const ours = leg !== undefined && leg.call === signal.call;
  switch (signal.kind) {
    case 'ring':
      t.patchMember(peerId, { call: signal.call });
      return ringFrom(t, from, signal.call);
    case 'accept':
      t.patchMember(peerId, { call: signal.call });
      if (!call?.joined || signal.call !== call.id) return;
      if (!leg) return enterLeg(t, peerId, call.id, false, false); // it joined: its offer follows
      if (ours && !leg.accepted && leg.direction === 'outgoing') acceptLeg(t, peerId, false);
      return;
    case 'in-call':
      t.patchMember(peerId, { call: signal.call });
      // Both entered at once, each before hearing of the other: the impolite one offers.
      if (call?.joined && signal.call === call.id && !leg) enterLeg(t, peerId, call.id, !t.polite(peerId), false);
      return;
    case 'decline':
      if (from.call === signal.call) t.patchMember(peerId, { call: null });
      if (ours && !leg.accepted && leg.direction === 'outgoing') legEnded(t, peerId, 'declined');
      return;
    case 'hang-up':
      if (from.call === signal.call) t.patchMember(peerId, { call: null });
      if (!ours) return;
      if (signal.reason) return legEnded(t, peerId, signal.reason);
      return legEnded(t, peerId, leg.accepted || leg.direction === 'outgoing' ? 'remote-hang-up' : 'cancelled');
  }
}

/** `from` rings us for `callId`. */
function ringFrom(t: Step, from: RoomMember, callId: string): void {
  const { peerId } = from;
  const call = t.ctx.call;
  if (!call) {
    t.set({ ended: null, call: { id: callId, direction: 'incoming', joined: false } });
    t.openLeg(peerId, { call: callId, direction: 'incoming', accepted: false }, false);
    t.notify({ type: 'incoming-call', member: t.identity(peerId) });
    if (t.ctx.autoAnswer) return acceptCall(t);
    return t.startTimer('ring', peerId, t.ctx.ringTimeoutMs);
  }
  if (callId === call.id) return; // a second ring of the same call
  if (!call.joined) {
    // Two calls ring here at once (two people called at once): the one of the caller with the
    // smaller peerId wins, as between the two callers themselves (the polite one gives up).
    const [current] = Object.keys(t.ctx.legs);
    if (current === undefined || peerId > current) return;
    t.closeLeg(current);
    t.set({ call: null });
    return ringFrom(t, from, callId);
  }
  const ringing = Object.entries(t.ctx.legs);
  const glare = call.direction === 'outgoing' && ringing.length > 0 && ringing.every(([, leg]) => !leg.accepted) && t.leg(peerId);
  if (glare) {
    // Glare: we both called, so we both asked for the call; nobody presses Accept. The impolite
    // side's call wins and it waits for our accept; we give up our own call aloud (so it cannot
    // linger there if it crossed a hang-up of theirs), take theirs, and start over with a fresh
    // leg that answers (no rollback of a gathering offer). The impolite side ignores our ring.
    if (!t.polite(peerId)) return;
    for (const [other] of ringing) {
      t.sendTo(other, { kind: 'hang-up', call: call.id });
      if (other !== peerId) t.closeLeg(other);
    }
    t.set({ call: { id: callId, direction: 'incoming', joined: true } });
    t.openLeg(peerId, { call: callId, direction: 'incoming', accepted: false }, false);
    acceptLeg(t, peerId, true);
    return enterParticipants(t, callId);
  }
  // We are in another call: busy. A participant of ours ringing is ignored.
  if (!t.leg(peerId)) t.sendTo(peerId, { kind: 'decline', call: callId });
}

/** A member joined the room (or is back on a new connection, with the same `peerId`). */
export function memberJoined(t: Step, member: Member): void {
  const owed = t.ctx.owedHangUps[member.peerId];
  if (owed !== undefined) {
    // We hung up while it was away: tell it now, so its call ends too.
    const { [member.peerId]: _paid, ...rest } = t.ctx.owedHangUps;
    t.set({ owedHangUps: rest });
    t.do({ type: 'send', to: member.id, signal: { kind: 'hang-up', call: owed } });
  }
  const known = t.member(member.peerId);
  if (known) {
    // The same person, back on a new connection: its leg goes on.
    t.setMember({ ...known, id: member.id, name: member.name, away: false });
    if (t.leg(member.peerId))
      t.do({ type: 'watch-leg-media', peerId: member.peerId, on: false }, { type: 'resend-offer', peerId: member.peerId });
    return;
  }
  // A full room let someone in: a member we took for away is gone (its place was freed). Once
  // the room is full, those we owe a hang-up cannot come back either.
  const all = Object.values(t.ctx.members);
  if (all.length >= t.ctx.capacity - 1) for (const m of all.filter((m) => m.away)) t.memberGone(m.peerId);
  if (Object.keys(t.ctx.members).length + 1 >= t.ctx.capacity - 1) t.set({ owedHangUps: {} });
  t.setMember({ ...member, call: null, away: false });
  t.set({ lastLeft: null, ended: null });
  t.notify({ type: 'member-joined', member });
  if (t.ctx.call?.joined) t.sendTo(member.peerId, { kind: 'in-call', call: t.ctx.call.id });
}

/** A member left the room (`left`) or lost its connection (`disconnected`). */
export function memberLeft(t: Step, member: Member, reason: 'left' | 'disconnected'): void {
  const known = t.member(member.peerId);
  if (!known || known.id !== member.id) return;
  const leg = t.leg(member.peerId);
  if (reason === 'disconnected' && leg?.accepted && leg.connected) {
    // Its connection to the service dropped, but its media may still flow: it may come back.
    t.setMember({ ...known, away: true });
    return t.do({ type: 'watch-leg-media', peerId: member.peerId, on: true });
  }
  t.memberGone(member.peerId);
}

/** We are back in the room on a new connection: `members` is who is there now. */
export function rejoined(t: Step, self: string, members: Member[], capacity: number): void {
  t.set({ signalingDown: false, self, capacity });
  t.do({ type: 'fetch-ice-servers' });
  for (const known of Object.values(t.ctx.members)) {
    const back = members.find((m) => m.peerId === known.peerId);
    const leg = t.leg(known.peerId);
    if (back) {
      // It kept its place, or rejoined first: only its connection id may be new.
      t.setMember({ ...known, id: back.id, name: back.name, away: false });
      t.do({ type: 'watch-leg-media', peerId: known.peerId, on: false });
      if (leg) t.do({ type: 'resend-offer', peerId: known.peerId });
    } else if (leg?.accepted && leg.connected) {
      // Old connection ids are void. A participant is away until it is back (or its media stops).
      t.setMember({ ...known, away: true });
      t.do({ type: 'watch-leg-media', peerId: known.peerId, on: true });
    } else {
      t.memberGone(known.peerId);
    }
  }
  for (const m of members) if (!t.member(m.peerId)) memberJoined(t, m);
}

/** Our connection to the service dropped; socket.io reconnects. */
export function signalingLost(t: Step): void {
  t.set({ signalingDown: true });
  // A ring cannot be answered meanwhile, and the other side ends it when it sees us drop: end
  // it here too, so both agree.
  const call = t.ctx.call;
  if (!call) return;
  const ringing = Object.entries(t.ctx.legs).filter(([, leg]) => !leg.accepted);
  if (!call.joined || ringing.length === Object.keys(t.ctx.legs).length) return t.endCall('failed');
  for (const [peerId] of ringing) t.closeLeg(peerId);
}

/** The members present (not away), in join order. */
const present = (t: Step) => Object.values(t.ctx.members).filter((m) => !m.away);
