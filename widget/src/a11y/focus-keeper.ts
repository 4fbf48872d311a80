/**
 * Keeps keyboard focus inside `<video-call>` when the focused control disappears (Start once
 * pressed, Call, Accept, Hang up…): it moves to the first enabled button of the controls, or,
 * while there is none (the camera is starting), to the controls group until one appears.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class FocusKeeper implements ReactiveController {
  #focused: Element | null = null;
  /** Focus was parked on the controls group, waiting for a button. */
  #parked = false;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostUpdate(): void {
    this.#focused = this.host.shadowRoot?.activeElement ?? null;
  }

  hostUpdated(): void {
    const root = this.host.shadowRoot;
    if (!root) return;
    const controls = root.querySelector<HTMLElement>('[part~="controls"]');
    const lost = this.#focused !== null && (!this.#focused.isConnected || (this.#focused as HTMLButtonElement).disabled === true);
    const parked = this.#parked && root.activeElement === controls;
    this.#focused = null;
    if (!lost && !parked) {
      this.#parked = false;
      return;
    }
    const target = controls?.querySelector<HTMLElement>('button:not(:disabled)') ?? null;
    this.#parked = target === null;
    if (target) target.focus({ preventScroll: true });
    else if (controls && root.activeElement !== controls) {
      controls.tabIndex = -1;
      controls.focus({ preventScroll: true });
    }
  }
}
