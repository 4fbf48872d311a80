/**
 * Keyboard shortcuts of `<video-call>`: single keys (M microphone, V camera, H hang up by
 * default; the words catalog can change them), active only while focus is inside the element and
 * not in a text field, and never with Ctrl, Alt or Meta, so they do not clash with the page's
 * or the browser's own. The buttons announce them with `aria-keyshortcuts`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A shortcut: its key (a letter) and what it does; `run` returns false when it does not apply now. */
export interface Shortcut {
  key: string;
  run: () => boolean;
}

export class KeyboardShortcuts implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly shortcuts: () => Shortcut[],
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('keydown', this.#onKeyDown);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('keydown', this.#onKeyDown);
  }

  #onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.repeat || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
    if (typesText(event.composedPath()[0])) return;
    const pressed = event.key.toLowerCase();
    for (const { key, run } of this.shortcuts()) {
      const k = key.toLowerCase();
      // `code` too, so the letter works on non-Latin keyboard layouts.
      if ((pressed === k || event.code === `Key${k.toUpperCase()}`) && run()) {
        event.preventDefault();
        return;
      }
    }
  };
}

/** True for a target where keys type text: inputs (other than buttons and boxes), text areas, selects, editable content. */
function typesText(target: EventTarget | undefined): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'range', 'submit', 'reset'].includes(target.type);
}
