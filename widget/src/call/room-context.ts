/**
 * What the room machine knows (its context), what it is told (events) and what it asks the
 * element to do (effects). Types only, plus the context before `start()`.
 *
 * Words, used alike in code, docs and events:
 * - *member*: someone in the room (other than us), {@link Member};
 * - *participant*: a member in the call;
 * - *connection*: a socket to the signal service (a member's `id` names theirs);
 * - *leg*: our RTCPeerConnection to one participant, {@link Leg}. A one-to-one call is one leg;
 *   a group call of n people is n - 1 legs per person (a full mesh).
 */
import type { DataChannelMessage, MediaState, Signal } from 'video-call-protocol';
import type { CodedError } from '../errors.js';
import type { CallEndReason } from './call-state.js';

export type { CodedError };

/**
 * Someone in the room. `peerId` (issued by the service) names them for good: it stays the same
 * when they rejoin, and keys their leg; `id` (their connection) is where signals go and changes
 * when they reconnect. `name` is member-supplied: render it as text.
 */
export interface Member {
  id: string;
  name: string;
  peerId: string;
}

/** A member as the room machine keeps them. */
export interface RoomMember extends Member {
  /**
   * The call they are in, as they said (`ring`, `accept`, `in-call`; cleared by their `hang-up`
   * or `decline`), or null.
   */
  call: string | null;
  /**
   * Their connection to the service dropped while our leg to them was up: their media may still
   * flow and they may come back (same `peerId`). Their leg is watched meanwhile.
   */
  away: boolean;
}

/** Our RTCPeerConnection to one member, for one call. */
export interface Leg {
  /** The call this leg belongs to (protocol `CALL_ID_PATTERN`): every signal on it carries it. */
  call: string;
  /** `outgoing`: we rang them or joined them (we offered); `incoming`: they rang or joined us. */
  direction: 'outgoing' | 'incoming';
  /** Both ends are in the call: local tracks are attached (no camera or microphone RTP before). */
  accepted: boolean;
  /** `RTCPeerConnection.connectionState` is `connected` now. */
  connected: boolean;
  /** It was `connected` at least once (a later loss is `reconnecting`, not `connecting`). */
  everConnected: boolean;
  /** ICE restarts since the media path was lost. */
  iceRestarts: number;
  /** The loss being recovered from, while an ICE restart is scheduled or running. */
  loss: 'disconnected' | 'failed' | null;
  /** Their microphone, camera and screen share, as their widget said on the leg's data channel. */
  media: MediaState;
}

/** The call we are in, or are rung for. */
export interface RoomCall {
  /** The call's id, shared by every participant. */
  id: string;
  /** `outgoing`: we started it (or joined it running); `incoming`: we were rung. */
  direction: 'outgoing' | 'incoming';
  /** We are a participant (we started, accepted or joined it); false while it rings for us. */
  joined: boolean;
}

/** How the last call ended, while no new one started (shown as `ended`). */
export interface EndedCall {
  reason: CallEndReason;
  direction: 'outgoing' | 'incoming';
  /** The name of the member the ending came from ('' when unnamed, or when it was ours). */
  peerName: string;
  error?: CodedError;
}

/** The machine's whole knowledge. Never mutated: every event makes a new one. */
export interface RoomContext {
  /** Where the element is outside a room, or `in-room`. */
  stage: 'idle' | 'acquiring-media' | 'joining' | 'in-room' | 'full' | 'error';
  room: string;
  /** Our own `peerId` in the room (from the join answer): with each member's, it decides the pair's roles. */
  self: string;
  /** The other members, in the order they joined, keyed by `peerId`. */
  members: Readonly<Record<string, RoomMember>>;
  /** Our legs, keyed by the member's `peerId`. */
  legs: Readonly<Record<string, Leg>>;
  call: RoomCall | null;
  /** How many members the room holds (join answer `capacity`; 2 when the service does not say). */
  capacity: number;
  /** Who left last (their name, '' when unnamed), until someone joins: the status says so. */
  lastLeft: string | null;
  /** Our own connection to the service is down (socket.io is reconnecting). */
  signalingDown: boolean;
  /** Camera and microphone: off, being captured, or on. */
  media: 'off' | 'acquiring' | 'on';
  ended: EndedCall | null;
  /** Hang-ups the members could not hear (they were away), by `peerId`: sent when they are back. */
  owedHangUps: Readonly<Record<string, string>>;
  /** The error that put the element in `error` (or `full`). */
  error: CodedError | null;
  /** Host settings, changed with the `configure` event. */
  autoAnswer: boolean;
  /** How long a call rings before it is given up as `no-answer`, in ms. */
  ringTimeoutMs: number;
  /** `relay` when media may only go through TURN (changes which error a gathering failure is). */
  relayOnly: boolean;
}

/** Signals that steer calls (the rest, SDP and candidates, go to a leg's connection). */
export type CallSignal = Extract<Signal, { kind: 'ring' | 'accept' | 'in-call' | 'decline' | 'hang-up' }>;
/** Signals for a leg's RTCPeerConnection. */
export type MediaSignal = Extract<Signal, { kind: 'description' | 'candidate' }>;

/** Names of the machine's timers; each runs per leg. */
export type TimerName = 'ring' | 'connect' | 'ice-restart';

/** Everything that can happen. Events about one leg name it by the member's `peerId`. */
export type RoomEvent =
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
  | { type: 'joined'; self: string; members: Member[]; capacity?: number }
  | { type: 'join-failed'; error: CodedError }
  | { type: 'signaling-lost'; willReconnect: boolean }
  | { type: 'signaling-back' }
  | { type: 'rejoined'; self: string; members: Member[]; capacity?: number }
  | { type: 'member-joined'; member: Member }
  | { type: 'member-left'; member: Member; reason: 'left' | 'disconnected' }
  | { type: 'signal'; from: string; signal: Signal }
  // a leg: the other widget over its data channel, its connection, its watch and timers
  | { type: 'leg-message'; peerId: string; message: DataChannelMessage }
  | { type: 'leg-state'; peerId: string; state: RTCPeerConnectionState }
  | { type: 'no-local-candidates'; peerId: string }
  | { type: 'leg-media-stalled'; peerId: string }
  | { type: 'timer'; timer: TimerName; peerId: string };

/** Host-page events the machine asks for (the element turns them into `vc-…` events). */
export type Notice =
  | { type: 'incoming-call'; member: Member }
  | { type: 'call-ended'; reason: CallEndReason }
  | { type: 'member-joined'; member: Member }
  | { type: 'member-left'; member: Member }
  | { type: 'message'; from: Member; message: { id: string; text: string; sentAt: number } }
  | { type: 'error'; error: CodedError };

/** What the element must do, in order. Effects about one leg name it by the member's `peerId`. */
export type RoomEffect =
  | { type: 'acquire-media' }
  | { type: 'release-media' }
  | { type: 'join'; room: string }
  | { type: 'rejoin' }
  | { type: 'close-signaling' }
  | { type: 'fetch-ice-servers' }
  | { type: 'send'; to: string; signal: Signal }
  /** Create the leg's RTCPeerConnection; `offer`: we offer at once; `polite`: our role on it. */
  | { type: 'open-leg'; peerId: string; offer: boolean; polite: boolean }
  /** Both are in the call: put the local tracks on the leg (replaceTrack, no renegotiation). */
  | { type: 'attach-media'; peerId: string }
  | { type: 'leg-signal'; peerId: string; signal: MediaSignal }
  | { type: 'close-leg'; peerId: string }
  | { type: 'restart-ice'; peerId: string }
  | { type: 'resend-offer'; peerId: string }
  /** Watch (or stop watching) the leg's inbound media: its member is away. */
  | { type: 'watch-leg-media'; peerId: string; on: boolean }
  | { type: 'start-timer'; timer: TimerName; peerId: string; ms: number }
  | { type: 'cancel-timer'; timer: TimerName; peerId: string }
  | { type: 'notify'; notice: Notice };

/** Default time an unanswered call rings, in ms. */
export const RING_TIMEOUT_MS = 30_000;
/** An accepted leg whose media path is not up after this long (ms) has failed. */
export const CONNECT_TIMEOUT_MS = 30_000;
/** Room capacity when the service does not say (protocol `DEFAULT_ROOM_CAPACITY`). */
export const DEFAULT_CAPACITY = 2;

/** The context before `start()`. */
export function initialContext(settings: Partial<RoomContext> = {}): RoomContext {
  return {
    stage: 'idle',
    room: '',
    self: '',
    members: {},
    legs: {},
    call: null,
    capacity: DEFAULT_CAPACITY,
    lastLeft: null,
    signalingDown: false,
    media: 'off',
    ended: null,
    owedHangUps: {},
    error: null,
    autoAnswer: false,
    ringTimeoutMs: RING_TIMEOUT_MS,
    relayOnly: false,
    ...settings,
  };
}
