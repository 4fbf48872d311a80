/**
 * What the room context means for the person: the call state, why it is `reconnecting`, who is
 * there and who is in the call, and which actions are allowed. Pure functions of the context,
 * never stored beside it.
 */
import type { CallState } from './call-state.js';
import type { Leg, RoomContext, RoomMember } from './room-context.js';

/** Why the state is `reconnecting`: our signaling, a participant's, or the media path. */
export type ReconnectingCause = 'signaling' | 'peer' | 'media';

/** The other members, in the order they joined. */
export const membersOf = (ctx: RoomContext): RoomMember[] => Object.values(ctx.members);

/** The members whose connection to the service is up (not away). */
export const presentMembers = (ctx: RoomContext): RoomMember[] => membersOf(ctx).filter((m) => !m.away);

/** Our legs on which both ends are in the call, with their member. */
export const acceptedLegs = (ctx: RoomContext): [RoomMember, Leg][] =>
  Object.entries(ctx.legs).flatMap(([peerId, leg]) =>
    leg.accepted && ctx.members[peerId] ? [[ctx.members[peerId], leg] as [RoomMember, Leg]] : [],
  );

/** Our legs that still ring (either way). */
export const ringingLegs = (ctx: RoomContext): [string, Leg][] => Object.entries(ctx.legs).filter(([, leg]) => !leg.accepted);

/**
 * The call running in the room that we are not in, as the members said (`in-call`, `accept`,
 * `ring`), or null: the Call button then reads Join. The call with the most participants when
 * two are known for a moment (two people called at once).
 */
export function runningCall(ctx: RoomContext): string | null {
  if (ctx.call?.joined) return null;
  const counts = new Map<string, number>();
  for (const m of membersOf(ctx)) if (m.call) counts.set(m.call, (counts.get(m.call) ?? 0) + 1);
  let best: string | null = null;
  for (const [call, n] of counts) if (best === null || n > counts.get(best)!) best = call;
  return best;
}

/** The reason the state is `reconnecting`, or null when it is not. */
export function reconnectingCause(ctx: RoomContext): ReconnectingCause | null {
  if (ctx.stage !== 'in-room') return null;
  if (ctx.signalingDown) return 'signaling';
  if (!ctx.call?.joined) return null;
  const legs = acceptedLegs(ctx);
  // One participant reachable and connected is enough: the call goes on.
  if (legs.length === 0 || legs.some(([m, leg]) => leg.connected && !m.away)) return null;
  if (legs.some(([m]) => m.away)) return 'peer';
  if (legs.some(([, leg]) => leg.everConnected)) return 'media';
  return null;
}

/** The state the person is in. */
export function callState(ctx: RoomContext): CallState {
  if (ctx.stage !== 'in-room') return ctx.stage;
  if (reconnectingCause(ctx)) return 'reconnecting';
  const call = ctx.call;
  if (call && !call.joined) return 'incoming';
  if (call) {
    const legs = acceptedLegs(ctx);
    if (legs.length === 0) return ringingLegs(ctx).length > 0 && call.direction === 'outgoing' ? 'calling' : 'connecting';
    return legs.some(([, leg]) => leg.connected) ? 'connected' : 'connecting';
  }
  if (membersOf(ctx).length === 0) return 'waiting';
  return ctx.ended ? 'ended' : 'ready';
}

/** True when `start()` is allowed in `ctx`. */
export const canStart = (ctx: RoomContext) => ctx.stage === 'idle' || ctx.stage === 'full' || ctx.stage === 'error';

/**
 * True when `call()` is allowed in `ctx`: in the room, connected to the service, someone else
 * there, and not in (or rung for) a call. It rings everyone, or joins the running call.
 */
export const canCall = (ctx: RoomContext) =>
  ctx.stage === 'in-room' &&
  ctx.call === null &&
  !ctx.signalingDown &&
  presentMembers(ctx).length > 0 &&
  !membersOf(ctx).some((m) => m.away);

/** The member the one-to-one words name: the first participant of our call, else the first member. */
export function firstMember(ctx: RoomContext): RoomMember | null {
  const inCall = ctx.call ? membersOf(ctx).find((m) => ctx.legs[m.peerId]) : undefined;
  return inCall ?? membersOf(ctx)[0] ?? null;
}
