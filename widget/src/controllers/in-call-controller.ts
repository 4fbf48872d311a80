/**
 * What the two people do in a call besides talking: turning the microphone or camera off (the
 * other side is told over the call's data channel), chatting, and sharing a screen.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Signal } from 'video-call-protocol';
import { encodeDataChannelMessage, isSendableChat, type ChatMessage } from 'video-call-protocol';
import { VideoCallMessageEvent } from '../events.js';
import { ChatController } from './chat-controller.js';
import type { MediaController } from './media-controller.js';
import type { PeerController } from './peer-controller.js';
import { ScreenShareController } from './screen-share-controller.js';

export interface InCallDeps {
  media: MediaController;
  peer: PeerController;
  /** True while a call both people accepted is under way. */
  accepted(): boolean;
  /** Sends `signal` to the other member through the service; false when nobody is reachable. */
  relay(signal: Signal): boolean;
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

  /** Turns our microphone (`audio`) or camera (`video`) on or off, and tells the other side. */
  setEnabled(kind: 'audio' | 'video', enabled: boolean): void {
    if (kind === 'audio') this.#deps.media.setAudioMuted(!enabled);
    else this.#deps.media.setVideoMuted(!enabled);
    this.sendMediaState();
  }

  /** Tells the other side our microphone, camera and screen state (on every change, and when the channel opens). */
  sendMediaState(): void {
    const { media, peer } = this.#deps;
    peer.sendOnChannel(
      encodeDataChannelMessage({
        t: 'media',
        microphoneEnabled: !media.audioMuted,
        cameraEnabled: !media.videoMuted,
        screenSharing: this.screen.stream !== null,
      }),
    );
  }

  /**
   * Sends a chat message to the other person: over the call's data channel while a call is
   * connected (end to end), otherwise through the service's room relay.
   * @throws DOMException `InvalidStateError` when nobody is there to read it, `SyntaxError` for an
   *   empty or too long text (1–2000 characters).
   */
  sendChat(text: string, id: string): void {
    if (!isSendableChat(text)) throw new DOMException('A message has 1–2000 characters.', 'SyntaxError');
    const message = { id, text, sentAt: Date.now() };
    const sent =
      this.#deps.peer.sendOnChannel(encodeDataChannelMessage({ t: 'chat', ...message })) || this.#deps.relay({ kind: 'chat', ...message });
    if (!sent) throw new DOMException('Nobody is in the room to read the message.', 'InvalidStateError');
    this.#add({ id: 'self', name: '' }, message, true);
  }

  /** A chat message from the other person (already checked by the machine: from the partner, in a call). */
  received(from: { id: string; name: string }, message: ChatMessage): void {
    this.#add(from, message, false);
  }

  /**
   * Shares a screen in the current call: the other side shows it large. The call's first share
   * adds the screen's transceivers (one renegotiation); later ones reuse them.
   * @throws DOMException `InvalidStateError` without an accepted call; `NotAllowedError` when the
   *   person cancels; `NotSupportedError` where the browser cannot share.
   */
  async shareScreen(): Promise<void> {
    if (!this.#deps.accepted()) throw new DOMException('A screen can be shared during a call.', 'InvalidStateError');
    const stream = await this.screen.start(() => this.stopScreenShare());
    if (!this.#deps.accepted()) return this.stopScreenShare(); // the call ended meanwhile
    this.#deps.peer.shareScreen(stream);
    this.sendMediaState();
  }

  /** Stops sharing the screen (also when the call ends, or from the browser's own bar). */
  stopScreenShare(): void {
    if (!this.screen.stream) return;
    this.screen.stop();
    this.#deps.peer.shareScreen(null);
    this.sendMediaState();
  }

  #add(from: { id: string; name: string }, message: ChatMessage, mine: boolean): void {
    this.chat.add({ ...message, from, mine });
    this.#host.dispatchEvent(new VideoCallMessageEvent({ ...message, from }));
  }
}
