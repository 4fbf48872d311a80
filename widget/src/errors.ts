import type { MessageKey } from './i18n/messages.js';
import { english, type Translate } from './i18n/translator.js';

/**
 * Error codes carried by `vc-error` (`detail.code`). Stable strings: host pages may switch on them.
 *
 * | code | when |
 * |---|---|
 * | `missing-room` | `start()` without a valid `room` attribute (1–64 of `A–Z a–z 0–9 _ . -`) |
 * | `missing-signaling-url` | `start()` with no `signaling-url`, no `<meta name="video-call-signaling-url">` and not loaded from the service's own `video-call.js` (a bundled copy) |
 * | `media-permission-denied` | the person or the browser denied camera/microphone (`NotAllowedError`) |
 * | `media-not-found` | no camera or microphone (`NotFoundError`, `OverconstrainedError`) |
 * | `media-in-use` | the device is busy in another application (`NotReadableError`) |
 * | `media-unsupported` | no `navigator.mediaDevices` (page not served over https or localhost) |
 * | `media-failed` | any other capture failure |
 * | `signaling-unreachable` | the signal service could not be reached |
 * | `signaling-lost` | the connection to the signal service dropped |
 * | `room-full` | the room already has two people |
 * | `ticket-required` | the service requires a room ticket and the `ticket` attribute is empty |
 * | `ticket-invalid` | the ticket is malformed or its signature is wrong |
 * | `ticket-expired` | the ticket's `exp` has passed (the host page should fetch a new one) |
 * | `ticket-wrong-room` | the ticket is for another room |
 * | `join-failed` | the service refused the join for another reason |
 * | `ice-degraded` | no TURN relay available (provider failed): calls behind strict NATs may fail |
 * | `relay-unavailable` | with `ice-transport-policy="relay"`: no TURN relay could be reached, or it refused the credentials |
 * | `call-failed` | the peer connection failed or did not connect in time |
 * | `device-lost` | a camera, microphone or speaker in use was unplugged; the default one took over (the message names them) |
 *
 * The `message` beside the code (in `vc-error` and the status line) is worded from the catalog
 * (i18n/messages.ts) in the element's language when it is shown; the code never changes.
 */
export type VideoCallErrorCode =
  | 'missing-room'
  | 'missing-signaling-url'
  | 'media-permission-denied'
  | 'media-not-found'
  | 'media-in-use'
  | 'media-unsupported'
  | 'media-failed'
  | 'signaling-unreachable'
  | 'signaling-lost'
  | 'room-full'
  | 'ticket-required'
  | 'ticket-invalid'
  | 'ticket-expired'
  | 'ticket-wrong-room'
  | 'join-failed'
  | 'ice-degraded'
  | 'relay-unavailable'
  | 'call-failed'
  | 'device-lost';

/** What an error's words may name. Every value is plain text (device labels and the service's words included). */
export interface ErrorParams {
  /** The room (`room-full`, `join-failed`). */
  room?: string;
  /** The signal service's own words or code (`join-failed`, `ice-degraded`); not translated. */
  reason?: string;
  /** `device-lost`: the kind of device that went. */
  kind?: MediaDeviceKind;
  /** `device-lost`: its label ('' when the browser gave none). */
  device?: string;
  /** `device-lost`: the label of the device that took over; absent when none did. */
  fallback?: string;
}

/** The catalog keys of error messages. */
export type ErrorMessageKey = Extract<MessageKey, `error${string}`>;

/**
 * A coded error as the call machine keeps it: its stable `code`, which words (`key`, else the
 * code's default) and what they name (`params`). Its message is worded when it is shown, in
 * the language of that moment ({@link errorText}).
 */
export interface CodedError {
  code: VideoCallErrorCode;
  /** The words, when not the code's default (e.g. `errorSpeakerNotFound` for `media-not-found`). */
  key?: ErrorMessageKey;
  params?: ErrorParams;
}

/** The words of each code when the error names no other. */
export const DEFAULT_ERROR_KEYS: Readonly<Record<VideoCallErrorCode, ErrorMessageKey>> = {
  'missing-room': 'errorMissingRoom',
  'missing-signaling-url': 'errorMissingSignalingUrl',
  'media-permission-denied': 'errorMediaPermissionDenied',
  'media-not-found': 'errorMediaNotFound',
  'media-in-use': 'errorMediaInUse',
  'media-unsupported': 'errorMediaUnsupported',
  'media-failed': 'errorMediaFailed',
  'signaling-unreachable': 'errorSignalingUnreachable',
  'signaling-lost': 'errorSignalingLost',
  'room-full': 'errorRoomFull',
  'ticket-required': 'errorTicketRequired',
  'ticket-invalid': 'errorTicketInvalid',
  'ticket-expired': 'errorTicketExpired',
  'ticket-wrong-room': 'errorTicketWrongRoom',
  'join-failed': 'errorJoinFailed',
  'ice-degraded': 'errorIceDegraded',
  'relay-unavailable': 'errorRelayUnavailable',
  'call-failed': 'errorCallFailed',
  'device-lost': 'errorUnknown', // worded from its params (deviceLostText)
};

/** The message of `error` in `t`'s language: what `vc-error` and the status line say. */
export function errorText(error: CodedError, t: Translate): string {
  const params = error.params ?? {};
  if (error.code === 'device-lost' && params.kind) return deviceLostText(t, params.kind, params.device ?? '', params.fallback ?? null);
  return t(error.key ?? DEFAULT_ERROR_KEYS[error.code] ?? 'errorUnknown', { ...params });
}

/** An error with a {@link VideoCallErrorCode}; `message` is in English (for logs), the person sees {@link errorText}. */
export class VideoCallError extends Error implements CodedError {
  override name = 'VideoCallError';
  readonly key: ErrorMessageKey | undefined;
  readonly params: ErrorParams | undefined;
  readonly protocolCode: string | undefined;
  /**
   * @param code stable code for the host page
   * @param details `key`: the words when not the code's default; `params`: what they name;
   *   `protocolCode`: the signal service's own code behind it (video-call-protocol `ErrorCode`)
   */
  constructor(
    readonly code: VideoCallErrorCode,
    details: { key?: ErrorMessageKey; params?: ErrorParams; protocolCode?: string } = {},
  ) {
    super(errorText({ code, key: details.key, params: details.params }, english));
    this.key = details.key;
    this.params = details.params;
    this.protocolCode = details.protocolCode;
  }
}

/** The keys of the device-lost words, by kind. */
const DEVICE_WORDS = {
  videoinput: { lost: 'deviceLostCamera', gone: 'deviceGoneCamera', none: 'deviceNoOtherCamera' },
  audioinput: { lost: 'deviceLostMicrophone', gone: 'deviceGoneMicrophone', none: 'deviceNoOtherMicrophone' },
  audiooutput: { lost: 'deviceLostSpeaker', gone: 'deviceGoneSpeaker', none: 'deviceDefaultSpeaker' },
} as const;

/**
 * The words for `device-lost`: which device of `kind` went (its `label`, shown as text) and what
 * took over (`fallback`'s label), or that nothing did.
 */
export function deviceLostText(t: Translate, kind: MediaDeviceKind, label: string, fallback: string | null): string {
  const words = DEVICE_WORDS[kind] ?? DEVICE_WORDS.videoinput;
  const lost = label ? t(words.lost, { device: label }) : t(words.gone);
  return fallback ? t('deviceNowUsing', { lost, fallback }) : t(words.none, { lost });
}

/** A thrown error as a coded one (anything unexpected is logged and becomes `call-failed`). */
export function codedError(error: unknown): CodedError {
  if (error instanceof VideoCallError) return { code: error.code, key: error.key, params: error.params };
  console.error('[video-call]', error);
  return { code: 'call-failed' };
}
