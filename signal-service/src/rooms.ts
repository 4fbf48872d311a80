/**
 * Room presence: who is in which room, and the perfect-negotiation role of each member.
 *
 * `RoomStore` is the seam where a shared store (Redis, for several service nodes) plugs in; its
 * methods return promises for that reason. `MemoryRoomStore` keeps one node's rooms in maps and
 * does the capacity check and the insert in one synchronous step, so two concurrent joins can
 * never both take the last place.
 *
 * The store is the service's only record of membership: signaling.ts asks `roomOf(socket.id)`
 * for every request and keeps no copy on the socket. `RedisRoomStore` (redis/room-store.ts) is the
 * one several nodes share (`REDIS_URL`).
 */
import { ROOM_CAPACITY } from 'video-call-protocol';

/** A member as the store keeps it. */
export interface RoomMember {
  /** socket.io socket id. */
  id: string;
  /** Display name, already validated. */
  name: string;
  /** The member's public identity, issued by the service (stable across its rejoins). */
  peerId: string;
  /** Perfect-negotiation role; the two members of a room always hold opposite roles. */
  polite: boolean;
}

/** Outcome of {@link RoomStore.join}. */
export type JoinOutcome =
  | {
      ok: true;
      member: RoomMember;
      peers: RoomMember[];
      /** The member this join replaced: the same peerId on an older connection (a rejoin). */
      replaced?: RoomMember;
      /** Members this join dropped because their node is dead (shared stores only): announce them gone. */
      expired?: RoomMember[];
    }
  | { ok: false; reason: 'room-full' | 'already-in-room'; expired?: RoomMember[] };

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

/** Who joins: socket id, display name, peer id, and the role asked for (a rejoin keeps its role). */
export interface Joiner {
  id: string;
  name: string;
  /** A fresh peer id for a first join; the rejoin token's for a rejoin. */
  peerId: string;
  /** Preferred perfect-negotiation role; granted when the room is empty. */
  polite?: boolean;
}

/** Who is in which room; see the file comment. Capacity: {@link ROOM_CAPACITY}. */
export interface RoomStore {
  /**
   * Adds `joiner` to `room` unless the room is full or its id is already in a room.
   * The first member of a room gets the role it asks for (impolite by default); a joiner takes the
   * role opposite to the member present, so roles stay complementary even after members come and go.
   * A joiner whose `peerId` equals a member's takes that member's place (and role): it is the same
   * client back on a new connection (it proved it with its rejoin token) before the service noticed
   * the old one was dead.
   */
  join(room: string, joiner: Joiner): Promise<JoinOutcome>;
  /** Removes `id` from its room. Resolves to the room and the member removed, or `undefined`. */
  leave(id: string): Promise<{ room: string; member: RoomMember } | undefined>;
  /** The room `id` is in, or `undefined`. */
  roomOf(id: string): Promise<string | undefined>;
  /** Members of `room` (empty when the room does not exist). */
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

/** RoomStore for a single service node. Empty rooms are deleted, so memory follows use. */
export class MemoryRoomStore implements RoomStore {
  readonly #rooms = new Map<string, Map<string, RoomMember>>();
  readonly #roomOfMember = new Map<string, string>();

  async join(room: string, { id, name, peerId, polite = false }: Joiner): Promise<JoinOutcome> {
    // Check and insert with no await in between: atomic on this node.
    if (this.#roomOfMember.has(id)) return { ok: false, reason: 'already-in-room' };
    const members = this.#rooms.get(room) ?? new Map<string, RoomMember>();
    const replaced = [...members.values()].find((m) => m.peerId === peerId);
    if (replaced) {
      members.delete(replaced.id);
      this.#roomOfMember.delete(replaced.id);
    }
    if (members.size >= ROOM_CAPACITY) return { ok: false, reason: 'room-full' };
    const peers = [...members.values()];
    const role = replaced ? replaced.polite : peers.length > 0 ? !peers[0]!.polite : polite;
    const member: RoomMember = { id, name, peerId, polite: role };
    members.set(id, member);
    this.#rooms.set(room, members);
    this.#roomOfMember.set(id, room);
    return replaced ? { ok: true, member, peers, replaced } : { ok: true, member, peers };
  }

  async leave(id: string): Promise<{ room: string; member: RoomMember } | undefined> {
    const room = this.#roomOfMember.get(id);
    if (room === undefined) return undefined;
    this.#roomOfMember.delete(id);
    const members = this.#rooms.get(room);
    const member = members?.get(id);
    members?.delete(id);
    if (members && members.size === 0) this.#rooms.delete(room);
    return member ? { room, member } : undefined;
  }

  async roomOf(id: string): Promise<string | undefined> {
    return this.#roomOfMember.get(id);
  }

  async members(room: string): Promise<RoomMember[]> {
    return [...(this.#rooms.get(room)?.values() ?? [])];
  }

  async roomCount(): Promise<number> {
    return this.#rooms.size;
  }
}
