/**
 * Load shedding's signal: the event loop's lag. While it is over `MAX_EVENT_LOOP_LAG_MS`, the
 * service refuses new connections (admission.ts, 503 `overloaded`) and new joins (`overloaded`),
 * so that the calls already set up keep their signaling.
 *
 * Lag is node:perf_hooks `monitorEventLoopDelay` (10 ms resolution), read every second: its 90th
 * percentile over that second. The service enters overload after two seconds in a row over the
 * threshold (one long GC pause does not shed anyone) and leaves it after two seconds in a row
 * under half of it. Each change is logged.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from 'pino';

export interface LoadMonitor {
  /** True while new connections and joins are being shed. */
  readonly overloaded: boolean;
  /** The last second's 90th percentile of event-loop delay, ms. */
  readonly lagMs: number;
  /** Tests: pin `overloaded` to a value (undefined: measure again). */
  force(overloaded: boolean | undefined): void;
  stop(): void;
}

const WINDOW_MS = 1000;
const WINDOWS_TO_CHANGE = 2;

/** Starts measuring; `maxLagMs` is `MAX_EVENT_LOOP_LAG_MS`. */
export function startLoadMonitor(maxLagMs: number, logger: Logger): LoadMonitor {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let measured = false;
  let forced: boolean | undefined;
  let lagMs = 0;
  let streak = 0;
  const timer = setInterval(() => {
    // Delays are in ns; the sampling timer itself adds its resolution (10 ms) to each one.
    lagMs = Math.max(0, histogram.percentile(90) / 1e6 - 10);
    histogram.reset();
    const pushing = measured ? lagMs < maxLagMs / 2 : lagMs > maxLagMs;
    streak = pushing ? streak + 1 : 0;
    if (streak < WINDOWS_TO_CHANGE) return;
    streak = 0;
    measured = !measured;
    if (measured) logger.warn({ lagMs: Math.round(lagMs), maxLagMs }, 'overloaded: shedding new connections and joins');
    else logger.info({ lagMs: Math.round(lagMs) }, 'load back to normal: accepting new connections and joins');
  }, WINDOW_MS);
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
      histogram.disable();
    },
  };
}
