/**
 * A leg: our RTCPeerConnection to one participant. Perfect negotiation (leg-negotiation.ts),
 * trickle ICE with a buffer for the remote candidates that come before the remote description
 * (remote-candidates.ts), consent-gated local tracks, remote media, the leg's data channel
 * (leg-channel.ts), a cap on the video it sends, and one idempotent teardown.
 *
 * Consent: the offering side's connection has an audio and a video transceiver (`sendrecv`)
 * from the start, so the first offer already negotiates both directions and ICE/DTLS finish
 * while the call rings. Their senders carry no track (no RTP) until `attach()`, which uses
 * `replaceTrack`: no renegotiation, so media flows as soon as the encoders start.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { IceServer } from 'video-call-protocol';
import { LegChannel } from './leg-channel.js';
import { listenTo, stopListening } from './leg-connection-events.js';
import type { LegControllerOptions, LegSetup, LegSignal, VideoCap } from './leg-setup.js';
import { RemoteCandidates } from './remote-candidates.js';
import { OperationChain } from './leg-operations.js';
import { PerfectNegotiation } from './leg-negotiation.js';
import { LegSending } from './leg-sending.js';
import { addScreenTransceivers, CAMERA_KINDS, remoteAudioLevel, remoteStreamOf, SCREEN_KINDS } from './sender-tracks.js';

export type { LegControllerOptions, LegSetup, LegSignal, VideoCap };

/**
 * Reactive controller owning one leg's RTCPeerConnection (see the file comment): `open()` it,
 * feed it the other participant's signals with `handleSignal()`, `attach()` local media on
 * consent, `close()` it (which also removes it from its host). Operations run one at a time, in
 * the order they were asked for.
 */
export class LegController implements ReactiveController {
  /** Their camera and microphone (one stream, made once per connection), or null. */
  remoteStream: MediaStream | null = null;
  /** Their shared screen (video, and audio where shared), or null. */
  remoteScreen: MediaStream | null = null;
  /** `RTCPeerConnection.connectionState`; `closed` when there is no connection. */
  connectionState: RTCPeerConnectionState = 'closed';

  readonly #host: ReactiveControllerHost;
  readonly #options: LegControllerOptions;
  #pc: RTCPeerConnection | null = null;
  readonly #negotiation = new PerfectNegotiation();
  #polite = false;
  /** The other peer's candidates for the current connection. */
  #candidates: RemoteCandidates | null = null;
  /** The leg's data channel (peer to peer; the signal service never sees it). */
  #channel: LegChannel | null = null;
  /** Local media once consent is given, the shared screen, the video cap (leg-sending.ts). */
  readonly #sending = new LegSending();
  /** Operations of the current connection, one at a time (leg-operations.ts). */
  readonly #ops = new OperationChain('leg connection');
  /** Settles once the first offer of the current connection is out (see `offerSent`); null when none is being made. */
  #firstOffer: Promise<void> | null = null;

  constructor(host: ReactiveControllerHost, options: LegControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.close();
  }

  /** True while the leg's connection exists or is being created. */
  get active(): boolean {
    return this.#pc !== null;
  }

  /** Number of remote candidates waiting for a remote description (for tests and diagnostics). */
  get pendingCandidateCount(): number {
    return this.#candidates?.pendingCount ?? 0;
  }

  /**
   * While the first offer of a new connection is being made: a promise that settles once it is
   * sent, has failed, or the leg closed. Null otherwise (no offer of ours pending, or we answer).
   */
  get offerSent(): Promise<void> | null {
    return this.#firstOffer;
  }

  /** Settles when every operation asked for so far has run (for tests and diagnostics). */
  get settled(): Promise<void> {
    return this.#ops.settled;
  }

  /** The connection's statistics (W3C webrtc-stats), or null without a connection. */
  async getStats(): Promise<RTCStatsReport | null> {
    return this.#pc ? this.#pc.getStats() : null;
  }

  /** Their microphone's recent audio level, 0–1 (sender-tracks.ts `remoteAudioLevel`); 0 without a connection. */
  audioLevel(): number {
    return this.#pc ? remoteAudioLevel(this.#pc) : 0;
  }

  /**
   * Opens a new connection for the leg (closing any previous one). With ICE servers at hand it
   * is created at once, so an offer is on its way before anything else runs.
   */
  open(setup: LegSetup): void {
    this.close();
    this.#host.addController(this);
    this.#polite = setup.polite;
    this.#ops.begin();
    const { iceServers } = setup;
    if (Array.isArray(iceServers)) return this.#create(setup, iceServers);
    const generation = this.#ops.generation;
    this.#enqueue(async () => {
      const servers = await this.#untilClosed(iceServers);
      if (generation === this.#ops.generation) this.#create(setup, servers ?? []);
    });
  }

  /**
   * Sends `stream`'s tracks (consent given), or stops sending (null). Replaces the senders'
   * tracks without renegotiation; kept for a connection created later in the same call.
   */
  attach(stream: MediaStream | null): void {
    this.#sending.consent(stream);
    this.#enqueue(async () => this.#applyLocalTracks());
  }

  /**
   * The camera or microphone changed (a device switch or fallback): `replaceTrack`, no
   * renegotiation. Nothing before consent (`attach()` sends the stream's tracks then).
   */
  replaceLocalTrack(kind: 'audio' | 'video', track: MediaStreamTrack): void {
    this.#enqueue(async () => {
      if (this.#pc) await this.#sending.replaceTrack(this.#pc, kind, track);
    });
  }

  /** Shares `stream` (a screen capture) on the screen transceivers, or stops sharing (null). No renegotiation. */
  shareScreen(stream: MediaStream | null): void {
    this.#sending.share(stream);
    this.#enqueue(async () => {
      // The first share of the call adds the screen's transceivers: one renegotiation (`negotiationneeded`).
      if (this.#pc && stream && addScreenTransceivers(this.#pc)) this.#setRemoteStream(this.#pc);
      await this.#applyLocalTracks();
    });
  }

  /** Handles a description or candidate from the other participant, after the operations before it. */
  handleSignal(signal: LegSignal): void {
    this.#enqueue(async () => {
      // No candidates without a connection: a late one of a connection that ended.
      if (signal.kind === 'candidate') this.#candidates?.add(signal.candidate);
      else await this.#handleDescription(signal.description);
    });
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

  /** Sends `data` to the other participant over the leg's data channel; false when it is not open. */
  sendOnChannel(data: string): boolean {
    return this.#channel?.send(data) ?? false;
  }

  /**
   * Caps the camera video this leg sends (a bigger call sends less to each participant: see
   * call/bandwidth.ts); kept for a connection made later. No renegotiation.
   */
  capVideo(cap: VideoCap): void {
    this.#sending.cap(cap);
    this.#enqueue(async () => {
      if (this.#pc) await this.#sending.applyCap(this.#pc);
    });
  }

  /** Closes the connection and forgets the leg, buffered candidates and local media. Idempotent. */
  close(): void {
    this.#ops.close();
    const pc = this.#pc;
    this.#pc = null;
    this.#candidates = null;
    this.#channel?.detach();
    this.#channel = null;
    this.#sending.reset();
    if (pc) {
      stopListening(pc);
      pc.close();
    }
    if (this.remoteStream) {
      this.remoteStream = this.remoteScreen = null;
      this.#host.requestUpdate();
    }
    this.#setConnectionState('closed');
    this.#host.removeController(this);
  }

  #enqueue(operation: () => Promise<void>): void {
    this.#ops.enqueue(operation);
  }

  #create(setup: LegSetup, iceServers: IceServer[]): void {
    const pc = setup.connection ?? new RTCPeerConnection({ iceServers, iceTransportPolicy: setup.iceTransportPolicy ?? 'all' });
    this.#pc = pc;
    this.#candidates = new RemoteCandidates(pc, () => this.#negotiation.ignoringOffer);
    this.#negotiation.reset(this.#polite);
    listenTo(pc, () => pc === this.#pc, {
      // Perfect negotiation (the first offer is made below).
      onNegotiationNeeded: () => this.#enqueue(() => this.#offer(pc)),
      onCandidate: (candidate) => this.#options.sendSignal({ kind: 'candidate', candidate }),
      onStateChange: (state) => this.#setConnectionState(state),
      onNoLocalCandidates: () => this.#options.onNoLocalCandidates?.(),
    });
    this.#setConnectionState(pc.connectionState);
    if (!setup.offer) return;
    this.#createChannel(pc);
    for (const kind of CAMERA_KINDS) pc.addTransceiver(kind, { direction: 'sendrecv' });
    this.#setRemoteStream(pc);
    // Offer now rather than on `negotiationneeded`, which fires a task later.
    const sent: Promise<void> = this.#untilClosed(this.#offer(pc))
      .catch((error: unknown) => console.warn('[video-call] offer:', error))
      .then(() => void (this.#firstOffer === sent && (this.#firstOffer = null)));
    this.#firstOffer = sent;
  }

  /** The leg's data channel: negotiated with a fixed id on both sides, part of the first offer. */
  #createChannel(pc: RTCPeerConnection): void {
    this.#channel = new LegChannel(pc, { onOpen: () => this.#options.onOpen?.(), onMessage: (data) => this.#options.onMessage?.(data) });
  }

  async #offer(pc: RTCPeerConnection): Promise<void> {
    await this.#negotiation.offer(pc, (operation) => this.#untilClosed(operation));
    if (pc === this.#pc) this.#sendDescription(pc.localDescription);
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
    if (this.#pc) await this.#sending.apply(this.#pc);
  }

  async #handleDescription(description: RTCSessionDescriptionInit): Promise<void> {
    const pc = this.#pc;
    if (!pc) return;
    if (!(await this.#negotiation.setRemote(pc, description, (operation) => this.#untilClosed(operation)))) return;
    if (pc !== this.#pc) return;
    this.#setRemoteStream(pc);
    // The answerer's side of the data channel, once the offer is applied (created earlier, in a
    // stable state, it would make the answerer offer too).
    if (!this.#channel) this.#createChannel(pc);
    if (description.type !== 'offer') {
      if (this.#candidates) await this.#untilClosed(this.#candidates.flush());
      return;
    }
    // The answerer may send too: both directions, tracks only once consent is given.
    for (const transceiver of pc.getTransceivers()) {
      if (transceiver.direction === 'recvonly') transceiver.direction = 'sendrecv';
    }
    // Tracks do not change the answer: it goes out without waiting for them.
    void this.#applyLocalTracks().catch((error: unknown) => console.warn('[video-call] local tracks:', error));
    // The candidates that came with the offer go to the connection now, not awaited: it adds
    // them before it sets the answer, while its network thread is not yet busy gathering.
    const flushed = this.#candidates?.flush();
    await this.#untilClosed(pc.setLocalDescription());
    if (pc !== this.#pc) return;
    this.#sendDescription(pc.localDescription);
    if (flushed) await this.#untilClosed(flushed);
    // Senders that the offer created have their encoding only now: cap their video.
    await this.#sending.applyCap(pc);
  }

  /** Every await on the connection ends when it is closed; callers then see `pc !== this.#pc` and stop. */
  #untilClosed<T>(operation: Promise<T>): Promise<T | void> {
    return this.#ops.untilClosed(operation);
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
