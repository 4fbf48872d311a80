/**
 * Per-socket rate limits (rate-limiter-flexible: in memory, or in Redis when the service runs on
 * several nodes, see {@link RateLimitStore}). Every incoming event, of any name,
 * with or without an acknowledgement, member or not, takes a point of the `events` budget first;
 * each known request also takes a point of its own budget (`join`, `leave`, `relay`, `ice`,
 * `watch`). A request over budget is answered `rate-limited` (when it has an acknowledgement)
 * and changes nothing. Refusals, and events of unknown names, take a point of `violations`; a
 * socket that has none left is disconnected. Budgets are per socket, so one abusive socket never
 * uses up anyone else's; per-address connection budgets are in admission.ts.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** A budget: `points` requests per `duration` seconds. */
export interface Budget {
  points: number;
  duration: number;
}

export interface RateLimitConfig {
  /** Every incoming event, whatever its name (checked before any other budget). */
  events: Budget;
  /** `room:join` (and rejoins after a leave). */
  join: Budget;
  /** `room:leave`. */
  leave: Budget;
  /** `signal:relay`: a call's set-up sends 2 descriptions and some 10–40 ICE candidates a side. */
  relay: Budget;
  /** `ice:servers`: one at join, then one per credential refresh. */
  ice: Budget;
  /** `watch:beat`: a client in a call beats every 1–2 s. */
  watch: Budget;
  /** Refused requests and unknown events a socket may send before it is disconnected. */
  violations: Budget;
}

/** The budgets in force unless a service is started with others (documented in PROTOCOL.md). */
export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  events: { points: 400, duration: 10 },
  join: { points: 10, duration: 60 },
  leave: { points: 10, duration: 60 },
  relay: { points: 300, duration: 10 },
  ice: { points: 10, duration: 60 },
  watch: { points: 30, duration: 10 },
  violations: { points: 30, duration: 60 },
};

/** The budgets a request can take a point of. */
export type LimitedRequest = 'events' | 'join' | 'leave' | 'relay' | 'ice' | 'watch';

/**
 * Where budgets are counted when not in memory: a node-redis client (`REDIS_URL`), shared by the
 * nodes, under `prefix` (`<prefix>rl:<budget>:<socket id>`, each key expiring with its window).
 * While Redis is not ready each node counts in its own memory instead (rate-limiter-flexible's
 * insurance limiter), so an outage neither blocks nor unlimits requests.
 */
export interface RateLimitStore {
  redis: object;
  prefix: string;
}

/** Outcome of {@link SocketRateLimiter.take}: allowed, refused, or refused and time to disconnect. */
export type RateDecision = 'allow' | 'refuse' | 'disconnect';

/** Per-socket budgets for the limited requests, keyed by socket id; see the file comment. */
export class SocketRateLimiter {
  readonly #limiters: Record<LimitedRequest | 'violations', RateLimiterAbstract>;

  /** Budgets not given keep their {@link DEFAULT_RATE_LIMITS} value; `store`: in Redis, else in memory. */
  constructor(budgets: Partial<RateLimitConfig> = {}, store?: RateLimitStore) {
    const config = { ...DEFAULT_RATE_LIMITS, ...budgets };
    const limiter = (name: LimitedRequest | 'violations') => {
      const memory = new RateLimiterMemory({ keyPrefix: name, ...config[name] });
      if (!store) return memory;
      return new RateLimiterRedis({
        storeClient: store.redis,
        useRedisPackage: true,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
        keyPrefix: `${store.prefix}rl:${name}`,
        ...config[name],
      });
    };
    this.#limiters = {
      events: limiter('events'),
      join: limiter('join'),
      leave: limiter('leave'),
      relay: limiter('relay'),
      ice: limiter('ice'),
      watch: limiter('watch'),
      violations: limiter('violations'),
    };
  }

  /** Counts a violation that is not a refused request (an unknown event): `refuse`, or `disconnect` when none are left. */
  async violation(id: string): Promise<RateDecision> {
    return (await this.#consume(this.#limiters.violations, id)) ? 'refuse' : 'disconnect';
  }

  /** Takes one point of `request`'s budget for socket `id`. */
  async take(request: LimitedRequest, id: string): Promise<RateDecision> {
    if (await this.#consume(this.#limiters[request], id)) return 'allow';
    return (await this.#consume(this.#limiters.violations, id)) ? 'refuse' : 'disconnect';
  }

  /** Forgets socket `id` (on disconnect), so memory follows the connected sockets. Never rejects (Redis keys expire anyway). */
  async forget(id: string): Promise<void> {
    await Promise.allSettled(Object.values(this.#limiters).map((limiter) => limiter.delete(id)));
  }

  async #consume(limiter: RateLimiterAbstract, id: string): Promise<boolean> {
    try {
      await limiter.consume(id);
      return true;
    } catch (error) {
      if (error instanceof RateLimiterRes) return false;
      throw error;
    }
  }
}
