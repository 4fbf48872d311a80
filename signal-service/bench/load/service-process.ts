/**
 * The service under load, alone in its own process (load-bench.ts spawns it), configured from the
 * environment like main.ts (PORT, HOST, LOG_LEVEL and the limits). `BENCH_SERVICE_SRC` may point
 * at another copy of signal-service/src (e.g. an older commit's) to compare versions.
 *
 * IPC: `{ op: 'stats' }` answers this process's RSS, heap, CPU time and connection count;
 * `{ op: 'gc' }` runs full garbage collections first (node --expose-gc).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import type * as ConfigModule from '../../src/config.js';
import type * as ServerModule from '../../src/server.js';

const src = process.env.BENCH_SERVICE_SRC ?? path.resolve(import.meta.dirname, '../../src');
const { loadConfig } = (await import(pathToFileURL(path.join(src, 'config.ts')).href)) as typeof ConfigModule;
const { startSignalService } = (await import(pathToFileURL(path.join(src, 'server.ts')).href)) as typeof ServerModule;

const service = await startSignalService(loadConfig(), { logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }) });

export interface ServiceStats {
  rss: number;
  heapUsed: number;
  /** CPU time since start, µs (user + system). */
  cpuUs: number;
  connections: number;
  /** Load shedding's signal, when this version of the service has one. */
  lagMs?: number;
  overloaded?: boolean;
}

function stats(): ServiceStats {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const load = (service as { load?: { lagMs: number; overloaded: boolean } }).load;
  return {
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    cpuUs: cpu.user + cpu.system,
    connections: service.io.engine.clientsCount,
    lagMs: load?.lagMs,
    overloaded: load?.overloaded,
  };
}

/** The answer to one IPC request: this process's stats, after full collections for `gc`. */
async function answer(op: 'stats' | 'gc'): Promise<ServiceStats> {
  if (op === 'gc') {
    for (let i = 0; i < 3; i++) {
      globalThis.gc?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return stats();
}

process.on('message', (message: { id: number; op: 'stats' | 'gc' }) => {
  answer(message.op).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.on('disconnect', () => {
  void service.close().finally(() => process.exit(0));
});
process.send?.({ ready: true, port: service.port });
