/**
 * `<video-call>`: a video call any page can embed: one to one, or a group of up to six in a full
 * mesh (as many as the room holds).
 *
 * A thin shell: the call's life (start, call, accept, hang up, leave) and rendering; the in-call
 * API is its base class VideoCallInCall (video-call.in-call-api.ts), the settings and styles
 * VideoCallAttributes (video-call.attributes.ts). The room's and calls' logic is a pure
 * state machine (call/room-machine.ts); the CallController feeds it what happens and carries out
 * what it decides, with one reactive controller per concern (controllers/). The template is a
 * pure function of a view model (video-call.view-model.ts).
 *
 * The call engine (the machine, the controllers and socket.io-client) is a separate chunk that
 * `start()` loads: a page that shows the widget but never starts a call downloads only the
 * element. The chunk comes from beside this module, while the camera prompt is up.
 */
import type { PropertyValues } from 'lit';
import type { CallState } from './call/call-state.js';
import { initialContext, type RoomContext } from './call/room-context.js';
import { callState, canCall, canStart } from './call/room-state.js';
import type { CallController } from './controllers/call-controller.js';
import { newId, VideoCallInCall } from './video-call.in-call-api.js';
import { defaultSignalingUrl } from './signaling-default.js';
import { renderCall, type CallActions } from './video-call.view.js';
import { callView, type CallView } from './video-call.view-model.js';
import { announcedView } from './a11y/announcements.js';
import { act, callShortcuts, pickDevice, sendFromPanel } from './video-call.actions.js';
import { AnnouncerController } from './a11y/announcer-controller.js';
import { FocusKeeper } from './a11y/focus-keeper.js';
import { KeyboardShortcuts } from './a11y/keyboard-shortcuts.js';
import type { MessageKey, MessageParams } from './i18n/messages.js';

/** Before `start()`: nothing under way. */
const IDLE = initialContext();
/** The longest a render waits for a new leg's first offer to go out (ms; see `scheduleUpdate`). */
const OFFER_FIRST_MS = 150;

// Its parts and custom properties are documented on VideoCallAttributes (video-call.attributes.ts),
// where its styles are declared; the manifest lists them here (inherited).
/**
 * A peer-to-peer video call in one element.
 *
 * @element video-call
 *
 * @attr {string} room - Room to join (required): 1–64 characters of `A–Z a–z 0–9 _ . -`. The people in the same room can call each other (two by default; the service's `ROOM_CAPACITY` or the room's ticket may allow up to six).
 * @attr {string} signaling-url - Origin of the signal service, e.g. `https://call.example.com`. Default: `<meta name="video-call-signaling-url" content="…">` in the page, else (script-tag build only) the origin that served the script; without either, `start()` fails with `missing-signaling-url`.
 * @attr {string} name - Display name shown to the other person (at most 64 characters).
 * @attr {'all'|'relay'} ice-transport-policy - `relay` sends media through a TURN relay only (hides IP addresses from the peer). Default `all`.
 * @attr {string} ticket - Room ticket: a JWT (HS256) from the host site's backend with claims `room`, `exp`, optional `name`; required when the service has ROOM_TICKET_SECRET.
 * @attr {boolean} auto-answer - Accept incoming calls at once, without ringing (kiosks, support desks). Off by default.
 * @attr {number} ring-timeout - Seconds an unanswered call rings before it ends as `no-answer`. Default 30.
 *
 * @fires {VideoCallStateChangeEvent} vc-state-change - `detail: { state, previous }` on every state change.
 * @fires {VideoCallIncomingEvent} vc-incoming-call - `detail: { id, name }` (who rings) when someone calls: the widget rings.
 * @fires {VideoCallEndedEvent} vc-call-ended - `detail: { reason }` when our part in a call ends (we leave it, or we are the last in it): `hang-up`, `remote-hang-up`, `declined`, `cancelled`, `no-answer`, `peer-left` or `failed`.
 * @fires {VideoCallErrorEvent} vc-error - `detail: { code, message }` when something fails (codes in errors.ts and the README).
 * @fires {VideoCallPeerEvent} vc-peer-joined - `detail: { id, name }` when a member enters the room (once per member).
 * @fires {VideoCallPeerEvent} vc-peer-left - `detail: { id, name }` when a member leaves the room or is gone.
 * @fires {VideoCallPeerChangeEvent} vc-peer-change - `detail: { peer }` when anything of `peer` changes (who, microphone, camera, screen).
 * @fires {VideoCallParticipantsChangeEvent} vc-participants-change - `detail: { participants }` when anything of `participants` changes (who is there, who is in the call, their media, who speaks).
 * @fires {VideoCallMessageEvent} vc-message - `detail: { id, from: { id, name }, text, sentAt }` for each chat message sent or received.
 * @fires {VideoCallQualityChangeEvent} vc-quality-change - `detail: { level, roundTripTimeMs, packetLossPercent, availableOutgoingKbps, framesPerSecond }`.
 */
export class VideoCall extends VideoCallInCall {
  /** The call engine, once `start()` has loaded it. */
  #call: CallController | null = null;
  #loading: Promise<CallController> | null = null;
  /** Bumped by `start()` and `leave()`: a start still loading the engine gives way to a later call. */
  #startRun = 0;

  /** The call state (read-only); see call/call-state.ts and the README for each. */
  get state(): CallState {
    return callState(this.#context);
  }

  protected override get callEngine(): CallController | null {
    return this.#call;
  }

  get #context(): RoomContext {
    return this.#call?.context ?? IDLE;
  }

  /**
   * Turns on camera and microphone (your preview), connects to the signal service and joins the
   * room. Resolves when that is done or has failed; failures never reject but end in `error`
   * (or `full`) with a `vc-error`.
   * @throws DOMException `InvalidStateError` (as a rejection) unless the state is `idle`, `full` or `error`.
   */
  async start(): Promise<void> {
    if (!canStart(this.#context)) {
      throw new DOMException(`start() cannot be used in state "${this.state}"`, 'InvalidStateError');
    }
    const run = ++this.#startRun;
    const call = await this.loadEngine();
    // Left (or removed from the page) while the engine was loading: nothing to start.
    if (run !== this.#startRun || !this.isConnected) return;
    this.#configure();
    call.dispatch({ type: 'start', room: (this.room ?? '').trim() });
    while (this.state === 'acquiring-media' || this.state === 'joining') {
      await new Promise((resolve) => this.addEventListener('vc-state-change', resolve, { once: true }));
    }
  }

  /**
   * Calls everyone in the room: their widgets ring (`calling` here, `incoming` there), each
   * accepts or declines on their own, and the call starts with the first who accepts. While a
   * call already runs in the room, joins it instead (the Call button reads Join): a leg to every
   * participant, nobody rings. Legs are set up meanwhile; camera and microphone flow to each
   * once both are in the call. Resolves at once; `vc-call-ended` follows if nobody answers.
   * @throws DOMException `InvalidStateError` (as a rejection) unless someone is in the room and we are in no call.
   */
  call(): Promise<void> {
    if (!this.#call || !canCall(this.#call.context)) {
      return Promise.reject(
        new DOMException(`call() needs someone in the room and no call (state is "${this.state}")`, 'InvalidStateError'),
      );
    }
    this.#configure();
    this.#call.dispatch({ type: 'call', callId: newId() });
    return Promise.resolve();
  }

  /** Accepts the call that rings (`incoming`): camera and microphone are sent from now on. Does nothing in other states. */
  accept(): void {
    this.#call?.dispatch({ type: 'accept' });
  }

  /** Declines the call that rings (`incoming`); the caller is told. Does nothing in other states. */
  decline(): void {
    this.#call?.dispatch({ type: 'decline' });
  }

  /**
   * Leaves the call and tells the others (who go on while two or more remain); also cancels our
   * call while it rings, and declines one that rings for us. Camera and microphone are released;
   * we stay in the room (`ended`) and may join again. Does nothing without a call.
   */
  hangUp(): void {
    this.#call?.dispatch({ type: 'hang-up' });
  }

  /** Hangs up if needed, leaves the room, turns the camera off: back to `idle`. Safe in any state. */
  leave(): void {
    this.#startRun++;
    this.#call?.dispatch({ type: 'leave' });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pagehide', this.#onPageHide);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback(); // the call controller leaves the room (hostDisconnected)
    window.removeEventListener('pagehide', this.#onPageHide);
    this.#startRun++;
  }

  /**
   * While a new leg's first offer is being made (`call()`, or joining a call), the render waits
   * until the offer is out, at most {@link OFFER_FIRST_MS} ms: the offer's continuation would
   * otherwise wait for the render on the main thread. (Lit's ReactiveElement.scheduleUpdate.)
   */
  protected override async scheduleUpdate(): Promise<void> {
    const offers = this.#call?.legs.offersSent();
    if (offers) await Promise.race([offers, new Promise((resolve) => setTimeout(resolve, OFFER_FIRST_MS))]);
    return super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('autoAnswer') || changed.has('ringTimeout') || changed.has('iceTransportPolicy')) this.#configure();
  }

  /** Loads the call engine once (a chunk beside this module) and wires it to this element. */
  protected override async loadEngine(): Promise<CallController> {
    this.#loading ??= import('./controllers/call-controller.js').then(({ CallController }) => {
      this.#call = new CallController(this, () => ({
        signalingUrl: this.signalingUrl || defaultSignalingUrl(),
        name: this.name ?? '',
        ticket: this.ticket ?? '',
        iceTransportPolicy: this.iceTransportPolicy,
      }));
      // Camera access allowed in the site settings after a denial: the retry needs no reload.
      this.#call.retry = () => void this.start().catch(() => {});
      return this.#call;
    });
    return this.#loading;
  }

  #configure(): void {
    const seconds = Number(this.ringTimeout);
    this.#call?.dispatch({
      type: 'configure',
      autoAnswer: this.autoAnswer === true,
      ringTimeoutMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 30_000,
      relayOnly: this.iceTransportPolicy === 'relay',
    });
  }

  /** Leaving the page (tab closed, navigation): leave on purpose, so the peer learns at once. */
  #onPageHide = () => this.leave();

  #t = (key: MessageKey, params?: MessageParams) => this.i18n.t(key, params);
  /** The view of the last render (the live regions compare it with the next). */
  #view: CallView | null = null;
  #announcer = new AnnouncerController(this, () => announcedView(this.#viewNow()), this.#t);
  #actions: CallActions = {
    act: (action) => act(this, this.#call, action),
    pickDevice: (kind, deviceId) => pickDevice(this, kind, deviceId),
    sendChat: (text) => sendFromPanel(this, text),
  };

  constructor() {
    super();
    // Controllers that only react to the element's updates and keys: nothing else holds them.
    new FocusKeeper(this);
    new KeyboardShortcuts(this, () => callShortcuts(this, this.#call, this.#t));
  }

  /** The view model now (video-call.view-model.ts). */
  #viewNow(): CallView {
    this.#view = callView(this.#context, this.#call, this.#t, this.i18n.lang);
    return this.#view;
  }

  override render() {
    return renderCall(this.#view ?? this.#viewNow(), this.#actions, this.#t, this.#announcer);
  }

  protected override updated(): void {
    this.#view = null;
    const call = this.#call;
    if (!call) return;
    // The microphone meter runs while the pickers show; the chosen speaker plays every participant.
    call.devices.meter(!!this.renderRoot.querySelector('[part~="mic-level"]'), call.media.stream);
    call.devices.adopt(this.remoteMedia());
  }
}

// Defined only where there is a registry: importing the module during server-side rendering (Node,
// no DOM) does not throw. A second copy of the module keeps the first definition.
if (typeof customElements !== 'undefined' && !customElements.get('video-call')) customElements.define('video-call', VideoCall);

declare global {
  interface HTMLElementTagNameMap {
    'video-call': VideoCall;
  }
}
