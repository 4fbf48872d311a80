/**
 * The RTCPeerConnection of one call: perfect negotiation, trickle ICE with a buffer for early
 * remote candidates, remote media, and one idempotent teardown.
 *
 * Perfect negotiation follows W3C WebRTC 1.0 §10.7 and webrtc/samples' perfect-negotiation peer:
 * `onnegotiationneeded` makes offers with `setLocalDescription()` (no arguments); on an offer
 * collision (glare) the impolite peer ignores the incoming offer and the polite peer rolls back
 * its own (implicitly, in `setRemoteDescription`). The role comes from the signal service.
 *
 * Remote ICE candidates (RFC 8838 trickle ICE) that arrive before a remote description is set
 * cannot be added yet: they wait in a buffer and are added, in order, right after it is set.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { IceCandidate, IceServer, Signal } from '../../../signal-service/src/protocol.js';

/** Remote candidates kept while waiting for the remote description (a call gathers some 10–40). */
const MAX_PENDING_CANDIDATES = 200;

/** Callbacks of {@link PeerController}. */
export interface PeerControllerOptions {
  /** Sends a signal to the other peer through the signal service. */
  sendSignal(signal: Signal): void;
  /** Called whenever `connectionState` changes. */
  onConnectionStateChange?(state: RTCPeerConnectionState): void;
  /**
   * Called when ICE gathering completed without a single local candidate: with
   * `iceTransportPolicy: 'relay'` this means no TURN server could be reached or the TURN
   * credentials were refused, and the call cannot connect.
   */
  onNoLocalCandidates?(): void;
}

/** Settings of one call. */
export interface CallSetup {
  /** This side's perfect-negotiation role, as assigned by the signal service. */
  polite: boolean;
  /** STUN/TURN servers from the signal service (`ice:servers`), W3C RTCIceServer shape. */
  iceServers: IceServer[];
  /** `relay` uses TURN only (no IP addresses shared with the peer); default `all`. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Local tracks to send; may be null to receive only. */
  localStream: MediaStream | null;
}

/**
 * Reactive controller owning the RTCPeerConnection of one call at a time (see the file comment):
 * `start()` a call, feed it the peer's signals with `handleSignal()`, `close()` it. Its
 * `remoteStream` and `connectionState` are read by the host's render.
 */
export class PeerController implements ReactiveController {
  /** Stream of the remote tracks of the current call, or null. */
  remoteStream: MediaStream | null = null;
  /** `RTCPeerConnection.connectionState` of the current call; `closed` when there is none. */
  connectionState: RTCPeerConnectionState = 'closed';

  readonly #host: ReactiveControllerHost;
  readonly #options: PeerControllerOptions;
  #pc: RTCPeerConnection | null = null;
  #setup: CallSetup | null = null;
  #polite = false;
  #makingOffer = false;
  #ignoreOffer = false;
  #settingRemoteAnswerPending = false;
  /** Remote candidates received before the remote description; `null` is end-of-candidates. */
  #pendingCandidates: (IceCandidate | null)[] = [];
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

  /** True while a peer connection exists. */
  get active(): boolean {
    return this.#pc !== null;
  }

  /** Number of remote candidates waiting for a remote description (for tests and diagnostics). */
  get pendingCandidateCount(): number {
    return this.#pendingCandidates.length;
  }

  /** RTP packets received so far on the current connection (all inbound streams), or 0. */
  async packetsReceived(): Promise<number> {
    const stats = await this.getStats();
    let total = 0;
    stats?.forEach((report) => {
      if (report.type === 'inbound-rtp') total += (report as RTCInboundRtpStreamStats).packetsReceived ?? 0;
    });
    return total;
  }

  /** The current connection's statistics (W3C webrtc-stats), or null without a call. */
  async getStats(): Promise<RTCStatsReport | null> {
    return this.#pc ? this.#pc.getStats() : null;
  }

  /**
   * Creates the peer connection and adds the local tracks. Adding tracks fires
   * `negotiationneeded`, so the side that calls this first sends the offer; a side that calls it
   * on receiving an offer answers it. Any previous connection is closed first.
   */
  start(setup: CallSetup): void {
    this.close();
    const pc = new RTCPeerConnection({
      iceServers: setup.iceServers,
      iceTransportPolicy: setup.iceTransportPolicy ?? 'all',
    });
    this.#pc = pc;
    this.#setup = setup;
    this.#closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.#polite = setup.polite;
    this.#makingOffer = false;
    this.#ignoreOffer = false;
    this.#settingRemoteAnswerPending = false;
    this.#localCandidates = 0;
    this.remoteStream = new MediaStream();
    this.#setConnectionState(pc.connectionState);

    pc.onnegotiationneeded = async () => {
      try {
        this.#makingOffer = true;
        await this.#untilClosed(pc.setLocalDescription());
        if (pc !== this.#pc) return;
        this.#sendDescription(pc.localDescription);
      } catch (error) {
        if (pc === this.#pc) console.warn('[video-call] could not make an offer', error);
      } finally {
        this.#makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      if (pc !== this.#pc) return;
      if (candidate) this.#localCandidates++;
      this.#options.sendSignal({ kind: 'candidate', candidate: candidate ? candidate.toJSON() as IceCandidate : null });
    };
    pc.ontrack = ({ track }) => {
      if (pc !== this.#pc || !this.remoteStream) return;
      this.remoteStream.addTrack(track);
      this.#host.requestUpdate();
    };
    pc.onconnectionstatechange = () => {
      if (pc === this.#pc) this.#setConnectionState(pc.connectionState);
    };
    pc.onicegatheringstatechange = () => {
      if (pc !== this.#pc) return;
      if (pc.iceGatheringState === 'gathering') this.#localCandidates = 0;
      else if (pc.iceGatheringState === 'complete' && this.#localCandidates === 0) this.#options.onNoLocalCandidates?.();
    };

    setup.localStream?.getTracks().forEach((track) => pc.addTrack(track, setup.localStream!));
  }

  /** The current connection's perfect-negotiation role (it may change when the room is rejoined). */
  set polite(polite: boolean) {
    this.#polite = polite;
    if (this.#setup) this.#setup = { ...this.#setup, polite };
  }

  /**
   * The `sess-id` of the remote description's `o=` line (RFC 8866 §5.2): it stays the same for
   * every offer of one remote RTCPeerConnection, so it tells a renegotiation of a call apart from
   * a new call. Null without a remote description.
   */
  get remoteSdpSessionId(): string | null {
    return sdpSessionId(this.#pc?.remoteDescription?.sdp);
  }

  /** `iceConnectionState` of the current connection, or null without one. */
  get iceConnectionState(): RTCIceConnectionState | null {
    return this.#pc?.iceConnectionState ?? null;
  }

  /**
   * After the signaling path was down (signals were dropped), brings negotiation back in step: an
   * offer still waiting for its answer is sent again. (Anything else in flight is re-created by
   * perfect negotiation or an ICE restart.)
   */
  resendPendingOffer(): void {
    const pc = this.#pc;
    if (pc?.signalingState === 'have-local-offer') this.#sendDescription(pc.localDescription);
  }

  /**
   * Restarts ICE on the current connection (new credentials and candidates, same call): fires
   * `negotiationneeded`, so a new offer goes out through perfect negotiation.
   */
  restartIce(): void {
    this.#pc?.restartIce();
  }

  /** Applies new ICE servers to the current connection (for example refreshed TURN credentials). */
  setIceServers(iceServers: IceServer[]): void {
    if (!this.#pc) return;
    this.#pc.setConfiguration({ ...this.#pc.getConfiguration(), iceServers });
  }

  /**
   * Handles a description or candidate from the other peer. Candidates may come before the
   * connection exists; they are buffered. `hang-up` is the caller's business, not handled here.
   */
  async handleSignal(signal: Signal): Promise<void> {
    if (signal.kind === 'candidate') return this.#handleCandidate(signal.candidate);
    if (signal.kind === 'description') return this.#handleDescription(signal.description);
  }

  /** Closes the connection and forgets the call, including buffered candidates. Idempotent. */
  close(): void {
    const pc = this.#pc;
    this.#pc = null;
    this.#pendingCandidates = [];
    this.#resolveClosed();
    if (pc) {
      pc.onnegotiationneeded = pc.onicecandidate = pc.ontrack = pc.onconnectionstatechange = null;
      pc.onicegatheringstatechange = null;
      pc.close();
    }
    this.remoteStream = null;
    this.#setConnectionState('closed');
  }

  async #handleDescription(description: RTCSessionDescriptionInit): Promise<void> {
    const pc = this.#pc;
    if (!pc) return;
    // Perfect negotiation: is there an offer collision, and who gives way?
    const readyForOffer =
      !this.#makingOffer && (pc.signalingState === 'stable' || this.#settingRemoteAnswerPending);
    const offerCollision = description.type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !this.#polite && offerCollision;
    if (this.#ignoreOffer) return;
    if (offerCollision && !pc.remoteDescription && this.#setup) {
      // Glare on the very first negotiation (both called at once), and we are polite. Instead of
      // rolling back an offer whose ICE gathering has begun, which in Chromium can leave the
      // connection gathering nothing ever after (even across restartIce), start over with a
      // fresh connection that answers the incoming offer. No media flowed yet, nothing is lost.
      const pending = this.#pendingCandidates;
      this.start(this.#setup);
      this.#pendingCandidates = pending;
      return this.#handleDescription(description);
    }

    this.#settingRemoteAnswerPending = description.type === 'answer';
    try {
      // Rolls back our own offer if needed (polite).
      await this.#untilClosed(pc.setRemoteDescription(description));
    } finally {
      this.#settingRemoteAnswerPending = false;
    }
    if (pc !== this.#pc) return;
    await this.#flushPendingCandidates(pc);
    if (description.type === 'offer') {
      await this.#untilClosed(pc.setLocalDescription());
      if (pc !== this.#pc) return;
      this.#sendDescription(pc.localDescription);
    }
  }

  async #handleCandidate(candidate: IceCandidate | null): Promise<void> {
    const pc = this.#pc;
    // No call: a late candidate of a call that ended (the callee's connection is created before
    // the offer's candidates are handled, since signals are handled in order).
    if (!pc) return;
    if (!pc.remoteDescription) {
      if (this.#pendingCandidates.length < MAX_PENDING_CANDIDATES) this.#pendingCandidates.push(candidate);
      return;
    }
    await this.#addCandidate(pc, candidate);
  }

  async #flushPendingCandidates(pc: RTCPeerConnection): Promise<void> {
    const pending = this.#pendingCandidates;
    this.#pendingCandidates = [];
    for (const candidate of pending) {
      if (pc !== this.#pc) return;
      await this.#addCandidate(pc, candidate);
    }
  }

  async #addCandidate(pc: RTCPeerConnection, candidate: IceCandidate | null): Promise<void> {
    try {
      // No argument (undefined) marks the end of the remote candidates.
      await this.#untilClosed(pc.addIceCandidate(candidate ?? undefined));
    } catch (error) {
      // Candidates for an offer we ignored (glare) or from a previous ICE generation fail here
      // by design; anything else is worth a warning but never worth ending the call.
      if (!this.#ignoreOffer && pc === this.#pc) console.warn('[video-call] ICE candidate not added', error);
    }
  }

  /**
   * Operations on a connection closed while they run never settle (WebRTC 1.0, "chain an operation": the
   * operation is aborted and its promise left pending), so every await on the connection also
   * ends when `close()` is called; callers then see `pc !== this.#pc` and stop.
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

/** The `sess-id` field of an SDP's `o=` line (RFC 8866 §5.2), or null. */
export function sdpSessionId(sdp: string | undefined): string | null {
  return sdp?.match(/^o=\S+ (\S+) /m)?.[1] ?? null;
}
