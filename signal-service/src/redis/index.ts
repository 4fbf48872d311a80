/**
 * Several nodes over Redis (`REDIS_URL`): what one node needs to share rooms with the others.
 *
 * - socket.io's Redis adapter in its sharded form (`createShardedAdapter`, Redis 7 sharded
 *   pub/sub, `SSUBSCRIBE`/`SPUBLISH`) with `subscriptionMode: 'dynamic-private'`: every room and
 *   every socket id has its own channel, and a node subscribes only to those of the rooms and
 *   sockets it holds. A relay (`io.to(socketId)`) or a presence event (`io.to(room)`) is published
 *   once and delivered only to the node(s) holding its target, so a node's pub/sub traffic follows
 *   its own sockets, not the size of the cluster. Only adapter requests addressed to every node
 *   (`disconnectSockets` of a replaced member) go to all nodes.
 * - RedisRoomStore (room-store.ts): membership with an atomic join, and the room lock.
 * - Node leases (node-lease.ts): a crashed node's members leave within lease + sweep.
 * - Rate limits counted in Redis (rate-limits.ts, `RateLimiterRedis`).
 * - The rejoin secret every node shares when `REJOIN_SECRET` is not set (rejoin-secret.ts).
 *
 * Start-up does not wait for Redis longer than `connectWaitMs`: the service listens, logs the
 * outage and retries; joins are answered `unavailable` meanwhile.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import type { Logger } from 'pino';
import { SocketRateLimiter, type RateLimitConfig, type RateLimitStore } from '../rate-limits.js';
import { announceLeft } from '../room-handlers.js';
import type { SignalServer } from '../signaling.js';
import type { RejoinTokens } from '../rejoin-tokens.js';
import { connectRedis, redisAddress } from './clients.js';
import { startNodeLease, type NodeLease } from './node-lease.js';
import { shareRejoinSecret } from './rejoin-secret.js';
import { RedisRoomStore } from './room-store.js';

/** The Redis settings of the configuration (config.ts). */
export interface RedisConfig {
  /** `REDIS_URL`: `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
  url: string;
  /** `NODE_LEASE_MS`: lease time of a node, ms. */
  leaseMs: number;
}

export interface RedisNodeOptions {
  /** Key prefix of the room store and rate limits; default `vc:`. */
  prefix?: string;
  /** Per-socket budgets (tests); default DEFAULT_RATE_LIMITS. */
  budgets?: Partial<RateLimitConfig>;
  /** How long start-up waits for Redis before going on without it, ms; default 3000. */
  connectWaitMs?: number;
  /** Sweep interval, ms (node-lease.ts). */
  sweepMs?: number;
}

/** One node's share of the cluster; see the file comment. */
export interface RedisNode {
  /** This node's id: host name, process id and a random suffix (unique per process). */
  nodeId: string;
  rooms: RedisRoomStore;
  rateLimiter: SocketRateLimiter;
  /** Where shared budgets are counted (the admission's new-connection budget per address). */
  rateLimitStore: RateLimitStore;
  /** Whether Redis is reachable now (for readiness). */
  readonly ready: boolean;
  /**
   * Keeps `tokens` (created `pending`) signing with the secret every node shares through Redis
   * (rejoin-secret.ts); resolves once it is read, or at once while Redis is unreachable.
   * @throws SharedSecretError when the Redis key holds something else.
   */
  shareRejoinSecret(tokens: RejoinTokens): Promise<void>;
  /** Puts the sharded adapter on `io` and takes this node's lease. Call before listening. */
  attach(io: SignalServer): Promise<void>;
  /** Releases this node (members, lease) and closes the connections. Call after `io.close()`. */
  close(): Promise<void>;
}

/** Connects to Redis (see the file comment) and builds the node's store and rate limiter. */
export async function startRedisNode(config: RedisConfig, logger: Logger, options: RedisNodeOptions = {}): Promise<RedisNode> {
  const prefix = options.prefix ?? 'vc:';
  const nodeId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const connections = connectRedis(config.url, logger);
  const rooms = new RedisRoomStore(connections.command, {
    nodeId,
    prefix,
    beforeUnlock: () => connections.subscriptionsSettled(1000),
  });
  const rateLimitStore: RateLimitStore = { redis: connections.command, prefix };
  const rateLimiter = new SocketRateLimiter(options.budgets, rateLimitStore);
  if (!(await connections.connected(options.connectWaitMs ?? 3000))) {
    logger.error({ redis: redisAddress(config.url) }, 'could not reach Redis at start-up: starting anyway and retrying');
  }
  let lease: NodeLease | undefined;
  let closing: Promise<void> | undefined;

  return {
    nodeId,
    rooms,
    rateLimiter,
    rateLimitStore,
    get ready() {
      return connections.ready;
    },
    shareRejoinSecret: (tokens) => shareRejoinSecret(connections.command, { prefix, tokens, logger, connectedNow: connections.ready }),
    async attach(io) {
      io.adapter(createShardedAdapter(connections.command, connections.subscriber, { subscriptionMode: 'dynamic-private' }));
      lease = await startNodeLease({
        store: rooms,
        leaseMs: config.leaseMs,
        sweepMs: options.sweepMs,
        logger,
        isLocal: (id) => io.of('/').sockets.has(id),
        announceGone: (room, member) => announceLeft(io, room, member, 'disconnected'),
        // Closing the transport (not a socket.io disconnect) makes the clients reconnect.
        onLapsed: () => io.of('/').sockets.forEach((socket) => socket.conn.close()),
      });
      // Back after an outage: renew at once (joins need the lease; a lapse is noticed now).
      connections.command.on('ready', () => void lease?.renew());
      logger.info({ redis: redisAddress(config.url), node: nodeId, leaseMs: config.leaseMs }, 'sharing rooms with other nodes over Redis');
    },
    close() {
      closing ??= (async () => {
        // The leaves that the disconnections started finish first, then whatever is left.
        await rooms.idle(2000);
        await lease?.release();
        await connections.close();
      })();
      return closing;
    },
  };
}
