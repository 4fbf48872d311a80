/**
 * What a screen reader should hear about the others, beyond the status line: an incoming call
 * (assertively), a participant joining or leaving our call, each participant's microphone,
 * camera and screen share, a member leaving the room, who speaks in a group call, and a chat
 * message while the chat is closed. A pure function of two snapshots, so it is tested in node;
 * the AnnouncerController says the speaker at most every {@link SPEAKER_ANNOUNCE_MS}.
 */
import type { CallState } from '../call/call-state.js';
import type { MessageKey, MessageParams } from '../i18n/messages.js';
import type { CallView } from '../video-call.view-model.js';

/** A participant of our call as the announcements compare them. */
export interface AnnouncedTile {
  id: string;
  name: string;
  microphoneEnabled: boolean;
  cameraEnabled: boolean;
  screenSharing: boolean;
}

/** What the announcements are computed from, taken at each render. */
export interface AnnouncedView {
  state: CallState;
  /** Who rings us (while `incoming`), '' when unnamed. */
  ringer: string;
  /** The other members of the room, present or away. */
  members: readonly { id: string; name: string }[];
  /** The participants of our call whose media flows. */
  tiles: readonly AnnouncedTile[];
  /** Who speaks in a call of three or more ('' when nobody, or one to one: the voice says it). */
  speaker: string;
  /** Unread chat messages (the chat is closed), and the newest received one. */
  unread: number;
  lastReceived: { name: string; text: string } | null;
}

/** Texts for the live regions: `assertive` interrupts (an incoming call), `polite` waits; `speaker` is said when its time comes. */
export interface Announcement {
  polite: string[];
  assertive: string[];
  /** A new speaker to say ('' when none), if no speaker was said in the last {@link SPEAKER_ANNOUNCE_MS}. */
  speaker: string;
}

/** The speaker is said at most this often (ms): a lively call must not become a stream of names. */
export const SPEAKER_ANNOUNCE_MS = 10_000;

/** The announcements for the change from `prev` to `next`; `t` gives the words. */
export function announce(prev: AnnouncedView, next: AnnouncedView, t: (key: MessageKey, params?: MessageParams) => string): Announcement {
  const out: Announcement = { polite: [], assertive: [], speaker: '' };
  const named = (name: string) => name || t('theOtherPerson');
  if (next.state === 'incoming' && prev.state !== 'incoming') out.assertive.push(t('announceIncoming', { name: named(next.ringer) }));
  const before = new Map(prev.tiles.map((tile) => [tile.id, tile]));
  const after = new Map(next.tiles.map((tile) => [tile.id, tile]));
  // Joins and departures within a call that was already going (its start is the status line's).
  if (prev.tiles.length > 0 && next.tiles.length > 0) {
    for (const tile of next.tiles) if (!before.has(tile.id)) out.polite.push(t('announceJoinedCall', { name: named(tile.name) }));
  }
  const stillHere = new Set(next.members.map((m) => m.id));
  for (const tile of prev.tiles) {
    if (!after.has(tile.id) && stillHere.has(tile.id) && next.tiles.length > 0)
      out.polite.push(t('announceLeftCall', { name: named(tile.name) }));
  }
  // Back to waiting, the status line says who left.
  if (next.state !== 'waiting') {
    for (const m of prev.members) if (!stillHere.has(m.id)) out.polite.push(t('announceLeft', { name: named(m.name) }));
  }
  // Each participant's media, while both snapshots have them in the call.
  for (const tile of next.tiles) {
    const was = before.get(tile.id);
    if (!was) continue;
    const name = named(tile.name);
    if (was.microphoneEnabled !== tile.microphoneEnabled)
      out.polite.push(t(tile.microphoneEnabled ? 'announceMicOn' : 'announceMicOff', { name }));
    if (was.cameraEnabled !== tile.cameraEnabled)
      out.polite.push(t(tile.cameraEnabled ? 'announceCameraOn' : 'announceCameraOff', { name }));
    if (was.screenSharing !== tile.screenSharing)
      out.polite.push(t(tile.screenSharing ? 'announceScreenOn' : 'announceScreenOff', { name }));
  }
  if (next.speaker && next.speaker !== prev.speaker) out.speaker = t('announceSpeaking', { name: next.speaker });
  if (next.unread > prev.unread && next.lastReceived) {
    out.polite.push(t('announceMessage', { name: next.lastReceived.name || t('theOtherPerson'), text: next.lastReceived.text }));
  }
  return out;
}

/** The snapshot of a rendered view. */
export function announcedView(view: CallView): AnnouncedView {
  const live = view.tiles.filter((tile) => tile.live);
  const speaker = live.length >= 2 ? (live.find((tile) => tile.speaking && tile.peerId === view.speaker)?.name ?? '') : '';
  const last = view.chat?.messages.filter((m) => !m.mine).at(-1);
  return {
    state: view.state,
    ringer: view.ringer,
    members: view.members,
    tiles: live.map(({ id, name, microphoneEnabled, cameraEnabled, screenSharing }) => ({
      id,
      name,
      microphoneEnabled,
      cameraEnabled,
      screenSharing,
    })),
    speaker,
    unread: view.chat?.unread ?? 0,
    lastReceived: last ? { name: last.from.name, text: last.text } : null,
  };
}
