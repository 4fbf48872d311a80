/**
 * The room machine's notices as the host page's events (`vc-incoming-call`, `vc-call-ended`,
 * `vc-peer-joined`, `vc-peer-left`, `vc-message`, `vc-error`, `vc-quality-change`).
 */
import type { Notice } from '../call/room-context.js';
import { errorText } from '../errors.js';
import {
  VideoCallEndedEvent,
  VideoCallErrorEvent,
  VideoCallIncomingEvent,
  VideoCallPeerEvent,
  VideoCallQualityChangeEvent,
} from '../events.js';
import type { CallParts } from './call-effects.js';
import { worstQuality } from './call-participants.js';

/** Fires the event of `notice` on the element (a chat message goes to the chat first). */
export function notify(p: CallParts, notice: Notice): void {
  const { host, call } = p;
  switch (notice.type) {
    case 'incoming-call':
      return void host.dispatchEvent(new VideoCallIncomingEvent({ id: notice.member.id, name: notice.member.name }));
    case 'call-ended':
      return void host.dispatchEvent(new VideoCallEndedEvent({ reason: notice.reason }));
    case 'member-joined':
      return void host.dispatchEvent(new VideoCallPeerEvent('vc-peer-joined', { id: notice.member.id, name: notice.member.name }));
    case 'member-left':
      return void host.dispatchEvent(new VideoCallPeerEvent('vc-peer-left', { id: notice.member.id, name: notice.member.name }));
    case 'message':
      return call.inCall.received({ id: notice.from.id, name: notice.from.name }, notice.message);
    case 'error':
      return void host.dispatchEvent(new VideoCallErrorEvent({ code: notice.error.code, message: errorText(notice.error, host.i18n.t) }));
  }
}

/** A device in use was unplugged: the person is told what took over. */
export function deviceLost(p: CallParts, kind: MediaDeviceKind, label: string, fallback: string | null): void {
  const params = fallback ? { kind, device: label, fallback } : { kind, device: label };
  notify(p, { type: 'error', error: { code: 'device-lost', params } });
}

/** A leg's quality changed: `vc-quality-change` when the call's (its worst leg's) changed. */
export function qualityChanged(p: CallParts): void {
  const quality = worstQuality(p.call);
  if (!quality || JSON.stringify(quality) === JSON.stringify(p.quality)) return;
  p.quality = quality;
  p.host.dispatchEvent(new VideoCallQualityChangeEvent(quality));
}
