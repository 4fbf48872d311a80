/**
 * The listeners of a host's server, put back as they were when a mounted service closes.
 *
 * Mounting (createSignalService) attaches socket.io to the host's server: engine.io removes the
 * server's `request` listeners and installs one that answers `/socket.io/` and hands the rest to
 * them, adds its own `upgrade`, `close` and `listening` listeners, and admission.ts wraps the
 * `request` and `upgrade` listeners again. socket.io's close() does not undo any of that (it
 * expects to close the server), so a closed service would go on answering `/socket.io/`
 * handshakes with sessions nobody serves. {@link watchListeners} records the listeners before the
 * attachment; `restore()` removes every listener added since and puts back the ones removed, in
 * their order, ahead of listeners the host added later.
 */
import type { EventEmitter } from 'node:events';

/** The events whose listeners mounting changes. */
const EVENTS = ['request', 'upgrade', 'close', 'listening'] as const;

type Listener = (...args: unknown[]) => void;

/**
 * Records `server`'s listeners now. `settle()`, once the service is attached, notes which
 * listeners it added; `restore()` (once, at close) removes those and puts back the ones it removed.
 */
export function watchListeners(server: EventEmitter): { settle(): void; restore(): void } {
  const before = new Map(EVENTS.map((event) => [event, server.listeners(event) as Listener[]]));
  let added = new Map<string, Listener[]>();
  return {
    settle() {
      added = new Map(
        EVENTS.map((event) => [
          event,
          (server.listeners(event) as Listener[]).filter((listener) => !before.get(event)!.includes(listener)),
        ]),
      );
    },
    restore() {
      for (const event of EVENTS) {
        for (const listener of added.get(event) ?? []) server.off(event, listener);
        const now = server.listeners(event);
        const missing = before.get(event)!.filter((listener) => !now.includes(listener));
        for (const listener of missing.reverse()) server.prependListener(event, listener);
      }
      added = new Map();
    },
  };
}
