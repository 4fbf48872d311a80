/**
 * How long the current call has lasted, from the moment its media first flowed; re-rendered
 * once a second while it runs.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Reactive controller counting the call's duration (see the file comment). */
export class CallTimerController implements ReactiveController {
  /** When the call's media first flowed (ms since the epoch), or null without a call. */
  startedAt: number | null = null;

  readonly #host: ReactiveControllerHost;
  #tick: ReturnType<typeof setInterval> | undefined;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.run(false);
  }

  /** Starts counting (once per call: a running timer keeps its start), or stops and forgets. */
  run(on: boolean): void {
    if (on === (this.startedAt !== null)) return;
    clearInterval(this.#tick);
    this.startedAt = on ? Date.now() : null;
    if (on) this.#tick = setInterval(() => this.#host.requestUpdate(), 1000);
    this.#host.requestUpdate();
  }

  /** The duration as `m:ss` (or `h:mm:ss`), or '' without a call. */
  get text(): string {
    if (this.startedAt === null) return '';
    const seconds = Math.floor((Date.now() - this.startedAt) / 1000);
    const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
    const two = (n: number) => String(n).padStart(2, '0');
    return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
  }
}
