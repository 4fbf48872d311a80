/**
 * Error codes carried by `vc-error` (`detail.code`). Stable strings: host pages may switch on them.
 *
 * | code | when |
 * |---|---|
 * | `missing-room` | `start()` without a valid `room` attribute (1–64 of `A–Z a–z 0–9 _ . -`) |
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
 */
export type VideoCallErrorCode =
  | 'missing-room'
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

/** The message shown for a code when the place that failed gave none. */
export const DEFAULT_ERROR_MESSAGES: Partial<Record<VideoCallErrorCode, string>> = {
  'missing-room': 'No valid room: set the room attribute (letters, digits, “_”, “.” or “-”).',
  'signaling-lost': 'The call service closed the connection.',
  'ice-degraded': 'No relay server is available right now; the call may not connect on some networks.',
  'relay-unavailable':
    'Could not reach the relay server, or it refused the credentials. A relay-only call cannot connect.',
  'call-failed': 'The call could not connect, or its connection was lost. The network may be blocking it.',
};

/** The message for a coded error: its own, else the default for its code. */
export function errorMessage(error: { code: VideoCallErrorCode; message?: string | undefined }): string {
  return error.message ?? DEFAULT_ERROR_MESSAGES[error.code] ?? 'Something went wrong.';
}

/** An error with a {@link VideoCallErrorCode} and a message fit to show to the person. */
export class VideoCallError extends Error {
  override name = 'VideoCallError';
  /**
   * @param code stable code for the host page
   * @param message fit to show to the person
   * @param protocolCode the signal service's own code behind it, when there is one (protocol.ts `ErrorCode`)
   */
  constructor(
    readonly code: VideoCallErrorCode,
    message: string,
    readonly protocolCode?: string,
  ) {
    super(message);
  }
}

/**
 * The words for `device-lost`: which device of `kind` went (its `label`, from the device: shown
 * as text) and what took over (`fallback`'s label), or that nothing did.
 */
export function deviceLostMessage(kind: MediaDeviceKind, label: string, fallback: string | null): string {
  const what = kind === 'videoinput' ? 'camera' : kind === 'audioinput' ? 'microphone' : 'speaker';
  const lost = label ? `The ${what} “${label}” is no longer available` : `The chosen ${what} is not available`;
  if (fallback) return `${lost}; now using “${fallback}”.`;
  return kind === 'audiooutput' ? `${lost}; sound plays on the default speaker.` : `${lost}; no other ${what} was found.`;
}
