// Public entry point of the widget bundle: defines <video-call> and re-exports its types.
export { VideoCall } from './video-call.js';
export { CALL_STATES, type CallState } from './call-state.js';
export { VideoCallError, type VideoCallErrorCode } from './errors.js';
export {
  VideoCallErrorEvent,
  VideoCallPeerEvent,
  VideoCallStateChangeEvent,
  type ErrorDetail,
  type PeerDetail,
  type StateChangeDetail,
} from './events.js';
