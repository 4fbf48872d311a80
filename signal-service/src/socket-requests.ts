/**
 * How every incoming socket.io event is taken in: the per-socket `events` budget first (every
 * event, any name, acknowledged or not: rate-limits.ts), unknown event names refused, then the
 * handler of a known event with its payload as `unknown` and a `reply` that is a no-op when the
 * client sent no acknowledgement. No handler throws into socket.io: a failure is logged and
 * answered `internal-error`. An event of an unknown name is never answered: it takes a point of
 * `events` and one of `violations`.
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import { closeConnection } from './connection-guard.js';
import type { Ack, ClientToServerEvents, ErrorCode } from './protocol.js';
import type { LimitedRequest, SocketRateLimiter } from './rate-limits.js';

/** Answers a request (a no-op when the client sent no acknowledgement). */
export type Reply = (result: Ack<Record<string, unknown>>) => void;

/** An error answer. */
export const fail = (code: ErrorCode, message: string) => ({ ok: false as const, error: { code, message } });

/** The client events the service handles; any other name is refused. */
const KNOWN_EVENTS: ReadonlySet<string> = new Set<keyof ClientToServerEvents>(['room:join', 'room:leave', 'signal:relay', 'ice:servers', 'watch:beat']);

/** A socket with any event maps (handlers use the typed one). */
type AnySocket = Socket<never, never, never, unknown>;

/** The budget checks of one socket: `events` for every event, then each request's own. */
export class SocketBudget {
  constructor(
    private readonly socket: AnySocket,
    private readonly limiter: SocketRateLimiter,
    private readonly logger: Logger,
  ) {}

  /**
   * Takes a point of `request`'s budget. Over budget: answers `rate-limited`, counts a violation,
   * and disconnects the socket when it has none left. Resolves whether the request may go on.
   */
  async take(request: LimitedRequest, reply: Reply): Promise<boolean> {
    const decision = await this.limiter.take(request, this.socket.id);
    if (decision === 'allow') return true;
    if (decision === 'disconnect') this.#cutOff(request, reply);
    else reply(fail('rate-limited', 'Too many requests; try again later.'));
    return false;
  }

  /** An event of an unknown name: never answered (not even its acknowledgement), counted as a violation. */
  async unknown(event: string): Promise<void> {
    this.logger.debug({ socket: this.socket.id, event: event.slice(0, 64) }, 'unknown event');
    if ((await this.limiter.violation(this.socket.id)) === 'disconnect') this.#cutOff('unknown-event', () => {});
  }

  #cutOff(request: string, reply: Reply): void {
    const conn = this.socket.conn;
    this.logger.warn({ socket: this.socket.id, address: conn.remoteAddress, request, reason: 'rate-limit' }, 'disconnecting a socket that keeps exceeding its rate limits');
    reply(fail('rate-limited', 'Too many requests; disconnecting.'));
    // A goodbye (`io server disconnect`): the client library does not reconnect by itself. A
    // client that does not read it (its buffer never drains) is cut off a second later.
    this.socket.disconnect(true);
    setTimeout(() => closeConnection(conn, 'rate-limit', { request }), 1000).unref();
  }
}

/**
 * Makes every incoming event pass the `events` budget (and unknown names be refused) before any
 * handler sees it: a socket.io middleware of `socket`.
 */
export function limitEvents(socket: AnySocket, budget: SocketBudget): void {
  socket.use((packet, next) => {
    const [event, ...args] = packet as unknown[];
    const last = args.at(-1);
    const reply: Reply = typeof last === 'function' ? (last as Reply) : () => {};
    const name = typeof event === 'string' ? event : '';
    budget.take('events', reply).then(
      (allowed) => {
        if (!allowed) return;
        if (KNOWN_EVENTS.has(name)) return next();
        return budget.unknown(name);
      },
      () => reply(fail('internal-error', 'The service could not handle this request.')),
    );
  });
}

/**
 * Registers `handler` for `event`. socket.io passes whatever the client sent, so the payload is
 * `unknown` and the acknowledgement may be missing: `reply` is then a no-op and `hasAck` false.
 */
export function on(
  socket: AnySocket,
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
