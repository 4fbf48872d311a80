/**
 * Per-connection protections at the engine.io level, and the one way the service closes a
 * connection it gives up on.
 *
 * - **Bounded buffering.** Before each packet is queued for a connection, the bytes the service
 *   already holds for it (engine.io's write buffer plus the WebSocket's `bufferedAmount`) plus the
 *   new packet are checked against `MAX_BUFFERED_BYTES`. Over it, the connection is a slow
 *   consumer (it does not read what it is sent): it is closed at once. So the service never holds
 *   more than the cap, plus the packet being queued, for one connection.
 * - **Pongs only answer pings.** engine.io counts any pong as a sign of life, asked for or not, so
 *   a client that never reads could stay alive by sending pongs blindly. A connection whose pongs
 *   outnumber the pings the service has sent it is closed (`unsolicited-pong`).
 *
 * Closing (`closeConnection`) drops the TCP connection without a goodbye (a WebSocket is
 * terminated; long-polling is closed and discarded): the client library sees a lost connection and
 * reconnects, and the other members of its room are told the normal way (`room:peer-left`,
 * `disconnected`). The reason is logged once, by `logClose`, with every other close the service
 * causes (ping timeout, oversize, parse error).
 */
import type { Socket as EngineSocket } from 'engine.io';
import { clearWriteBuffer, connectionId, forgetHandshakeRequest, handshakeRequest, transportWebSocket } from './engine-internals.js';
import type { ThrottledLog } from './log-throttle.js';

/** Why the service closed a connection itself (log `reason` values). */
export type CloseReason = 'slow-consumer' | 'unsolicited-pong' | 'watch-timeout' | 'rate-limit';

/** Reasons given by {@link closeConnection}, for the close log. */
const closedBecause = new WeakMap<EngineSocket, { reason: CloseReason; details?: Record<string, unknown> }>();

/** Closes `conn` now, without a goodbye; the reason is logged when the close completes. */
export function closeConnection(conn: EngineSocket, reason: CloseReason, details?: Record<string, unknown>): void {
  if (conn.readyState === 'closed' || closedBecause.has(conn)) return;
  closedBecause.set(conn, { reason, ...(details && { details }) });
  // From now on engine.io queues nothing more for it (sendPacket skips a closing socket), and what
  // it held is dropped at once rather than when the close event comes.
  conn.readyState = 'closing';
  clearWriteBuffer(conn);
  const ws = transportWebSocket(conn);
  if (ws) ws.terminate();
  else conn.close(true);
}

/** Bytes of one engine.io packet's data (socket.io packets are pre-encoded strings). */
function sizeOf(data: unknown): number {
  if (typeof data === 'string') return data.length + 1;
  if (data && typeof (data as { byteLength?: unknown }).byteLength === 'number') return (data as { byteLength: number }).byteLength + 1;
  return 1;
}

/** Bytes a WebSocket transport holds unsent (0 for long-polling, whose data waits in the write buffer). */
function transportBuffered(conn: EngineSocket): number {
  return transportWebSocket(conn)?.bufferedAmount ?? 0;
}

/** What the guard keeps on each engine.io connection (three numbers; the listeners are shared). */
interface Guarded {
  vcQueued: number;
  vcPings: number;
}

/**
 * The protections of one server, and the logging of its connections' closes: `install(conn)` on
 * each new engine.io connection. The listeners are created once and shared by every connection
 * (engine.io calls them with the connection as `this`).
 */
export function connectionGuard(maxBufferedBytes: number, log: ThrottledLog, debug: (fields: object, message: string) => void) {
  function onPacketCreate(this: EngineSocket & Guarded, packet: { type: string; data?: unknown }): void {
    if (packet.type === 'ping') this.vcPings++;
    const size = sizeOf(packet.data);
    const held = this.vcQueued + transportBuffered(this);
    this.vcQueued += size;
    if (held + size > maxBufferedBytes) closeConnection(this, 'slow-consumer', { heldBytes: held, packetBytes: size, maxBufferedBytes });
  }
  function onPacket(this: EngineSocket & Guarded, packet: { type: string }): void {
    if (packet.type !== 'pong') return;
    if (this.vcPings === 0) closeConnection(this, 'unsolicited-pong');
    else this.vcPings--;
  }
  function onClose(this: EngineSocket, engineReason: string, description?: unknown): void {
    logClose(this, engineReason, description, log, debug);
  }
  return {
    install(conn: EngineSocket): void {
      Object.assign(conn, { vcQueued: 0, vcPings: 0 } satisfies Guarded);
      conn.on('packetCreate', onPacketCreate);
      conn.on('packet', onPacket);
      conn.on('close', onClose);
    },
    /** The server's `flush` event: `conn`'s write buffer went to the transport, where bufferedAmount counts it. */
    flushed(conn: EngineSocket): void {
      (conn as EngineSocket & Guarded).vcQueued = 0;
    },
  };
}

/**
 * Logs the close of `conn` when the service caused it (at info, or warn for abuse), and others at
 * debug. engine.io reasons: `ping timeout`, `transport error` (a message over the size limit, or
 * a broken frame), `parse error`, `forced close`, `transport close` (the client went away).
 */
function logClose(
  conn: EngineSocket,
  engineReason: string,
  description: unknown,
  log: ThrottledLog,
  debug: (fields: object, message: string) => void,
): void {
  const own = closedBecause.get(conn);
  const fields = { address: conn.remoteAddress, conn: connectionId(conn) };
  if (own) {
    const level = own.reason === 'slow-consumer' || own.reason === 'unsolicited-pong' || own.reason === 'rate-limit' ? 'warn' : 'info';
    return log(level, own.reason, { ...fields, reason: own.reason, ...own.details }, 'closed a connection');
  }
  const error = description instanceof Error ? description : undefined;
  if (engineReason === 'ping timeout') return log('info', 'ping-timeout', { ...fields, reason: 'ping-timeout' }, 'closed a connection');
  if (engineReason === 'parse error') return log('warn', 'parse-error', { ...fields, reason: 'parse-error' }, 'closed a connection');
  if (engineReason === 'transport error') {
    const oversize = /max payload|too large/i.test(error?.message ?? (typeof description === 'string' ? description : ''));
    const reason = oversize ? 'oversize' : 'transport-error';
    return log('warn', reason, { ...fields, reason, error: error?.message ?? null }, 'closed a connection');
  }
  debug({ ...fields, reason: engineReason }, 'connection closed');
}

/**
 * Drops what a connection keeps of its handshake once socket.io has built `socket.handshake`: the
 * HTTP request's headers and query (engine.io's `conn.request`, which closures of its handshake
 * keep alive, and the closure of its upgrade error listener) and the handshake's references to
 * them. Nothing of the service reads them later; about 3 KiB per connection.
 */
export function dropHandshake(conn: EngineSocket, handshake: { headers: unknown; query: unknown; time: string; url: string }): void {
  // engine.io's handshake closures keep the request itself alive: empty what it holds.
  const request = handshakeRequest(conn);
  if (request) Object.assign(request, { rawHeaders: NONE, headers: EMPTY, _query: EMPTY });
  forgetHandshakeRequest(conn);
  Object.assign(handshake, { headers: EMPTY, query: EMPTY, time: '', url: '' });
  const ws = transportWebSocket(conn);
  for (const listener of ws?.listeners('error') ?? []) {
    if (listener.name === 'onUpgradeError') ws?.off('error', listener);
  }
}
const EMPTY = Object.freeze({});
const NONE = Object.freeze([]);
