/**
 * The operations of one RTCPeerConnection, chained so that they run one at a time in the order
 * they were asked for (an answer never overtakes the offer it answers), and dropped once the
 * connection they were asked for is closed.
 *
 * Operations on a connection closed while they run never settle (W3C WebRTC 1.0, "chain an
 * operation"), so every await on the connection goes through {@link OperationChain.untilClosed},
 * which also ends when the chain is closed; callers then see that their connection is gone.
 */
export class OperationChain {
  #ops: Promise<void> = Promise.resolve();
  /** Bumped by `close()`: queued operations of an older connection are skipped. */
  #generation = 0;
  #closed: Promise<void> = Promise.resolve();
  #resolveClosed: () => void = () => {};

  /** @param label names the connection in the warning an operation's failure is logged with */
  constructor(private readonly label: string) {}

  /** Settles when every operation asked for so far has run. */
  get settled(): Promise<void> {
    return this.#ops;
  }

  /** The current connection's number: an operation compares it to see that it is still current. */
  get generation(): number {
    return this.#generation;
  }

  /** A new connection begins: `untilClosed` waits on it from now on. */
  begin(): void {
    this.#closed = new Promise((resolve) => (this.#resolveClosed = resolve));
  }

  /** Runs `operation` after those before it, unless the connection is closed by then. */
  enqueue(operation: () => Promise<void>): void {
    const generation = this.#generation;
    this.#ops = this.#ops
      .then(() => (generation === this.#generation ? operation() : undefined))
      .catch((error: unknown) => {
        if (generation === this.#generation) console.warn(`[video-call] ${this.label}:`, error);
      });
  }

  /** `operation`, or nothing as soon as the connection is closed. */
  untilClosed<T>(operation: Promise<T>): Promise<T | void> {
    return Promise.race([operation, this.#closed]);
  }

  /** The connection is closed: queued operations are skipped, pending awaits end. */
  close(): void {
    this.#generation++;
    this.#resolveClosed();
  }
}
