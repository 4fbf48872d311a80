/**
 * The socket.io side of the service: room presence, room-scoped relay of signals (ring, accept,
 * SDP, ICE candidates, …; validated, never interpreted), and ICE servers for room members. The
 * contract is the video-call-protocol package (protocol/); its PROTOCOL.md describes it.
 *
 * Rules kept here:
 * - every payload is validated (schemas.ts) before it touches state; a bad one is answered with
 *   `invalid-payload` and changes nothing;
 * - a relayed message's `from` is the sender's socket id, stamped here;
 * - relay goes to one member of the sender's own room, never to a broadcast;
 * - ICE servers only for sockets that joined a room;
 * - with `ALLOWED_ORIGINS`, a handshake (WebSocket or long-polling) from any other `Origin`, or
 *   without one, is refused before a connection exists (origins.ts);
 * - with `ROOM_TICKET_SECRET`, a join needs a valid room ticket, checked after the payload and
 *   before the room store (tickets.ts);
 * - every incoming event takes a point of the socket's budget before anything else
 *   (socket-requests.ts, rate-limits.ts); new connections pass admission.ts (caps, per-address
 *   budget, load shedding); what the service holds for one connection is bounded, and pongs must
 *   answer pings (connection-guard.ts);
 * - a member's place can be taken back only with its rejoin token (rejoin-tokens.ts);
 * - every close the service causes is logged with its reason (connection-guard.ts);
 * - no handler throws into socket.io: failures are logged and answered with `internal-error`.
 *
 * Handlers: room-handlers.ts (join, leave), and below: relay, ICE servers, watch beats.
 *
 * Membership has one record, the RoomStore (`rooms.roomOf(socket.id)`); nothing is cached on the
 * socket. Room requests (join, leave, and the leave a disconnection implies) run one at a time
 * per socket in arrival order, and inside that one at a time per room, while the store, the
 * socket.io room and the other members' view change together. Hence: a leave followed at once by
 * a join cannot interleave with it; a socket that disconnects mid-join undoes its join, unseen,
 * before its leave runs; a member hears `room:peer-left` only about a member it was told about
 * (in `peers` or by `room:peer-joined`). Relays and `ice:servers` only read the store and are not
 * queued. With several nodes (`REDIS_URL`) the same order holds across them: room requests also
 * hold the store's room lock (room-handlers.ts, redis/room-lock.ts).
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import type { Socket as EngineSocket } from 'engine.io';
import { Server, type Socket } from 'socket.io';
import { closeConnection, connectionGuard, dropHandshake } from './connection-guard.js';
import { iceServersFor, type IceProvider } from './ice/index.js';
import { KeyedQueue } from './keyed-queue.js';
import type { LoadMonitor } from './load-monitor.js';
import { throttledLogger, type ThrottledLog } from './log-throttle.js';
import { ORIGIN_NOT_ALLOWED, createOriginPolicy, originHeader, type OriginPolicy } from './origins.js';
import type { ServiceMetrics } from './metrics.js';
import { DEFAULT_ROOM_CAPACITY, MAX_MESSAGE_BYTES, type ClientToServerEvents, type ServerToClientEvents } from 'video-call-protocol';
import { SocketRateLimiter } from './rate-limits.js';
import { createRejoinTokens, type RejoinTokens } from './rejoin-tokens.js';
import { createRoomHandlers } from './room-handlers.js';
import type { RoomStore } from './rooms.js';
import { parsePayload, relayRequestSchema, watchBeatSchema } from './schemas.js';
import { Budgets, fail, routeEvents, type Handler } from './socket-requests.js';
import { createTicketVerifier, type TicketVerifier } from './tickets.js';

/** What the socket.io handlers need: the room store, ICE provider, logger, and policies. */
export interface SignalingDeps {
  rooms: RoomStore;
  ice: IceProvider;
  logger: Logger;
  /** STUN URLs answered when the ICE provider fails. */
  fallbackStunUrls: string[];
  /** Heartbeat (engine.io) and the cap of what is held unsent for one connection. */
  connection: { pingIntervalMs: number; pingTimeoutMs: number; maxBufferedBytes: number };
  /** Load shedding's signal: new joins are refused while overloaded. */
  load: LoadMonitor;
  /**
   * `ROOM_CAPACITY`: members a room holds when its first member's ticket claims no `capacity`
   * (2–6); default `DEFAULT_ROOM_CAPACITY` (2).
   */
  roomCapacity?: number;
  /** Per-socket budgets; default {@link DEFAULT_RATE_LIMITS}. */
  rateLimiter?: SocketRateLimiter;
  /** Which sites' pages may connect (`ALLOWED_ORIGINS`); default: any. */
  origins?: OriginPolicy;
  /** Room ticket checks (`ROOM_TICKET_SECRET`); default: none required. */
  tickets?: TicketVerifier;
  /** Rejoin tokens; default: signed with a random secret. */
  rejoinTokens?: RejoinTokens;
  /** Bounded log of client-triggered events; default: 20 lines per kind per 10 s. */
  log?: ThrottledLog;
  /** Counts answers and refused handshakes (metrics.ts); default: none. */
  metrics?: Pick<ServiceMetrics, 'answered' | 'handshakeRefused'>;
  /** The client's address of a request (`TRUST_PROXY`, trusted-proxy.ts); default: the TCP peer. */
  clientAddress?: (req: IncomingMessage) => string;
}

/**
 * Events between service nodes: none yet (one node, or a socket.io adapter's own). Server-only,
 * like {@link SocketData}: not in the protocol package, so clients' types never show them.
 */
export type InterServerEvents = Record<never, never>;
/**
 * What the service keeps on `socket.data`: only the timer of a `watch:beat` watch (membership
 * lives in the RoomStore only).
 */
export interface SocketData {
  watch?: NodeJS.Timeout;
}

/** The socket.io server, typed with the protocol's event maps (video-call-protocol). */
export type SignalServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
/** One connection's socket, typed like {@link SignalServer}. */
export type SignalSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Attaches the socket.io server to `httpServer` (the one Hono's node adapter created). */
export function attachSignaling(httpServer: HttpServer, deps: SignalingDeps): SignalServer {
  const origins = deps.origins ?? createOriginPolicy();
  const log = deps.log ?? throttledLogger(deps.logger);
  const { pingIntervalMs, pingTimeoutMs, maxBufferedBytes } = deps.connection;
  const io: SignalServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    // No /socket.io/socket.io.js (nor its source map): the widget bundles its client, and the file
    // would only tell anyone the exact socket.io version, outside SERVE_SOURCE_MAPS and the CSP.
    serveClient: false,
    // Idle connections cost little (PING_INTERVAL_MS, default 25 s); a client in a call asks for
    // a tighter watch with `watch:beat`.
    pingInterval: pingIntervalMs,
    pingTimeout: pingTimeoutMs,
    // An engine.io connection that never connects to the namespace is closed after 10 s.
    connectTimeout: 10_000,
    // Long-polling answers carry CORS headers for the allowed origins (any origin: echoed).
    cors: { origin: origins.allowedOrigins ? [...origins.allowedOrigins] : true },
    // CORS does not cover WebSockets: every handshake's Origin is checked here, for both transports
    // (engine.io calls this for the first request of a connection, before any socket exists).
    ...(origins.restricted && {
      allowRequest: (req, callback) => {
        const origin = originHeader(req.headers);
        if (origins.allows(origin, true)) return callback(null, true);
        log(
          'info',
          'refused-origin',
          { origin: origin ?? null, address: deps.clientAddress?.(req) ?? req.socket.remoteAddress },
          'refused a connection from an origin not in ALLOWED_ORIGINS',
        );
        deps.metrics?.handshakeRefused(ORIGIN_NOT_ALLOWED.code);
        callback(ORIGIN_NOT_ALLOWED.message, false);
      },
    }),
  });
  const guard = connectionGuard(maxBufferedBytes, log, (fields, message) => deps.logger.debug(fields, message));
  io.engine.on('connection', (conn: EngineSocket) => guard.install(conn));
  io.engine.on('flush', (conn: EngineSocket) => guard.flushed(conn));
  // engine.io's own answers (long-polling, the WebSocket upgrade) get the basic security headers too.
  io.engine.on('headers', (headers: Record<string, string>) => {
    headers['X-Content-Type-Options'] = 'nosniff';
    headers['Cache-Control'] = 'no-store';
  });
  io.engine.on('connection_error', (error: { code: number; message: string; req?: IncomingMessage }) => {
    // Origin refusals are logged above; these are malformed handshakes (bad transport, unknown sid, …).
    if (error.message === ORIGIN_NOT_ALLOWED.message) return;
    // The client's address (behind a trusted proxy, the one it names), as every other log line.
    const address = error.req && (deps.clientAddress?.(error.req) ?? error.req.socket?.remoteAddress);
    log('info', 'refused-bad-request', { address, code: error.code, error: error.message }, 'refused a connection');
  });
  const budgets = new Budgets(deps.rateLimiter ?? new SocketRateLimiter(), deps.logger);
  const handlers = createHandlers(io, deps, budgets);
  const { logger } = deps;
  // Shared by every socket (socket.io calls them with the socket as `this`).
  function onError(this: SignalSocket, error: Error): void {
    logger.warn({ socket: this.id, reason: 'parse-error', error: error.message }, 'bad packet');
  }
  function onDisconnect(this: SignalSocket, why: string): void {
    clearTimeout(this.data.watch);
    void budgets.forget(this);
    // The client closed on purpose, or was cut off by the service: it is not coming back.
    const onPurpose = why === 'client namespace disconnect' || why === 'server namespace disconnect';
    // In turn: a join still being handled finishes (or undoes itself) first.
    handlers
      .leaveOnDisconnect(this, onPurpose ? 'left' : 'disconnected')
      .catch((error: unknown) => logger.error({ err: error, socket: this.id }, 'leave on disconnect failed'));
  }
  io.on('connection', (socket) => {
    dropHandshake(socket.conn, socket.handshake);
    routeEvents(socket, handlers.byEvent, budgets, logger, deps.metrics?.answered);
    // socket.io reports undecodable packets here.
    socket.on('error', onError);
    socket.on('disconnect', onDisconnect);
  });
  return io;
}

/** The handlers of every client event, shared by every socket of `io`. */
function createHandlers(io: SignalServer, deps: SignalingDeps, budgets: Budgets) {
  const { rooms, logger } = deps;
  const room = createRoomHandlers({
    io,
    rooms,
    logger,
    budgets,
    load: deps.load,
    roomCapacity: deps.roomCapacity ?? DEFAULT_ROOM_CAPACITY,
    tickets: deps.tickets ?? createTicketVerifier(undefined),
    rejoinTokens: deps.rejoinTokens ?? createRejoinTokens(undefined),
    queues: { sockets: new KeyedQueue(), rooms: new KeyedQueue() },
  });

  const relay: Handler<SignalSocket> = async (socket, payload, reply) => {
    if (!(await budgets.take(socket, 'relay', reply))) return;
    const parsed = parsePayload(relayRequestSchema, payload);
    if (!parsed.ok) return reply(fail('invalid-payload', parsed.message));
    const { to, signal } = parsed.value;
    const [joined, peerRoom] = await Promise.all([rooms.roomOf(socket.id), rooms.roomOf(to)]);
    if (joined === undefined) return reply(fail('not-in-room', 'Join a room before sending signals.'));
    if (to === socket.id || peerRoom !== joined) return reply(fail('peer-not-found', 'No such peer in this room.'));
    // `to(id)` addresses exactly one socket; `from` is stamped here, never taken from the client.
    io.to(to).emit('signal:relay', { from: socket.id, signal });
    reply({ ok: true });
  };

  const ice: Handler<SignalSocket> = async (socket, _payload, reply) => {
    if ((await rooms.roomOf(socket.id)) === undefined) {
      return reply(fail('not-in-room', 'Join a room before asking for ICE servers.'));
    }
    if (!(await budgets.take(socket, 'ice', reply))) return;
    reply({ ok: true, ...(await iceServersFor(deps.ice, socket.id, logger, deps.fallbackStunUrls)) });
  };

  /** The watch a client in a call asked for: the connection counts as lost when a beat is late. */
  const watch: Handler<SignalSocket> = async (socket, payload, reply) => {
    if (!(await budgets.take(socket, 'watch', reply))) return;
    const parsed = parsePayload(watchBeatSchema, payload);
    if (!parsed.ok) return reply(fail('invalid-payload', parsed.message));
    clearTimeout(socket.data.watch);
    socket.data.watch = undefined;
    const { next } = parsed.value;
    if (next > 0 && socket.connected) {
      socket.data.watch = setTimeout(() => closeConnection(socket.conn, 'watch-timeout', { socket: socket.id, next }), next);
    }
    reply({ ok: true });
  };

  return {
    byEvent: { 'room:join': room.join, 'room:leave': room.leave, 'signal:relay': relay, 'ice:servers': ice, 'watch:beat': watch },
    leaveOnDisconnect: room.leaveOnDisconnect,
  };
}
