/**
 * One transition of the room machine being built: the context so far, the effects collected, and
 * the small operations every transition is made of (members, legs, media, timers, sends). Pure:
 * no DOM, socket, timer or RTCPeerConnection. The transitions themselves are in leg-steps.ts
 * (one leg) and call-steps.ts (the room and its call).
 */
import { DEFAULT_MEDIA, isPolite, type Signal } from 'video-call-protocol';
import type { CallEndReason } from './call-state.js';
import type { Leg, Member, Notice, RoomContext, RoomEffect, RoomMember, TimerName } from './room-context.js';

/** The three timers of a leg, in the order they are cancelled. */
export const LEG_TIMERS: readonly TimerName[] = ['ring', 'connect', 'ice-restart'];

/** A leg as it starts: nothing connected yet, their media as the defaults. */
export interface NewLeg {
  call: string;
  direction: Leg['direction'];
  accepted: boolean;
}

export class Step {
  effects: RoomEffect[] = [];
  constructor(public ctx: RoomContext) {}

  set(patch: Partial<RoomContext>): void {
    this.ctx = { ...this.ctx, ...patch };
  }

  do(...effects: RoomEffect[]): void {
    this.effects.push(...effects);
  }

  notify(notice: Notice): void {
    this.do({ type: 'notify', notice });
  }

  // ── members ──────────────────────────────────────────────────────────────────────────────────

  member(peerId: string): RoomMember | undefined {
    return this.ctx.members[peerId];
  }

  /** The member whose connection is `id` (signals are stamped with it), or undefined. */
  memberByConnection(id: string): RoomMember | undefined {
    return Object.values(this.ctx.members).find((m) => m.id === id && !m.away);
  }

  /** Adds or changes a member (added last: the map keeps join order). */
  setMember(member: RoomMember): void {
    this.set({ members: { ...this.ctx.members, [member.peerId]: member } });
  }

  patchMember(peerId: string, patch: Partial<RoomMember>): void {
    const member = this.member(peerId);
    if (member) this.setMember({ ...member, ...patch });
  }

  removeMember(peerId: string): void {
    const { [peerId]: _gone, ...members } = this.ctx.members;
    this.set({ members });
  }

  /** The identity of `peerId` for notices (without the machine's own fields). */
  identity(peerId: string): Member {
    const m = this.member(peerId);
    return m ? { id: m.id, name: m.name, peerId: m.peerId } : { id: '', name: '', peerId };
  }

  /** True when we are the polite side of the pair with `peerId` (protocol roles.ts). */
  polite(peerId: string): boolean {
    return isPolite(this.ctx.self, peerId);
  }

  /** Sends `signal` to member `peerId` when it is reachable (present, not away). */
  sendTo(peerId: string, signal: Signal): void {
    const member = this.member(peerId);
    if (member && !member.away) this.do({ type: 'send', to: member.id, signal });
  }

  // ── legs ─────────────────────────────────────────────────────────────────────────────────────

  leg(peerId: string): Leg | undefined {
    return this.ctx.legs[peerId];
  }

  patchLeg(peerId: string, patch: Partial<Leg>): void {
    const leg = this.leg(peerId);
    if (leg) this.set({ legs: { ...this.ctx.legs, [peerId]: { ...leg, ...patch } } });
  }

  /** Creates the leg to `peerId` (its RTCPeerConnection: `open-leg`); `offer` when we offer on it. */
  openLeg(peerId: string, leg: NewLeg, offer: boolean): void {
    const fresh: Leg = { ...leg, connected: false, everConnected: false, iceRestarts: 0, loss: null, media: DEFAULT_MEDIA };
    this.set({ legs: { ...this.ctx.legs, [peerId]: fresh } });
    this.do({ type: 'open-leg', peerId, offer, polite: this.polite(peerId) });
  }

  /**
   * Closes the leg to `peerId` and stops its timers. A ring of theirs that ends here (declined,
   * timed out, cancelled) leaves us not knowing whether they stay in their call: they say so
   * again (`in-call`) if they do.
   */
  closeLeg(peerId: string): void {
    const leg = this.leg(peerId);
    if (!leg) return;
    const { [peerId]: _closed, ...legs } = this.ctx.legs;
    this.set({ legs });
    if (leg.direction === 'incoming' && !leg.accepted && this.member(peerId)?.call === leg.call) this.patchMember(peerId, { call: null });
    this.do({ type: 'close-leg', peerId }, ...LEG_TIMERS.map((timer) => ({ type: 'cancel-timer', timer, peerId }) as const));
  }

  /** Puts our tracks on the leg to `peerId` (capturing first if the camera is off). */
  attachTo(peerId: string): void {
    if (this.ctx.media === 'on') this.do({ type: 'attach-media', peerId });
    else this.wantMedia();
  }

  startTimer(timer: TimerName, peerId: string, ms: number): void {
    this.do({ type: 'start-timer', timer, peerId, ms });
  }

  cancelTimer(timer: TimerName, peerId: string): void {
    this.do({ type: 'cancel-timer', timer, peerId });
  }

  // ── the call ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Ends our call: closes every leg, releases camera and microphone, tells the host page.
   * `from`: the member whose doing it was (the status line names them); default the first leg's.
   */
  endCall(reason: CallEndReason, from?: string): void {
    const call = this.ctx.call;
    if (!call) return;
    const named = (from !== undefined ? this.member(from) : undefined) ?? this.member(Object.keys(this.ctx.legs)[0] ?? '');
    // The members without a leg knew of our part in it (our `in-call`, their ring or ours that
    // ended before): they hear that we left. Those with a leg heard it on the leg, or said it.
    const told = call.joined ? Object.values(this.ctx.members).filter((m) => !m.away && !this.leg(m.peerId) && m.peerId !== from) : [];
    for (const peerId of Object.keys(this.ctx.legs)) {
      // Whether they stay in the call we cannot tell: those who do say so again (`in-call`).
      if (this.member(peerId)?.call === call.id) this.patchMember(peerId, { call: null });
      this.closeLeg(peerId);
    }
    for (const m of told) this.sendTo(m.peerId, { kind: 'hang-up', call: call.id });
    this.set({ call: null, ended: { reason, direction: call.direction, peerName: named?.name ?? '' } });
    this.releaseMedia();
    this.notify({ type: 'call-ended', reason });
  }

  /**
   * Member `peerId` is gone for good: its leg closes (our call ends when it was the last), it
   * leaves the room's list, the host page is told.
   */
  memberGone(peerId: string): void {
    const member = this.member(peerId);
    if (!member) return;
    const identity = this.identity(peerId);
    if (this.leg(peerId)) {
      this.closeLeg(peerId);
      if (this.ctx.call && Object.keys(this.ctx.legs).length === 0) this.endCall('peer-left', peerId);
    }
    this.removeMember(peerId);
    const alone = Object.keys(this.ctx.members).length === 0;
    this.set({ lastLeft: member.name, ended: alone ? null : this.ctx.ended });
    this.do({ type: 'watch-leg-media', peerId, on: false });
    this.notify({ type: 'member-left', member: identity });
  }

  // ── camera and microphone ────────────────────────────────────────────────────────────────────

  wantMedia(): void {
    if (this.ctx.media !== 'off') return;
    this.set({ media: 'acquiring' });
    this.do({ type: 'acquire-media' });
  }

  releaseMedia(): void {
    if (this.ctx.media === 'off') return;
    this.set({ media: 'off' });
    this.do({ type: 'release-media' });
  }
}
