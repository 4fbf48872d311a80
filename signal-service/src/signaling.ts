/**
 * The socket.io side of the service: room presence, room-scoped relay of signals (ring, accept,
 * SDP, ICE candidates, …; validated, never interpreted), and ICE servers for room members. The
 * contract is protocol.ts; PROTOCOL.md describes it.
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
 *
 * Membership has one record, the RoomStore (`rooms.roomOf(socket.id)`); nothing is cached on the
 * socket. Room requests (join, leave, and the leave a disconnection implies) run one at a time
 * per socket in arrival order, and inside that one at a time per room, while the store, the
 * socket.io room and the other member's view change together. Hence: a leave followed at once by
 * a join cannot interleave with it; a socket that disconnects mid-join undoes its join, unseen,
 * before its leave runs; a member hears `room:peer-left` only about a member it was told about
 * (in `peers` or by `room:peer-joined`). Relays and `ice:servers` only read the store and are not
 * queued. (Per node: several nodes sharing rooms will need the store to keep the same order.)
 */
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import { iceServersFor, type IceProvider } from './ice/index.js';
import {
  MAX_MESSAGE_BYTES,
  type Ack,
  type ClientToServerEvents,
  type ErrorCode,
  type PeerLeft,
  type ServerToClientEvents,
} from './protocol.js';
import { ORIGIN_NOT_ALLOWED, createOriginPolicy, originHeader, type OriginPolicy } from './origins.js';
import { KeyedQueue } from './keyed-queue.js';
import { SocketRateLimiter, type LimitedRequest } from './rate-limits.js';
import type { RoomMember, RoomStore } from './rooms.js';
import { joinRequestSchema, parsePayload, relayRequestSchema } from './schemas.js';
import { createTicketVerifier, type TicketVerifier } from './tickets.js';

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

/**
 * Events between service nodes: none yet (one node, or a socket.io adapter's own). Server-only,
 * like {@link SocketData}: not in protocol.ts, so clients' types never show them.
 */
export type InterServerEvents = Record<never, never>;
/** What the service keeps on `socket.data`: nothing (membership lives in the RoomStore only). */
export type SocketData = Record<never, never>;

/** The socket.io server, typed with the protocol's event maps (protocol.ts). */
export type SignalServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type SignalSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type Reply = (result: Ack<Record<string, unknown>>) => void;
/** Room requests run one at a time per socket and, inside, per room (see the file comment). */
interface Queues {
  sockets: KeyedQueue;
  rooms: KeyedQueue;
}

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
  const queues: Queues = { sockets: new KeyedQueue(), rooms: new KeyedQueue() };
  io.on('connection', (socket) => registerHandlers(io, socket, deps, limiter, tickets, queues));
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
  queues: Queues,
): void {
  const { rooms, logger } = deps;
  /** Runs a room request of this socket after its earlier ones (see the file comment). */
  const inTurn = <T>(task: () => Promise<T>) => queues.sockets.run(socket.id, task);
  /** Runs `task` while no other join or leave of `room` runs (see the file comment). */
  const holding = <T>(room: string, task: () => Promise<T>) => queues.rooms.run(room, task);

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

  /** Tells the members of `room` that `member` (whom they were told about) has left. */
  const tellLeft = (room: string, { id, name, session }: RoomMember, reason: PeerLeft['reason']) =>
    io.to(ioRoom(room)).emit('room:peer-left', { id, name, session, reason });

  /** Removes the socket from its room and tells the member left behind. Call it in the socket's turn. */
  const leaveRoom = async (reason: PeerLeft['reason']): Promise<boolean> => {
    const room = await rooms.roomOf(socket.id);
    if (room === undefined) return false;
    return holding(room, async () => {
      // Undefined when a rejoin with this socket's session replaced it meanwhile: nothing to tell.
      const left = await rooms.leave(socket.id);
      if (!left) return false;
      await socket.leave(ioRoom(left.room));
      tellLeft(left.room, left.member, reason);
      logger.debug({ room: left.room, socket: socket.id }, 'left room');
      return true;
    });
  };

  on(socket, 'room:join', logger, async (payload, reply, hasAck) => {
    // A join nobody can answer would take a place whose role the client never learns.
    if (!hasAck) return;
    await inTurn(async () => {
      if (!(await withinLimit('join', reply))) return;
      const parsed = parsePayload(joinRequestSchema, payload);
      if (!parsed.ok) return reply(fail('invalid-payload', parsed.message));
      const { room, session, polite, ticket } = parsed.value;
      // Without ROOM_TICKET_SECRET this admits every join and ignores `ticket`.
      const admitted = await tickets.check(ticket, room);
      if (!admitted.ok) return reply(fail(admitted.code, admitted.message));
      // A ticket's name is the host site's word: it wins over the one the client chose.
      const name = admitted.name ?? parsed.value.name ?? '';

      await holding(room, async () => {
        const outcome = await rooms.join(room, { id: socket.id, name, session, polite });
        if (!outcome.ok) {
          return reply(
            outcome.reason === 'room-full'
              ? fail('room-full', 'This room already has two people in it.')
              : fail('already-in-room', 'This connection is already in a room; leave it first.'),
          );
        }
        const { member, peers, replaced } = outcome;
        if (replaced) {
          // The same client on a new connection: its old one is dead but not yet timed out. Close it
          // (it is no longer a member, so its disconnection tells nobody anything).
          io.in(replaced.id).disconnectSockets(true);
          logger.debug({ room, socket: socket.id, replaced: replaced.id }, 'rejoin replaced an older connection');
        }
        if (socket.disconnected) {
          // Gone while the store was answering, before anyone was told about it: undo silently.
          // The member it replaced was announced, so the room learns that one is gone.
          await rooms.leave(socket.id);
          if (replaced) tellLeft(room, replaced, 'disconnected');
          return;
        }
        await socket.join(ioRoom(room));
        const self = { id: socket.id, name: member.name, session: member.session };
        socket.to(ioRoom(room)).emit('room:peer-joined', self);
        logger.debug({ room, socket: socket.id, polite: member.polite }, 'joined room');
        reply({ ok: true, self, peers: peers.map((peer) => ({ id: peer.id, name: peer.name, session: peer.session })), polite: member.polite });
      });
    });
  });

  on(socket, 'room:leave', logger, (_payload, reply) =>
    inTurn(async () => {
      if (!(await leaveRoom('left'))) return reply(fail('not-in-room', 'This connection is not in a room.'));
      reply({ ok: true });
    }),
  );

  on(socket, 'signal:relay', logger, async (payload, reply) => {
    if (!(await withinLimit('relay', reply))) return;
    const parsed = parsePayload(relayRequestSchema, payload);
    if (!parsed.ok) return reply(fail('invalid-payload', parsed.message));
    const { to, signal } = parsed.value;
    const [room, peerRoom] = await Promise.all([rooms.roomOf(socket.id), rooms.roomOf(to)]);
    if (room === undefined) return reply(fail('not-in-room', 'Join a room before sending signals.'));
    if (to === socket.id || peerRoom !== room) return reply(fail('peer-not-found', 'No such peer in this room.'));
    // `to(id)` addresses exactly one socket; `from` is stamped here, never taken from the client.
    io.to(to).emit('signal:relay', { from: socket.id, signal });
    reply({ ok: true });
  });

  on(socket, 'ice:servers', logger, async (_payload, reply) => {
    if ((await rooms.roomOf(socket.id)) === undefined) {
      return reply(fail('not-in-room', 'Join a room before asking for ICE servers.'));
    }
    if (!(await withinLimit('ice', reply))) return;
    reply({ ok: true, ...(await iceServersFor(deps.ice, socket.id, logger, deps.fallbackStunUrls)) });
  });

  socket.on('disconnect', (why) => {
    void limiter.forget(socket.id);
    // The client closed on purpose, or was cut off by the service: it is not coming back.
    const onPurpose = why === 'client namespace disconnect' || why === 'server namespace disconnect';
    // In turn: a join still being handled finishes (or undoes itself) first.
    inTurn(() => leaveRoom(onPurpose ? 'left' : 'disconnected')).catch((error: unknown) =>
      logger.error({ err: error, socket: socket.id }, 'leave on disconnect failed'),
    );
  });
}
