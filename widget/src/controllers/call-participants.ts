/**
 * The other members as the element's public API shows them: `participants`, `peer` (the first
 * other participant, for one-to-one pages), and the call's quality (its worst leg's).
 */
import { DEFAULT_MEDIA } from 'video-call-protocol';
import { QUALITY_LEVELS, type Quality } from '../call/quality.js';
import { firstMember, membersOf, runningCall } from '../call/room-state.js';
import type { Participant, PeerIdentity } from '../events.js';
import type { CallController } from './call-controller.js';

/** Every other member of the room, in the order they joined (see `Participant`). */
export function participantsOf(call: CallController): Participant[] {
  const ctx = call.context;
  const callId = ctx.call?.joined ? ctx.call.id : runningCall(ctx);
  return membersOf(ctx).map((m) => {
    const leg = ctx.legs[m.peerId];
    const media = leg?.accepted ? leg.media : DEFAULT_MEDIA;
    return {
      id: m.id,
      name: m.name,
      inCall: leg?.accepted === true || (callId !== null && m.call === callId),
      ...media,
      speaking: leg?.accepted === true && call.speaking.speaking(m.peerId),
    };
  });
}

/** The first other participant of our call (else the first member), as `peer` shows them, or null. */
export function peerOf(call: CallController): PeerIdentity | null {
  const m = firstMember(call.context);
  if (!m) return null;
  const leg = call.context.legs[m.peerId];
  return { id: m.id, name: m.name, ...(leg ? leg.media : DEFAULT_MEDIA) };
}

/** The call's quality: the worst of its legs' (lost, poor, fair, good), or null before any is known. */
export function worstQuality(call: CallController): Quality | null {
  let worst: Quality | null = null;
  for (const peerId of call.legs.peerIds) {
    const q = call.legs.quality(peerId);
    if (q && (!worst || QUALITY_LEVELS.indexOf(q.level) > QUALITY_LEVELS.indexOf(worst.level))) worst = q;
  }
  return worst;
}
