/**
 * What the call machine knows (its context), what it is told (events) and what it asks the
 * element to do (effects). Types only, plus the one function that names the state.
 */
import type { Signal } from 'video-call-protocol';
import type { CodedError } from '../errors.js';
import type { CallEndReason, CallState } from './call-state.js';
import { DEFAULT_MEDIA, type ChatMessage, type MediaState, type DataChannelMessage } from 'video-call-protocol';

/** A member of the room. `peerId` (issued by the service) stays the same when the member rejoins; `id` (its connection) does not. */
export interface Peer {
  id: string;
  name: string;
  peerId: string;
}

/** A coded error: its code, and the key and params of its words (errors.ts). */
export type { CodedError };

/** The call in progress. */
export interface Call {
  /** Random id carried by every signal of this call (protocol `CALL_ID_PATTERN`). */
  id: string;
  direction: 'outgoing' | 'incoming';
  /** Both people agreed: local tracks are attached (no camera or microphone RTP before). */
  accepted: boolean;
  /** `RTCPeerConnection.connectionState` is `connected` now. */
  connected: boolean;
  /** It was `connected` at least once (a later loss is `reconnecting`, not `connecting`). */
  everConnected: boolean;
  /** ICE restarts since the media path was lost. */
  iceRestarts: number;
  /** The loss being recovered from, while an ICE restart is scheduled or running. */
  loss: 'disconnected' | 'failed' | null;
}

/** The machine's whole knowledge. Never mutated: every event makes a new one. */
export interface CallContext {
  /** Where the element is outside a room, or `in-room`. */
  stage: 'idle' | 'acquiring-media' | 'joining' | 'in-room' | 'full' | 'error';
  room: string;
  /** Perfect-negotiation role, assigned by the service at each join. */
  polite: boolean;
  /** The other member, reachable through the service. */
  peer: Peer | null;
  /** The call partner whose connection to the service dropped while its media may still flow. */
  away: Peer | null;
  /** Who left last (their name, '' when unnamed), until someone joins: the status says so. */
  lastLeft: string | null;
  /** The other person's microphone, camera and screen share, as their widget said (data channel). */
  peerMedia: MediaState;
  /** Our own connection to the service is down (socket.io is reconnecting). */
  signalingDown: boolean;
  /** Camera and microphone: off, being captured, or on. */
  media: 'off' | 'acquiring' | 'on';
  call: Call | null;
  /** How the last call ended, while no new one started (shown as `ended`). */
  ended: { reason: CallEndReason; direction: 'outgoing' | 'incoming'; peerName: string; error?: CodedError } | null;
  /** A hang-up the partner could not hear (it was away): sent when it is back. */
  owedHangUp: { peerId: string; call: string } | null;
  /** The error that put the element in `error` (or `full`). */
  error: CodedError | null;
  /** Host settings, changed with the `configure` event. */
  autoAnswer: boolean;
  /** How long a call rings before it is given up as `no-answer`, in ms. */
  ringTimeoutMs: number;
  /** `relay` when media may only go through TURN (changes which error a gathering failure is). */
  relayOnly: boolean;
}

/** Signals that steer the call (the rest, SDP and candidates, go to the peer connection). */
export type CallSignal = Extract<Signal, { kind: 'ring' | 'accept' | 'decline' | 'hang-up' }>;
/** Signals for the RTCPeerConnection. */
export type MediaSignal = Extract<Signal, { kind: 'description' | 'candidate' }>;

/** Names of the machine's timers. */
export type TimerName = 'ring' | 'connect' | 'ice-restart';

/** Everything that can happen to the call. */
export type CallEvent =
  // asked by the host page or the person
  | { type: 'start'; room: string }
  | { type: 'call'; callId: string }
  | { type: 'accept' }
  | { type: 'decline' }
  | { type: 'hang-up' }
  | { type: 'leave' }
  | { type: 'configure'; autoAnswer: boolean; ringTimeoutMs: number; relayOnly: boolean }
  // camera and microphone
  | { type: 'media-ready' }
  | { type: 'media-failed'; error: CodedError }
  // the signal service
  | { type: 'joined'; polite: boolean; peers: Peer[] }
  | { type: 'join-failed'; error: CodedError }
  | { type: 'signaling-lost'; willReconnect: boolean }
  | { type: 'signaling-back' }
  | { type: 'rejoined'; polite: boolean; peers: Peer[] }
  | { type: 'peer-joined'; peer: Peer }
  | { type: 'peer-left'; peer: Peer; reason: 'left' | 'disconnected' }
  | { type: 'signal'; from: string; signal: Signal }
  // the other widget, directly (the call's data channel)
  | { type: 'peer-message'; message: DataChannelMessage }
  // the peer connection and the watches
  | { type: 'pc-state'; state: RTCPeerConnectionState }
  | { type: 'no-local-candidates' }
  | { type: 'peer-media-stalled' }
  | { type: 'timer'; timer: TimerName };

/** Host-page events the machine asks for (the element turns them into `vc-…` events). */
export type Notice =
  | { type: 'incoming-call'; peer: Peer }
  | { type: 'call-ended'; reason: CallEndReason }
  | { type: 'peer-joined'; peer: Peer }
  | { type: 'peer-left'; peer: Peer }
  | { type: 'message'; from: Peer; message: ChatMessage }
  | { type: 'error'; error: CodedError };

/** What the element must do. Carried out in order. */
export type CallEffect =
  | { type: 'acquire-media' }
  | { type: 'release-media' }
  | { type: 'join'; room: string }
  | { type: 'rejoin' }
  | { type: 'close-signaling' }
  | { type: 'fetch-ice-servers' }
  | { type: 'send'; to: string; signal: Signal }
  /** Create the call's RTCPeerConnection; `offer`: we are the caller and offer at once. */
  | { type: 'open-peer'; offer: boolean }
  /** Consent given: put the local tracks on the connection (replaceTrack, no renegotiation). */
  | { type: 'attach-media' }
  | { type: 'peer-signal'; signal: MediaSignal }
  | { type: 'close-peer' }
  | { type: 'restart-ice' }
  | { type: 'resend-offer' }
  | { type: 'set-role'; polite: boolean }
  | { type: 'watch-peer-media'; on: boolean }
  | { type: 'start-timer'; timer: TimerName; ms: number }
  | { type: 'cancel-timer'; timer: TimerName }
  | { type: 'notify'; notice: Notice };

/** Why the state is `reconnecting`: our signaling, the partner's, or the media path. */
export type ReconnectingCause = 'signaling' | 'peer' | 'media';

/** The reason the state is `reconnecting`, or null when it is not. */
export function reconnectingCause(ctx: CallContext): ReconnectingCause | null {
  if (ctx.stage !== 'in-room') return null;
  if (ctx.signalingDown) return 'signaling';
  if (ctx.away) return 'peer';
  const call = ctx.call;
  if (call?.accepted && call.everConnected && !call.connected) return 'media';
  return null;
}

/** The state the person is in: derived from the context, never stored beside it. */
export function callState(ctx: CallContext): CallState {
  if (ctx.stage !== 'in-room') return ctx.stage;
  if (reconnectingCause(ctx)) return 'reconnecting';
  const call = ctx.call;
  if (call && !call.accepted) return call.direction === 'outgoing' ? 'calling' : 'incoming';
  if (call) return call.connected ? 'connected' : 'connecting';
  if (!ctx.peer) return 'waiting';
  return ctx.ended ? 'ended' : 'ready';
}

/** Default time an unanswered call rings, in ms. */
export const RING_TIMEOUT_MS = 30_000;
/** An accepted call whose media path is not up after this long (ms) has failed. */
export const CONNECT_TIMEOUT_MS = 30_000;

/** The context before `start()`. */
export function initialContext(settings: Partial<CallContext> = {}): CallContext {
  return {
    stage: 'idle',
    room: '',
    polite: false,
    peer: null,
    away: null,
    lastLeft: null,
    peerMedia: DEFAULT_MEDIA,
    signalingDown: false,
    media: 'off',
    call: null,
    ended: null,
    owedHangUp: null,
    error: null,
    autoAnswer: false,
    ringTimeoutMs: RING_TIMEOUT_MS,
    relayOnly: false,
    ...settings,
  };
}

/** True when `start()` is allowed in `ctx`. */
export const canStart = (ctx: CallContext) => ctx.stage === 'idle' || ctx.stage === 'full' || ctx.stage === 'error';
/** True when `call()` is allowed in `ctx`: in the room with a reachable peer and no call. */
export const canCall = (ctx: CallContext) =>
  ctx.stage === 'in-room' && ctx.peer !== null && ctx.call === null && !ctx.signalingDown && !ctx.away;
