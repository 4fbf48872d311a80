/**
 * The words of one `<video-call>` in its language: a Lit reactive controller that resolves the
 * language (language.ts), follows its changes, loads the catalog (catalogs.ts) and merges the
 * host page's overrides (the element's `strings`). English shows until a catalog has arrived.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { loadedMessages, loadMessages } from './catalogs.js';
import { en } from './en.js';
import { enclosingShadowRoots, languageOf, type Language } from './language.js';
import { format, type MessageKey, type MessageParams, type Messages } from './messages.js';

/** A host page's own words for some keys (the element's `strings`). */
export type MessageOverrides = Partial<Record<MessageKey, string>>;

const LANG_CHANGES: MutationObserverInit = { attributes: true, attributeFilter: ['lang'], subtree: true };

/**
 * `catalog` with the valid entries of `overrides` (own keys of the catalog with string values)
 * in place of its own; anything else in `overrides` is ignored with a console warning.
 */
export function mergeOverrides(catalog: Messages, overrides: unknown): Messages {
  if (overrides == null) return catalog;
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    console.warn('[video-call] `strings` must be an object of message keys to strings; ignored.');
    return catalog;
  }
  const merged: Messages = { ...catalog };
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    if (Object.hasOwn(en, key) && typeof value === 'string') merged[key as MessageKey] = value;
    else ignored.push(key);
  }
  if (ignored.length > 0) console.warn(`[video-call] \`strings\`: unknown keys or non-string values ignored: ${ignored.join(', ')}`);
  return merged;
}

/**
 * Reactive controller giving its host the words in the host's language.
 *
 * The language is the first non-empty `lang` on the element or an ancestor (through shadow
 * roots), else the document's, else the browser's (language.ts). It is re-read when any `lang`
 * attribute in the document, or in a shadow root around the element, changes, and on the
 * window's `languagechange`; the host re-renders when the words change.
 */
export class LocalizeController implements ReactiveController {
  /** The language of the words shown now: English until the wanted catalog has arrived. */
  lang: Language = 'en';
  /** The language the element's context asks for (shown once its catalog is loaded). */
  wanted: Language = 'en';

  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #overrides: () => unknown;
  #catalog: Messages = en;
  #merged: { catalog: Messages; overrides: unknown; messages: Messages } | null = null;
  #observer: MutationObserver | null = null;
  /** The wanted catalog while it loads, else null. */
  #pending: Promise<unknown> | null = null;

  /** `overrides` returns the host page's words (the element's `strings`), read at each use. */
  constructor(host: ReactiveControllerHost & HTMLElement, overrides: () => unknown = () => undefined) {
    this.#host = host;
    this.#overrides = overrides;
    host.addController(this);
  }

  /** The catalog of {@link lang} with the host page's overrides. */
  get messages(): Messages {
    const overrides = this.#overrides();
    const cached = this.#merged;
    if (cached && cached.catalog === this.#catalog && cached.overrides === overrides) return cached.messages;
    const messages = mergeOverrides(this.#catalog, overrides);
    this.#merged = { catalog: this.#catalog, overrides, messages };
    return messages;
  }

  /** Message `key` with its `{params}` filled in, numbers written for {@link lang} (a `Translate`: may be passed unbound). */
  t = (key: MessageKey, params?: MessageParams): string => format(this.messages[key], params, this.lang);

  hostConnected(): void {
    this.#observer = new MutationObserver(this.#follow);
    this.#observer.observe(this.#host.ownerDocument.documentElement, LANG_CHANGES);
    for (const root of enclosingShadowRoots(this.#host)) this.#observer.observe(root, LANG_CHANGES);
    window.addEventListener('languagechange', this.#follow);
    this.#follow();
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    window.removeEventListener('languagechange', this.#follow);
  }

  /** Re-reads the language; shows its catalog now if loaded, else once it arrives. */
  #follow = (): void => {
    const lang = languageOf(this.#host);
    if (lang === this.wanted && lang === this.lang) return;
    this.wanted = lang;
    const ready = loadedMessages(lang);
    if (ready) return this.#show(lang, ready);
    const pending = loadMessages(lang).then(
      (messages) => {
        if (this.wanted === lang) this.#show(lang, messages);
      },
      (error: unknown) => console.warn(`[video-call] the "${lang}" words could not be loaded; English stays.`, error),
    );
    this.#pending = pending;
    void pending.finally(() => {
      if (this.#pending === pending) this.#pending = null;
    });
  };

  /**
   * Resolves when the words of the wanted language are shown (or could not be loaded), waiting at
   * most `maxMs` ms: the element's first render waits for it, so a French page never flashes
   * English at a screen reader. Resolves at once when nothing is loading.
   */
  settled(maxMs = 1000): Promise<void> {
    const pending = this.#pending;
    if (!pending) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      void pending.finally(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #show(lang: Language, messages: Messages): void {
    if (lang === this.lang && messages === this.#catalog) return;
    this.lang = lang;
    this.#catalog = messages;
    this.#host.requestUpdate();
  }
}
