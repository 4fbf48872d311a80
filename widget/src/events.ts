/**
 * Events fired by `<video-call>`. All bubble and are composed (they cross shadow roots), and carry
 * a typed `detail`. Names follow one convention: `vc-<what>`.
 */
import type { CallEndReason, CallState } from './call/call-state.js';
import type { Quality } from './call/quality.js';
import type { VideoCallErrorCode } from './errors.js';

/** `detail` of `vc-state-change`. */
export interface StateChangeDetail {
  state: CallState;
  previous: CallState;
}

/** `detail` of `vc-error`. `message` is fit to show to the person; `code` is stable. */
export interface ErrorDetail {
  code: VideoCallErrorCode;
  message: string;
}

/**
 * `detail` of `vc-peer-joined`, `vc-peer-left` and `vc-incoming-call`: a member's connection id
 * in the room and display name (for `vc-incoming-call`, who rings). `name` is member-supplied:
 * render it as text.
 */
export interface PeerDetail {
  id: string;
  name: string;
}

/**
 * `detail` of `vc-peer-change`: the first other participant (or member) as `peer` shows them,
 * or null when nobody is there. The media fields come from their widget, over the leg's data
 * channel.
 */
export interface PeerChangeDetail {
  peer: PeerIdentity | null;
}

/**
 * `detail` of `vc-message`: a chat message sent or received. `id` is the sender's, `sentAt` the
 * sender's clock (ms since the epoch); `from.name` and `text` are peer-supplied: render as text.
 */
export interface MessageDetail {
  id: string;
  from: { id: string; name: string };
  text: string;
  sentAt: number;
}

/** The first other participant (or member) of the room, as `peer` shows them. */
export interface PeerIdentity {
  /** Their connection id in the room (changes when they reconnect). */
  id: string;
  /** Display name they chose (or their ticket gave): peer-supplied, render it as text. */
  name: string;
  /** Their microphone is on (as their widget says over the call's data channel; true outside a call). */
  microphoneEnabled: boolean;
  /** Their camera is on (ditto). */
  cameraEnabled: boolean;
  /** They share their screen. */
  screenSharing: boolean;
}

/**
 * Another member of the room, as `participants` lists them. `id` is their connection id in the
 * room (the `id` of `vc-peer-joined`; a new one when they reconnect); `name` is member-supplied:
 * render it as text. The media fields come from their widget over the leg's data channel while
 * they are in our call, and are `true, true, false` otherwise.
 */
export interface Participant {
  id: string;
  name: string;
  /** They are in the call running in the room (ours, or the one we may join). */
  inCall: boolean;
  microphoneEnabled: boolean;
  cameraEnabled: boolean;
  screenSharing: boolean;
  /** They speak now (their audio level, with hysteresis: call/speaking.ts). */
  speaking: boolean;
}

/** `detail` of `vc-participants-change`: every other member of the room, in the order they joined. */
export interface ParticipantsChangeDetail {
  participants: Participant[];
}

/** `detail` of `vc-call-ended`: why the call ended (see `CallEndReason`). */
export interface CallEndedDetail {
  reason: CallEndReason;
}

const init = { bubbles: true, composed: true } as const;

/** Fired once for every change of `state`. */
export class VideoCallStateChangeEvent extends CustomEvent<StateChangeDetail> {
  constructor(detail: StateChangeDetail) {
    super('vc-state-change', { ...init, detail });
  }
}

/** Fired when something fails; the state is `error` or `full` when it ended the membership. */
export class VideoCallErrorEvent extends CustomEvent<ErrorDetail> {
  constructor(detail: ErrorDetail) {
    super('vc-error', { ...init, detail });
  }
}

/** Fired when a member enters (`vc-peer-joined`) or leaves (`vc-peer-left`) the room, once per member. */
export class VideoCallPeerEvent extends CustomEvent<PeerDetail> {
  constructor(type: 'vc-peer-joined' | 'vc-peer-left', detail: PeerDetail) {
    super(type, { ...init, detail });
  }
}

/** Fired when someone calls us (rings every member present): the widget rings (state `incoming`) until `accept()` or `decline()`. */
export class VideoCallIncomingEvent extends CustomEvent<PeerDetail> {
  constructor(detail: PeerDetail) {
    super('vc-incoming-call', { ...init, detail });
  }
}

/** Fired once when our part in a call ends, for any reason (in a group, when we leave it or are the last one in it). */
export class VideoCallEndedEvent extends CustomEvent<CallEndedDetail> {
  constructor(detail: CallEndedDetail) {
    super('vc-call-ended', { ...init, detail });
  }
}

/**
 * `detail` of `vc-quality-change`: the level and the figures it was judged on, over the last
 * 2 s (call/quality.ts gives the thresholds and their sources).
 */
export type QualityChangeDetail = Quality;

/** Fired when the call's connection quality, or one of its figures, changes. */
export class VideoCallQualityChangeEvent extends CustomEvent<QualityChangeDetail> {
  constructor(detail: QualityChangeDetail) {
    super('vc-quality-change', { ...init, detail });
  }
}

/** Fired when anything of `peer` changes: who it is, their microphone, camera or screen share. */
export class VideoCallPeerChangeEvent extends CustomEvent<PeerChangeDetail> {
  constructor(detail: PeerChangeDetail) {
    super('vc-peer-change', { ...init, detail });
  }
}

/** Fired when anything of `participants` changes: who is there, who is in the call, their media, who speaks. */
export class VideoCallParticipantsChangeEvent extends CustomEvent<ParticipantsChangeDetail> {
  constructor(detail: ParticipantsChangeDetail) {
    super('vc-participants-change', { ...init, detail });
  }
}

/** Fired for every chat message, received or sent (`from` tells which). */
export class VideoCallMessageEvent extends CustomEvent<MessageDetail> {
  constructor(detail: MessageDetail) {
    super('vc-message', { ...init, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'vc-state-change': VideoCallStateChangeEvent;
    'vc-error': VideoCallErrorEvent;
    'vc-peer-joined': VideoCallPeerEvent;
    'vc-peer-left': VideoCallPeerEvent;
    'vc-incoming-call': VideoCallIncomingEvent;
    'vc-call-ended': VideoCallEndedEvent;
    'vc-peer-change': VideoCallPeerChangeEvent;
    'vc-participants-change': VideoCallParticipantsChangeEvent;
    'vc-message': VideoCallMessageEvent;
    'vc-quality-change': VideoCallQualityChangeEvent;
  }
}
