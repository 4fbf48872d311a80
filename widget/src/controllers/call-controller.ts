/**
 * The wiring between the room machine and the world: it owns the machine's context, turns what
 * the controllers report (media, signal service, legs, timers) into machine events, and carries
 * out the machine's effects with them (call-effects.ts). It decides nothing itself. After every
 * event it tells the host page what changed (`vc-state-change`, `vc-participants-change`,
 * `vc-peer-change`) and sets the watches that depend on the call (beats, quality, speaking,
 * the video cap, the call timer).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { decodeDataChannelMessage } from 'video-call-protocol';
import { videoSendingCap } from '../call/bandwidth.js';
import type { CallState } from '../call/call-state.js';
import type { Quality } from '../call/quality.js';
import { initialContext, type RoomContext, type RoomEvent, type TimerName } from '../call/room-context.js';
import { reduce } from '../call/room-machine.js';
import { acceptedLegs, callState } from '../call/room-state.js';
import { LegTimers } from '../call/timers.js';
import type { Translate } from '../i18n/translator.js';
import {
  VideoCallParticipantsChangeEvent,
  VideoCallPeerChangeEvent,
  VideoCallStateChangeEvent,
  type Participant,
  type PeerIdentity,
} from '../events.js';
import { carryOut, transportPolicy, type CallParts } from './call-effects.js';
import { deviceLost, notify, qualityChanged } from './call-notices.js';
import { participantsOf, peerOf, worstQuality } from './call-participants.js';
import { CallTimerController } from './call-timer-controller.js';
import { DevicesController } from './devices-controller.js';
import { IceServersController } from './ice-servers-controller.js';
import { InCallController } from './in-call-controller.js';
import { LegSet } from './leg-set.js';
import { MediaController } from './media-controller.js';
import { SignalingController } from './signaling-controller.js';
import { SpeakingController } from './speaking-controller.js';

/** What the call needs from the element: its settings, read when they are used. */
export interface CallSettings {
  signalingUrl: string;
  name: string;
  ticket: string;
  iceTransportPolicy: RTCIceTransportPolicy;
}

/** The element as the call sees it: a host that re-renders, fires events and words errors. */
export type CallHost = ReactiveControllerHost & EventTarget & { readonly i18n: { readonly t: Translate } };

/** Reactive controller running one element's room and calls (see the file comment). */
export class CallController implements ReactiveController {
  /** The machine's context: read by the element's render. */
  context: RoomContext = initialContext();

  readonly media: MediaController;
  readonly devices: DevicesController;
  /** Asks the element to start again (permission granted after a denial). */
  retry: () => void = () => {};
  /** Microphone/camera state, chat and screen share of the call in progress. */
  readonly inCall: InCallController;
  readonly timer: CallTimerController;
  readonly signaling: SignalingController;
  /** Our legs, one per participant of the call. */
  readonly legs: LegSet;
  readonly speaking: SpeakingController;

  readonly #host: CallHost;
  readonly #parts: CallParts;
  /** Events that arrive while an event is being handled wait here (run to completion). */
  readonly #queue: RoomEvent[] = [];
  #announced: CallState = 'idle';
  /** `participants` and `peer` as last announced (JSON), to fire only on a change. */
  #announcedParticipants = '[]';
  #announcedPeer = 'null';

  /** `settings` are read when they are used; `host.i18n` words the `vc-error` messages. */
  constructor(host: CallHost, settings: () => CallSettings) {
    this.#host = host;
    host.addController(this);
    const dispatch = (event: RoomEvent) => this.dispatch(event);
    // A camera or microphone switched or unplugged mid-call goes on every leg with replaceTrack.
    this.media = new MediaController(host, {
      onTrackSwitched: (next) => this.legs.replaceLocalTrack(next.kind === 'audio' ? 'audio' : 'video', next),
      onDeviceLost: (kind, label, next) => deviceLost(this.#parts, kind, label, next?.label ?? null),
    });
    this.devices = new DevicesController(host, {
      onDeviceLost: (kind, label) => deviceLost(this.#parts, kind, label, null),
      // The person allowed the camera in the site settings after a denial: try again at once.
      onPermissionAllowed: () => {
        if (this.context.error?.code === 'media-permission-denied') this.retry();
      },
    });
    this.signaling = new SignalingController(host, {
      onMemberJoined: (member) => dispatch({ type: 'member-joined', member }),
      onMemberLeft: ({ reason, id, name, peerId }) => dispatch({ type: 'member-left', member: { id, name, peerId }, reason }),
      onSignal: ({ from, signal }) => dispatch({ type: 'signal', from, signal }),
      onConnectionLost: (willReconnect) => dispatch({ type: 'signaling-lost', willReconnect }),
      onReconnected: () => dispatch({ type: 'signaling-back' }),
    });
    this.legs = new LegSet(host, {
      // Every signal of a leg carries its call id and goes to its member's current connection.
      sendSignal: (peerId, signal) => {
        const leg = this.context.legs[peerId];
        const member = this.context.members[peerId];
        if (leg && member && !member.away) this.signaling.send(member.id, { ...signal, call: leg.call });
      },
      onConnectionStateChange: (peerId, state) => dispatch({ type: 'leg-state', peerId, state }),
      onNoLocalCandidates: (peerId) => dispatch({ type: 'no-local-candidates', peerId }),
      // Every new leg: tell the other side our media state (so after any reconnection).
      onChannelOpen: (peerId) => this.legs.get(peerId)?.sendOnChannel(this.inCall.mediaState),
      onChannelMessage: (peerId, data) => {
        const message = decodeDataChannelMessage(data);
        if (message) dispatch({ type: 'leg-message', peerId, message });
      },
      onMediaStalled: (peerId) => dispatch({ type: 'leg-media-stalled', peerId }),
      onQualityChange: () => qualityChanged(this.#parts),
    });
    this.inCall = new InCallController(host, {
      media: this.media,
      legs: this.legs,
      accepted: () => acceptedLegs(this.context).length > 0,
      relay: (signal, reached) => {
        const others = Object.values(this.context.members).filter((m) => !m.away && !reached.includes(m.peerId));
        return others.filter((m) => this.signaling.send(m.id, signal)).length;
      },
    });
    this.timer = new CallTimerController(host);
    this.speaking = new SpeakingController(host, { levels: (peerIds) => this.legs.audioLevels(peerIds) });
    const ice = new IceServersController(host, {
      request: () => this.signaling.iceServers(),
      onRefresh: (servers) => this.legs.setIceServers(servers),
      onFetched: () => this.#prepareSpare(),
      onDegraded: () => notify(this.#parts, { type: 'error', error: { code: 'ice-degraded' } }),
    });
    const timers = new LegTimers<TimerName>((timer, peerId) => dispatch({ type: 'timer', timer, peerId }));
    this.#parts = { call: this, host, settings, ice, timers, runs: { media: 0, signaling: 0 }, quality: null };
  }

  hostDisconnected(): void {
    this.dispatch({ type: 'leave' });
    this.#parts.timers.cancelAll();
  }

  /** The state the person is in. */
  get state(): CallState {
    return callState(this.context);
  }

  /** Every other member of the room, as the element's `participants` lists them. */
  get participants(): Participant[] {
    return participantsOf(this);
  }

  /** The call's quality: its worst leg's (call-participants.ts), or null. */
  get quality(): Quality | null {
    return worstQuality(this);
  }

  /** The first other participant (or member), as the element's `peer` shows them, or null. */
  get peerDetail(): PeerIdentity | null {
    return peerOf(this);
  }

  /** Hands `event` to the machine and carries out its effects; renders when the room's context changed. */
  dispatch(event: RoomEvent): void {
    this.#queue.push(event);
    if (this.#queue.length > 1) return; // an event is being handled: this one follows it
    const before = this.context;
    while (this.#queue.length > 0) {
      const { context, effects } = reduce(this.context, this.#queue[0]!);
      this.context = context;
      for (const effect of effects) carryOut(this.#parts, effect);
      this.#queue.shift();
      this.#follow();
    }
    // Most events during set-up (candidates, a leg's state the machine already knew) change
    // nothing shown: no render for them, the main thread stays free for the connection's work.
    // Controllers whose own state shows (media, legs) ask for their renders themselves.
    if (this.context !== before) this.#host.requestUpdate();
  }

  /** Sets what depends on the call after an event, and announces what changed. */
  #follow(): void {
    const ctx = this.context;
    // During a call the connection to the service is watched closely (signaling-controller.ts).
    this.signaling.watch(ctx.call !== null);
    // Quality and voices are read on the legs whose media flows (accepted, connected once).
    const flowing = acceptedLegs(ctx)
      .filter(([, leg]) => leg.everConnected)
      .map(([m]) => m.peerId);
    this.legs.measureQuality(new Set(flowing));
    this.speaking.listen(flowing);
    this.timer.run(flowing.length > 0);
    this.legs.capVideo(videoSendingCap(acceptedLegs(ctx).length));
    this.inCall.follow(ctx.call?.joined ? ctx.call.id : null);
    this.#prepareSpare();
    const state = this.state;
    if (state !== this.#announced) {
      const previous = this.#announced;
      this.#announced = state;
      this.#host.dispatchEvent(new VideoCallStateChangeEvent({ state, previous }));
    }
    const participants = this.participants;
    const participantsJson = JSON.stringify(participants);
    if (participantsJson !== this.#announcedParticipants) {
      this.#announcedParticipants = participantsJson;
      this.#host.dispatchEvent(new VideoCallParticipantsChangeEvent({ participants }));
    }
    const peer = this.peerDetail;
    const peerJson = JSON.stringify(peer);
    if (peerJson !== this.#announcedPeer) {
      this.#announcedPeer = peerJson;
      this.#host.dispatchEvent(new VideoCallPeerChangeEvent({ peer }));
    }
  }

  /** In the room with no call, and the ICE servers known: a connection is made ahead for the next leg. */
  #prepareSpare(): void {
    const iceServers = this.#parts.ice.current;
    if (this.context.stage !== 'in-room' || this.context.call || !Array.isArray(iceServers)) return;
    this.legs.prepareSpare({ iceServers, iceTransportPolicy: transportPolicy(this.#parts.settings()) });
  }

  /** Re-announces `participants` when only who speaks changed (the speaking controller re-renders). */
  hostUpdate(): void {
    const participants = this.participants;
    const json = JSON.stringify(participants);
    if (json === this.#announcedParticipants) return;
    this.#announcedParticipants = json;
    this.#host.dispatchEvent(new VideoCallParticipantsChangeEvent({ participants }));
  }
}
