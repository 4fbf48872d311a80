/**
 * Room presence: who is in which room, in join order, and each room's capacity.
 *
 * `RoomStore` is the seam where a shared store (Redis, for several service nodes) plugs in; its
 * methods return promises for that reason. `MemoryRoomStore` keeps one node's rooms in maps and
 * does the capacity check and the insert in one synchronous step, so two concurrent joins can
 * never both take the last place.
 *
 * A room exists while it has members. Its capacity is fixed by its first member's join (the
 * `capacity` that join passes: its ticket's claim, else the service's `ROOM_CAPACITY`) and kept
 * for the room's life; later joins' capacities are ignored. Once the room is empty it is gone, and
 * the next first member fixes the capacity again.
 *
 * The store is the service's only record of membership: signaling.ts asks `roomOf(socket.id)`
 * for every request and keeps no copy on the socket. `RedisRoomStore` (redis/room-store.ts) is the
 * one several nodes share (`REDIS_URL`). Roles for perfect negotiation are not the store's: each
 * client derives them per pair from `peerId`s (video-call-protocol roles.ts).
 */

/** A member as the store keeps it. */
export interface RoomMember {
  /** socket.io socket id. */
  id: string;
  /** Display name, already validated. */
  name: string;
  /** The member's public identity, issued by the service (stable across its rejoins). */
  peerId: string;
}

/** Outcome of {@link RoomStore.join}. */
export type JoinOutcome =
  | {
      ok: true;
      member: RoomMember;
      /** The members present before this join, in join order (the earliest first). */
      peers: RoomMember[];
      /** The room's capacity: the one its first member fixed (this joiner's, when it is the first). */
      capacity: number;
      /** The member this join replaced: the same peerId on an older connection (a rejoin). */
      replaced?: RoomMember;
      /** Members this join dropped because their node is dead (shared stores only): announce them gone. */
      expired?: RoomMember[];
    }
  | {
      ok: false;
      reason: 'room-full' | 'already-in-room';
      /** `room-full`: the capacity of the full room. */
      capacity?: number;
      expired?: RoomMember[];
    };

/**
 * Thrown by a shared store that cannot reach its backend (Redis down): the request should be
 * refused with `unavailable`. `maybeApplied` is true when the command may have run before the
 * connection broke (its answer was lost); false when it was never sent.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(
    readonly maybeApplied: boolean,
    options?: { cause?: unknown },
  ) {
    super('The room store is unavailable.', options);
  }
}

/** Who joins: socket id, display name and peer id. */
export interface Joiner {
  id: string;
  name: string;
  /** A fresh peer id for a first join; the rejoin token's for a rejoin. */
  peerId: string;
}

/** Who is in which room; see the file comment. */
export interface RoomStore {
  /**
   * Adds `joiner` to `room` unless the room is full or its id is already in a room. `capacity`
   * (2–6, checked by the caller) becomes the room's capacity when the joiner is its first member;
   * otherwise the room keeps the one it has. The check and the insert are atomic.
   * A joiner whose `peerId` equals a member's takes that member's place (the room keeps its
   * capacity): it is the same client back on a new connection (it proved it with its rejoin
   * token) before the service noticed the old one was dead.
   */
  join(room: string, joiner: Joiner, capacity: number): Promise<JoinOutcome>;
  /** Removes `id` from its room. Resolves to the room and the member removed, or `undefined`. */
  leave(id: string): Promise<{ room: string; member: RoomMember } | undefined>;
  /** The room `id` is in, or `undefined`. */
  roomOf(id: string): Promise<string | undefined>;
  /** Members of `room` in join order (empty when the room does not exist). */
  members(room: string): Promise<RoomMember[]>;
  /** Number of non-empty rooms (for health and metrics). */
  roomCount(): Promise<number>;
  /**
   * Runs `task` while no other node runs one for `room` (stores shared by several nodes; on one
   * node the room handlers' own queue is enough). Rejects with StoreUnavailableError when the
   * store cannot be reached or the room stays held too long.
   */
  exclusive?<T>(room: string, task: () => Promise<T>, options?: ExclusiveOptions): Promise<T>;
}

/** How a task run by {@link RoomStore.exclusive} changes this node's subscriptions. */
export interface ExclusiveOptions {
  /**
   * False when the task makes this node subscribe to nothing (a leave, the removal of a dead
   * node's members): the lock is then released without waiting for the adapter's pending
   * subscriptions (redis/room-lock.ts). Default true (a join).
   */
  subscribes?: boolean;
}

/** A room of {@link MemoryRoomStore}: its members in join order (Map order) and its capacity. */
interface MemoryRoom {
  members: Map<string, RoomMember>;
  capacity: number;
}

/** RoomStore for a single service node. Empty rooms are deleted, so memory follows use. */
export class MemoryRoomStore implements RoomStore {
  readonly #rooms = new Map<string, MemoryRoom>();
  readonly #roomOfMember = new Map<string, string>();

  join(room: string, joiner: Joiner, capacity: number): Promise<JoinOutcome> {
    return Promise.resolve(this.#join(room, joiner, capacity));
  }

  leave(id: string): Promise<{ room: string; member: RoomMember } | undefined> {
    return Promise.resolve(this.#leave(id));
  }

  roomOf(id: string): Promise<string | undefined> {
    return Promise.resolve(this.#roomOfMember.get(id));
  }

  members(room: string): Promise<RoomMember[]> {
    return Promise.resolve([...(this.#rooms.get(room)?.members.values() ?? [])]);
  }

  roomCount(): Promise<number> {
    return Promise.resolve(this.#rooms.size);
  }

  #join(room: string, { id, name, peerId }: Joiner, capacity: number): JoinOutcome {
    // Check and insert in one synchronous step: atomic on this node.
    if (this.#roomOfMember.has(id)) return { ok: false, reason: 'already-in-room' };
    const entry = this.#rooms.get(room) ?? { members: new Map<string, RoomMember>(), capacity };
    const { members } = entry;
    const replaced = [...members.values()].find((m) => m.peerId === peerId);
    if (replaced) {
      // The same member back: the room never emptied, so it keeps its capacity.
      members.delete(replaced.id);
      this.#roomOfMember.delete(replaced.id);
    }
    if (members.size >= entry.capacity) return { ok: false, reason: 'room-full', capacity: entry.capacity };
    const peers = [...members.values()];
    const member: RoomMember = { id, name, peerId };
    members.set(id, member);
    this.#rooms.set(room, entry);
    this.#roomOfMember.set(id, room);
    const outcome = { ok: true as const, member, peers, capacity: entry.capacity };
    return replaced ? { ...outcome, replaced } : outcome;
  }

  #leave(id: string): { room: string; member: RoomMember } | undefined {
    const room = this.#roomOfMember.get(id);
    if (room === undefined) return undefined;
    this.#roomOfMember.delete(id);
    const entry = this.#rooms.get(room);
    const member = entry?.members.get(id);
    entry?.members.delete(id);
    // The room is gone with its last member, and so is its capacity.
    if (entry && entry.members.size === 0) this.#rooms.delete(room);
    return member ? { room, member } : undefined;
  }
}
