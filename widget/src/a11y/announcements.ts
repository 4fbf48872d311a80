/**
 * What a screen reader should hear about the other person, beyond the status line: an incoming
 * call (assertively), their microphone, camera and screen share, their leaving, and a chat
 * message while the chat is closed. A pure function of two snapshots, so it is tested in node.
 */
import type { CallState } from '../call/call-state.js';
import type { MessageKey, MessageParams } from '../i18n/messages.js';

/** What the announcements are computed from, taken at each render. */
export interface AnnouncedView {
  state: CallState;
  /** The other person in the room (present or away), or null. */
  peerName: string | null;
  /** A call both accepted. */
  inCall: boolean;
  microphoneEnabled: boolean;
  cameraEnabled: boolean;
  screenSharing: boolean;
  /** Unread chat messages (the chat is closed), and the newest received one. */
  unread: number;
  lastReceived: { name: string; text: string } | null;
}

/** Texts for the live regions: `assertive` interrupts (an incoming call), `polite` waits. */
export interface Announcement {
  polite: string[];
  assertive: string[];
}

/** The announcements for the change from `prev` to `next`; `t` gives the words. */
export function announce(
  prev: AnnouncedView,
  next: AnnouncedView,
  t: (key: MessageKey, params?: MessageParams) => string,
): Announcement {
  const out: Announcement = { polite: [], assertive: [] };
  const name = next.peerName || prev.peerName || t('theOtherPerson');
  if (next.state === 'incoming' && prev.state !== 'incoming') out.assertive.push(t('announceIncoming', { name }));
  // Back to waiting, the status line says who left.
  if (prev.peerName !== null && next.peerName === null && next.state !== 'waiting') out.polite.push(t('announceLeft', { name: prev.peerName || t('theOtherPerson') }));
  // Their media only matters while both are in the call (it is reset between calls).
  if (prev.inCall && next.inCall) {
    if (prev.microphoneEnabled !== next.microphoneEnabled)
      out.polite.push(t(next.microphoneEnabled ? 'announceMicOn' : 'announceMicOff', { name }));
    if (prev.cameraEnabled !== next.cameraEnabled)
      out.polite.push(t(next.cameraEnabled ? 'announceCameraOn' : 'announceCameraOff', { name }));
    if (prev.screenSharing !== next.screenSharing)
      out.polite.push(t(next.screenSharing ? 'announceScreenOn' : 'announceScreenOff', { name }));
  }
  if (next.unread > prev.unread && next.lastReceived) {
    out.polite.push(t('announceMessage', { name: next.lastReceived.name || name, text: next.lastReceived.text }));
  }
  return out;
}
