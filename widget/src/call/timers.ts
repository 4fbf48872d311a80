/**
 * Named one-shot timers for the room machine's `start-timer` / `cancel-timer` effects, on an
 * injectable clock so that node tests drive time by hand.
 */

/** The two calls of `setTimeout` the timers need (a fake clock implements them in tests). */
export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The browser's (or node's) own timers. */
export const realClock: Clock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** At most one pending timer per name; starting one again replaces it. */
export class Timers<Name extends string> {
  readonly #pending = new Map<Name, unknown>();

  /**
   * @param fire called with the timer's name when it expires
   * @param clock where time comes from; default {@link realClock}
   */
  constructor(
    private readonly fire: (name: Name) => void,
    private readonly clock: Clock = realClock,
  ) {}

  /** Starts (or restarts) timer `name` to fire once after `ms` milliseconds. */
  start(name: Name, ms: number): void {
    this.cancel(name);
    this.#pending.set(
      name,
      this.clock.setTimeout(() => {
        this.#pending.delete(name);
        this.fire(name);
      }, ms),
    );
  }

  /** Cancels timer `name` if it is pending. */
  cancel(name: Name): void {
    if (!this.#pending.has(name)) return;
    this.clock.clearTimeout(this.#pending.get(name));
    this.#pending.delete(name);
  }

  /** Cancels every pending timer. */
  cancelAll(): void {
    for (const name of [...this.#pending.keys()]) this.cancel(name);
  }

  /** True while timer `name` is pending. */
  has(name: Name): boolean {
    return this.#pending.has(name);
  }
}

/**
 * The room machine's timers: one per name and leg (the member's `peerId`), on a {@link Clock}.
 * Starting one again replaces it; the legs' timers are independent of each other.
 */
export class LegTimers<Name extends string> {
  readonly #timers: Timers<string>;

  /**
   * @param fire called with the timer's name and leg when it expires
   * @param clock where time comes from; default {@link realClock}
   */
  constructor(fire: (name: Name, peerId: string) => void, clock: Clock = realClock) {
    this.#timers = new Timers<string>((key) => {
      const at = key.indexOf(' ');
      fire(key.slice(0, at) as Name, key.slice(at + 1));
    }, clock);
  }

  /** Starts (or restarts) timer `name` of leg `peerId`, to fire once after `ms` milliseconds. */
  start(name: Name, peerId: string, ms: number): void {
    this.#timers.start(`${name} ${peerId}`, ms);
  }

  /** Cancels timer `name` of leg `peerId` if it is pending. */
  cancel(name: Name, peerId: string): void {
    this.#timers.cancel(`${name} ${peerId}`);
  }

  /** True while timer `name` of leg `peerId` is pending. */
  has(name: Name, peerId: string): boolean {
    return this.#timers.has(`${name} ${peerId}`);
  }

  /** Cancels every pending timer of every leg. */
  cancelAll(): void {
    this.#timers.cancelAll();
  }
}
