/**
 * Shared fixtures for the call machine's node tests: people, signals, effect builders, a
 * `drive()` that folds events through `reduce()`, and contexts reached by real event sequences
 * (never hand-built, so every fixture is a state the machine can really be in).
 */
import type { Signal } from 'video-call-protocol';
import {
  initialContext,
  type CallContext,
  type CallEffect,
  type CallEvent,
  type CodedError,
  type Notice,
  type Peer,
  type TimerName,
} from '../../src/call/call-context.js';
import { reduce } from '../../src/call/call-machine.js';
import type { CallEndReason } from '../../src/call/call-state.js';

export const bob: Peer = { id: 'bob-1', name: 'Bob', peerId: 'bob-peer-id-0000000001' };
/** Bob again, on a new connection (same peerId, new connection id). */
export const bobBack: Peer = { ...bob, id: 'bob-2' };
export const carol: Peer = { id: 'carol-1', name: 'Carol', peerId: 'carol-peer-id-000000001' };

/** Our call id, Bob's call id, and an old call of ours that already ended. */
export const OUR_CALL = 'call-ours-0001';
export const BOB_CALL = 'call-bobs-0001';
export const OLD_CALL = 'call-old-00001';

/** The final context of a run and every effect it asked for, in order. */
export interface Run {
  context: CallContext;
  effects: CallEffect[];
}

/** Folds `events` through the reducer from `ctx`. */
export function drive(ctx: CallContext, ...events: CallEvent[]): Run {
  const effects: CallEffect[] = [];
  for (const event of events) {
    const t = reduce(ctx, event);
    ctx = t.context;
    effects.push(...t.effects);
  }
  return { context: ctx, effects };
}

// ── events ───────────────────────────────────────────────────────────────────────────────────
export const start = (room = 'room-1'): CallEvent => ({ type: 'start', room });
export const call = (callId = OUR_CALL): CallEvent => ({ type: 'call', callId });
export const joined = (peers: Peer[] = [bob], polite = false): CallEvent => ({ type: 'joined', polite, peers });
export const rejoined = (peers: Peer[] = [bob], polite = false): CallEvent => ({ type: 'rejoined', polite, peers });
export const peerJoined = (peer: Peer): CallEvent => ({ type: 'peer-joined', peer });
export const peerLeft = (peer: Peer = bob, reason: 'left' | 'disconnected' = 'left'): CallEvent => ({ type: 'peer-left', peer, reason });
export const pc = (state: RTCPeerConnectionState): CallEvent => ({ type: 'pc-state', state });
export const fire = (timer: TimerName): CallEvent => ({ type: 'timer', timer });
export const lost = (willReconnect: boolean): CallEvent => ({ type: 'signaling-lost', willReconnect });
export const configure = (patch: Partial<{ autoAnswer: boolean; ringTimeoutMs: number; relayOnly: boolean }>): CallEvent => ({
  type: 'configure',
  autoAnswer: false,
  ringTimeoutMs: 30_000,
  relayOnly: false,
  ...patch,
});
export const mediaReady: CallEvent = { type: 'media-ready' };
export const accept: CallEvent = { type: 'accept' };
export const decline: CallEvent = { type: 'decline' };
export const hangUp: CallEvent = { type: 'hang-up' };
export const leave: CallEvent = { type: 'leave' };
export const stalled: CallEvent = { type: 'peer-media-stalled' };
export const noCandidates: CallEvent = { type: 'no-local-candidates' };
/** A signal relayed from `sender` (Bob by default). */
export const from = (signal: Signal, sender: Peer = bob): CallEvent => ({ type: 'signal', from: sender.id, signal });

// ── signals ──────────────────────────────────────────────────────────────────────────────────
export const sig = {
  ring: (id = BOB_CALL): Signal => ({ kind: 'ring', call: id }),
  accept: (id = OUR_CALL): Signal => ({ kind: 'accept', call: id }),
  decline: (id = OUR_CALL): Signal => ({ kind: 'decline', call: id }),
  hangUp: (id = OUR_CALL): Signal => ({ kind: 'hang-up', call: id }),
  noAnswer: (id = OUR_CALL): Signal => ({ kind: 'hang-up', call: id, reason: 'no-answer' }),
  failed: (id = OUR_CALL): Signal => ({ kind: 'hang-up', call: id, reason: 'failed' }),
  offer: (id = OUR_CALL): Signal => ({ kind: 'description', call: id, description: { type: 'offer', sdp: 'v=0\r\n' } }),
  candidate: (id = OUR_CALL): Signal => ({ kind: 'candidate', call: id, candidate: null }),
};

// ── effects ──────────────────────────────────────────────────────────────────────────────────
export const send = (signal: Signal, to: Peer = bob): CallEffect => ({ type: 'send', to: to.id, signal });
export const startTimer = (timer: TimerName, ms: number): CallEffect => ({ type: 'start-timer', timer, ms });
export const cancelTimer = (timer: TimerName): CallEffect => ({ type: 'cancel-timer', timer });
export const notify = (notice: Notice): CallEffect => ({ type: 'notify', notice });
export const notifyError = (code: CodedError['code']): CallEffect => notify({ type: 'error', error: { code } });
export const openPeer = (offer: boolean): CallEffect => ({ type: 'open-peer', offer });
export const watch = (on: boolean): CallEffect => ({ type: 'watch-peer-media', on });
export const ACQUIRE: CallEffect = { type: 'acquire-media' };
export const RELEASE: CallEffect = { type: 'release-media' };
export const ATTACH: CallEffect = { type: 'attach-media' };
export const CLOSE_SIGNALING: CallEffect = { type: 'close-signaling' };

/** What ending a call does: close, stop the three timers, release the camera (when on), tell. */
export function endCall(reason: CallEndReason, mediaOn = true): CallEffect[] {
  return [
    { type: 'close-peer' },
    cancelTimer('ring'),
    cancelTimer('connect'),
    cancelTimer('ice-restart'),
    ...(mediaOn ? [RELEASE] : []),
    notify({ type: 'call-ended', reason }),
  ];
}

/** A call that fails: the peer is told (hang-up, failed), the call ends as `failed`, then the error. */
export function callFailed(code: CodedError['code'], id = OUR_CALL): CallEffect[] {
  return [send(sig.failed(id)), ...endCall('failed'), notifyError(code)];
}

/** Only the effects of the given types. */
export const only = (effects: CallEffect[], ...types: CallEffect['type'][]) => effects.filter((e) => types.includes(e.type));

// ── contexts, each reached by real events ────────────────────────────────────────────────────
const ctxAfter = (ctx: CallContext, ...events: CallEvent[]) => drive(ctx, ...events).context;

export const acquiring = () => ctxAfter(initialContext(), start());
export const joining = () => ctxAfter(acquiring(), mediaReady);
/** In the room with `peers` (alone by default), camera on. */
export const inRoom = (peers: Peer[] = [], polite = false) => ctxAfter(joining(), joined(peers, polite));
export const ready = (polite = false) => inRoom([bob], polite);
/** We called Bob (call `OUR_CALL`); it rings for him. */
export const calling = (polite = false) => ctxAfter(ready(polite), call());
/** Bob calls us (call `BOB_CALL`); it rings here. */
export const incoming = (polite = false) => ctxAfter(ready(polite), from(sig.ring()));
/** Our call, accepted by Bob, media path being set up. */
export const connecting = (polite = false) => ctxAfter(calling(polite), from(sig.accept()));
/** Our call, media flowing. */
export const connected = (polite = false) => ctxAfter(connecting(polite), pc('connected'));
/** Bob's call, accepted by us, media flowing. */
export const connectedIncoming = () => ctxAfter(incoming(), accept, pc('connected'));
/** Our connected call whose partner's signaling dropped (it is away). */
export const away = () => ctxAfter(connected(), peerLeft(bob, 'disconnected'));
/** A call that ended (Bob hung up): still in the room with Bob, camera off. */
export const ended = () => ctxAfter(connected(), from(sig.hangUp()));
export const full = () => ctxAfter(joining(), { type: 'join-failed', error: { code: 'room-full' } });
export const failed = () => ctxAfter(joining(), { type: 'join-failed', error: { code: 'join-failed' } });
