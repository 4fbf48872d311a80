/**
 * What two participants' widgets say to each other directly, over the data channel of the leg
 * between them (the signal service never sees it): their media state, and chat messages.
 *
 * The channel is negotiated (`createDataChannel('video-call', { negotiated: true, id: 0 })` on
 * both sides, part of the leg's first offer). Messages are JSON text; every incoming one is
 * checked here, since the other side may send anything:
 *
 * - `{ "t": "media", "microphone": bool, "camera": bool, "screen": bool }`: the sender's media
 *   state; sent when the channel opens (every new leg, so after any reconnection) and on every
 *   change.
 * - `{ "t": "chat", "id": string, "text": string, "sentAt": number }`: a chat message; `id` is
 *   the sender's (1–64 characters), `text` 1–`MAX_CHAT_LENGTH` characters, `sentAt` the sender's
 *   clock in ms since the epoch.
 *
 * Unknown or malformed messages are dropped, so a later version may add message types.
 */
import { MAX_CHAT_LENGTH } from './limits.js';

/** A participant's media as the others show it. */
export interface MediaState {
  microphoneEnabled: boolean;
  cameraEnabled: boolean;
  screenSharing: boolean;
}

/** A chat message as it travels (and as `vc-message` reports it, with `from`). */
export interface ChatMessage {
  /** The sender's id of the message, 1–64 characters. */
  id: string;
  text: string;
  /** When it was sent, ms since the epoch, by the sender's clock. */
  sentAt: number;
}

/** One message on a leg's data channel, decoded. */
export type DataChannelMessage = ({ t: 'media' } & MediaState) | ({ t: 'chat' } & ChatMessage);

/** The label of every leg's data channel, and its negotiated id. */
export const DATA_CHANNEL_LABEL = 'video-call';
/** See {@link DATA_CHANNEL_LABEL}. */
export const DATA_CHANNEL_ID = 0;

/** The media state a participant has until they say otherwise. */
export const DEFAULT_MEDIA: MediaState = { microphoneEnabled: true, cameraEnabled: true, screenSharing: false };

/** The wire form (JSON text) of `message`. */
export function encodeDataChannelMessage(message: DataChannelMessage): string {
  if (message.t === 'media') {
    return JSON.stringify({
      t: 'media',
      microphone: message.microphoneEnabled,
      camera: message.cameraEnabled,
      screen: message.screenSharing,
    });
  }
  return JSON.stringify({ t: 'chat', id: message.id, text: message.text, sentAt: message.sentAt });
}

/** True for a chat text that may be sent: 1–{@link MAX_CHAT_LENGTH} characters, not only blanks. */
export const isSendableChat = (text: string) => text.trim().length > 0 && text.length <= MAX_CHAT_LENGTH;

/** The message in `data`, or null when it is not one this version understands (then it is dropped). */
export function decodeDataChannelMessage(data: unknown): DataChannelMessage | null {
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
