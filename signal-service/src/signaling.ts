/**
 * The socket.io side of the service: room presence, room-scoped relay of SDP and ICE candidates,
 * and ICE servers for room members. The contract is protocol.ts; PROTOCOL.md describes it.
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
 * - no handler throws into socket.io: failures are logged and answered with `internal-error`.
 */
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import { iceServersFor, type IceProvider } from './ice/index.js';
import type {
  Ack,
  ClientToServerEvents,
  ErrorCode,
  InterServerEvents,
  PeerLeft,
  ServerToClientEvents,
  SocketData,
} from './protocol.js';
import { ORIGIN_NOT_ALLOWED, createOriginPolicy, originHeader, type OriginPolicy } from './origins.js';
import { SocketRateLimiter, type LimitedRequest } from './rate-limits.js';
import type { RoomStore } from './rooms.js';
import { joinRequestSchema, parsePayload, relayRequestSchema } from './schemas.js';
import { createTicketVerifier, type TicketVerifier } from './tickets.js';

/** Largest message the service accepts, in bytes: an SDP (≤ 32 KiB) plus framing. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** What the socket.io handlers need: the room store, ICE provider, logger, and policies. */
export interface SignalingDeps {
  rooms: RoomStore;
  ice: IceProvider;
  logger: Logger;
  /** STUN URLs answered when the ICE provider fails. */
  fallbackStunUrls: string[];
  /** Per-socket budgets; default {@link DEFAULT_RATE_LIMITS}. */
  rateLimiter?: SocketRateLimiter;
  /** Which sites' pages may connect (`ALLOWED_ORIGINS`); default: any. */
  origins?: OriginPolicy;
  /** Room ticket checks (`ROOM_TICKET_SECRET`); default: none required. */
  tickets?: TicketVerifier;
}

/** The socket.io server, typed with the protocol's event maps (protocol.ts). */
export type SignalServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type SignalSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type Reply = (result: Ack<Record<string, unknown>>) => void;

const fail = (code: ErrorCode, message: string) => ({ ok: false as const, error: { code, message } });

/**
 * The socket.io room of a call room. socket.io also keeps every socket in a room named after its
 * own id, and ids match the room-name pattern: the prefix (":" never occurs in a room name)
 * keeps a call room from ever being the private room of a socket.
 */
const ioRoom = (room: string) => `room:${room}`;

/** Attaches the socket.io server to `httpServer` (the one Hono's node adapter created). */
export function attachSignaling(httpServer: HttpServer, deps: SignalingDeps): SignalServer {
  const origins = deps.origins ?? createOriginPolicy();
  const tickets = deps.tickets ?? createTicketVerifier(undefined);
  const io: SignalServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    // A lost connection is noticed within pingInterval + pingTimeout = 3.5 s (default: 45 s), so
    // the other member learns within 5 s that its peer's network is gone.
    pingInterval: 1500,
    pingTimeout: 2000,
    // Long-polling answers carry CORS headers for the allowed origins (any origin: echoed).
    cors: { origin: origins.allowedOrigins ? [...origins.allowedOrigins] : true },
    // CORS does not cover WebSockets: every handshake's Origin is checked here, for both transports
    // (engine.io calls this for the first request of a connection, before any socket exists).
    ...(origins.restricted && {
      allowRequest: (req, callback) => {
        const origin = originHeader(req.headers);
        if (origins.allows(origin, true)) return callback(null, true);
        deps.logger.info({ origin: origin ?? null }, 'refused a connection from an origin not in ALLOWED_ORIGINS');
        callback(ORIGIN_NOT_ALLOWED.message, false);
      },
    }),
  });
  const limiter = deps.rateLimiter ?? new SocketRateLimiter();
  io.on('connection', (socket) => registerHandlers(io, socket, deps, limiter, tickets));
  return io;
}

/**
 * Registers `handler` for `event`. socket.io passes whatever the client sent, so the payload is
 * `unknown` and the acknowledgement may be missing: `reply` is then a no-op and `hasAck` false.
 */
function on(
  socket: SignalSocket,
  event: keyof ClientToServerEvents,
  logger: Logger,
  handler: (payload: unknown, reply: Reply, hasAck: boolean) => Promise<void>,
): void {
  const listener = (...args: unknown[]) => {
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as Reply) : undefined;
    const payload = ack && args.length === 1 ? undefined : args[0];
    const reply: Reply = (result) => ack?.(result);
    handler(payload, reply, ack !== undefined).catch((error: unknown) => {
      logger.error({ err: error, event, socket: socket.id }, 'handler failed');
      reply(fail('internal-error', 'The service could not handle this request.'));
    });
  };
  (socket.on as (event: string, listener: (...args: unknown[]) => void) => void)(event, listener);
}

function registerHandlers(
  io: SignalServer,
  socket: SignalSocket,
  deps: SignalingDeps,
  limiter: SocketRateLimiter,
  tickets: TicketVerifier,
): void {
  const { rooms, logger } = deps;
  socket.data.name = '';

  /** Takes a point of the socket's budget; answers `rate-limited` (or disconnects) when none is left. */
  const withinLimit = async (request: LimitedRequest, reply: Reply): Promise<boolean> => {
    const decision = await limiter.take(request, socket.id);
    if (decision === 'allow') return true;
    if (decision === 'disconnect') {
      logger.warn({ socket: socket.id, request }, 'disconnecting a socket that keeps exceeding its rate limits');
      reply(fail('rate-limited', 'Too many requests; disconnecting.'));
      socket.disconnect(true);
    } else {
      reply(fail('rate-limited', 'Too many requests; try again later.'));
    }
    return false;
  };

  /** Removes the socket from its room and tells the member left behind. */
  const leaveRoom = async (reason: PeerLeft['reason']): Promise<boolean> => {
    const left = await rooms.leave(socket.id);
    socket.data.room = undefined;
    if (!left) return false;
    await socket.leave(ioRoom(left.room));
    // except(): a join sent right after the leave may already have put this socket back in.
    const { id, name, session } = left.member;
    io.to(ioRoom(left.room)).except(socket.id).emit('room:peer-left', { id, name, session, reason });
    logger.debug({ room: left.room, socket: socket.id }, 'left room');
    return true;
  };

  on(socket, 'room:join', logger, async (payload, reply, hasAck) => {
    // A join nobody can answer would take a place whose role the client never learns.
    if (!hasAck || !(await withinLimit('join', reply))) return;
    const parsed = parsePayload(joinRequestSchema, payload);
    if (!parsed.ok) return reply(fail('invalid-payload', parsed.message));
    const { room, session, polite, ticket } = parsed.value;
    // Without ROOM_TICKET_SECRET this admits every join and ignores `ticket`.
    const admitted = await tickets.check(ticket, room);
    if (!admitted.ok) return reply(fail(admitted.code, admitted.message));
    // A ticket's name is the host site's word: it wins over the one the client chose.
    const name = admitted.name ?? parsed.value.name ?? '';

    const outcome = await rooms.join(room, { id: socket.id, name, session, polite });
    if (!outcome.ok) {
      return reply(
        outcome.reason === 'room-full'
          ? fail('room-full', 'This room already has two people in it.')
          : fail('already-in-room', 'This connection is already in a room; leave it first.'),
      );
    }
    if (outcome.replaced) {
      // The same client on a new connection: its old one is dead but not yet timed out. Close it
      // (it is no longer a member, so no room:peer-left follows).
      io.in(outcome.replaced.id).disconnectSockets(true);
      logger.debug({ room, socket: socket.id, replaced: outcome.replaced.id }, 'rejoin replaced an older connection');
    }
    if (socket.disconnected) {
      // The socket went away while the store was answering: undo, nobody to answer.
      await rooms.leave(socket.id);
      return;
    }
    socket.data.room = room;
    socket.data.name = outcome.member.name;
    await socket.join(ioRoom(room));
    const self = { id: socket.id, name: outcome.member.name, session: outcome.member.session };
    socket.to(ioRoom(room)).emit('room:peer-joined', self);
    logger.debug({ room, socket: socket.id, polite: outcome.member.polite }, 'joined room');
    reply({
      ok: true,
      self,
      peers: outcome.peers.map(({ id, name: peerName, session: peerSession }) => ({ id, name: peerName, session: peerSession })),
      polite: outcome.member.polite,
    });
  });

  on(socket, 'room:leave', logger, async (_payload, reply) => {
    if (!(await leaveRoom('left'))) return reply(fail('not-in-room', 'This connection is not in a room.'));
    reply({ ok: true });
  });

  on(socket, 'signal:relay', logger, async (payload, reply) => {
    if (!(await withinLimit('relay', reply))) return;
    const parsed = parsePayload(relayRequestSchema, payload);
    if (!parsed.ok) return reply(fail('invalid-payload', parsed.message));
    const room = socket.data.room;
    if (room === undefined) return reply(fail('not-in-room', 'Join a room before sending signals.'));
    const { to, signal } = parsed.value;
    if (to === socket.id || (await rooms.roomOf(to)) !== room) {
      return reply(fail('peer-not-found', 'No such peer in this room.'));
    }
    // `to(id)` addresses exactly one socket; `from` is stamped here, never taken from the client.
    io.to(to).emit('signal:relay', { from: socket.id, signal });
    reply({ ok: true });
  });

  on(socket, 'ice:servers', logger, async (_payload, reply) => {
    if (socket.data.room === undefined) {
      return reply(fail('not-in-room', 'Join a room before asking for ICE servers.'));
    }
    if (!(await withinLimit('ice', reply))) return;
    reply({ ok: true, ...(await iceServersFor(deps.ice, socket.id, logger, deps.fallbackStunUrls)) });
  });

  socket.on('disconnect', (why) => {
    void limiter.forget(socket.id);
    // The client closed on purpose, or was cut off by the service: it is not coming back.
    const onPurpose = why === 'client namespace disconnect' || why === 'server namespace disconnect';
    leaveRoom(onPurpose ? 'left' : 'disconnected').catch((error: unknown) => logger.error({ err: error, socket: socket.id }, 'leave on disconnect failed'));
  });
}
