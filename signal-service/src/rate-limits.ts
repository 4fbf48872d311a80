/**
 * Per-socket rate limits (rate-limiter-flexible, in memory): joins, signal relays and ICE server
 * requests each have a budget of points per window. A request over budget is answered
 * `rate-limited` and changes nothing; a socket that keeps hitting the limits is disconnected.
 * Budgets are per socket, so one abusive socket never uses up anyone else's.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** A budget: `points` requests per `duration` seconds. */
export interface Budget {
  points: number;
  duration: number;
}

export interface RateLimitConfig {
  /** `room:join` (and rejoins after a leave). */
  join: Budget;
  /** `signal:relay`: a call's set-up sends 2 descriptions and some 10–40 ICE candidates a side. */
  relay: Budget;
  /** `ice:servers`: one at join, then one per credential refresh. */
  ice: Budget;
  /** Refused requests a socket may make before it is disconnected. */
  violations: Budget;
}

/** The budgets in force unless a service is started with others (documented in PROTOCOL.md). */
export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  join: { points: 10, duration: 60 },
  relay: { points: 300, duration: 10 },
  ice: { points: 10, duration: 60 },
  violations: { points: 30, duration: 60 },
};

export type LimitedRequest = 'join' | 'relay' | 'ice';

/** Outcome of {@link SocketRateLimiter.take}: allowed, refused, or refused and time to disconnect. */
export type RateDecision = 'allow' | 'refuse' | 'disconnect';

/** Per-socket budgets for the limited requests, keyed by socket id; see the file comment. */
export class SocketRateLimiter {
  readonly #limiters: Record<LimitedRequest | 'violations', RateLimiterMemory>;

  constructor(config: RateLimitConfig = DEFAULT_RATE_LIMITS) {
    this.#limiters = {
      join: new RateLimiterMemory({ keyPrefix: 'join', ...config.join }),
      relay: new RateLimiterMemory({ keyPrefix: 'relay', ...config.relay }),
      ice: new RateLimiterMemory({ keyPrefix: 'ice', ...config.ice }),
      violations: new RateLimiterMemory({ keyPrefix: 'violations', ...config.violations }),
    };
  }

  /** Takes one point of `request`'s budget for socket `id`. */
  async take(request: LimitedRequest, id: string): Promise<RateDecision> {
    if (await this.#consume(this.#limiters[request], id)) return 'allow';
    return (await this.#consume(this.#limiters.violations, id)) ? 'refuse' : 'disconnect';
  }

  /** Forgets socket `id` (on disconnect), so memory follows the connected sockets. */
  async forget(id: string): Promise<void> {
    await Promise.all(Object.values(this.#limiters).map((limiter) => limiter.delete(id)));
  }

  async #consume(limiter: RateLimiterMemory, id: string): Promise<boolean> {
    try {
      await limiter.consume(id);
      return true;
    } catch (error) {
      if (error instanceof RateLimiterRes) return false;
      throw error;
    }
  }
}
