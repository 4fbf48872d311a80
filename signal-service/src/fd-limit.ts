/**
 * The process's open-file limit, and the connection cap that keeps the service below it.
 *
 * Every connection holds a file descriptor. Past the limit, `accept()` fails: new connections and
 * `/healthz` fail without a word, and existing ones cannot open files either. So the service caps
 * its socket.io connections below the limit (`MAX_CONNECTIONS`, default: the limit minus a
 * reserve for HTTP requests, health checks and files), caps all TCP connections just below the
 * limit (`http.Server.maxConnections`: the excess is closed at once and logged), and warns at
 * start-up when the limit is low or `MAX_CONNECTIONS` would not fit under it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';

/** Descriptors kept free for everything but socket.io connections: 10 % of the limit, 64 to 1,024. */
export function reserveFor(limit: number): number {
  return Math.min(1024, Math.max(64, Math.floor(limit / 10)));
}

/** The soft limit on open files (`ulimit -n`), or undefined when it cannot be read. */
export function readOpenFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((text) => text.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft === 'unlimited') return Number.MAX_SAFE_INTEGER;
    if (soft && /^\d+$/.test(soft)) return Number(soft);
  } catch {
    // Not Linux: ask a shell (a child inherits the limit).
  }
  const shell = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8', timeout: 2000 });
  const value = shell.stdout?.trim();
  if (value === 'unlimited') return Number.MAX_SAFE_INTEGER;
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Below this many open files, a busy service runs out of descriptors: warn. */
const LOW_LIMIT = 4096;

/**
 * The socket.io connection cap to use (`configured`, or the limit minus its reserve) and the TCP
 * cap for `http.Server.maxConnections` (undefined when the limit is unknown). Logs the limit, and
 * warns when it is low or when `configured` does not fit under it.
 */
export function connectionCaps(
  configured: number | undefined,
  limit: number | undefined,
  logger: Logger,
): { maxConnections: number; maxTcp?: number } {
  if (limit === undefined) {
    logger.warn('could not read the open-file limit: set MAX_CONNECTIONS below `ulimit -n`');
    return { maxConnections: configured ?? 10_000 };
  }
  const fits = limit - reserveFor(limit);
  const maxTcp = Math.max(1, limit - 32);
  if (limit < LOW_LIMIT) {
    logger.warn(
      { openFileLimit: limit },
      `the open-file limit is low (${limit}): raise it (ulimit -n, LimitNOFILE=) to hold more connections`,
    );
  }
  if (configured !== undefined && configured > fits) {
    logger.warn(
      { openFileLimit: limit, maxConnections: configured, fits },
      `MAX_CONNECTIONS (${configured}) leaves too few of the ${limit} open files for the rest; using ${fits}`,
    );
    return { maxConnections: fits, maxTcp };
  }
  return { maxConnections: configured ?? fits, maxTcp };
}
