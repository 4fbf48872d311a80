/**
 * The wiring between the call machine and the world: it owns the machine's context, turns what
 * the controllers report (media, signal service, peer connection, timers) into machine events,
 * and carries out the machine's effects with them. It decides nothing itself.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { JoinRequest } from 'video-call-protocol';
import { callState, initialContext, type CallContext, type CallEffect, type CallEvent, type CodedError, type Notice, type TimerName } from '../call/call-context.js';
import { reduce } from '../call/call-machine.js';
import type { CallState } from '../call/call-state.js';
import { Timers } from '../call/timers.js';
import { errorText, VideoCallError } from '../errors.js';
import type { Translate } from '../i18n/translator.js';
import { decodeDataChannelMessage } from 'video-call-protocol';
import {
  VideoCallEndedEvent,
  VideoCallErrorEvent,
  VideoCallIncomingEvent,
  VideoCallPeerChangeEvent,
  VideoCallPeerEvent,
  VideoCallQualityChangeEvent,
  VideoCallStateChangeEvent,
  type PeerChangeDetail,
} from '../events.js';
import { CallTimerController } from './call-timer-controller.js';
import { QualityController } from './quality-controller.js';
import { DevicesController } from './devices-controller.js';
import { InCallController } from './in-call-controller.js';
import { IceServersController } from './ice-servers-controller.js';
import { MediaController } from './media-controller.js';
import { PeerController } from './peer-controller.js';
import { PeerLivenessController } from './peer-liveness-controller.js';
import { SignalingController } from './signaling-controller.js';

/** What the call needs from the element: its settings, read when they are used. */
export interface CallSettings {
  signalingUrl: string;
  name: string;
  ticket: string;
  iceTransportPolicy: RTCIceTransportPolicy;
}

/** Reactive controller running one element's calls (see the file comment). */
export class CallController implements ReactiveController {
  /** The machine's context: read by the element's render. */
  context: CallContext = initialContext();

  readonly #host: ReactiveControllerHost & EventTarget & { readonly i18n: { readonly t: Translate } };
  readonly #settings: () => CallSettings;
  /** Events that arrive while an event is being handled wait here (run to completion). */
  readonly #queue: CallEvent[] = [];
  #announced: CallState = 'idle';
  /** `peer` as last announced by `vc-peer-change` (JSON), to fire only on a change. */
  #announcedPeer = 'null';
  /** Bumped whenever capture or the service connection is stopped: late results are dropped. */
  #mediaRun = 0;
  #signalingRun = 0;
  /**
   * The secret of our place in the room, from the latest join answer: a rejoin after a reconnection
   * sends it to come back as the same member. Kept in memory only, never shown.
   */
  #rejoinToken = '';

  readonly media: MediaController;
  readonly devices: DevicesController;
  /** Asks the element to start again (permission granted after a denial). */
  retry: () => void = () => {};
  /** Microphone/camera state, chat and screen share of the call in progress. */
  readonly inCall: InCallController;
  readonly quality: QualityController;
  readonly timer: CallTimerController;
  readonly signaling: SignalingController;
  readonly peer: PeerController;
  readonly #ice: IceServersController;
  readonly #liveness: PeerLivenessController;
  readonly #timers = new Timers<TimerName>((timer) => this.dispatch({ type: 'timer', timer }));

  /** `host.i18n` words the `vc-error` messages in the element's language. */
  constructor(host: ReactiveControllerHost & EventTarget & { readonly i18n: { readonly t: Translate } }, settings: () => CallSettings) {
    this.#host = host;
    this.#settings = settings;
    host.addController(this);
    // A camera or microphone switched or unplugged mid-call goes on the call with replaceTrack.
    this.media = new MediaController(host, {
      onTrackSwitched: (next) => this.peer.replaceLocalTrack(next.kind === 'audio' ? 'audio' : 'video', next),
      onDeviceLost: (kind, label, next) => this.#deviceLost(kind, label, next?.label ?? null),
    });
    this.devices = new DevicesController(host, {
      onDeviceLost: (kind, label) => this.#deviceLost(kind, label, null),
      // The person allowed the camera in the site settings after a denial: try again at once.
      onPermissionAllowed: () => {
        if (this.context.error?.code === 'media-permission-denied') this.retry();
      },
    });
    this.signaling = new SignalingController(host, {
      onPeerJoined: (peer) => this.dispatch({ type: 'peer-joined', peer }),
      onPeerLeft: ({ reason, id, name, peerId }) => this.dispatch({ type: 'peer-left', peer: { id, name, peerId }, reason }),
      onSignal: ({ from, signal }) => this.dispatch({ type: 'signal', from, signal }),
      onConnectionLost: (willReconnect) => this.dispatch({ type: 'signaling-lost', willReconnect }),
      onReconnected: () => this.dispatch({ type: 'signaling-back' }),
    });
    this.peer = new PeerController(host, {
      // Every signal of the call carries its id; the peer drops those of calls that ended.
      sendSignal: (signal) => {
        const { call, peer } = this.context;
        if (call && peer) this.signaling.send(peer.id, { ...signal, call: call.id });
      },
      onConnectionStateChange: (state) => this.dispatch({ type: 'pc-state', state }),
      onNoLocalCandidates: () => this.dispatch({ type: 'no-local-candidates' }),
      // Every new connection: tell the other side our media state (so after any reconnection).
      onChannelOpen: () => this.inCall.sendMediaState(),
      onChannelMessage: (data) => {
        const message = decodeDataChannelMessage(data);
        if (message) this.dispatch({ type: 'peer-message', message });
      },
    });
    this.inCall = new InCallController(host, {
      media: this.media,
      peer: this.peer,
      accepted: () => this.context.call?.accepted === true,
      relay: (signal) => (this.context.peer ? this.signaling.send(this.context.peer.id, signal) : false),
    });
    this.timer = new CallTimerController(host);
    this.quality = new QualityController(host, {
      getStats: () => this.peer.getStats(),
      onChange: (quality) => this.#host.dispatchEvent(new VideoCallQualityChangeEvent(quality)),
    });
    this.#ice = new IceServersController(host, {
      request: () => this.signaling.iceServers(),
      onRefresh: (servers) => this.peer.setIceServers(servers),
      onDegraded: () => this.#notify({ type: 'error', error: { code: 'ice-degraded' } }),
    });
    this.#liveness = new PeerLivenessController(host, {
      getStats: () => this.peer.getStats(),
      onStalled: () => this.dispatch({ type: 'peer-media-stalled' }),
    });
  }

  hostDisconnected(): void {
    this.dispatch({ type: 'leave' });
    this.#timers.cancelAll();
  }

  /** The other person as the element's `peer` shows them, or null. */
  get peerDetail(): PeerChangeDetail['peer'] {
    const { peer, away, peerMedia } = this.context;
    const who = peer ?? away;
    return who ? { id: who.id, name: who.name, ...peerMedia } : null;
  }

  /** The state the person is in. */
  get state(): CallState {
    return callState(this.context);
  }

  /** Hands `event` to the machine and carries out its effects; fires `vc-state-change`. */
  dispatch(event: CallEvent): void {
    this.#queue.push(event);
    if (this.#queue.length > 1) return; // an event is being handled: this one follows it
    while (this.#queue.length > 0) {
      const { context, effects } = reduce(this.context, this.#queue[0]!);
      this.context = context;
      for (const effect of effects) this.#carryOut(effect);
      this.#queue.shift();
      // During a call the connection to the service is watched closely (signaling-controller.ts).
      this.signaling.watch(this.context.call !== null);
      // Quality is judged once media flows (an accepted call whose path came up).
      const flowing = !!this.context.call?.accepted && this.context.call.everConnected;
      this.quality.watch(flowing);
      this.timer.run(flowing);
      const state = this.state;
      if (state !== this.#announced) {
        const previous = this.#announced;
        this.#announced = state;
        this.#host.dispatchEvent(new VideoCallStateChangeEvent({ state, previous }));
      }
      this.inCall.follow(this.context.call?.accepted ? this.context.call.id : null);
      const peer = this.peerDetail;
      const peerJson = JSON.stringify(peer);
      if (peerJson !== this.#announcedPeer) {
        this.#announcedPeer = peerJson;
        this.#host.dispatchEvent(new VideoCallPeerChangeEvent({ peer }));
      }
    }
    this.#host.requestUpdate();
  }

  #carryOut(effect: CallEffect): void {
    switch (effect.type) {
      case 'acquire-media':
        return void this.#acquireMedia(++this.#mediaRun);
      case 'release-media':
        this.#mediaRun++;
        return this.media.stop();
      case 'join':
      case 'rejoin':
        return void this.#join(++this.#signalingRun, effect.type === 'rejoin');
      case 'close-signaling':
        this.#signalingRun++;
        this.#ice.stop();
        return this.signaling.close();
      case 'fetch-ice-servers':
        return this.#ice.fetch();
      case 'send':
        return void this.signaling.send(effect.to, effect.signal);
      case 'open-peer':
        return this.peer.open({
          polite: this.context.polite,
          iceServers: this.#ice.current,
          iceTransportPolicy: this.#settings().iceTransportPolicy === 'relay' ? 'relay' : 'all',
          offer: effect.offer,
        });
      case 'attach-media':
        return this.peer.attach(this.media.stream);
      case 'peer-signal':
        return this.peer.handleSignal(effect.signal);
      case 'close-peer':
        return this.peer.close();
      case 'restart-ice':
        return this.peer.restartIce();
      case 'resend-offer':
        return this.peer.resendPendingOffer();
      case 'set-role':
        this.peer.polite = effect.polite;
        return;
      case 'watch-peer-media':
        return this.#liveness.watch(effect.on);
      case 'start-timer':
        return this.#timers.start(effect.timer, effect.ms);
      case 'cancel-timer':
        return this.#timers.cancel(effect.timer);
      case 'notify':
        return this.#notify(effect.notice);
    }
  }

  async #acquireMedia(run: number): Promise<void> {
    try {
      const stream = await this.media.start();
      if (run !== this.#mediaRun || !stream) return;
      this.dispatch({ type: 'media-ready' });
      void this.devices.refresh(); // device names are known once capture is allowed
    } catch (error) {
      if (run === this.#mediaRun) this.dispatch({ type: 'media-failed', error: coded(error) });
    }
  }

  /** Connects (first join) and joins the room, or rejoins it on the new connection after a drop. */
  async #join(run: number, rejoin: boolean): Promise<void> {
    const { signalingUrl, name, ticket } = this.#settings();
    try {
      if (!rejoin) {
        await this.signaling.connect(signalingUrl);
        this.#rejoinToken = '';
      }
      if (run !== this.#signalingRun) return;
      const request: JoinRequest = { room: this.context.room, polite: this.context.polite };
      if (name) request.name = name;
      if (ticket) request.ticket = ticket;
      if (this.#rejoinToken) request.rejoin = this.#rejoinToken;
      let joined;
      try {
        joined = await this.signaling.join(request);
      } catch (error) {
        // Our place could not be taken back (e.g. the service restarted without its rejoin
        // secret): join as a new member; the other person sees someone new.
        if (!(error instanceof VideoCallError && error.protocolCode === 'rejoin-invalid')) throw error;
        delete request.rejoin;
        joined = await this.signaling.join(request);
      }
      if (run !== this.#signalingRun) return;
      this.#rejoinToken = joined.rejoinToken;
      this.dispatch({ type: rejoin ? 'rejoined' : 'joined', polite: joined.polite, peers: joined.peers });
      // Back after a reconnection: say our media state again, so the two sides never disagree long.
      if (rejoin) this.inCall.sendMediaState();
    } catch (error) {
      // A rejoin cut off by another drop runs again on the next reconnection.
      if (run !== this.#signalingRun || (rejoin && !this.signaling.connected)) return;
      this.dispatch({ type: 'join-failed', error: coded(error) });
    }
  }

  /** A device in use was unplugged: the person is told what took over. */
  #deviceLost(kind: MediaDeviceKind, label: string, fallback: string | null): void {
    const params = fallback ? { kind, device: label, fallback } : { kind, device: label };
    this.#notify({ type: 'error', error: { code: 'device-lost', params } });
  }

  #notify(notice: Notice): void {
    const host = this.#host;
    switch (notice.type) {
      case 'incoming-call':
        return void host.dispatchEvent(new VideoCallIncomingEvent({ id: notice.peer.id, name: notice.peer.name }));
      case 'call-ended':
        return void host.dispatchEvent(new VideoCallEndedEvent({ reason: notice.reason }));
      case 'peer-joined':
      case 'peer-left':
        return void host.dispatchEvent(new VideoCallPeerEvent(`vc-${notice.type}`, { id: notice.peer.id, name: notice.peer.name }));
      case 'message':
        return this.inCall.received({ id: notice.from.id, name: notice.from.name }, notice.message);
      case 'error':
        return void host.dispatchEvent(new VideoCallErrorEvent({ code: notice.error.code, message: errorText(notice.error, host.i18n.t) }));
    }
  }
}

/** A thrown error as a coded one (anything unexpected is logged and becomes `call-failed`). */
function coded(error: unknown): CodedError {
  if (error instanceof VideoCallError) return { code: error.code, key: error.key, params: error.params };
  console.error('[video-call]', error);
  return { code: 'call-failed' };
}
