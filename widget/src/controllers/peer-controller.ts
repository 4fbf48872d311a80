/**
 * The RTCPeerConnection of one call: perfect negotiation, trickle ICE with a buffer for early
 * remote candidates, consent-gated local tracks, remote media, and one idempotent teardown.
 *
 * Perfect negotiation follows W3C WebRTC 1.0 §10.7 and webrtc/samples' perfect-negotiation peer:
 * offers are made with `setLocalDescription()` (no arguments); on an offer collision (glare)
 * the impolite peer ignores the incoming offer and the polite peer rolls back its own
 * (implicitly, in `setRemoteDescription`). The role comes from the signal service.
 *
 * Consent: the caller's connection has an audio and a video transceiver (`sendrecv`) from the
 * start, so the first offer already negotiates both directions and ICE/DTLS finish while the
 * call rings. Their senders carry no track (no RTP) until `attach()`, which uses `replaceTrack`:
 * no renegotiation, so media flows as soon as the encoders start.
 *
 * Remote ICE candidates that arrive before a remote description are kept until it is set
 * (remote-candidates.ts).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { IceCandidate, IceServer } from 'video-call-protocol';
import type { PeerControllerOptions, PeerSetup, PeerSignal } from './peer-setup.js';
import { RemoteCandidates } from './remote-candidates.js';
import { CAMERA_KINDS, remoteStreamOf, SCREEN_KINDS, senderOf, sendTracks } from './sender-tracks.js';

export type { PeerControllerOptions, PeerSetup, PeerSignal };

/**
 * Reactive controller owning the RTCPeerConnection of one call at a time (see the file comment):
 * `open()` a call, feed it the peer's signals with `handleSignal()`, `attach()` local media on
 * consent, `close()` it. Operations run one at a time, in the order they were asked for.
 */
export class PeerController implements ReactiveController {
  /** The remote camera and microphone of the current call (one stream, made once), or null. */
  remoteStream: MediaStream | null = null;
  /** The remote shared screen (video, and audio where shared), or null. */
  remoteScreen: MediaStream | null = null;
  /** `RTCPeerConnection.connectionState` of the current call; `closed` when there is none. */
  connectionState: RTCPeerConnectionState = 'closed';

  readonly #host: ReactiveControllerHost;
  readonly #options: PeerControllerOptions;
  #pc: RTCPeerConnection | null = null;
  #polite = false;
  #makingOffer = false;
  #ignoreOffer = false;
  #settingRemoteAnswerPending = false;
  /** The other peer's candidates for the current connection. */
  #candidates: RemoteCandidates | null = null;
  /** The call's data channel (peer to peer; the signal service never sees it). */
  #channel: RTCDataChannel | null = null;
  /** Local media to send once consent is given (`attach`), or null. */
  #localStream: MediaStream | null = null;
  /** Consent given: `attach()` was called for this connection. */
  #consented = false;
  /** The screen we share, or null. */
  #screen: MediaStream | null = null;
  /** Operations of the current connection, chained so they run in order. */
  #ops: Promise<void> = Promise.resolve();
  /** Bumped by `close()`: queued operations of an older connection are skipped. */
  #generation = 0;
  /** Resolves when the current connection is closed (see {@link PeerController.#untilClosed}). */
  #closed: Promise<void> = Promise.resolve();
  #resolveClosed: () => void = () => {};
  /** Local candidates gathered since the connection or its last ICE restart. */
  #localCandidates = 0;

  constructor(host: ReactiveControllerHost, options: PeerControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.close();
  }

  /** True while a call's connection exists or is being created. */
  get active(): boolean {
    return this.#pc !== null;
  }

  /** Number of remote candidates waiting for a remote description (for tests and diagnostics). */
  get pendingCandidateCount(): number {
    return this.#candidates?.pendingCount ?? 0;
  }

  /** Settles when every operation asked for so far has run (for tests and diagnostics). */
  get settled(): Promise<void> {
    return this.#ops;
  }

  /** The current connection's statistics (W3C webrtc-stats), or null without a call. */
  async getStats(): Promise<RTCStatsReport | null> {
    return this.#pc ? this.#pc.getStats() : null;
  }

  /** The perfect-negotiation role (it may change when the room is rejoined). */
  set polite(polite: boolean) {
    this.#polite = polite;
  }

  /**
   * Opens a new connection for a call (closing any previous one). With ICE servers at hand it is
   * created at once, so the caller's offer is on its way before anything else runs.
   */
  open(setup: PeerSetup): void {
    this.close();
    this.#polite = setup.polite;
    this.#closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    const { iceServers } = setup;
    if (Array.isArray(iceServers)) return this.#create(setup, iceServers);
    const generation = this.#generation;
    this.#enqueue(async () => {
      const servers = await this.#untilClosed(iceServers);
      if (generation === this.#generation) this.#create(setup, servers ?? []);
    });
  }

  /**
   * Sends `stream`'s tracks (consent given), or stops sending (null). Replaces the senders'
   * tracks without renegotiation; kept for a connection created later in the same call.
   */
  attach(stream: MediaStream | null): void {
    this.#localStream = stream;
    this.#consented = true;
    this.#enqueue(async () => this.#applyLocalTracks());
  }

  /**
   * The camera or microphone changed (a device switch or fallback): `replaceTrack`, no
   * renegotiation. Nothing before consent (`attach()` sends the stream's tracks then).
   */
  replaceLocalTrack(kind: 'audio' | 'video', track: MediaStreamTrack): void {
    this.#enqueue(async () => {
      if (!this.#pc || !this.#consented) return;
      const sender = senderOf(this.#pc, 'camera', kind);
      if (sender && sender.track !== track) await sender.replaceTrack(track);
    });
  }

  /** Shares `stream` (a screen capture) on the screen transceivers, or stops sharing (null). No renegotiation. */
  shareScreen(stream: MediaStream | null): void {
    this.#screen = stream;
    this.#enqueue(async () => {
      const pc = this.#pc;
      // The first share of the call adds the screen's transceivers: one renegotiation, made
      // by perfect negotiation (`negotiationneeded`).
      if (pc && stream && pc.getTransceivers().length < CAMERA_KINDS.length + SCREEN_KINDS.length) {
        for (const kind of SCREEN_KINDS) pc.addTransceiver(kind, { direction: 'sendrecv' });
        this.#setRemoteStream(pc);
      }
      await this.#applyLocalTracks();
    });
  }

  /** Handles a description or candidate from the other peer, after the operations before it. */
  handleSignal(signal: PeerSignal): void {
    this.#enqueue(() =>
      signal.kind === 'candidate' ? Promise.resolve(this.#handleCandidate(signal.candidate)) : this.#handleDescription(signal.description),
    );
  }

  /** Sends again an offer still waiting for its answer (signals were dropped while offline). */
  resendPendingOffer(): void {
    const pc = this.#pc;
    if (pc?.signalingState === 'have-local-offer') this.#sendDescription(pc.localDescription);
  }

  /** Restarts ICE (new credentials and candidates, same call); the new offer goes out by perfect negotiation. */
  restartIce(): void {
    this.#pc?.restartIce();
  }

  /** Applies new ICE servers to the current connection (for example refreshed TURN credentials). */
  setIceServers(iceServers: IceServer[]): void {
    this.#pc?.setConfiguration({ ...this.#pc.getConfiguration(), iceServers });
  }

  /** Sends `data` to the other peer over the data channel; false when it is not open. */
  sendOnChannel(data: string): boolean {
    if (this.#channel?.readyState !== 'open') return false;
    this.#channel.send(data);
    return true;
  }

  /** Closes the connection and forgets the call, buffered candidates and local media. Idempotent. */
  close(): void {
    this.#generation++;
    const pc = this.#pc;
    this.#pc = null;
    this.#candidates = null;
    if (this.#channel) this.#channel.onopen = this.#channel.onmessage = null;
    this.#channel = null;
    this.#localStream = null;
    this.#screen = null;
    this.#consented = false;
    this.#resolveClosed();
    if (pc) {
      pc.onnegotiationneeded = pc.onicecandidate = pc.onconnectionstatechange = pc.onicegatheringstatechange = null;
      pc.close();
    }
    if (this.remoteStream) {
      this.remoteStream = this.remoteScreen = null;
      this.#host.requestUpdate();
    }
    this.#setConnectionState('closed');
  }

  #enqueue(operation: () => Promise<void>): void {
    const generation = this.#generation;
    this.#ops = this.#ops
      .then(() => (generation === this.#generation ? operation() : undefined))
      .catch((error: unknown) => {
        if (generation === this.#generation) console.warn('[video-call] peer connection:', error);
      });
  }

  #create(setup: PeerSetup, iceServers: IceServer[]): void {
    const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: setup.iceTransportPolicy ?? 'all' });
    this.#pc = pc;
    this.#candidates = new RemoteCandidates(pc, () => this.#ignoreOffer);
    this.#makingOffer = this.#ignoreOffer = this.#settingRemoteAnswerPending = false;
    this.#localCandidates = 0;
    pc.onnegotiationneeded = () => {
      // Perfect negotiation: only from a stable state (the first offer is made below).
      if (pc.signalingState === 'stable') this.#enqueue(() => this.#offer(pc));
    };
    pc.onicecandidate = ({ candidate }) => {
      if (pc !== this.#pc) return;
      if (candidate) this.#localCandidates++;
      this.#options.sendSignal({ kind: 'candidate', candidate: candidate ? (candidate.toJSON() as IceCandidate) : null });
    };
    pc.onconnectionstatechange = () => {
      if (pc === this.#pc) this.#setConnectionState(pc.connectionState);
    };
    pc.onicegatheringstatechange = () => {
      if (pc !== this.#pc) return;
      if (pc.iceGatheringState === 'gathering') this.#localCandidates = 0;
      else if (pc.iceGatheringState === 'complete' && this.#localCandidates === 0) this.#options.onNoLocalCandidates?.();
    };
    this.#setConnectionState(pc.connectionState);
    if (!setup.offer) return;
    this.#createChannel(pc);
    for (const kind of CAMERA_KINDS) pc.addTransceiver(kind, { direction: 'sendrecv' });
    this.#setRemoteStream(pc);
    // Offer now rather than on `negotiationneeded`, which fires a task later.
    void this.#offer(pc);
  }

  /** The call's data channel: negotiated with a fixed id on both sides, part of the first offer. */
  #createChannel(pc: RTCPeerConnection): void {
    const channel = pc.createDataChannel('video-call', { negotiated: true, id: 0 });
    this.#channel = channel;
    channel.onopen = () => this.#options.onChannelOpen?.();
    channel.onmessage = ({ data }) => this.#options.onChannelMessage?.(data);
  }

  async #offer(pc: RTCPeerConnection): Promise<void> {
    try {
      this.#makingOffer = true;
      await this.#untilClosed(pc.setLocalDescription());
      if (pc === this.#pc) this.#sendDescription(pc.localDescription);
    } finally {
      this.#makingOffer = false;
    }
  }

  /** One stream holding every remote track, made once per connection (no player reloads). */
  #setRemoteStream(pc: RTCPeerConnection): void {
    this.remoteStream ??= remoteStreamOf(pc, 'camera');
    // The screen's, once its transceivers exist (added by whoever shares first).
    if (!this.remoteScreen && pc.getTransceivers().length >= CAMERA_KINDS.length + SCREEN_KINDS.length) {
      this.remoteScreen = remoteStreamOf(pc, 'screen');
    }
    this.#host.requestUpdate();
  }

  async #applyLocalTracks(): Promise<void> {
    if (!this.#pc || !this.#consented) return;
    await Promise.all([sendTracks(this.#pc, this.#localStream, 'camera'), sendTracks(this.#pc, this.#screen, 'screen')]);
  }

  async #handleDescription(description: RTCSessionDescriptionInit): Promise<void> {
    const pc = this.#pc;
    if (!pc) return;
    // Perfect negotiation: is there an offer collision, and who gives way?
    const readyForOffer = !this.#makingOffer && (pc.signalingState === 'stable' || this.#settingRemoteAnswerPending);
    const offerCollision = description.type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !this.#polite && offerCollision;
    if (this.#ignoreOffer) return;
    this.#settingRemoteAnswerPending = description.type === 'answer';
    try {
      await this.#untilClosed(pc.setRemoteDescription(description)); // rolls back our offer if needed (polite)
    } finally {
      this.#settingRemoteAnswerPending = false;
    }
    if (pc !== this.#pc) return;
    this.#setRemoteStream(pc);
    // The answerer's side of the data channel, once the offer is applied (created earlier, in a
    // stable state, it would make the answerer offer too).
    if (!this.#channel) this.#createChannel(pc);
    if (this.#candidates) await this.#untilClosed(this.#candidates.flush());
    if (description.type !== 'offer') return;
    // The answerer may send too: both directions, tracks only once consent is given.
    for (const transceiver of pc.getTransceivers()) {
      if (transceiver.direction === 'recvonly') transceiver.direction = 'sendrecv';
    }
    // Tracks do not change the answer: it goes out without waiting for them.
    void this.#applyLocalTracks().catch((error: unknown) => console.warn('[video-call] local tracks:', error));
    await this.#untilClosed(pc.setLocalDescription());
    if (pc === this.#pc) this.#sendDescription(pc.localDescription);
  }

  #handleCandidate(candidate: IceCandidate | null): void {
    this.#candidates?.add(candidate); // none without a call: a late candidate of one that ended
  }

  /**
   * Operations on a connection closed while they run never settle (WebRTC 1.0, "chain an
   * operation"), so every await on the connection also ends when `close()` is called; callers
   * then see `pc !== this.#pc` and stop.
   */
  #untilClosed<T>(operation: Promise<T>): Promise<T | void> {
    return Promise.race([operation, this.#closed]);
  }

  #sendDescription(description: RTCSessionDescription | null): void {
    if (!description || description.type === 'rollback') return;
    this.#options.sendSignal({ kind: 'description', description: { type: description.type, sdp: description.sdp } });
  }

  #setConnectionState(state: RTCPeerConnectionState): void {
    if (state === this.connectionState) return;
    this.connectionState = state;
    this.#options.onConnectionStateChange?.(state);
    this.#host.requestUpdate();
  }
}
