// Public entry point of the widget bundle: defines <video-call> and re-exports its types.
export { VideoCall } from './video-call.js';
export { CALL_END_REASONS, CALL_STATES, type CallEndReason, type CallState } from './call/call-state.js';
export { VideoCallError, type VideoCallErrorCode } from './errors.js';
export { SUPPORTED_LANGUAGES, type Language } from './i18n/language.js';
export type { MessageOverrides } from './i18n/localize-controller.js';
export type { MessageKey, Messages } from './i18n/messages.js';
export {
  VideoCallEndedEvent,
  VideoCallErrorEvent,
  VideoCallIncomingEvent,
  VideoCallMessageEvent,
  VideoCallPeerChangeEvent,
  VideoCallQualityChangeEvent,
  VideoCallPeerEvent,
  VideoCallStateChangeEvent,
  type CallEndedDetail,
  type ErrorDetail,
  type MessageDetail,
  type PeerChangeDetail,
  type PeerDetail,
  type PeerIdentity,
  type QualityChangeDetail,
  type StateChangeDetail,
} from './events.js';
