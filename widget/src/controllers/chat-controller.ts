/**
 * The chat of a call: the messages sent and received (kept for the call, the oldest dropped past
 * {@link MAX_KEPT_MESSAGES}), whether the panel is open, and how many arrived unseen.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatMessage } from 'video-call-protocol';

/** Messages kept for the panel; older ones are dropped. */
const MAX_KEPT_MESSAGES = 500;

/** One message of the chat, as the panel shows it. `from.name` and `text` are peer-supplied: render as text. */
export interface ChatEntry extends ChatMessage {
  from: { id: string; name: string };
  /** Sent by this side. */
  mine: boolean;
}

/** Reactive controller holding the call's chat (see the file comment). */
export class ChatController implements ReactiveController {
  /** Oldest first. */
  messages: ChatEntry[] = [];
  /** Received while the panel was closed. */
  unread = 0;
  /** The chat panel is open. */
  open = false;

  readonly #host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.clear();
  }

  /** Adds a message sent or received. */
  add(entry: ChatEntry): void {
    this.messages = [...this.messages.slice(-(MAX_KEPT_MESSAGES - 1)), entry];
    if (!entry.mine && !this.open) this.unread++;
    this.#host.requestUpdate();
  }

  /** Opens or closes the panel; opening marks everything read. */
  setOpen(open: boolean): void {
    this.open = open;
    if (open) this.unread = 0;
    this.#host.requestUpdate();
  }

  /** Forgets the chat (a new call starts, or the element leaves the page). */
  clear(): void {
    this.messages = [];
    this.unread = 0;
    this.#host.requestUpdate();
  }
}
