/**
 * `<video-call>`: a one-to-one video call any page can embed.
 *
 * The element composes three reactive controllers (media capture, signaling, peer connection),
 * keeps one explicit call state, and renders it: videos, a status line in words, and controls.
 */
import { html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import type { IceServer, PeerInfo, RelayedSignal } from '../../signal-service/src/protocol.js';
import { IN_CALL_STATES, STARTABLE_STATES, type CallState } from './call-state.js';
import { MediaController } from './controllers/media-controller.js';
import { PeerController } from './controllers/peer-controller.js';
import { SignalingController } from './controllers/signaling-controller.js';
import { VideoCallError } from './errors.js';
import { VideoCallErrorEvent, VideoCallPeerEvent, VideoCallStateChangeEvent } from './events.js';
import { styles } from './video-call.styles.js';

/** Same rule as the signal service: 1–64 characters of A–Z a–z 0–9 `_` `.` `-`. */
const ROOM_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** How long a call may stay in `calling` before it is given up as `call-failed`, in ms. */
const CONNECT_TIMEOUT_MS = 30_000;

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
  };

  /** Room to join (attribute `room`). */
  declare room: string;
  /** Origin of the signal service (attribute `signaling-url`); empty: the script's origin. */
  declare signalingUrl: string;
  /** Display name shown to the peer (attribute `name`). */
  declare name: string;
  /** `all` (default) or `relay` (attribute `ice-transport-policy`). */
  declare iceTransportPolicy: RTCIceTransportPolicy;

  #state: CallState = 'idle';
  #errorMessage = '';
  #peer: PeerInfo | null = null;
  #polite = false;
  #iceServers: Promise<IceServer[]> = Promise.resolve([]);
  /** Incremented by every start and teardown: async work from an older session stops. */
  #session = 0;
  /** Incoming signals are handled one at a time, in arrival order. */
  #signalQueue: Promise<void> = Promise.resolve();
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  #iceRefreshTimer: ReturnType<typeof setTimeout> | undefined;

  readonly #media = new MediaController(this);
  readonly #signaling = new SignalingController(this, {
    onPeerJoined: (peer) => this.#onPeerJoined(peer),
    onPeerLeft: (peer) => this.#onPeerLeft(peer),
    onSignal: (message) => {
      this.#signalQueue = this.#signalQueue.then(() => this.#onSignal(message));
    },
    onConnectionLost: () => this.#onConnectionLost(),
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
  }

  /** The current call state (read-only); see call-state.ts for the meaning of each. */
  get state(): CallState {
    return this.#state;
  }

  /** The other person in the room, or null. `name` is peer-supplied: render it as text. */
  get peer(): Readonly<PeerInfo> | null {
    return this.#peer;
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
    const session = this.#session;
    const room = (this.room ?? '').trim();
    try {
      if (!ROOM_PATTERN.test(room)) {
        throw new VideoCallError('missing-room', 'No valid room: set the room attribute (letters, digits, “_”, “.” or “-”).');
      }
      this.#setState('acquiring-media');
      const stream = await this.#media.start();
      if (session !== this.#session || !stream) return;

      this.#setState('joining');
      await this.#signaling.connect(this.signalingUrl || SCRIPT_ORIGIN);
      if (session !== this.#session) return;
      const joined = await this.#signaling.join(room, this.name ?? '');
      if (session !== this.#session) return;

      this.#polite = joined.polite;
      // Fetch ICE servers now, so that call() never waits on a token request.
      this.#iceServers = this.#fetchIceServers(session);
      const peer = joined.peers[0];
      if (peer) this.#onPeerJoined(peer);
      else this.#setState('waiting');
    } catch (error) {
      if (session === this.#session) this.#fail(error);
    }
  }

  /**
   * Calls the peer in the room. Resolves once the call is being set up; `vc-state-change` to
   * `connected` follows when media flows (or `error` with `call-failed`).
   * @throws DOMException `InvalidStateError` (as a rejection) unless the state is `ready` or `ended` with a peer present.
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
    if (!IN_CALL_STATES.includes(this.#state)) return;
    if (this.#peer) this.#signaling.send(this.#peer.id, { kind: 'hang-up' });
    this.#endCall();
    this.#setState('ended');
  }

  /** Hangs up if needed, leaves the room, turns the camera off: back to `idle`. Safe in any state. */
  leave(): void {
    if (IN_CALL_STATES.includes(this.#state)) this.hangUp();
    this.#teardown();
    this.#setState('idle');
  }

  /**
   * Restarts ICE in the current call (fresh candidates, same call), for example after the host
   * page learns that the network changed. Does nothing outside `calling` and `connected`.
   */
  restartIce(): void {
    if (IN_CALL_STATES.includes(this.#state)) this.#peerConnection.restartIce();
  }

  /** Statistics of the current call's RTCPeerConnection (W3C webrtc-stats), or null without a call. */
  getStats(): Promise<RTCStatsReport | null> {
    return this.#peerConnection.getStats();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#teardown();
    this.#state = 'idle';
  }

  // ---- state -------------------------------------------------------------------------------

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

  /** Closes the call, the signaling connection and the camera. Idempotent. */
  #teardown(): void {
    this.#session++;
    clearTimeout(this.#iceRefreshTimer);
    this.#endCall();
    this.#signaling.close();
    this.#media.stop();
    this.#peer = null;
    this.#signalQueue = Promise.resolve();
  }

  #endCall(): void {
    clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
    this.#peerConnection.close();
  }

  // ---- call set-up -------------------------------------------------------------------------

  /**
   * Asks the service for ICE servers. When they expire (`ttl`), schedules a refresh that applies
   * the new ones to the running call too, so an ICE restart late in a long call still has valid
   * TURN credentials.
   */
  async #fetchIceServers(session: number): Promise<IceServer[]> {
    try {
      const result = await this.#signaling.iceServers();
      if (session !== this.#session) return result.iceServers;
      if (result.degraded) {
        this.dispatchEvent(
          new VideoCallErrorEvent({
            code: 'ice-degraded',
            message: 'No relay server is available right now; the call may not connect on some networks.',
          }),
        );
      }
      if (result.ttl !== undefined) {
        this.#scheduleIceRefresh(session, Math.max(ICE_REFRESH_MIN_MS, result.ttl * 1000 * ICE_REFRESH_AT));
      }
      return result.iceServers;
    } catch {
      if (session === this.#session) this.#scheduleIceRefresh(session, ICE_REFRESH_MIN_MS * 2);
      return []; // host candidates still work on the same network
    }
  }

  #scheduleIceRefresh(session: number, delayMs: number): void {
    clearTimeout(this.#iceRefreshTimer);
    this.#iceRefreshTimer = setTimeout(async () => {
      if (session !== this.#session) return;
      const iceServers = await this.#fetchIceServers(session);
      if (session !== this.#session || iceServers.length === 0) return;
      this.#iceServers = Promise.resolve(iceServers);
      this.#peerConnection.setIceServers(iceServers);
    }, delayMs);
  }

  /** Moves to `calling` and creates the peer connection (idempotent within one call). */
  async #beginCall(): Promise<void> {
    if (this.#peerConnection.active) return;
    const session = this.#session;
    this.#setState('calling');
    const iceServers = await this.#iceServers;
    if (session !== this.#session || this.#state !== 'calling' || this.#peerConnection.active) return;
    this.#peerConnection.start({
      polite: this.#polite,
      iceServers,
      iceTransportPolicy: this.iceTransportPolicy === 'relay' ? 'relay' : 'all',
      localStream: this.#media.stream,
    });
    this.#connectTimer = setTimeout(() => {
      if (session === this.#session && this.#state === 'calling') {
        this.#fail(new VideoCallError('call-failed', 'The call could not connect. The network may be blocking it.'));
      }
    }, CONNECT_TIMEOUT_MS);
  }

  // ---- events from the controllers ---------------------------------------------------------

  #onPeerJoined(peer: PeerInfo): void {
    this.#peer = peer;
    this.dispatchEvent(new VideoCallPeerEvent('vc-peer-joined', { ...peer }));
    if (this.#state === 'waiting' || this.#state === 'joining') this.#setState('ready');
    else this.requestUpdate();
  }

  #onPeerLeft(peer: PeerInfo): void {
    if (peer.id !== this.#peer?.id) return;
    this.#peer = null;
    this.#endCall();
    this.dispatchEvent(new VideoCallPeerEvent('vc-peer-left', { ...peer }));
    this.#setState('waiting');
  }

  async #onSignal({ from, signal }: RelayedSignal): Promise<void> {
    if (from !== this.#peer?.id) return; // not from the member we know: stale or unexpected
    try {
      if (signal.kind === 'hang-up') {
        if (IN_CALL_STATES.includes(this.#state)) {
          this.#endCall();
          this.#setState('ended');
        }
        return;
      }
      if (signal.kind === 'description' && signal.description.type === 'offer' && !this.#peerConnection.active) {
        // The peer is calling us: answer with our own camera and microphone.
        if (!['ready', 'ended', 'calling'].includes(this.#state)) return;
        await this.#beginCall();
      }
      await this.#peerConnection.handleSignal(signal);
    } catch (error) {
      console.warn('[video-call] could not apply a signal from the peer', error);
    }
  }

  #onConnectionStateChange(state: RTCPeerConnectionState): void {
    if (state === 'connected' && this.#state === 'calling') {
      clearTimeout(this.#connectTimer);
      this.#setState('connected');
    } else if (state === 'failed' && IN_CALL_STATES.includes(this.#state)) {
      this.#fail(new VideoCallError('call-failed', 'The call’s connection failed.'));
    }
  }

  #onNoLocalCandidates(): void {
    if (!IN_CALL_STATES.includes(this.#state)) return;
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

  #onConnectionLost(): void {
    const error = new VideoCallError('signaling-lost', 'Lost the connection to the call service.');
    if (this.#state === 'connected') {
      // Media is peer to peer and keeps flowing; only signaling is gone.
      this.dispatchEvent(new VideoCallErrorEvent({ code: error.code, message: error.message }));
      return;
    }
    this.#fail(error);
  }

  // ---- rendering ---------------------------------------------------------------------------

  #statusText(): string {
    const room = this.room;
    const peerName = this.#peer?.name || 'The other person';
    switch (this.#state) {
      case 'idle':
        return 'Press Start to turn on your camera and join the call.';
      case 'acquiring-media':
        return 'Asking for your camera and microphone…';
      case 'joining':
        return `Joining room “${room}”…`;
      case 'waiting':
        return `Waiting for someone to join room “${room}”…`;
      case 'ready':
        return `${peerName} is here. Press Call to start.`;
      case 'calling':
        return `Connecting to ${this.#peer?.name || 'the other person'}…`;
      case 'connected':
        return `In a call with ${this.#peer?.name || 'the other person'}.`;
      case 'ended':
        return this.#peer ? 'Call ended. Press Call to call again.' : 'Call ended.';
      case 'full':
        return `Room “${room}” is full: a call there already has two people.`;
      case 'error':
        return this.#errorMessage || 'Something went wrong.';
    }
  }

  #placeholderText(): string {
    switch (this.#state) {
      case 'idle':
        return 'Camera is off';
      case 'acquiring-media':
      case 'joining':
        return 'Starting…';
      case 'waiting':
        return 'Nobody else is here yet';
      case 'ready':
      case 'ended':
        return this.#peer?.name || 'Someone is here';
      case 'calling':
        return 'Connecting…';
      case 'full':
        return 'Room full';
      case 'error':
        return 'Not connected';
      case 'connected':
        return '';
    }
  }

  override render() {
    const state = this.#state;
    const localStream = this.#media.stream;
    const remoteStream = state === 'connected' || state === 'calling' ? this.#peerConnection.remoteStream : null;
    const showRemote = state === 'connected' && remoteStream !== null;
    const inRoom = state === 'waiting' || state === 'ready' || state === 'ended';
    const inCall = IN_CALL_STATES.includes(state);
    const canCall = inRoom && this.#peer !== null;
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
        <div part="placeholder" class="placeholder" ?hidden=${showRemote}>${this.#placeholderText()}</div>
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
      <p part="status" class="status" role="status" aria-live="polite" data-state=${state}>${this.#statusText()}</p>
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
        ${inRoom ? html`<button part="button leave-button" @click=${this.#onLeaveClick}>Leave</button>` : nothing}
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

if (!customElements.get('video-call')) customElements.define('video-call', VideoCall);

declare global {
  interface HTMLElementTagNameMap {
    'video-call': VideoCall;
  }
}
