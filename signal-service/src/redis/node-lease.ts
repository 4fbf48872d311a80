/**
 * Node leases: how the members of a node that died (crash, `kill -9`, lost network) leave their
 * rooms without it.
 *
 * Each node renews its lease key every `leaseMs / 3` (default lease 10 s: renewed every 3.3 s,
 * so two renewals may fail, or the process stall for ~6 s, before the lease lapses). Every
 * `sweepMs` (default 1 s) each node asks Redis for registered nodes whose lease is gone and, room
 * by room under the room lock, removes their members and tells each room (`room:peer-left`,
 * `disconnected`). A crashed node's members are therefore gone 0–`leaseMs` after its last renewal
 * plus at most one sweep: within `leaseMs + sweepMs` (11 s by default) of the crash. Joins do not
 * wait for the sweep: the join script drops dead nodes' members itself (room-handlers.ts announces them).
 *
 * That bound must hold however many members the dead node had. A node killed right after a burst
 * of joins and leaves still holds hundreds (its queued leaves never ran: 100–225 of 300 right
 * after a burst of 600). The sweep used to remove them one after another, each with four round
 * trips (its room, the lock, the leave, the release) and, before the release, a wait for every
 * subscription the node had pending: 1.3 ms a member on a quiet two-core machine, 9–14 ms under
 * CPU contention with the survivors' own leaves going on, so 300 members took up to 4.4 s and
 * 600 up to 4.7 s past the lease. Now a sweep looks up all their rooms in one round trip and works
 * on up to {@link SWEEP_CONCURRENCY} rooms at once, each under its own lock (so presence stays
 * ordered), without that wait (it subscribes to nothing): 300 members in 0.35–1.3 s under the
 * same contention (deploy/test/multi-node-burst.test.ts).
 *
 * A node that finds its own lease lapsed (Redis was unreachable, or the process stalled, for longer
 * than the lease) may have had its members removed by others: it closes its connections, and
 * their clients reconnect and rejoin with their tokens. After a failed Redis call it also removes
 * its own members whose connection is gone (a leave lost during the outage).
 */
import type { Logger } from 'pino';
import type { RoomMember } from '../rooms.js';
import type { RedisRoomStore } from './room-store.js';

export interface NodeLeaseOptions {
  store: RedisRoomStore;
  /** Lease time, ms (`NODE_LEASE_MS`). */
  leaseMs: number;
  /** Sweep interval, ms; default min(1000, leaseMs / 3). */
  sweepMs?: number;
  logger: Logger;
  /** Whether socket `id` is connected to this node. */
  isLocal(id: string): boolean;
  /** Tells `room` that `member` is gone (`room:peer-left`, reason `disconnected`). */
  announceGone(room: string, member: RoomMember): void;
  /** This node's lease had lapsed: close its connections (see the file comment). */
  onLapsed(): void;
}

/** A running lease; see the file comment. */
export interface NodeLease {
  /** Renews now (when Redis is back after an outage: joins need the lease). */
  renew(): Promise<void>;
  /** One sweep now (tests; the timer runs them anyway). */
  sweep(): Promise<void>;
  /** Stops renewing and sweeping, removes this node's remaining members (announced) and its lease. */
  release(): Promise<void>;
}

/** Rooms a sweep changes at once, each under its own lock (see the file comment). */
export const SWEEP_CONCURRENCY = 32;

/**
 * Runs `task` for every item, at most `limit` at a time; resolves once all have settled, then
 * rejects with the first failure if any.
 */
async function inParallel<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await task(item).catch((error: unknown) => void (failure ??= { error }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

/** Takes this node's lease (first renewal awaited, failures logged) and starts renewing and sweeping. */
export async function startNodeLease(options: NodeLeaseOptions): Promise<NodeLease> {
  const { store, leaseMs, logger } = options;
  const sweepMs = options.sweepMs ?? Math.min(1000, Math.floor(leaseMs / 3));
  let held = false;
  let stopped = false;

  const renew = async () => {
    try {
      const alive = await store.renewLease(leaseMs);
      if (!alive && held) {
        logger.error(
          { node: store.nodeId, leaseMs },
          'this node lost its lease (Redis unreachable or the process stalled): closing its connections so that their clients rejoin',
        );
        options.onLapsed();
      }
      held = true;
    } catch (error) {
      logger.debug({ err: error, node: store.nodeId }, 'lease renewal failed');
    }
  };

  /**
   * Removes the members `ids` of `node` and announces them: rooms looked up at once, up to
   * SWEEP_CONCURRENCY rooms at a time, each under its lock; `onlyIfDead` for another node's
   * members. Every room is tried; the first failure is thrown at the end.
   */
  const removeAll = async (ids: string[], onlyIfDead: boolean, node = store.nodeId) => {
    const rooms = await store.roomsOf(ids);
    const byRoom = new Map<string, string[]>();
    // In no room: only a stale entry of the node's set could name them.
    const stray: string[] = [];
    ids.forEach((id, i) => {
      const room = rooms[i];
      if (room === undefined) stray.push(id);
      else byRoom.set(room, [...(byRoom.get(room) ?? []), id]);
    });
    await store.forgetMembers(node, stray);
    const removeInRoom = ([room, members]: [string, string[]]) =>
      store.exclusive(
        room,
        async () => {
          for (const id of members) {
            const gone = onlyIfDead ? await store.expire(id) : await store.leave(id);
            if (!gone) continue;
            options.announceGone(gone.room, gone.member);
            logger.info({ room: gone.room, socket: id, reason: onlyIfDead ? 'node-lease-expired' : 'connection-gone' }, 'removed a member');
          }
        },
        { subscribes: false },
      );
    await inParallel([...byRoom], SWEEP_CONCURRENCY, removeInRoom);
  };

  let sweeping: Promise<void> | undefined;
  const sweepOnce = async () => {
    if (store.needsReconcile) {
      store.needsReconcile = false;
      await removeAll(
        (await store.membersOf(store.nodeId)).filter((id) => !options.isLocal(id)),
        false,
      );
    }
    for (const node of await store.deadNodes()) {
      if (node === store.nodeId) continue;
      const ids = await store.membersOf(node);
      await removeAll(ids, true, node);
      if (await store.forgetNode(node))
        logger.info({ node, members: ids.length }, 'a node without lease is gone: its members left their rooms');
    }
  };
  const sweep = () =>
    (sweeping ??= sweepOnce()
      .catch((error: unknown) => {
        store.needsReconcile = true;
        logger.debug({ err: error }, 'sweep failed');
      })
      .finally(() => (sweeping = undefined)));

  await renew();
  const renewTimer = setInterval(() => void renew(), Math.floor(leaseMs / 3));
  const sweepTimer = setInterval(() => void (stopped || sweep()), sweepMs);
  renewTimer.unref();
  sweepTimer.unref();

  return {
    renew: () => (stopped ? Promise.resolve() : renew()),
    sweep,
    async release() {
      stopped = true;
      clearInterval(renewTimer);
      clearInterval(sweepTimer);
      await sweeping;
      try {
        await removeAll(await store.membersOf(store.nodeId), false);
        await store.forgetNode(store.nodeId, true);
      } catch (error) {
        logger.warn({ err: error, node: store.nodeId }, 'could not release this node: its members expire with its lease');
      }
    },
  };
}
