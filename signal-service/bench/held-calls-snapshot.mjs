// Loaded into the signal service by signal-service/bench/held-calls.ts only (node --import, next to
// bench/soak-service-gc.mjs): debug hooks over the IPC channel that held-calls.ts opens.
// - `{ op: 'snapshot', file }` writes a V8 heap snapshot to `file` (v8.writeHeapSnapshot runs a
//   full GC first) and answers `{ op: 'snapshot', file }`, or `{ op: 'snapshot', error }`;
// - `{ op: 'spaces' }` answers `{ op: 'spaces', spaces: { <V8 heap space>: <bytes used> } }`
//   (v8.getHeapSpaceStatistics; no GC of its own: ask right after soak-service-gc.mjs's).
// Plain JavaScript so that it also runs in the built service, without tsx. It changes nothing else
// in the service; without an IPC channel it does nothing.
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

if (process.send) {
  process.on('message', (message) => {
    if (message?.op === 'spaces') {
      const spaces = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size]));
      process.send?.({ op: 'spaces', spaces });
      return;
    }
    if (message?.op !== 'snapshot' || typeof message.file !== 'string') return;
    try {
      process.send?.({ op: 'snapshot', file: writeHeapSnapshot(message.file) });
    } catch (error) {
      process.send?.({ op: 'snapshot', error: String(error) });
    }
  });
  // The IPC channel must not keep the service alive, nor stop it from draining on SIGTERM.
  process.channel?.unref();
}
