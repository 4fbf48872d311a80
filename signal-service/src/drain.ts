/**
 * Graceful drain of one node (on SIGTERM, main.ts; or `service.drain()` of a mounted service).
 *
 * Media never passes through the service (calls are peer to peer), so a call in progress loses
 * nothing but its signaling for a moment: the drain moves every client to another node.
 *
 * 1. The node stops taking new connections: `draining` turns true, so `/readyz` answers 503
 *    `draining` (load balancers stop sending new clients) and every new socket.io handshake is
 *    refused with 503 `draining` (admission.ts; nginx's `proxy_next_upstream http_503` hands it to
 *    another node). `/healthz` still answers 200: the process is alive.
 * 2. Every client of this node is sent `server:draining` (video-call-protocol), then its connection is
 *    closed at the engine.io level, after what it was sent: the client sees `transport close`,
 *    not a socket.io goodbye, so a standard client (the widget) reconnects by itself with its
 *    back-off, to whichever node the load balancer picks, and rejoins its room with its rejoin
 *    token. Its peer connection, and so the call's media, is untouched meanwhile.
 * 3. The drain ends when this node holds no connection, or after `timeoutMs` (`DRAIN_TIMEOUT_MS`)
 *    with the connections that would not close (a client that stopped reading) still counted.
 *    The caller then closes the service (server.ts `close()`), which ends whatever is left.
 *
 * Each member that leaves this way is a `disconnected` leave for the other members of its room
 * (`room:peer-left` `disconnected`: it is coming back).
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { SignalServer } from './signaling.js';
import { openConnections } from './engine-internals.js';

/** How a drain ended. */
export interface DrainResult {
  /** True when every connection closed before the timeout. */
  drained: boolean;
  /** Connections still open when the drain ended (0 when drained). */
  remaining: number;
  /** How long the drain took, ms. */
  ms: number;
}

/** One node's drain. */
export interface Drainer {
  /** True from the start of the drain on (never false again). */
  readonly draining: boolean;
  /**
   * Starts the drain and resolves when it ends (see the file comment). Calling it again returns
   * the drain already under way. `timeoutMs`: 1 or more.
   */
  drain(timeoutMs: number): Promise<DrainResult>;
}

/** How often the drain checks whether the last connection has closed, ms. */
const POLL_MS = 20;

/** The drain of the node that `io` serves. */
export function createDrainer(io: SignalServer, logger: Logger): Drainer {
  let under: Promise<DrainResult> | undefined;
  return {
    get draining() {
      return under !== undefined;
    },
    drain(timeoutMs) {
      under ??= run(io, logger, Math.max(1, timeoutMs));
      return under;
    },
  };
}

async function run(io: SignalServer, logger: Logger, timeoutMs: number): Promise<DrainResult> {
  const started = performance.now();
  const engine = io.engine;
  logger.info({ connections: engine.clientsCount, timeoutMs }, 'draining: refusing new connections and moving clients to other nodes');
  // This node's clients only (with a Redis adapter, io.emit would reach every node's).
  io.local.emit('server:draining');
  for (const conn of openConnections(engine)) {
    // Not a socket.io disconnect (after which clients do not reconnect): the transport closes
    // once the notice above has gone out.
    conn.close();
  }
  const deadline = started + timeoutMs;
  while (engine.clientsCount > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - performance.now()))));
  }
  const result = { drained: engine.clientsCount === 0, remaining: engine.clientsCount, ms: Math.round(performance.now() - started) };
  if (result.drained) logger.info(result, 'drained');
  else logger.warn({ ...result, timeoutMs }, 'drain timed out: connections left open');
  return result;
}
