/**
 * A room's lock across nodes: `SET <prefix>lock:<room> <token> NX PX <ttl>`, retried with a short
 * jittered pause while another node holds it, released with a compare-and-delete script (only
 * by its holder). Inside one node, holders of the same room queue first (KeyedQueue), so only
 * one per node polls Redis.
 *
 * The lock orders presence across nodes as the room queue does on one node: a join's or leave's
 * store change, socket.io room change and presence event happen while no other node changes that
 * room. Before releasing, a holder that may have subscribed (a join) waits (bounded) for the
 * node's pending subscriptions to be confirmed, and every holder sends the release on the same
 * connection as its publishes, so the next holder's node has the earlier events before it changes
 * anything. A holder that subscribes to nothing (a leave, a sweep) does not wait: after a burst,
 * the node's pending subscriptions (every connection's and room's, not only its own) would
 * otherwise delay each such release, and a dead node's members, removed one room after another,
 * would leave seconds late. Capacity does not depend on the lock (the join
 * script is atomic); a lock whose holder died expires after its TTL.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedQueue } from '../keyed-queue.js';
import { StoreUnavailableError } from '../rooms.js';
import type { CommandClient } from './clients.js';
import { redisCall } from './errors.js';

export interface RoomLockOptions {
  /** Key of a room's lock. */
  key: (room: string) => string;
  /** How long a lock lives if its holder never releases it (crash), ms; default 5000. */
  ttlMs?: number;
  /** How long to wait for a held lock before giving up (StoreUnavailableError), ms; default 5000. */
  waitMs?: number;
  /** Awaited before each release (see the file comment). */
  beforeRelease?: () => Promise<void>;
}

/** See the file comment. */
export class RoomLock {
  readonly #local = new KeyedQueue();

  constructor(
    private readonly client: CommandClient,
    private readonly options: RoomLockOptions,
  ) {}

  /**
   * Runs `task` while holding `room`'s lock; rejects with StoreUnavailableError when it cannot be
   * had. `subscribes: false`: the release does not wait for `beforeRelease` (see the file comment).
   */
  hold<T>(room: string, task: () => Promise<T>, { subscribes = true }: { subscribes?: boolean } = {}): Promise<T> {
    return this.#local.run(room, async () => {
      const { ttlMs = 5000, waitMs = 5000 } = this.options;
      const key = this.options.key(room);
      const token = randomBytes(12).toString('base64url');
      const deadline = Date.now() + waitMs;
      for (let attempt = 0; ; attempt += 1) {
        const taken = await redisCall(() => this.client.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }));
        if (taken === 'OK') break;
        if (Date.now() >= deadline) throw new StoreUnavailableError(false);
        await sleep(Math.min(1 + attempt, 20) * (0.5 + Math.random()));
      }
      try {
        return await task();
      } finally {
        if (subscribes) await this.options.beforeRelease?.();
        // A release that fails leaves the lock to expire by itself.
        await this.client.vcUnlock(key, token).catch(() => undefined);
      }
    });
  }
}
