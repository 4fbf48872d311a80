/**
 * Runs async tasks one at a time per key, in the order they were queued (a mutex per key, FIFO).
 * signaling.ts uses two: one keyed by socket id, one keyed by room name (see its file comment).
 */

/** See the file comment. A key whose last task has finished is forgotten, so memory follows use. */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /**
   * Runs `task` once every task queued before it under `key` has settled; resolves or rejects as
   * `task` does. A failing task does not stop the ones queued after it.
   */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.#tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Keys with a task running or waiting (for tests). */
  get size(): number {
    return this.#tails.size;
  }
}
