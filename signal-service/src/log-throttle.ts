/**
 * Bounded logging of events a client can trigger at will (refused handshakes, closed
 * connections): every one is logged, up to `perWindow` lines per kind per window; past that, the
 * kind's lines are counted instead and one summary line says how many were not written. So an
 * attack shows in the logs without the logs becoming the attack.
 */
import type { Logger } from 'pino';

/** Logs `message` with `fields` at `level`, within the budget of `kind`. */
export type ThrottledLog = (level: 'info' | 'warn', kind: string, fields: Record<string, unknown>, message: string) => void;

/** `perWindow` lines per kind every `windowMs` (default 20 per 10 s). */
export function throttledLogger(logger: Logger, perWindow = 20, windowMs = 10_000): ThrottledLog {
  const counts = new Map<string, { written: number; suppressed: number }>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    for (const [kind, { suppressed }] of counts) {
      if (suppressed > 0) logger.warn({ kind, suppressed, windowMs }, `${suppressed} more "${kind}" events were not logged`);
    }
    counts.clear();
  };
  return (level, kind, fields, message) => {
    timer ??= setTimeout(flush, windowMs).unref();
    const count = counts.get(kind) ?? { written: 0, suppressed: 0 };
    counts.set(kind, count);
    if (count.written < perWindow) {
      count.written++;
      logger[level]({ ...fields, kind }, message);
    } else {
      count.suppressed++;
    }
  };
}
