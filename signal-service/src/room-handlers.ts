/**
 * `room:join` and `room:leave`, and the leave a disconnection implies (see signaling.ts's file
 * comment for the ordering rules they keep).
 *
 * Join: rate limit, payload, ticket, rejoin token (`rejoin-invalid`; `unavailable` while the key
 * shared in Redis is not read yet: rejoin-key.ts), load shedding (`overloaded`:
 * new joins only; a rejoin with a valid token goes through), then the room store, with the
 * capacity this join would give the room if it were its first member: the ticket's `capacity`
 * claim, else `ROOM_CAPACITY` (the store keeps the first member's for the room's life). A first
 * join gets a fresh random `peerId`; a rejoin gets its token's `peerId` back and, when its old
 * connection is still a member, takes its place (the old connection is closed). Every successful
 * join answers the members present in join order, the room's capacity and a fresh
 * `rejoinToken`, to the joiner only; every other member hears `room:peer-joined`.
 *
 * Several nodes (a shared store, `REDIS_URL`): a room's requests also hold the store's room lock
 * (`RoomStore.exclusive`), so the order above holds across nodes; members a join found on a dead
 * node are announced gone (`disconnected`) before the joiner is; a store that cannot be reached
 * answers `unavailable` and changes nothing (a join whose answer was lost midway also closes the
 * connection: its client reconnects, and the leave that implies clears whatever the join took).
 */
import type { Logger } from 'pino';
import type { LoadMonitor } from './load-monitor.js';
import type { JoinResult, PeerInfo, PeerLeft } from 'video-call-protocol';
import type { RejoinTokens } from './rejoin-tokens.js';
import type { KeyedQueue } from './keyed-queue.js';
import { StoreUnavailableError, type ExclusiveOptions, type RoomMember, type RoomStore } from './rooms.js';
import { joinRequestSchema, parsePayload } from './schemas.js';
import { fail, type Budgets, type Handler } from './socket-requests.js';
import type { SignalServer, SignalSocket } from './signaling.js';
import type { TicketVerifier } from './tickets.js';

/** What the room handlers need (one set per server, shared by every socket). */
export interface RoomContext {
  io: SignalServer;
  rooms: RoomStore;
  logger: Logger;
  budgets: Budgets;
  tickets: TicketVerifier;
  rejoinTokens: RejoinTokens;
  load: LoadMonitor;
  /** `ROOM_CAPACITY`: the capacity of a room whose first member's ticket claims none (2–6). */
  roomCapacity: number;
  /** Room requests run one at a time per socket and, inside, per room. */
  queues: { sockets: KeyedQueue; rooms: KeyedQueue };
}

/**
 * The socket.io room of a call room. socket.io also keeps every socket in a room named after its
 * own id, and ids match the room-name pattern: the prefix (":" never occurs in a room name)
 * keeps a call room from ever being the private room of a socket.
 */
export const ioRoom = (room: string) => `room:${room}`;

const peerInfo = ({ id, name, peerId }: RoomMember): PeerInfo => ({ id, name, peerId });

/** Tells every member of `room` that `member` (whom they were told about) has left. */
export const announceLeft = (io: SignalServer, room: string, member: RoomMember, reason: PeerLeft['reason']) =>
  io.to(ioRoom(room)).emit('room:peer-left', { ...peerInfo(member), reason });

const unavailable = () => fail('unavailable', 'The service cannot reach its room store right now; try again in a few seconds.');

/** The room handlers, and the leave to run when a socket disconnects. */
export interface RoomHandlers {
  join: Handler<SignalSocket>;
  leave: Handler<SignalSocket>;
  /** The leave a disconnection implies, in the socket's turn. */
  leaveOnDisconnect: (socket: SignalSocket, reason: PeerLeft['reason']) => Promise<boolean>;
}

/** `room:join` and `room:leave` for every socket of one server. */
export function createRoomHandlers(ctx: RoomContext): RoomHandlers {
  const { io, rooms, logger, budgets } = ctx;
  /** Runs a room request of `socket` after its earlier ones. */
  const inTurn = <T>(socket: SignalSocket, task: () => Promise<T>) => ctx.queues.sockets.run(socket.id, task);
  /**
   * Runs `task` while no other join or leave of `room` runs (on any node, with a shared store);
   * `subscribes: false` for a leave (no subscription to wait for before the lock is released).
   */
  const holding = <T>(room: string, task: () => Promise<T>, options?: ExclusiveOptions) =>
    ctx.queues.rooms.run(room, () => (rooms.exclusive ? rooms.exclusive(room, task, options) : task()));

  const tellLeft = (room: string, member: RoomMember, reason: PeerLeft['reason']) => announceLeft(io, room, member, reason);

  /** Removes `socket` from its room and tells the members left behind. Call it in the socket's turn. */
  const leaveRoom = async (socket: SignalSocket, reason: PeerLeft['reason']): Promise<boolean> => {
    const room = await rooms.roomOf(socket.id);
    if (room === undefined) return false;
    return holding(
      room,
      async () => {
        // Undefined when a rejoin with this member's token replaced it meanwhile: nothing to tell.
        const left = await rooms.leave(socket.id);
        if (!left) return false;
        await socket.leave(ioRoom(left.room));
        tellLeft(left.room, left.member, reason);
        logger.debug({ room: left.room, socket: socket.id }, 'left room');
        return true;
      },
      { subscribes: false },
    );
  };

  const join: Handler<SignalSocket> = async (socket, payload, reply, hasAck) => {
    // A join nobody can answer would take a place whose members the client never learns.
    if (!hasAck) return;
    await inTurn(socket, async () => {
      if (!(await budgets.take(socket, 'join', reply))) return;
      const parsed = parsePayload(joinRequestSchema, payload);
      if (!parsed.ok) return reply(fail('invalid-payload', parsed.message));
      const { room, rejoin, ticket } = parsed.value;
      // Without ROOM_TICKET_SECRET this admits every join and ignores `ticket`.
      const admitted = await ctx.tickets.check(ticket, room);
      if (!admitted.ok) return reply(fail(admitted.code, admitted.message));
      // The key shared in Redis is not read yet: a token judged now could be judged wrongly.
      if (!ctx.rejoinTokens.ready) return reply(unavailable());
      const rejoinedAs = rejoin === undefined ? undefined : ctx.rejoinTokens.verify(rejoin, room);
      if (rejoin !== undefined && rejoinedAs === undefined) {
        return reply(fail('rejoin-invalid', 'The rejoin token is not valid for this room; join without it.'));
      }
      if (rejoinedAs === undefined && ctx.load.overloaded) {
        return reply(fail('overloaded', 'The service is overloaded; try again in a few seconds.'));
      }
      // A ticket's name is the host site's word: it wins over the one the client chose.
      const name = admitted.name ?? parsed.value.name ?? '';
      const peerId = rejoinedAs ?? ctx.rejoinTokens.newPeerId();
      // Used only if this joiner is the room's first member; otherwise the room keeps its own.
      const capacity = admitted.capacity ?? ctx.roomCapacity;

      await holding(room, async () => {
        const outcome = await rooms.join(room, { id: socket.id, name, peerId }, capacity);
        // Members of a dead node this join dropped: the room was told about them, so it hears they left.
        for (const gone of outcome.expired ?? []) tellLeft(room, gone, 'disconnected');
        if (!outcome.ok) {
          return reply(
            outcome.reason === 'room-full'
              ? fail('room-full', `This room is full: it holds ${outcome.capacity ?? capacity} people.`)
              : fail('already-in-room', 'This connection is already in a room; leave it first.'),
          );
        }
        const { member, peers, replaced } = outcome;
        if (replaced) {
          // The same client on a new connection: its old one is dead but not yet timed out. Close it
          // with a goodbye, so that a client library still behind it does not reconnect (it is no
          // longer a member, so its disconnection tells nobody anything).
          io.in(replaced.id).disconnectSockets(true);
          logger.info({ room, socket: socket.id, replaced: replaced.id, reason: 'replaced-by-rejoin' }, 'closed a connection');
        }
        if (socket.disconnected) {
          // Gone while the store was answering, before anyone was told about it: undo silently.
          // The member it replaced was announced, so the room learns that one is gone.
          await rooms.leave(socket.id);
          if (replaced) tellLeft(room, replaced, 'disconnected');
          return;
        }
        await socket.join(ioRoom(room));
        const self = peerInfo(member);
        // Every other member of the room, on every node (the socket.io adapter), hears of the joiner.
        socket.to(ioRoom(room)).emit('room:peer-joined', self);
        logger.debug(
          { room, socket: socket.id, members: peers.length + 1, capacity: outcome.capacity, rejoin: rejoinedAs !== undefined },
          'joined room',
        );
        const answer: JoinResult = {
          self,
          peers: peers.map(peerInfo),
          capacity: outcome.capacity,
          rejoinToken: ctx.rejoinTokens.issue(room, peerId),
        };
        reply({ ok: true, ...answer });
      }).catch((error: unknown) => {
        if (!(error instanceof StoreUnavailableError)) throw error;
        logger.warn({ room, socket: socket.id, err: error.cause }, 'join refused: room store unavailable');
        reply(unavailable());
        // The join may have been applied with its answer lost: the leave a disconnection implies
        // clears it, and the client reconnects and joins again.
        if (error.maybeApplied) socket.conn.close();
      });
    });
  };

  const leave: Handler<SignalSocket> = (socket, _payload, reply) =>
    inTurn(socket, async () => {
      if (!(await budgets.take(socket, 'leave', reply))) return;
      try {
        if (!(await leaveRoom(socket, 'left'))) return reply(fail('not-in-room', 'This connection is not in a room.'));
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        logger.warn({ socket: socket.id, err: error.cause }, 'leave refused: room store unavailable');
        return reply(unavailable());
      }
      reply({ ok: true });
    });

  return { join, leave, leaveOnDisconnect: (socket, reason) => inTurn(socket, () => leaveRoom(socket, reason)) };
}
