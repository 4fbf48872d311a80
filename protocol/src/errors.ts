/**
 * How the service says no: the error codes of `{ ok: false }` acknowledgements, and the codes of
 * refused socket.io handshakes.
 */

/**
 * Every error code of `{ ok: false }` acknowledgements. Stable: never renamed once released;
 * codes may be added, so a client treats an unknown code as a generic failure. See
 * {@link ErrorCode} for what each means.
 */
export const ERROR_CODES = [
  'invalid-payload',
  'room-full',
  'not-in-room',
  'already-in-room',
  'peer-not-found',
  'ticket-required',
  'ticket-invalid',
  'ticket-expired',
  'ticket-wrong-room',
  'rejoin-invalid',
  'rate-limited',
  'overloaded',
  'unavailable',
  'internal-error',
] as const;

/**
 * A stable error code (one of {@link ERROR_CODES}):
 * - `invalid-payload`: the payload failed validation (wrong shape, too long, bad characters). Nothing changed.
 * - `room-full`: the room already holds as many members as its capacity (fixed by its first
 *   member: that member's ticket `capacity` claim, else the service's `ROOM_CAPACITY`, default 2).
 *   The socket was not joined.
 * - `not-in-room`: the request needs a joined room and the socket has none.
 * - `already-in-room`: the socket is already in a room; leave it first.
 * - `peer-not-found`: the relay target is not a member of the sender's room. Nothing was sent.
 * - `ticket-required`: the service requires room tickets (`ROOM_TICKET_SECRET`) and the join carried none. Nothing changed.
 * - `ticket-invalid`: the ticket is not a valid ticket of this service: malformed, not HS256, bad
 *   signature, `exp` or `room` claim missing, bad `name` or `capacity` claim, or not valid yet
 *   (`nbf`). Nothing changed.
 * - `ticket-expired`: the ticket's `exp` has passed (beyond 5 s of clock tolerance): get a fresh one. Nothing changed.
 * - `ticket-wrong-room`: the ticket's `room` claim is another room than the one asked for. Nothing changed.
 * - `rejoin-invalid`: the join's `rejoin` token is not one this service issued for this room, or
 *   has expired. Nothing changed: join again without `rejoin` (the other members will see a new
 *   `peerId`).
 * - `rate-limited`: too many requests of this kind (or of any kind) from this connection; retry
 *   later. Nothing changed. A connection that keeps being refused is disconnected.
 * - `overloaded`: the service is overloaded and refuses new joins (not rejoins) for now; retry in
 *   a few seconds. Nothing changed.
 * - `unavailable`: the service cannot reach the store its nodes share (Redis) for now; retry in a
 *   few seconds. Nothing changed.
 * - `internal-error`: something failed inside the service. The message says nothing about internals.
 */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as sent to clients: a stable `code` plus a human-readable English `message`. */
export interface ProtocolError {
  code: ErrorCode;
  message: string;
}

/** Result of a request: `{ ok: true, ...T }` on success, `{ ok: false, error }` on failure. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ProtocolError };

/**
 * Codes of refused socket.io handshakes, in the JSON body `{ "error": { code, message } }` of the
 * HTTP answer (WebSocket upgrade or long-polling), with a `Retry-After` header in seconds:
 * - `service-full` (503): the service holds its maximum number of connections (`MAX_CONNECTIONS`);
 * - `too-many-connections` (503): this address holds its maximum (`MAX_CONNECTIONS_PER_IP`);
 * - `rate-limited` (429): this address opened too many connections lately (`NEW_CONNECTIONS_PER_IP`);
 * - `overloaded` (503): the service is overloaded and sheds new connections first;
 * - `draining` (503): this node is shutting down (see `server:draining`); another node, or this
 *   service once restarted, takes the connection.
 * A socket.io client sees a `connect_error` and retries by itself.
 */
export const HANDSHAKE_REFUSAL_CODES = ['service-full', 'too-many-connections', 'rate-limited', 'overloaded', 'draining'] as const;
/** See {@link HANDSHAKE_REFUSAL_CODES}. */
export type HandshakeRefusalCode = (typeof HANDSHAKE_REFUSAL_CODES)[number];
