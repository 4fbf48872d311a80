/**
 * The two Redis connections of one node (node-redis): `command` for the room store, the rate
 * limits, leases and the adapter's publishes (one connection, so what a node sends is applied in
 * the order it sent it), and `subscriber` for the adapter's sharded subscriptions.
 *
 * Neither waits for Redis to be up: both retry forever with a capped, jittered backoff (50 ms
 * doubling to 2 s), logging the first failure as an error and then at most one line per 30 s. `command`
 * fails at once while disconnected (no offline queue), so a request during an outage gets a
 * clean error instead of waiting; `subscriber` keeps its subscriptions and renews them on
 * reconnection. Log lines name the Redis host and port, never the URL's credentials.
 */
import type { Logger } from 'pino';
import { createClient } from 'redis';
import { ROOM_SCRIPTS } from './scripts.js';

/** The command connection, with the room store's scripts. */
export type CommandClient = ReturnType<typeof createCommandClient>;
/** The subscriber connection (sharded pub/sub only). */
export type SubscriberClient = ReturnType<typeof createSubscriberClient>;

/**
 * Milliseconds before reconnection attempt `retries` (0-based): 50, 100, 200, … capped at 2000,
 * each drawn at random between half of that and all of it ("equal jitter"), so that the nodes
 * that lost Redis at the same moment do not all come back at the same moment.
 */
export const reconnectDelayMs = (retries: number) => {
  const base = Math.min(50 * 2 ** Math.min(retries, 10), 2000);
  return Math.round(base / 2 + Math.random() * (base / 2));
};

const socketOptions = { reconnectStrategy: reconnectDelayMs, connectTimeout: 5000 };

function createCommandClient(url: string) {
  return createClient({ url, disableOfflineQueue: true, socket: socketOptions, scripts: ROOM_SCRIPTS });
}

function createSubscriberClient(url: string) {
  return createClient({ url, socket: socketOptions });
}

/** `host:port` of a Redis URL, for logs (no credentials). */
export function redisAddress(url: string): string {
  try {
    const { hostname, port } = new URL(url);
    return `${hostname}:${port || 6379}`;
  } catch {
    return 'redis';
  }
}

/** A node's Redis connections; see the file comment. */
export interface RedisConnections {
  command: CommandClient;
  subscriber: SubscriberClient;
  /** Whether the command connection is up. */
  readonly ready: boolean;
  /**
   * Resolves once every sharded subscription asked for so far is confirmed by Redis, or after
   * `timeoutMs`. The room lock waits for it, so that a node that just joined a socket to a room
   * hears every event other nodes publish to that room afterwards.
   */
  subscriptionsSettled(timeoutMs: number): Promise<void>;
  /** Resolves once both are connected, or after `timeoutMs` (false). Never rejects. */
  connected(timeoutMs: number): Promise<boolean>;
  /** Closes both connections (pending commands are answered first). */
  close(): Promise<void>;
}

/** Opens both connections to `url` (they keep retrying in the background); see the file comment. */
export function connectRedis(url: string, logger: Logger): RedisConnections {
  const address = redisAddress(url);
  const command = createCommandClient(url);
  const subscriber = createSubscriberClient(url);
  const pending = new Set<Promise<unknown>>();
  // The adapter does not wait for (or catch) its subscriptions: track them, and keep a failed one
  // (Redis gone meanwhile; node-redis renews subscriptions on reconnection) from being unhandled.
  for (const method of ['sSubscribe', 'sUnsubscribe'] as const) {
    const original = subscriber[method].bind(subscriber) as (...args: unknown[]) => Promise<void>;
    (subscriber as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const promise = original(...args);
      pending.add(promise);
      void promise.then(
        () => pending.delete(promise),
        (error: unknown) => {
          pending.delete(promise);
          logger.debug({ err: error, method }, 'Redis subscription change failed');
        },
      );
      return promise;
    };
  }
  let lastErrorLog = 0;
  let down = false;
  for (const [name, client] of [
    ['command', command],
    ['subscriber', subscriber],
  ] as const) {
    client.on('error', (error: Error) => {
      const now = Date.now();
      if (down && now - lastErrorLog < 30_000) return;
      lastErrorLog = now;
      down = true;
      logger.error(
        { redis: address, connection: name, error: error.message },
        'Redis is unreachable: retrying; joins are refused (`unavailable`) until it is back',
      );
    });
    client.on('ready', () => {
      if (down) logger.info({ redis: address, connection: name }, 'Redis connection is back');
      else logger.debug({ redis: address, connection: name }, 'connected to Redis');
      if (command.isReady && subscriber.isReady) down = false;
    });
  }
  const opened = Promise.all([command.connect(), subscriber.connect()]).then(
    () => true,
    () => false,
  );

  return {
    command,
    subscriber,
    get ready() {
      return command.isReady;
    },
    async subscriptionsSettled(timeoutMs) {
      if (pending.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...pending]), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
    async connected(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([opened, new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))]);
      clearTimeout(timer);
      return result;
    },
    async close() {
      await Promise.all(
        [command, subscriber].map(async (client) => {
          if (!client.isOpen) return;
          // close() answers what was sent, then closes; while disconnected, destroy at once.
          if (client.isReady) await client.close().catch(() => client.destroy());
          else client.destroy();
        }),
      );
    },
  };
}
