/**
 * How every incoming socket.io event is taken in: the per-socket `events` budget first (every
 * event, any name, acknowledged or not: rate-limits.ts), then the handler of a known event with
 * its payload as `unknown` and a `reply` that is a no-op when the client sent no acknowledgement.
 * An event of an unknown name is never answered: it takes a point of `events` and one of
 * `violations`. No handler throws into socket.io: a failure is logged and answered
 * `internal-error` (`unavailable` when the shared room store, Redis, cannot be reached).
 *
 * Memory: one router per server; each socket holds one small middleware closure and nothing else
 * of ours (handlers are shared and receive the socket).
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import { closeConnection } from './connection-guard.js';
import type { Ack, ClientToServerEvents, ErrorCode } from 'video-call-protocol';
import type { LimitedRequest, SocketRateLimiter } from './rate-limits.js';
import { StoreUnavailableError } from './rooms.js';

/** Answers a request (a no-op when the client sent no acknowledgement). */
export type Reply = (result: Ack<Record<string, unknown>>) => void;

/** An error answer. */
export const fail = (code: ErrorCode, message: string) => ({ ok: false as const, error: { code, message } });

/** A socket with any event maps (handlers use the typed one). */
type AnySocket = Socket<never, never, never, unknown>;

/** A handler shared by every socket: `payload` is whatever the client sent. */
export type Handler<S> = (socket: S, payload: unknown, reply: Reply, hasAck: boolean) => Promise<void>;

const noReply: Reply = () => {};

/** The per-socket budgets, for every socket of one server. */
export class Budgets {
  constructor(
    private readonly limiter: SocketRateLimiter,
    private readonly logger: Logger,
  ) {}

  /**
   * Takes a point of `request`'s budget for `socket`. Over budget: answers `rate-limited`, counts a
   * violation, and disconnects the socket when it has none left. Resolves whether it may go on.
   */
  async take(socket: AnySocket, request: LimitedRequest, reply: Reply): Promise<boolean> {
    const decision = await this.limiter.take(request, socket.id);
    if (decision === 'allow') return true;
    if (decision === 'disconnect') this.#cutOff(socket, request, reply);
    else reply(fail('rate-limited', 'Too many requests; try again later.'));
    return false;
  }

  /** An event of an unknown name: never answered (not even its acknowledgement), counted as a violation. */
  async unknown(socket: AnySocket, event: string): Promise<void> {
    this.logger.debug({ socket: socket.id, event: event.slice(0, 64) }, 'unknown event');
    if ((await this.limiter.violation(socket.id)) === 'disconnect') this.#cutOff(socket, 'unknown-event', noReply);
  }

  /** Forgets `socket`'s budgets (on disconnect). */
  forget(socket: AnySocket): Promise<void> {
    return this.limiter.forget(socket.id);
  }

  #cutOff(socket: AnySocket, request: string, reply: Reply): void {
    const conn = socket.conn;
    this.logger.warn(
      { socket: socket.id, address: conn.remoteAddress, request, reason: 'rate-limit' },
      'disconnecting a socket that keeps exceeding its rate limits',
    );
    reply(fail('rate-limited', 'Too many requests; disconnecting.'));
    // A goodbye (`io server disconnect`): the client library does not reconnect by itself. A
    // client that does not read it (its buffer never drains) is cut off a second later.
    socket.disconnect(true);
    setTimeout(() => closeConnection(conn, 'rate-limit', { request }), 1000).unref();
  }
}

/**
 * Sees every answer given, acknowledged or not (metrics.ts): `event` is the request's name, or
 * `unknown` for a name no handler has; `payload` what the client sent.
 */
export type AnswerObserver = (event: string, payload: unknown, result: Ack<Record<string, unknown>>) => void;

/**
 * Routes every incoming event of `socket` (a socket.io middleware that never passes the event on
 * to socket.io's listeners): the `events` budget, then the handler of its name.
 */
export function routeEvents<S extends AnySocket>(
  socket: S,
  handlers: Readonly<Record<keyof ClientToServerEvents, Handler<S>>>,
  budgets: Budgets,
  logger: Logger,
  observe?: AnswerObserver,
): void {
  socket.use((packet) => {
    const [event, ...args] = packet as unknown[];
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as Reply) : undefined;
    const payload = ack && args.length === 1 ? undefined : args[0];
    const name = typeof event === 'string' ? event : '';
    const handler = Object.hasOwn(handlers, name) ? handlers[name as keyof ClientToServerEvents] : undefined;
    const reply: Reply = observe
      ? (result) => {
          observe(handler ? name : 'unknown', payload, result);
          (ack ?? noReply)(result);
        }
      : (ack ?? noReply);
    budgets
      .take(socket, 'events', reply)
      .then((allowed) => {
        if (!allowed || !socket.connected) return;
        if (!handler) return budgets.unknown(socket, name);
        return handler(socket, payload, reply, ack !== undefined);
      })
      .catch((error: unknown) => {
        // The shared room store (Redis) is down: a known, passing condition, not a fault here.
        if (error instanceof StoreUnavailableError) {
          logger.warn({ event: name.slice(0, 64), socket: socket.id }, 'request refused: room store unavailable');
          return reply(fail('unavailable', 'The service cannot reach its room store right now; try again in a few seconds.'));
        }
        logger.error({ err: error, event: name.slice(0, 64), socket: socket.id }, 'handler failed');
        reply(fail('internal-error', 'The service could not handle this request.'));
      });
  });
}
