/**
 * Load shedding's signal: the event loop's lag. While it is over `MAX_EVENT_LOOP_LAG_MS`, the
 * service refuses new connections (admission.ts, 503 `overloaded`) and new joins (`overloaded`),
 * so that the calls already set up keep their signaling.
 *
 * Lag is how late a 250 ms timer fires: the time a callback waits behind the work already queued.
 * (perf_hooks' `monitorEventLoopDelay` wakes the process 100 times a second, which alone cost
 * 0.8 % of a core on an idle service.) The service enters overload when the timer is late by
 * more than the threshold twice in a row, or by more than four times the threshold once (a
 * stall: one loop turn chewing through a backlog of many sockets' data), so that one GC pause
 * sheds nobody; it leaves overload after 2 s without a lag over half the threshold. Each change
 * is logged.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';

export interface LoadMonitor {
  /** True while new connections and joins are being shed. */
  readonly overloaded: boolean;
  /** How late the last 250 ms tick fired, ms. */
  readonly lagMs: number;
  /** Tests: pin `overloaded` to a value (undefined: measure again). */
  force(overloaded: boolean | undefined): void;
  stop(): void;
}

const SAMPLE_MS = 250;
/** How long the lag must stay under half the threshold before new work is accepted again, ms. */
const CALM_MS = 2000;

/** Starts measuring; `maxLagMs` is `MAX_EVENT_LOOP_LAG_MS`. */
export function startLoadMonitor(maxLagMs: number, logger: Logger): LoadMonitor {
  let measured = false;
  let forced: boolean | undefined;
  let lagMs = 0;
  let lateInARow = 0;
  let calmSince = 0;
  let expected = performance.now() + SAMPLE_MS;
  const timer = setInterval(() => {
    const now = performance.now();
    lagMs = Math.max(0, now - expected);
    expected = now + SAMPLE_MS;
    if (!measured) {
      lateInARow = lagMs > maxLagMs ? lateInARow + 1 : 0;
      if (lateInARow < 2 && lagMs <= 4 * maxLagMs) return;
      measured = true;
      calmSince = now;
      logger.warn({ lagMs: Math.round(lagMs), maxLagMs }, 'overloaded: shedding new connections and joins');
    } else if (lagMs > maxLagMs / 2) {
      calmSince = now;
    } else if (now - calmSince >= CALM_MS) {
      measured = false;
      lateInARow = 0;
      logger.info({ lagMs: Math.round(lagMs) }, 'load back to normal: accepting new connections and joins');
    }
  }, SAMPLE_MS);
  timer.unref();
  return {
    get overloaded() {
      return forced ?? measured;
    },
    get lagMs() {
      return lagMs;
    },
    force(value) {
      forced = value;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
