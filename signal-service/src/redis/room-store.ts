/**
 * RoomStore on Redis, shared by every node of the service (`REDIS_URL`); see scripts.ts for the
 * keys and the scripts.
 *
 * - `join` is one script: it drops the members of dead nodes (lease gone) and the member the
 *   joiner replaces (same peerId), checks the room's capacity and takes the place in one atomic
 *   step, so no two nodes can ever put more people in a room than it holds. The room's capacity
 *   lives in Redis beside its members (`room-info:<room>`): the first member's join sets it,
 *   every later join reads it in the same script, and the last member's leave deletes it.
 *   Members are recorded with their node and a join number (their order).
 * - `exclusive` is the room lock (room-lock.ts), which orders joins, leaves and their presence
 *   events across nodes as the room queue does on one node.
 * - Leases, dead-node sweeps and this node's own cleanup are node-lease.ts's; the store answers
 *   their questions (`renewLease`, `deadNodes`, `membersOf`, `expire`, `forgetNode`).
 *
 * Every Redis failure rejects with StoreUnavailableError (redis/errors.ts) and sets
 * `needsReconcile`, so that node-lease.ts later removes this node's members whose connection
 * is gone (a leave that failed during the outage).
 */
import type { ExclusiveOptions, JoinOutcome, Joiner, RoomMember, RoomStore } from '../rooms.js';
import { StoreUnavailableError } from '../rooms.js';
import type { CommandClient } from './clients.js';
import { redisCall } from './errors.js';
import { RoomLock } from './room-lock.js';
import { redisKeys } from './scripts.js';

/**
 * A member as Redis keeps it: a RoomMember plus the id of the node that holds its connection and
 * its join number in the room (absent in members stored before join numbers existed).
 */
interface StoredMember extends RoomMember {
  node: string;
  seq?: number;
}

export interface RedisRoomStoreOptions {
  /** This node's id (node-lease.ts keeps its lease alive). */
  nodeId: string;
  /** Key prefix; default `vc:`. */
  prefix?: string;
  /** Awaited before a room lock is released: the adapter's pending subscriptions (clients.ts). */
  beforeUnlock?: () => Promise<void>;
  /** Room lock timings (room-lock.ts); defaults 5000 ms each. */
  lockTtlMs?: number;
  lockWaitMs?: number;
}

const asList = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
const toMember = ({ id, name, peerId }: StoredMember): RoomMember => ({ id, name, peerId });
/** Join order: by join number. */
const byJoin = (a: StoredMember, b: StoredMember) => (a.seq ?? 0) - (b.seq ?? 0);

/** See the file comment. */
export class RedisRoomStore implements RoomStore {
  readonly nodeId: string;
  /** Set when a Redis call failed; node-lease.ts reconciles this node's members and clears it. */
  needsReconcile = false;
  readonly #client: CommandClient;
  readonly #keys: ReturnType<typeof redisKeys>;
  readonly #prefix: string;
  readonly #lock: RoomLock;
  /** Redis calls and lock holds under way (see {@link idle}). */
  #busy = 0;

  constructor(client: CommandClient, options: RedisRoomStoreOptions) {
    this.#client = client;
    this.nodeId = options.nodeId;
    this.#prefix = options.prefix ?? 'vc:';
    this.#keys = redisKeys(this.#prefix);
    this.#lock = new RoomLock(client, {
      key: this.#keys.lock,
      ttlMs: options.lockTtlMs,
      waitMs: options.lockWaitMs,
      beforeRelease: options.beforeUnlock,
    });
  }

  async join(room: string, { id, name, peerId }: Joiner, capacity: number): Promise<JoinOutcome> {
    const k = this.#keys;
    const answer = await this.#call(() =>
      this.#client.vcJoin(
        [k.room(room), k.members, k.node(this.nodeId), k.lease(this.nodeId), k.rooms, k.roomInfo(room)],
        [this.#prefix, room, id, name, peerId, this.nodeId, String(capacity)],
      ),
    );
    const result = JSON.parse(answer) as {
      status: 'ok' | 'room-full' | 'already-in-room' | 'lease-lost';
      member?: StoredMember;
      peers?: unknown;
      capacity?: number;
      replaced?: StoredMember;
      expired?: unknown;
    };
    // This node's lease lapsed: it must not add members that nobody would expire.
    if (result.status === 'lease-lost') throw new StoreUnavailableError(false);
    const expired = asList<StoredMember>(result.expired).map(toMember);
    const extra = expired.length > 0 ? { expired } : {};
    if (result.status === 'already-in-room') return { ok: false, reason: result.status, ...extra };
    if (result.status === 'room-full') return { ok: false, reason: result.status, capacity: result.capacity!, ...extra };
    const outcome = {
      ok: true as const,
      member: toMember(result.member!),
      peers: asList<StoredMember>(result.peers).sort(byJoin).map(toMember),
      capacity: result.capacity!,
      ...extra,
    };
    return result.replaced ? { ...outcome, replaced: toMember(result.replaced) } : outcome;
  }

  leave(id: string): Promise<{ room: string; member: RoomMember } | undefined> {
    return this.#leave(id, false);
  }

  /** Removes `id` only if its node's lease is gone (the sweep of a dead node). */
  expire(id: string): Promise<{ room: string; member: RoomMember } | undefined> {
    return this.#leave(id, true);
  }

  async roomOf(id: string): Promise<string | undefined> {
    return (await this.#call(() => this.#client.hGet(this.#keys.members, id))) ?? undefined;
  }

  async members(room: string): Promise<RoomMember[]> {
    const values = await this.#call(() => this.#client.hVals(this.#keys.room(room)));
    return values
      .map((json) => JSON.parse(json) as StoredMember)
      .sort(byJoin)
      .map(toMember);
  }

  roomCount(): Promise<number> {
    return this.#call(() => this.#client.sCard(this.#keys.rooms));
  }

  async exclusive<T>(room: string, task: () => Promise<T>, options?: ExclusiveOptions): Promise<T> {
    this.#busy += 1;
    try {
      return await this.#lock.hold(room, task, options);
    } catch (error) {
      if (error instanceof StoreUnavailableError) this.needsReconcile = true;
      throw error;
    } finally {
      this.#busy -= 1;
    }
  }

  /**
   * Resolves once no call or lock hold has been under way for a few milliseconds, or after
   * `timeoutMs` (a graceful close waits for the leaves its disconnections started).
   */
  async idle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let quiet = 0; quiet < 2 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      quiet = this.#busy === 0 ? quiet + 1 : 0;
    }
  }

  /** Renews this node's lease for `ttlMs` and registers the node; resolves whether it was still alive (false: lapsed or new). */
  async renewLease(ttlMs: number): Promise<boolean> {
    const k = this.#keys;
    return (await this.#call(() => this.#client.vcRenewLease([k.lease(this.nodeId), k.nodes], [String(ttlMs), this.nodeId]))) === 1;
  }

  /** Registered nodes whose lease is gone. */
  deadNodes(): Promise<string[]> {
    return this.#call(() => this.#client.vcDeadNodes(this.#keys.nodes, this.#prefix));
  }

  /** Socket ids `node` holds as members. */
  membersOf(node: string): Promise<string[]> {
    return this.#call(() => this.#client.sMembers(this.#keys.node(node)));
  }

  /** The room of each of `ids` (undefined: in no room), in one round trip. */
  async roomsOf(ids: string[]): Promise<(string | undefined)[]> {
    if (ids.length === 0) return [];
    const rooms = await this.#call(() => this.#client.hmGet(this.#keys.members, ids));
    return rooms.map((room) => room ?? undefined);
  }

  /** Drops `ids` from `node`'s set of members (entries that name no member any more). */
  async forgetMembers(node: string, ids: string[]): Promise<void> {
    if (ids.length > 0) await this.#call(() => this.#client.sRem(this.#keys.node(node), ids));
  }

  /**
   * Unregisters `node` once it holds no member and (unless `own`, this node's graceful close)
   * its lease is gone; `own` also deletes its lease. Resolves whether it did.
   */
  async forgetNode(node: string, own = false): Promise<boolean> {
    const k = this.#keys;
    return (await this.#call(() => this.#client.vcForgetNode([k.nodes, k.node(node), k.lease(node)], [node, own ? '1' : '0']))) === 1;
  }

  async #leave(id: string, onlyIfDead: boolean): Promise<{ room: string; member: RoomMember } | undefined> {
    const answer = await this.#call(() => this.#client.vcLeave(this.#keys.members, [this.#prefix, id, onlyIfDead ? '1' : '0']));
    if (!answer) return undefined;
    const [room, json] = answer as [string, string];
    return { room, member: toMember(JSON.parse(json) as StoredMember) };
  }

  async #call<T>(call: () => Promise<T>): Promise<T> {
    this.#busy += 1;
    try {
      return await redisCall(call);
    } catch (error) {
      this.needsReconcile = true;
      throw error;
    } finally {
      this.#busy -= 1;
    }
  }
}
