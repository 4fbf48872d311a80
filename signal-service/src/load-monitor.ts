/**
 * Load shedding's signal: the event loop's lag. While it is over `MAX_EVENT_LOOP_LAG_MS`, the
 * service refuses new connections (admission.ts, 503 `overloaded`) and new joins (`overloaded`),
 * so that the calls already set up keep their signaling.
 *
 * Lag is how late a 250 ms timer fires, averaged over each second (four samples): the time a
 * callback waits behind the work already queued. (perf_hooks' `monitorEventLoopDelay` wakes the
 * process 100 times a second, which alone cost 0.8 % of a core on an idle service.) The service
 * enters overload after two seconds in a row over the threshold (one long GC pause does not shed
 * anyone) and leaves it after two seconds in a row under half of it. Each change is logged.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';

export interface LoadMonitor {
  /** True while new connections and joins are being shed. */
  readonly overloaded: boolean;
  /** The last second's mean event-loop lag, ms. */
  readonly lagMs: number;
  /** Tests: pin `overloaded` to a value (undefined: measure again). */
  force(overloaded: boolean | undefined): void;
  stop(): void;
}

const SAMPLE_MS = 250;
const SAMPLES_PER_WINDOW = 4;
const WINDOWS_TO_CHANGE = 2;

/** Starts measuring; `maxLagMs` is `MAX_EVENT_LOOP_LAG_MS`. */
export function startLoadMonitor(maxLagMs: number, logger: Logger): LoadMonitor {
  let measured = false;
  let forced: boolean | undefined;
  let lagMs = 0;
  let streak = 0;
  let expected = performance.now() + SAMPLE_MS;
  let sum = 0;
  let samples = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    sum += Math.max(0, now - expected);
    expected = now + SAMPLE_MS;
    if (++samples < SAMPLES_PER_WINDOW) return;
    lagMs = sum / samples;
    sum = 0;
    samples = 0;
    const pushing = measured ? lagMs < maxLagMs / 2 : lagMs > maxLagMs;
    streak = pushing ? streak + 1 : 0;
    if (streak < WINDOWS_TO_CHANGE) return;
    streak = 0;
    measured = !measured;
    if (measured) logger.warn({ lagMs: Math.round(lagMs), maxLagMs }, 'overloaded: shedding new connections and joins');
    else logger.info({ lagMs: Math.round(lagMs) }, 'load back to normal: accepting new connections and joins');
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
