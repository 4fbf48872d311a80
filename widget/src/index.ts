// Public entry point of the widget bundle: defines <video-call> and re-exports its types.
export { VideoCall, type PeerIdentity } from './video-call.js';
export { CALL_END_REASONS, CALL_STATES, type CallEndReason, type CallState } from './call/call-state.js';
export { VideoCallError, type VideoCallErrorCode } from './errors.js';
export {
  VideoCallEndedEvent,
  VideoCallErrorEvent,
  VideoCallIncomingEvent,
  VideoCallPeerEvent,
  VideoCallStateChangeEvent,
  type CallEndedDetail,
  type ErrorDetail,
  type PeerDetail,
  type StateChangeDetail,
} from './events.js';
