/**
 * `<video-call>`: a one-to-one video call any page can embed.
 *
 * The element composes three reactive controllers (media capture, signaling, peer connection),
 * keeps one explicit call state, and renders it: videos, a status line in words, and controls.
 */
import { html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import type { IceServer, PeerInfo, PeerLeft, RelayedSignal } from '../../signal-service/src/protocol.js';
import { STARTABLE_STATES, type CallState } from './call-state.js';
import { MediaController } from './controllers/media-controller.js';
import { PeerController, sdpSessionId } from './controllers/peer-controller.js';
import { SignalingController } from './controllers/signaling-controller.js';
import { VideoCallError } from './errors.js';
import { VideoCallErrorEvent, VideoCallPeerEvent, VideoCallStateChangeEvent } from './events.js';
import { placeholderText, statusText, type StatusFacts } from './status-text.js';
import { styles } from './video-call.styles.js';

/** Same rule as the signal service: 1–64 characters of A–Z a–z 0–9 `_` `.` `-`. */
const ROOM_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** How long a call may stay in `calling` before it is given up as `call-failed`, in ms. */
const CONNECT_TIMEOUT_MS = 30_000;

/** ICE `disconnected` for this long (ms) counts as lost and starts an ICE restart. */
const DISCONNECTED_GRACE_MS = 2_000;
/** The polite side waits this much longer (ms) before its own restart, to let the impolite one go first. */
const POLITE_RESTART_DELAY_MS = 3_000;
/** An ICE restart that has not reconnected after this long (ms) is followed by another … */
const ICE_RESTART_TIMEOUT_MS = 8_000;
/** … up to this many; then the call ends with `call-failed`. */
const MAX_ICE_RESTARTS = 3;

/**
 * While the partner's connection to the service is down, its media is checked this often (ms);
 * no RTP packet for {@link MEDIA_STALL_MS} means it is gone (closed tab, crash, lost network).
 */
const AWAY_CHECK_INTERVAL_MS = 500;
const MEDIA_STALL_MS = 1_500;

/** ICE credentials are refreshed when this share of their lifetime has passed … */
const ICE_REFRESH_AT = 0.8;
/** … but not more often than every this many ms; and retried after this long on failure. */
const ICE_REFRESH_MIN_MS = 5_000;

/** The origin that served this module: the default signal service. */
const SCRIPT_ORIGIN = new URL(import.meta.url).origin;

/**
 * A peer-to-peer video call in one element.
 *
 * @element video-call
 *
 * @attr {string} room - Room to join (required): 1–64 characters of `A–Z a–z 0–9 _ . -`. Two people in the same room can call each other.
 * @attr {string} signaling-url - Origin of the signal service, e.g. `https://call.example.com`. Default: the origin that served the script.
 * @attr {string} name - Display name shown to the other person (at most 64 characters).
 * @attr {'all'|'relay'} ice-transport-policy - `relay` sends media through a TURN relay only (hides IP addresses from the peer). Default `all`.
 * @attr {string} ticket - Room ticket: a JWT (HS256) from the host site's backend with claims `room`, `exp`, optional `name`; required when the service has ROOM_TICKET_SECRET.
 *
 * @fires {VideoCallStateChangeEvent} vc-state-change - `detail: { state, previous }` on every state change.
 * @fires {VideoCallErrorEvent} vc-error - `detail: { code, message }` when something fails (codes in errors.ts and the README).
 * @fires {VideoCallPeerEvent} vc-peer-joined - `detail: { id, name }` when the other person enters the room.
 * @fires {VideoCallPeerEvent} vc-peer-left - `detail: { id, name }` when the other person leaves the room.
 *
 * @csspart stage - The box holding both videos.
 * @csspart remote-video - The other person's `<video>`.
 * @csspart local-video - Your own muted preview `<video>`.
 * @csspart placeholder - Text shown in the stage while there is no remote video.
 * @csspart status - The status line telling what is happening.
 * @csspart controls - The row of buttons.
 * @csspart button - Every button; also `start-button`, `call-button`, `hang-up-button`, `mic-button`, `camera-button`, `leave-button`.
 *
 * @cssprop [--video-call-background=#0f172a] - Stage and panel background.
 * @cssprop [--video-call-color=#f8fafc] - Text color.
 * @cssprop [--video-call-accent=#2563eb] - Background of the main buttons (Start, Call).
 * @cssprop [--video-call-danger=#dc2626] - Background of the Hang up button and error text accent.
 * @cssprop [--video-call-radius=12px] - Corner radius.
 * @cssprop [--video-call-font=system-ui, sans-serif] - Font family.
 * @cssprop [--video-call-aspect-ratio=16 / 9] - Aspect ratio of the stage.
 * @cssprop [--video-call-local-width=28%] - Width of the local preview relative to the stage.
 */
export class VideoCall extends LitElement {
  static override styles = styles;

  static override properties: PropertyDeclarations = {
    room: { type: String, reflect: true },
    signalingUrl: { type: String, attribute: 'signaling-url' },
    name: { type: String },
    iceTransportPolicy: { type: String, attribute: 'ice-transport-policy' },
    ticket: { type: String },
  };

  /** Room to join (attribute `room`). */
  declare room: string;
  /** Origin of the signal service (attribute `signaling-url`); empty: the script's origin. */
  declare signalingUrl: string;
  /** Display name shown to the peer (attribute `name`). */
  declare name: string;
  /** `all` (default) or `relay` (attribute `ice-transport-policy`). */
  declare iceTransportPolicy: RTCIceTransportPolicy;
  /** Room ticket (JWT) from the host site's backend, when the service requires one (attribute `ticket`). */
  declare ticket: string;

  #state: CallState = 'idle';
  #errorMessage = '';
  /** Incremented by every start and teardown: async work from an older run stops. */
  #generation = 0;

  // ---- facts the in-room state is derived from (see #settle) ----
  /** In a room (joined, or rejoining after a drop). */
  #joined = false;
  #room = '';
  /** This element's session id in the room, the same across reconnections. */
  #clientSession = '';
  #polite = false;
  /** The other member, reachable through the service. */
  #peer: PeerInfo | null = null;
  /** The call partner whose connection to the service dropped while media still flows. */
  #peerAway: PeerInfo | null = null;
  #signalingDown = false;
  /** `call()` is waiting for ICE servers before the peer connection exists … */
  #callPending = false;
  /** … and this settles when it does (an offer arriving meanwhile waits for it). */
  #callStarting: Promise<void> = Promise.resolve();
  /**
   * `o=` session id of the remote description of the call that ended last: an offer carrying it
   * belongs to that call (a renegotiation or ICE restart that crossed the hang-up), not a new one.
   */
  #endedRemoteSdpSession: string | null = null;
  /** Session of a partner we hung up on while it was away: it is told when it is back. */
  #hangUpOwedTo = '';
  /** The current call has been connected: a later loss means `reconnecting`, not `calling`. */
  #everConnected = false;
  /** The last call ended (`ended` rather than `ready`). */
  #callEnded = false;
  #iceRestarts = 0;

  #iceServers: Promise<IceServer[]> = Promise.resolve([]);
  /** Incoming signals are handled one at a time, in arrival order. */
  #signalQueue: Promise<void> = Promise.resolve();
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  #iceRecoveryTimer: ReturnType<typeof setTimeout> | undefined;
  #iceRefreshTimer: ReturnType<typeof setTimeout> | undefined;
  #awayWatch: ReturnType<typeof setInterval> | undefined;

  readonly #media = new MediaController(this);
  readonly #signaling = new SignalingController(this, {
    onPeerJoined: (peer) => this.#onPeerJoined(peer),
    onPeerLeft: (peer) => this.#onPeerLeft(peer),
    onSignal: (message) => {
      this.#signalQueue = this.#signalQueue.then(() => this.#onSignal(message));
    },
    onConnectionLost: (willReconnect) => this.#onConnectionLost(willReconnect),
    onReconnected: () => void this.#onReconnected(),
  });
  readonly #peerConnection = new PeerController(this, {
    sendSignal: (signal) => {
      if (this.#peer) this.#signaling.send(this.#peer.id, signal);
    },
    onConnectionStateChange: (state) => this.#onConnectionStateChange(state),
    onNoLocalCandidates: () => this.#onNoLocalCandidates(),
  });

  constructor() {
    super();
    this.room = '';
    this.signalingUrl = '';
    this.name = '';
    this.iceTransportPolicy = 'all';
    this.ticket = '';
  }

  /** The current call state (read-only); see call-state.ts for the meaning of each. */
  get state(): CallState {
    return this.#state;
  }

  /** The other person in the room, or null. `name` is peer-supplied: render it as text. */
  get peer(): Readonly<PeerInfo> | null {
    return this.#peer ?? this.#peerAway;
  }

  /**
   * Gets camera and microphone, shows the local preview, connects to the signal service and
   * joins the room. Resolves when that is done or has failed; failures never reject but end in
   * state `error` (or `full`) with a `vc-error` event.
   * @throws DOMException `InvalidStateError` (as a rejection) unless the state is `idle`, `full` or `error`.
   */
  async start(): Promise<void> {
    if (!STARTABLE_STATES.includes(this.#state)) {
      throw new DOMException(`start() cannot be used in state "${this.#state}"`, 'InvalidStateError');
    }
    this.#teardown();
    const generation = this.#generation;
    const room = (this.room ?? '').trim();
    try {
      if (!ROOM_PATTERN.test(room)) {
        throw new VideoCallError('missing-room', 'No valid room: set the room attribute (letters, digits, “_”, “.” or “-”).');
      }
      this.#setState('acquiring-media');
      const stream = await this.#media.start();
      if (generation !== this.#generation || !stream) return;

      this.#setState('joining');
      await this.#signaling.connect(this.signalingUrl || SCRIPT_ORIGIN);
      if (generation !== this.#generation) return;
      this.#clientSession = randomSessionId();
      const joined = await this.#signaling.join(this.#joinRequest(room));
      if (generation !== this.#generation) return;

      this.#joined = true;
      this.#room = room;
      this.#polite = joined.polite;
      // Fetch ICE servers now, so that call() never waits on a token request.
      this.#iceServers = this.#fetchIceServers(generation);
      const peer = joined.peers[0];
      if (peer) this.#onPeerJoined(peer);
      this.#settle();
    } catch (error) {
      if (generation === this.#generation) this.#fail(error);
    }
  }

  /**
   * Calls the peer in the room. Resolves once the call is being set up; `vc-state-change` to
   * `connected` follows when media flows (or `error` with `call-failed`).
   * @throws DOMException `InvalidStateError` (as a rejection) unless the state is `ready` or `ended`.
   */
  async call(): Promise<void> {
    if (!this.#peer || (this.#state !== 'ready' && this.#state !== 'ended')) {
      throw new DOMException(`call() needs a peer in the room (state is "${this.#state}")`, 'InvalidStateError');
    }
    await this.#beginCall();
  }

  /**
   * Ends the call, tells the peer, and stays in the room with the camera on: state `ended`, from
   * which `call()` works again. Does nothing when no call is in progress.
   */
  hangUp(): void {
    if (!this.#inCall) return;
    if (this.#peer) this.#signaling.send(this.#peer.id, { kind: 'hang-up' });
    else if (this.#peerAway) this.#hangUpOwedTo = this.#peerAway.session;
    this.#endCall();
    this.#callEnded = true;
    if (this.#peerAway) this.#peerGone(); // it is told if it comes back (see #onPeerJoined)
    this.#settle();
  }

  /** Hangs up if needed, leaves the room, turns the camera off: back to `idle`. Safe in any state. */
  leave(): void {
    this.hangUp();
    this.#teardown();
    this.#setState('idle');
  }

  /**
   * Restarts ICE in the current call (fresh candidates, same call), for example after the host
   * page learns that the network changed. Does nothing outside a call.
   */
  restartIce(): void {
    this.#peerConnection.restartIce();
  }

  /** Statistics of the current call's RTCPeerConnection (W3C webrtc-stats), or null without a call. */
  getStats(): Promise<RTCStatsReport | null> {
    return this.#peerConnection.getStats();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pagehide', this.#onPageHide);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pagehide', this.#onPageHide);
    this.#teardown();
    this.#setState('idle');
  }

  // ---- state -------------------------------------------------------------------------------

  get #inCall(): boolean {
    return this.#peerConnection.active || this.#callPending;
  }

  /** Why the state is `reconnecting`, if it is. */
  get #reconnectingReason(): 'signaling' | 'peer' | 'media' | undefined {
    if (this.#signalingDown) return 'signaling';
    if (this.#peerAway) return 'peer';
    if (this.#peerConnection.active && this.#everConnected && this.#peerConnection.connectionState !== 'connected') {
      return 'media';
    }
    return undefined;
  }

  /** Derives the state from the facts while in a room: the one place in-room states are chosen. */
  #settle(): void {
    if (!this.#joined) return;
    let next: CallState;
    if (this.#reconnectingReason) next = 'reconnecting';
    else if (this.#inCall) next = this.#peerConnection.connectionState === 'connected' ? 'connected' : 'calling';
    else if (!this.#peer) next = 'waiting';
    else next = this.#callEnded ? 'ended' : 'ready';
    this.#setState(next);
  }

  #setState(next: CallState): void {
    const previous = this.#state;
    if (next === previous) return;
    this.#state = next;
    if (next !== 'error') this.#errorMessage = '';
    this.requestUpdate();
    this.dispatchEvent(new VideoCallStateChangeEvent({ state: next, previous }));
  }

  /** Tears everything down and reports `error` (or `full`) with a `vc-error`. */
  #fail(error: unknown): void {
    const coded =
      error instanceof VideoCallError ? error : new VideoCallError('call-failed', 'Something went wrong with the call.');
    if (!(error instanceof VideoCallError)) console.error('[video-call]', error);
    this.#teardown();
    this.#errorMessage = coded.message;
    this.#setState(coded.code === 'room-full' ? 'full' : 'error');
    this.dispatchEvent(new VideoCallErrorEvent({ code: coded.code, message: coded.message }));
  }

  /** Closes the call, the signaling connection and the camera; forgets the room. Idempotent. */
  #teardown(): void {
    this.#generation++;
    clearTimeout(this.#iceRefreshTimer);
    this.#endCall();
    this.#signaling.close();
    this.#media.stop();
    this.#joined = false;
    this.#peer = null;
    this.#setPeerAway(null);
    this.#signalingDown = false;
    this.#callEnded = false;
    this.#endedRemoteSdpSession = null;
    this.#hangUpOwedTo = '';
    this.#signalQueue = Promise.resolve();
  }

  /** Closes the current call's connection and its timers. */
  #endCall(): void {
    if (this.#peerConnection.active) this.#endedRemoteSdpSession = this.#peerConnection.remoteSdpSessionId;
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#iceRecoveryTimer);
    this.#connectTimer = this.#iceRecoveryTimer = undefined;
    this.#callPending = false;
    this.#everConnected = false;
    this.#iceRestarts = 0;
    this.#peerConnection.close();
  }

  #joinRequest(room: string) {
    return {
      room,
      name: this.name ?? '',
      session: this.#clientSession,
      polite: this.#polite,
      ...(this.ticket ? { ticket: this.ticket } : {}),
    };
  }

  // ---- call set-up -------------------------------------------------------------------------

  /**
   * Asks the service for ICE servers. When they expire (`ttl`), schedules a refresh that applies
   * the new ones to the running call too, so an ICE restart late in a long call still has valid
   * TURN credentials.
   */
  async #fetchIceServers(generation: number): Promise<IceServer[]> {
    try {
      const result = await this.#signaling.iceServers();
      if (generation !== this.#generation) return result.iceServers;
      if (result.degraded) {
        this.dispatchEvent(
          new VideoCallErrorEvent({
            code: 'ice-degraded',
            message: 'No relay server is available right now; the call may not connect on some networks.',
          }),
        );
      }
      if (result.ttl !== undefined) {
        this.#scheduleIceRefresh(generation, Math.max(ICE_REFRESH_MIN_MS, result.ttl * 1000 * ICE_REFRESH_AT));
      }
      return result.iceServers;
    } catch {
      if (generation === this.#generation) this.#scheduleIceRefresh(generation, ICE_REFRESH_MIN_MS * 2);
      return []; // host candidates still work on the same network
    }
  }

  #scheduleIceRefresh(generation: number, delayMs: number): void {
    clearTimeout(this.#iceRefreshTimer);
    this.#iceRefreshTimer = setTimeout(async () => {
      if (generation !== this.#generation) return;
      const iceServers = await this.#fetchIceServers(generation);
      if (generation !== this.#generation || iceServers.length === 0) return;
      this.#iceServers = Promise.resolve(iceServers);
      this.#peerConnection.setIceServers(iceServers);
    }, delayMs);
  }

  /**
   * Moves to `calling` and creates the peer connection. Within one call it returns the same
   * promise, settled once the connection exists (or the call was given up).
   */
  #beginCall(): Promise<void> {
    if (this.#callPending) return this.#callStarting;
    if (this.#peerConnection.active) return Promise.resolve();
    this.#callStarting = this.#startCall();
    return this.#callStarting;
  }

  async #startCall(): Promise<void> {
    const generation = this.#generation;
    this.#callPending = true;
    this.#callEnded = false;
    this.#settle();
    const iceServers = await this.#iceServers;
    if (generation !== this.#generation || !this.#callPending) return;
    this.#callPending = false;
    this.#peerConnection.start({
      polite: this.#polite,
      iceServers,
      iceTransportPolicy: this.iceTransportPolicy === 'relay' ? 'relay' : 'all',
      localStream: this.#media.stream,
    });
    this.#connectTimer = setTimeout(() => {
      if (generation === this.#generation && this.#peerConnection.active && !this.#everConnected) {
        this.#fail(new VideoCallError('call-failed', 'The call could not connect. The network may be blocking it.'));
      }
    }, CONNECT_TIMEOUT_MS);
  }

  // ---- the other person --------------------------------------------------------------------

  #onPeerJoined(peer: PeerInfo): void {
    if (this.#hangUpOwedTo !== '' && peer.session === this.#hangUpOwedTo) {
      // We hung up while this partner was away: tell it now, so its call ends too.
      this.#signaling.send(peer.id, { kind: 'hang-up' });
    }
    this.#hangUpOwedTo = '';
    const partner = this.#peerAway ?? this.#peer;
    if (partner && peer.session !== '' && peer.session === partner.session && this.#inCall) {
      // The same person, back on a new connection: the call goes on.
      this.#peer = peer;
      this.#setPeerAway(null);
      this.#peerConnection.resendPendingOffer();
      this.#settle();
      return;
    }
    if (partner) this.#peerGone();
    this.#peer = peer;
    this.#callEnded = false;
    this.dispatchEvent(new VideoCallPeerEvent('vc-peer-joined', { id: peer.id, name: peer.name }));
    this.#settle();
  }

  #onPeerLeft(left: PeerLeft): void {
    if (left.id !== this.#peer?.id) return;
    if (left.reason === 'disconnected' && this.#peerConnection.connectionState === 'connected') {
      // Its connection to the service dropped, but media may still flow: it may come back.
      this.#setPeerAway(this.#peer);
      this.#peer = null;
      this.#settle();
      return;
    }
    this.#peerGone();
  }

  /**
   * Marks the call partner as away (its connection to the service is gone), or back (null).
   * While it is away its media is watched: when no RTP packet arrives for MEDIA_STALL_MS, the
   * partner is gone for good (closed or crashed tab, lost network) and the call ends.
   */
  #setPeerAway(partner: PeerInfo | null): void {
    this.#peerAway = partner;
    clearInterval(this.#awayWatch);
    this.#awayWatch = undefined;
    if (!partner) return;
    let lastCount = -1;
    let lastChangeAt = Date.now();
    this.#awayWatch = setInterval(async () => {
      const count = await this.#peerConnection.packetsReceived();
      if (this.#peerAway !== partner) return;
      if (count !== lastCount) {
        lastCount = count;
        lastChangeAt = Date.now();
      } else if (Date.now() - lastChangeAt >= MEDIA_STALL_MS) {
        this.#peerGone();
      }
    }, AWAY_CHECK_INTERVAL_MS);
  }

  /** The other person is gone: ends any call, tells the host page, waits for someone new. */
  #peerGone(): void {
    const gone = this.#peer ?? this.#peerAway;
    this.#peer = null;
    this.#setPeerAway(null);
    this.#endCall();
    this.#callEnded = false;
    if (gone) this.dispatchEvent(new VideoCallPeerEvent('vc-peer-left', { id: gone.id, name: gone.name }));
    this.#settle();
  }

  async #onSignal({ from, signal }: RelayedSignal): Promise<void> {
    if (from !== this.#peer?.id) return; // not from the member we know: stale or unexpected
    try {
      if (signal.kind === 'hang-up') {
        if (this.#inCall) {
          this.#endCall();
          this.#callEnded = true;
          this.#settle();
        }
        return;
      }
      if (signal.kind === 'description' && signal.description.type === 'offer' && !this.#peerConnection.active) {
        if (!this.#callPending && sdpSessionId(signal.description.sdp) === this.#endedRemoteSdpSession) {
          // A renegotiation of the call that was hung up (it crossed the hang-up): not a new call.
          this.#signaling.send(from, { kind: 'hang-up' });
          return;
        }
        // The peer is calling us (or we both called at once): answer with our camera and microphone.
        if (this.#state !== 'ready' && this.#state !== 'ended' && this.#state !== 'calling') return;
        await this.#beginCall();
      }
      await this.#peerConnection.handleSignal(signal);
    } catch (error) {
      console.warn('[video-call] could not apply a signal from the peer', error);
    }
  }

  // ---- the call's connection ---------------------------------------------------------------

  #onConnectionStateChange(state: RTCPeerConnectionState): void {
    if (!this.#peerConnection.active) return;
    if (state === 'connected') {
      this.#everConnected = true;
      this.#iceRestarts = 0;
      clearTimeout(this.#connectTimer);
      clearTimeout(this.#iceRecoveryTimer);
      this.#iceRecoveryTimer = undefined;
    } else if (this.#peerAway) {
      // The partner's signaling was already gone; now its media is too.
      this.#peerGone();
      return;
    } else if (this.#everConnected && (state === 'disconnected' || state === 'failed')) {
      this.#scheduleIceRecovery(state);
    } else if (state === 'failed') {
      this.#fail(new VideoCallError('call-failed', 'The call’s connection failed.'));
      return;
    }
    this.#settle();
  }

  /**
   * ICE restarts after a loss: `disconnected` that lasts {@link DISCONNECTED_GRACE_MS}, or
   * `failed` at once. The impolite side restarts first; the polite side only if that has not
   * helped a little later, so both rarely offer at once. At most {@link MAX_ICE_RESTARTS}.
   */
  #scheduleIceRecovery(state: 'disconnected' | 'failed'): void {
    if (this.#iceRecoveryTimer) return;
    const delay = (state === 'failed' ? 0 : DISCONNECTED_GRACE_MS) + (this.#polite ? POLITE_RESTART_DELAY_MS : 0);
    this.#iceRecoveryTimer = setTimeout(() => this.#attemptIceRestart(), delay);
  }

  #attemptIceRestart(): void {
    this.#iceRecoveryTimer = undefined;
    if (!this.#peerConnection.active || this.#peerConnection.connectionState === 'connected') return;
    if (this.#iceRestarts >= MAX_ICE_RESTARTS) {
      this.#fail(new VideoCallError('call-failed', 'The call’s connection was lost and could not be restored.'));
      return;
    }
    this.#iceRestarts++;
    this.#peerConnection.restartIce();
    this.#iceRecoveryTimer = setTimeout(() => this.#attemptIceRestart(), ICE_RESTART_TIMEOUT_MS);
  }

  #onNoLocalCandidates(): void {
    if (this.iceTransportPolicy === 'relay') {
      this.#fail(
        new VideoCallError(
          'relay-unavailable',
          'Could not reach the relay server, or it refused the credentials. A relay-only call cannot connect.',
        ),
      );
    } else {
      this.#fail(new VideoCallError('call-failed', 'No network path was found for the call.'));
    }
  }

  // ---- the connection to the signal service ------------------------------------------------

  #onConnectionLost(willReconnect: boolean): void {
    if (!willReconnect) {
      this.#fail(new VideoCallError('signaling-lost', 'The call service closed the connection.'));
      return;
    }
    if (!this.#joined) return; // start() is still running: its own request fails and reports
    this.#signalingDown = true;
    this.#settle();
  }

  /** Back on a new connection: rejoin the same room with the same session and role. */
  async #onReconnected(): Promise<void> {
    if (!this.#joined) return;
    const generation = this.#generation;
    try {
      const joined = await this.#signaling.join(this.#joinRequest(this.#room));
      if (generation !== this.#generation) return;
      this.#signalingDown = false;
      this.#polite = joined.polite;
      this.#peerConnection.polite = joined.polite;
      const partner = this.#peer ?? this.#peerAway;
      const present = joined.peers[0];
      if (present && partner && present.session !== '' && present.session === partner.session) {
        // The partner is there (it kept its place, or rejoined first): only its id may be new.
        this.#peer = present;
        this.#setPeerAway(null);
        this.#peerConnection.resendPendingOffer();
      } else {
        // Old ids are void. A call partner is away until it is back (or its media stops).
        if (partner && this.#inCall && this.#peerConnection.connectionState === 'connected') {
          this.#setPeerAway(partner);
          this.#peer = null;
        } else if (partner) {
          this.#peerGone();
        }
        if (present) this.#onPeerJoined(present);
      }
      // New connection id: new TURN credentials for it.
      this.#iceServers = this.#fetchIceServers(generation);
      this.#settle();
    } catch (error) {
      if (generation !== this.#generation) return;
      // The connection dropped again before the join was answered: socket.io reconnects and
      // this runs again. Anything else (room taken, ticket expired) ends it.
      if (!this.#signaling.connected) return;
      this.#fail(error);
    }
  }

  /** Leaving the page (tab closed, navigation): leave on purpose, so the peer learns at once. */
  #onPageHide = () => {
    if (!this.#joined) return;
    this.#teardown();
    this.#setState('idle');
  };

  // ---- rendering ---------------------------------------------------------------------------

  #statusFacts(): StatusFacts {
    return {
      state: this.#state,
      room: this.#room || this.room,
      peerName: (this.#peer ?? this.#peerAway)?.name ?? '',
      hasPeer: this.#peer !== null,
      inCall: this.#inCall,
      reconnecting: this.#reconnectingReason,
      errorMessage: this.#errorMessage,
    };
  }

  override render() {
    const state = this.#state;
    const facts = this.#statusFacts();
    const localStream = this.#media.stream;
    const remoteStream = this.#peerConnection.remoteStream;
    const showRemote = this.#everConnected && remoteStream !== null;
    const inRoom = state === 'waiting' || state === 'ready' || state === 'ended';
    const inCall = this.#inCall;
    const canCall = (state === 'ready' || state === 'ended') && this.#peer !== null;
    return html`
      <div part="stage" class="stage" data-state=${state}>
        <video
          part="remote-video"
          class="remote"
          autoplay
          playsinline
          .srcObject=${remoteStream}
          ?hidden=${!showRemote}
        ></video>
        <div part="placeholder" class="placeholder" ?hidden=${showRemote}>${placeholderText(facts)}</div>
        <video
          part="local-video"
          class="local"
          autoplay
          playsinline
          muted
          .muted=${true}
          .srcObject=${localStream}
          ?hidden=${!localStream}
        ></video>
      </div>
      <p part="status" class="status" role="status" aria-live="polite" data-state=${state}>${statusText(facts)}</p>
      <div part="controls" class="controls">
        ${STARTABLE_STATES.includes(state)
          ? html`<button part="button start-button" class="primary" @click=${this.#onStartClick}>
              ${state === 'idle' ? 'Start' : 'Try again'}
            </button>`
          : nothing}
        ${inRoom
          ? html`<button part="button call-button" class="primary" ?disabled=${!canCall} @click=${this.#onCallClick}>
              Call
            </button>`
          : nothing}
        ${inCall
          ? html`<button part="button hang-up-button" class="danger" @click=${this.#onHangUpClick}>Hang up</button>`
          : nothing}
        ${localStream
          ? html`
              <button
                part="button mic-button"
                aria-pressed=${this.#media.audioMuted ? 'true' : 'false'}
                @click=${this.#onMicClick}
              >
                ${this.#media.audioMuted ? 'Unmute' : 'Mute'}
              </button>
              <button
                part="button camera-button"
                aria-pressed=${this.#media.videoMuted ? 'true' : 'false'}
                @click=${this.#onCameraClick}
              >
                ${this.#media.videoMuted ? 'Camera on' : 'Camera off'}
              </button>
            `
          : nothing}
        ${this.#joined && !inCall
          ? html`<button part="button leave-button" @click=${this.#onLeaveClick}>Leave</button>`
          : nothing}
      </div>
    `;
  }

  // Button handlers: arrow fields keep `this` bound.
  #onStartClick = () => void this.start();
  #onCallClick = () => void this.call().catch(() => {});
  #onHangUpClick = () => this.hangUp();
  #onLeaveClick = () => this.leave();
  #onMicClick = () => this.#media.setAudioMuted(!this.#media.audioMuted);
  #onCameraClick = () => this.#media.setVideoMuted(!this.#media.videoMuted);
}

/** A random session id (UUID where available: `crypto.randomUUID` needs a secure context). */
function randomSessionId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

if (!customElements.get('video-call')) customElements.define('video-call', VideoCall);

declare global {
  interface HTMLElementTagNameMap {
    'video-call': VideoCall;
  }
}
