/**
 * What the two widgets of a call say to each other directly, over the call's RTCDataChannel (the
 * signal service never sees it): their media state, and chat messages. JSON text messages; every
 * incoming one is checked here, since the other side may send anything.
 *
 * - `{ "t": "media", "microphone": bool, "camera": bool, "screen": bool }`: the sender's media
 *   state; sent when the channel opens (every new connection, so after any reconnection) and on
 *   every change.
 * - `{ "t": "chat", "id": string, "text": string, "sentAt": number }`: a chat message; `id` is
 *   the sender's (1–64 characters), `text` 1–{@link MAX_CHAT_LENGTH} characters, `sentAt` the
 *   sender's clock in ms since the epoch.
 */

import { MAX_CHAT_LENGTH } from '../../../signal-service/src/protocol.js';

export { MAX_CHAT_LENGTH };

/** A person's media as the other side shows it. */
export interface MediaState {
  microphoneEnabled: boolean;
  cameraEnabled: boolean;
  screenSharing: boolean;
}

/** A chat message as it travels (and as `vc-message` reports it, with `from`). */
export interface ChatMessage {
  id: string;
  text: string;
  /** When it was sent, ms since the epoch, by the sender's clock. */
  sentAt: number;
}

export type PeerMessage = ({ t: 'media' } & MediaState) | ({ t: 'chat' } & ChatMessage);

/** The media state a person has until they say otherwise. */
export const DEFAULT_MEDIA: MediaState = { microphoneEnabled: true, cameraEnabled: true, screenSharing: false };

/** The wire form of `message`. */
export function encodePeerMessage(message: PeerMessage): string {
  if (message.t === 'media') {
    return JSON.stringify({ t: 'media', microphone: message.microphoneEnabled, camera: message.cameraEnabled, screen: message.screenSharing });
  }
  return JSON.stringify({ t: 'chat', id: message.id, text: message.text, sentAt: message.sentAt });
}

/** True for a chat text that may be sent: 1–{@link MAX_CHAT_LENGTH} characters, not only blanks. */
export const isSendableChat = (text: string) => text.trim().length > 0 && text.length <= MAX_CHAT_LENGTH;

/** The message in `data`, or null when it is not one this widget understands (then it is dropped). */
export function decodePeerMessage(data: unknown): PeerMessage | null {
  if (typeof data !== 'string' || data.length > 4 * MAX_CHAT_LENGTH) return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  if (m.t === 'media' && typeof m.microphone === 'boolean' && typeof m.camera === 'boolean' && typeof m.screen === 'boolean') {
    return { t: 'media', microphoneEnabled: m.microphone, cameraEnabled: m.camera, screenSharing: m.screen };
  }
  if (
    m.t === 'chat' &&
    typeof m.id === 'string' &&
    m.id.length > 0 &&
    m.id.length <= 64 &&
    typeof m.text === 'string' &&
    isSendableChat(m.text) &&
    typeof m.sentAt === 'number' &&
    Number.isFinite(m.sentAt)
  ) {
    return { t: 'chat', id: m.id, text: m.text, sentAt: m.sentAt };
  }
  return null;
}
