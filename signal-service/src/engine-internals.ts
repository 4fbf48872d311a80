/**
 * The few engine.io internals the service reaches, in one typed place (engine.io 6.6; its
 * `Socket` and `Server` types leave them out or mark them protected). Everything else uses
 * engine.io's public API. signal-service/test/engine-internals.test.ts checks every one of them
 * against a real engine.io connection, so an engine.io release that changes their shape fails
 * that test, not a call in production.
 *
 * - `Socket.writeBuffer`: packets queued for the transport (emptied when a connection is dropped).
 * - `Socket.transport.socket`: the `ws` WebSocket of a WebSocket transport (`bufferedAmount`,
 *   `terminate()`, its listeners), absent for long-polling.
 * - `Socket.id`, `Socket.request`: the connection's id, and the handshake's HTTP request (kept
 *   alive by engine.io's closures: emptied once socket.io has read it).
 * - `Server.clients`: the open connections by id (drain closes them all).
 * - socket.io's `Server.httpServer`: the HTTP server it was attached to (forgotten when mounted
 *   on a host's server, so that `io.close()` leaves that server open).
 */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Server as EngineServer, Socket as EngineSocket } from 'engine.io';

/** The `ws` WebSocket under a WebSocket transport, as far as the service uses it. */
export interface TransportWebSocket {
  bufferedAmount: number;
  terminate(): void;
  listeners(event: 'error'): ((...args: unknown[]) => void)[];
  off(event: 'error', listener: (...args: unknown[]) => void): void;
}

interface SocketInternals {
  id: string;
  writeBuffer: unknown[];
  request?: IncomingMessage & { _query?: unknown };
  transport: { name: string; socket?: TransportWebSocket };
}

const internals = (conn: EngineSocket) => conn as unknown as SocketInternals;

/** The connection's engine.io id. */
export const connectionId = (conn: EngineSocket): string => internals(conn).id;

/** `'websocket'` or `'polling'`: the transport the connection uses now. */
export const transportName = (conn: EngineSocket): string => internals(conn).transport.name;

/** The WebSocket of a WebSocket transport, or undefined for long-polling. */
export function transportWebSocket(conn: EngineSocket): TransportWebSocket | undefined {
  const socket = internals(conn).transport.socket;
  return typeof socket?.terminate === 'function' ? socket : undefined;
}

/** Drops every packet queued for the connection and not yet handed to its transport. */
export function clearWriteBuffer(conn: EngineSocket): void {
  internals(conn).writeBuffer = [];
}

/** The handshake's HTTP request, while engine.io still holds it. */
export const handshakeRequest = (conn: EngineSocket) => internals(conn).request;

/** Makes engine.io forget the handshake's HTTP request. */
export function forgetHandshakeRequest(conn: EngineSocket): void {
  internals(conn).request = undefined;
}

/** The open connections of an engine.io server. */
export function openConnections(engine: EngineServer): EngineSocket[] {
  return Object.values((engine as unknown as { clients: Record<string, EngineSocket> }).clients);
}

/** Makes socket.io forget the HTTP server it is attached to (its `close()` then leaves that server open). */
export function detachHttpServer(io: object): void {
  (io as { httpServer?: HttpServer }).httpServer = undefined;
}
