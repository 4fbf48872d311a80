/**
 * Shared fixtures for the room machine's node tests: people, signals, effect builders, a
 * `drive()` that folds events through `reduce()`, and contexts reached by real event sequences
 * (never hand-built, so every fixture is a state the machine can really be in).
 *
 * The one-to-one fixtures (`bob` is the other person) name Bob's leg by default; the group
 * fixtures of group-call.test.ts add Carol and Dan.
 */
import type { Signal } from 'video-call-protocol';
import type { CallEndReason } from '../../src/call/call-state.js';
import {
  initialContext,
  type CodedError,
  type Leg,
  type Member,
  type Notice,
  type RoomContext,
  type RoomEffect,
  type RoomEvent,
  type RoomMember,
  type TimerName,
} from '../../src/call/room-context.js';
import { reduce } from '../../src/call/room-machine.js';

export const bob: Member = { id: 'bob-1', name: 'Bob', peerId: 'bob-peer-id-0000000001' };
/** Bob again, on a new connection (same peerId, new connection id). */
export const bobBack: Member = { ...bob, id: 'bob-2' };
export const carol: Member = { id: 'carol-1', name: 'Carol', peerId: 'carol-peer-id-000000001' };
export const dan: Member = { id: 'dan-1', name: 'Dan', peerId: 'dan-peer-id-00000000001' };

/**
 * Our own peerId, impolite or polite toward everyone above: roles per pair go by peerId (the
 * greater one is polite), so `aaa…` is impolite toward Bob, Carol and Dan and `zzz…` polite.
 */
export const SELF = { impolite: 'aaa-self-peer-id-00001', polite: 'zzz-self-peer-id-00001' } as const;

/** Our call id, Bob's call id, and an old call of ours that already ended. */
export const OUR_CALL = 'call-ours-0001';
export const BOB_CALL = 'call-bobs-0001';
export const OLD_CALL = 'call-old-00001';

/** The final context of a run and every effect it asked for, in order. */
export interface Run {
  context: RoomContext;
  effects: RoomEffect[];
}

/** Folds `events` through the reducer from `ctx`. */
export function drive(ctx: RoomContext, ...events: RoomEvent[]): Run {
  const effects: RoomEffect[] = [];
  for (const event of events) {
    const t = reduce(ctx, event);
    ctx = t.context;
    effects.push(...t.effects);
  }
  return { context: ctx, effects };
}

// ── events ───────────────────────────────────────────────────────────────────────────────────
export const start = (room = 'room-1'): RoomEvent => ({ type: 'start', room });
export const call = (callId = OUR_CALL): RoomEvent => ({ type: 'call', callId });
export const joined = (members: Member[] = [bob], polite = false, capacity?: number): RoomEvent => ({
  type: 'joined',
  self: polite ? SELF.polite : SELF.impolite,
  members,
  ...(capacity ? { capacity } : {}),
});
export const rejoined = (members: Member[] = [bob], polite = false): RoomEvent => ({
  type: 'rejoined',
  self: polite ? SELF.polite : SELF.impolite,
  members,
});
export const memberJoined = (member: Member): RoomEvent => ({ type: 'member-joined', member });
export const memberLeft = (member: Member = bob, reason: 'left' | 'disconnected' = 'left'): RoomEvent => ({
  type: 'member-left',
  member,
  reason,
});
/** The leg to `who` (Bob) reports `connectionState`. */
export const legState = (state: RTCPeerConnectionState, who: Member = bob): RoomEvent => ({ type: 'leg-state', peerId: who.peerId, state });
export const fire = (timer: TimerName, who: Member = bob): RoomEvent => ({ type: 'timer', timer, peerId: who.peerId });
export const lost = (willReconnect: boolean): RoomEvent => ({ type: 'signaling-lost', willReconnect });
export const configure = (patch: Partial<{ autoAnswer: boolean; ringTimeoutMs: number; relayOnly: boolean }>): RoomEvent => ({
  type: 'configure',
  autoAnswer: false,
  ringTimeoutMs: 30_000,
  relayOnly: false,
  ...patch,
});
export const mediaReady: RoomEvent = { type: 'media-ready' };
export const accept: RoomEvent = { type: 'accept' };
export const decline: RoomEvent = { type: 'decline' };
export const hangUp: RoomEvent = { type: 'hang-up' };
export const leave: RoomEvent = { type: 'leave' };
export const stalled = (who: Member = bob): RoomEvent => ({ type: 'leg-media-stalled', peerId: who.peerId });
export const noCandidates = (who: Member = bob): RoomEvent => ({ type: 'no-local-candidates', peerId: who.peerId });
/** A signal relayed from `sender` (Bob by default). */
export const from = (signal: Signal, sender: Member = bob): RoomEvent => ({ type: 'signal', from: sender.id, signal });

// ── signals ──────────────────────────────────────────────────────────────────────────────────
export const sig = {
  ring: (id = BOB_CALL): Signal => ({ kind: 'ring', call: id }),
  accept: (id = OUR_CALL): Signal => ({ kind: 'accept', call: id }),
  inCall: (id = OUR_CALL): Signal => ({ kind: 'in-call', call: id }),
  decline: (id = OUR_CALL): Signal => ({ kind: 'decline', call: id }),
  hangUp: (id = OUR_CALL): Signal => ({ kind: 'hang-up', call: id }),
  noAnswer: (id = OUR_CALL): Signal => ({ kind: 'hang-up', call: id, reason: 'no-answer' }),
  failed: (id = OUR_CALL): Signal => ({ kind: 'hang-up', call: id, reason: 'failed' }),
  offer: (id = OUR_CALL): Signal => ({ kind: 'description', call: id, description: { type: 'offer', sdp: 'v=0\r\n' } }),
  candidate: (id = OUR_CALL): Signal => ({ kind: 'candidate', call: id, candidate: null }),
};

// ── effects ──────────────────────────────────────────────────────────────────────────────────
export const send = (signal: Signal, to: Member = bob): RoomEffect => ({ type: 'send', to: to.id, signal });
export const startTimer = (timer: TimerName, ms: number, who: Member = bob): RoomEffect => ({
  type: 'start-timer',
  timer,
  peerId: who.peerId,
  ms,
});
export const cancelTimer = (timer: TimerName, who: Member = bob): RoomEffect => ({ type: 'cancel-timer', timer, peerId: who.peerId });
export const notify = (notice: Notice): RoomEffect => ({ type: 'notify', notice });
export const notifyError = (code: CodedError['code']): RoomEffect => notify({ type: 'error', error: { code } });
/** `open-leg` to `who`: `offer` when we offer; `polite` our role on it. */
export const openLeg = (offer: boolean, polite = false, who: Member = bob): RoomEffect => ({
  type: 'open-leg',
  peerId: who.peerId,
  offer,
  polite,
});
export const closeLeg = (who: Member = bob): RoomEffect => ({ type: 'close-leg', peerId: who.peerId });
export const watch = (on: boolean, who: Member = bob): RoomEffect => ({ type: 'watch-leg-media', peerId: who.peerId, on });
export const attach = (who: Member = bob): RoomEffect => ({ type: 'attach-media', peerId: who.peerId });
export const resend = (who: Member = bob): RoomEffect => ({ type: 'resend-offer', peerId: who.peerId });
export const legSignal = (signal: Signal, who: Member = bob): RoomEffect => ({
  type: 'leg-signal',
  peerId: who.peerId,
  signal: signal as never,
});
export const came = (who: Member = bob): RoomEffect => notify({ type: 'member-joined', member: who });
export const left = (who: Member = bob): RoomEffect => notify({ type: 'member-left', member: who });
export const ACQUIRE: RoomEffect = { type: 'acquire-media' };
export const RELEASE: RoomEffect = { type: 'release-media' };
export const ATTACH: RoomEffect = attach();
export const CLOSE_SIGNALING: RoomEffect = { type: 'close-signaling' };

/** What closing the leg to `who` does: close it, stop its three timers. */
export const legClosed = (who: Member = bob): RoomEffect[] => [
  closeLeg(who),
  cancelTimer('ring', who),
  cancelTimer('connect', who),
  cancelTimer('ice-restart', who),
];

/** What ending a one-to-one call does: close the leg, stop its timers, release the camera (when on), tell. */
export function endCall(reason: CallEndReason, mediaOn = true, who: Member = bob): RoomEffect[] {
  return [...legClosed(who), ...(mediaOn ? [RELEASE] : []), notify({ type: 'call-ended', reason })];
}

/** A call that fails: the other side is told (hang-up, failed), the call ends as `failed`, then the error. */
export function callFailed(code: CodedError['code'], id = OUR_CALL): RoomEffect[] {
  return [send(sig.failed(id)), ...endCall('failed'), notifyError(code)];
}

/** Only the effects of the given types. */
export const only = (effects: RoomEffect[], ...types: RoomEffect['type'][]) => effects.filter((e) => types.includes(e.type));

// ── reading a context ────────────────────────────────────────────────────────────────────────
/** The leg to `who` (Bob), or undefined. */
export const legOf = (ctx: RoomContext, who: Member = bob): Leg | undefined => ctx.legs[who.peerId];
/** The member `who` (Bob) as the machine keeps them, or undefined. */
export const memberOf = (ctx: RoomContext, who: Member = bob): RoomMember | undefined => ctx.members[who.peerId];
/** The identity (id, name, peerId) of every member present (not away). */
export const presentOf = (ctx: RoomContext): Member[] =>
  Object.values(ctx.members)
    .filter((m) => !m.away)
    .map(({ id, name, peerId }) => ({ id, name, peerId }));
/** The identity of every away member. */
export const awayOf = (ctx: RoomContext): Member[] =>
  Object.values(ctx.members)
    .filter((m) => m.away)
    .map(({ id, name, peerId }) => ({ id, name, peerId }));

// ── contexts, each reached by real events ────────────────────────────────────────────────────
const ctxAfter = (ctx: RoomContext, ...events: RoomEvent[]) => drive(ctx, ...events).context;

export const acquiring = () => ctxAfter(initialContext(), start());
export const joining = () => ctxAfter(acquiring(), mediaReady);
/** In the room with `members` (alone by default), camera on. */
export const inRoom = (members: Member[] = [], polite = false, capacity?: number) => ctxAfter(joining(), joined(members, polite, capacity));
export const ready = (polite = false) => inRoom([bob], polite);
/** We called Bob (call `OUR_CALL`); it rings for him. */
export const calling = (polite = false) => ctxAfter(ready(polite), call());
/** Bob calls us (call `BOB_CALL`); it rings here. */
export const incoming = (polite = false) => ctxAfter(ready(polite), from(sig.ring()));
/** Our call, accepted by Bob, media path being set up. */
export const connecting = (polite = false) => ctxAfter(calling(polite), from(sig.accept()));
/** Our call, media flowing. */
export const connected = (polite = false) => ctxAfter(connecting(polite), legState('connected'));
/** Bob's call, accepted by us, media flowing. */
export const connectedIncoming = () => ctxAfter(incoming(), accept, legState('connected'));
/** Our connected call whose partner's signaling dropped (it is away). */
export const away = () => ctxAfter(connected(), memberLeft(bob, 'disconnected'));
/** A call that ended (Bob hung up): still in the room with Bob, camera off. */
export const ended = () => ctxAfter(connected(), from(sig.hangUp()));
export const full = () => ctxAfter(joining(), { type: 'join-failed', error: { code: 'room-full' } });
export const failed = () => ctxAfter(joining(), { type: 'join-failed', error: { code: 'join-failed' } });
