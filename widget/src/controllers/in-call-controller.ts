/**
 * What the participants do in a call besides talking: turning the microphone or camera off (the
 * others are told over each leg's data channel), chatting, and sharing a screen.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Signal } from 'video-call-protocol';
import { encodeDataChannelMessage, isSendableChat, type ChatMessage } from 'video-call-protocol';
import { VideoCallMessageEvent } from '../events.js';
import { ChatController } from './chat-controller.js';
import type { MediaController } from './media-controller.js';
import type { LegSet } from './leg-set.js';
import { ScreenShareController } from './screen-share-controller.js';

export interface InCallDeps {
  media: MediaController;
  legs: LegSet;
  /** True while we are in a call with at least one participant. */
  accepted(): boolean;
  /**
   * Sends `signal` through the service to every member present whose `peerId` is not in
   * `reached` (no open data channel joins us); returns how many it was sent to.
   */
  relay(signal: Signal, reached: readonly string[]): number;
}

/** Reactive controller for media state, chat and screen share of the current call. */
export class InCallController implements ReactiveController {
  readonly chat: ChatController;
  readonly screen: ScreenShareController;

  readonly #host: ReactiveControllerHost & EventTarget;
  readonly #deps: InCallDeps;
  /** The accepted call the chat belongs to. */
  #call = '';

  constructor(host: ReactiveControllerHost & EventTarget, deps: InCallDeps) {
    this.#host = host;
    this.#deps = deps;
    host.addController(this);
    this.chat = new ChatController(host);
    this.screen = new ScreenShareController(host);
  }

  hostDisconnected(): void {
    this.stopScreenShare();
  }

  /**
   * Follows the call: `callId` of the accepted call, or null without one. A new call starts with
   * an empty chat (the last one's stays readable until then); a share ends with its call.
   */
  follow(callId: string | null): void {
    if (callId === null) this.stopScreenShare();
    else if (callId !== this.#call) {
      this.#call = callId;
      this.chat.clear();
    }
  }

  /** Turns our microphone (`audio`) or camera (`video`) on or off, and tells the participants. */
  setEnabled(kind: 'audio' | 'video', enabled: boolean): void {
    if (kind === 'audio') this.#deps.media.setAudioMuted(!enabled);
    else this.#deps.media.setVideoMuted(!enabled);
    this.sendMediaState();
  }

  /** Our microphone, camera and screen state, as a data-channel message. */
  get mediaState(): string {
    const { media } = this.#deps;
    return encodeDataChannelMessage({
      t: 'media',
      microphoneEnabled: !media.audioMuted,
      cameraEnabled: !media.videoMuted,
      screenSharing: this.screen.stream !== null,
    });
  }

  /** Tells every participant our microphone, camera and screen state (on every change; a new leg hears it when its channel opens). */
  sendMediaState(): void {
    this.#deps.legs.sendToAll(this.mediaState);
  }

  /**
   * Sends a chat message to everyone in the room: over each leg's data channel to the
   * participants of our call (end to end), through the service's room relay to the others.
   * @throws DOMException `InvalidStateError` when nobody is there to read it, `SyntaxError` for an
   *   empty or too long text (1–2000 characters).
   */
  sendChat(text: string, id: string): void {
    if (!isSendableChat(text)) throw new DOMException('A message has 1–2000 characters.', 'SyntaxError');
    const message = { id, text, sentAt: Date.now() };
    const reached = this.#deps.legs.sendToAll(encodeDataChannelMessage({ t: 'chat', ...message }));
    const relayed = this.#deps.relay({ kind: 'chat', ...message }, reached);
    if (reached.length + relayed === 0) throw new DOMException('Nobody is in the room to read the message.', 'InvalidStateError');
    this.#add({ id: 'self', name: '' }, message, true);
  }

  /** A chat message from a member (already checked by the machine: from a member, over a leg or the relay). */
  received(from: { id: string; name: string }, message: ChatMessage): void {
    this.#add(from, message, false);
  }

  /**
   * Shares a screen in the current call: every participant shows it large. The call's first share
   * adds the screen's transceivers (one renegotiation); later ones reuse them.
   * @throws DOMException `InvalidStateError` without an accepted call; `NotAllowedError` when the
   *   person cancels; `NotSupportedError` where the browser cannot share.
   */
  async shareScreen(): Promise<void> {
    if (!this.#deps.accepted()) throw new DOMException('A screen can be shared during a call.', 'InvalidStateError');
    const stream = await this.screen.start(() => this.stopScreenShare());
    if (!this.#deps.accepted()) return this.stopScreenShare(); // the call ended meanwhile
    this.#deps.legs.shareScreen(stream);
    this.sendMediaState();
  }

  /** Stops sharing the screen (also when the call ends, or from the browser's own bar). */
  stopScreenShare(): void {
    if (!this.screen.stream) return;
    this.screen.stop();
    this.#deps.legs.shareScreen(null);
    this.sendMediaState();
  }

  #add(from: { id: string; name: string }, message: ChatMessage, mine: boolean): void {
    this.chat.add({ ...message, from, mine });
    this.#host.dispatchEvent(new VideoCallMessageEvent({ ...message, from }));
  }
}
