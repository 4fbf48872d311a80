/**
 * A hand-driven {@link Clock} for node tests: time moves only in `advance()`, and due callbacks
 * run in time order (then in the order they were set), at their own time.
 */
import type { Clock } from '../../src/call/timers.js';

interface Pending {
  at: number;
  seq: number;
  callback: () => void;
}

export class FakeClock implements Clock {
  now = 0;
  #seq = 0;
  readonly #pending = new Map<number, Pending>();

  setTimeout(callback: () => void, ms: number): unknown {
    const seq = ++this.#seq;
    this.#pending.set(seq, { at: this.now + Math.max(0, ms), seq, callback });
    return seq;
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  /** How many callbacks are waiting. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Moves time forward by `ms`, running every callback that falls due, each at its own time. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const next = [...this.#pending.values()].filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.#pending.delete(next.seq);
      this.now = next.at;
      next.callback();
    }
    this.now = end;
  }
}
