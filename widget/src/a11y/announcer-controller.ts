/**
 * Keeps the texts of `<video-call>`'s two live regions (part `announcer`): what changed about the
 * others since the last render (a11y/announcements.ts; a new speaker at most every 10 s), and
 * the `vc-error` messages, which interrupt. The regions are always in the DOM, so screen
 * readers track them from the start.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MessageKey, MessageParams } from '../i18n/messages.js';
import { announce, SPEAKER_ANNOUNCE_MS, type AnnouncedView } from './announcements.js';

/** How long a text stays in its region before it is cleared, ms (so the same words can be said again). */
const CLEAR_AFTER_MS = 7000;

export class AnnouncerController implements ReactiveController {
  /** Text of the polite region. */
  polite = '';
  /** Text of the assertive region. */
  assertive = '';
  #prev: AnnouncedView | null = null;
  /** When the speaker was last said (performance.now() ms). */
  #speakerSaidAt = -Infinity;
  #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly view: () => AnnouncedView,
    private readonly t: (key: MessageKey, params?: MessageParams) => string,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('vc-error', this.#onError);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('vc-error', this.#onError);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Before each render: diff the view with the last one. */
  hostUpdate(): void {
    const next = this.view();
    if (this.#prev) {
      const { polite, assertive, speaker } = announce(this.#prev, next, this.t);
      const now = performance.now();
      if (speaker && now - this.#speakerSaidAt >= SPEAKER_ANNOUNCE_MS) {
        polite.push(speaker);
        this.#speakerSaidAt = now;
      }
      const separator = this.t('listSeparator');
      if (polite.length) this.#say('polite', polite.join(separator));
      if (assertive.length) this.#say('assertive', assertive.join(separator));
    }
    this.#prev = next;
  }

  #onError = (event: Event) => {
    const message = (event as CustomEvent<{ message?: string }>).detail?.message;
    if (message) {
      this.#say('assertive', message);
      this.host.requestUpdate();
    }
  };

  #say(region: 'polite' | 'assertive', text: string): void {
    // Same words twice in a row would not be announced again: a zero-width space makes them new.
    this[region] = this[region] === text ? `${text}\u200b` : text;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this[region].startsWith(text)) {
        this[region] = '';
        this.host.requestUpdate();
      }
    }, CLEAR_AFTER_MS);
    this.#timers.add(timer);
  }
}
