/**
 * Room tickets: with `ROOM_TICKET_SECRET` set, only holders of a ticket from the host site's
 * backend may join a room.
 *
 * A ticket is a JWT (RFC 7519) in compact JWS form, signed HS256 (HMAC-SHA-256, RFC 7518 §3.2)
 * with the shared secret, with these claims:
 * - `room` (string, required): the room it admits to; must equal the requested room;
 * - `exp` (NumericDate, required): expiry, unix seconds;
 * - `name` (string, optional): display name shown to the other members instead of the client's
 *   `name` (the same rules as names: ≤ 64 characters, no control or bidi-override characters, trimmed);
 * - `capacity` (integer, optional, `MIN_ROOM_CAPACITY`–`MAX_ROOM_CAPACITY`, 2–6): how many members
 *   the room holds when this ticket's holder is its first member (the room store keeps the first
 *   member's for the room's life; later members' claims change nothing); anything else (0, 7,
 *   2.5, "4", negative) makes the ticket invalid;
 * - `nbf`, `iat` (optional): checked by the JWT rules when present.
 * A ticket may last at most {@link MAX_TICKET_LIFETIME_SECONDS} (from `iat`, or from now).
 * Verification is jose's `jwtVerify` with `algorithms: ['HS256']` only (so `alg: none`, HS512 or
 * any public-key algorithm is refused) and {@link TICKET_CLOCK_TOLERANCE_SECONDS} of clock skew.
 *
 * Failures map to stable error codes (video-call-protocol): `ticket-required`, `ticket-invalid`,
 * `ticket-expired`, `ticket-wrong-room`. Messages are fixed English sentences: nothing from the
 * ticket or from jose reaches the client. Without a secret, tickets are not checked at all.
 *
 * A ticket can be used again until it expires (joins after reconnections need that); it only
 * admits to its own room. examples/mint-ticket.mjs shows the backend side.
 */
import { errors, jwtVerify } from 'jose';
import { MAX_ROOM_CAPACITY, MIN_ROOM_CAPACITY, type ErrorCode } from 'video-call-protocol';
import { displayName } from './schemas.js';

/** Allowed clock difference between the host backend that mints and this service, in seconds. */
export const TICKET_CLOCK_TOLERANCE_SECONDS = 5;
/**
 * Longest ticket lifetime accepted, in seconds (24 h): a ticket whose `exp` is further than this
 * from now, or from its `iat`, is `ticket-invalid`. A leaked ticket is then useful for a day at
 * most; mint tickets as short as the use allows (a meeting's length).
 */
export const MAX_TICKET_LIFETIME_SECONDS = 24 * 60 * 60;

/** The `ticket-…` error codes. */
export type TicketErrorCode = Extract<ErrorCode, `ticket-${string}`>;

/**
 * What a ticket check says: admitted (with the ticket's `name` and `capacity` claims, if it has
 * them), or why not.
 */
export type TicketOutcome = { ok: true; name?: string; capacity?: number } | { ok: false; code: TicketErrorCode; message: string };

export interface TicketVerifier {
  /** Whether joins need a ticket (a secret is configured). */
  readonly required: boolean;
  /**
   * Checks `ticket` (undefined or `""`: none given) for a join of `room`. Never rejects for a bad
   * ticket (that is an outcome); rejects only on an unexpected internal failure.
   */
  check(ticket: string | undefined, room: string): Promise<TicketOutcome>;
}

export interface TicketVerifierOptions {
  /** Clock in ms since the epoch, for tests. */
  now?: () => number;
}

/** A `capacity` claim the service accepts: an integer from `MIN_ROOM_CAPACITY` to `MAX_ROOM_CAPACITY`. */
const isRoomCapacity = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= MIN_ROOM_CAPACITY && value <= MAX_ROOM_CAPACITY;

const refuse = (code: TicketErrorCode, message: string): TicketOutcome => ({ ok: false, code, message });

const INVALID = refuse('ticket-invalid', 'The room ticket is not valid.');

/**
 * The verifier for `secret` (`ROOM_TICKET_SECRET`, at least 32 characters, checked by config.ts),
 * or, when `secret` is undefined, one that admits every join and ignores any ticket.
 */
export function createTicketVerifier(secret: string | undefined, options: TicketVerifierOptions = {}): TicketVerifier {
  if (secret === undefined) return { required: false, check: () => Promise.resolve({ ok: true }) };
  const key = new TextEncoder().encode(secret);
  const now = options.now ?? Date.now;

  return {
    required: true,
    async check(ticket, room) {
      if (ticket === undefined || ticket === '') {
        return refuse('ticket-required', 'This service needs a room ticket from the site to join a room.');
      }
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(ticket, key, {
          algorithms: ['HS256'],
          clockTolerance: TICKET_CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', 'room'],
          currentDate: new Date(now()),
        }));
      } catch (error) {
        if (error instanceof errors.JWTExpired) return refuse('ticket-expired', 'The room ticket has expired.');
        if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') {
          return refuse('ticket-invalid', 'The room ticket is not valid yet.');
        }
        // Malformed token, signature mismatch, algorithm not allowed, missing or mistyped claims.
        if (error instanceof errors.JOSEError) return INVALID;
        throw error;
      }
      if (typeof payload.room !== 'string') return INVALID;
      const exp = payload.exp as number;
      const nowS = now() / 1000;
      const issued = typeof payload.iat === 'number' ? payload.iat : nowS;
      if (exp - Math.min(issued, nowS) > MAX_TICKET_LIFETIME_SECONDS + TICKET_CLOCK_TOLERANCE_SECONDS) {
        return refuse('ticket-invalid', 'The room ticket lasts longer than the service accepts (24 h).');
      }
      if (payload.room !== room) return refuse('ticket-wrong-room', 'The room ticket is for another room.');
      const { capacity } = payload;
      if (capacity !== undefined && !isRoomCapacity(capacity)) return INVALID;
      const name = payload.name === undefined ? undefined : displayName.safeParse(payload.name);
      if (name && !name.success) return INVALID;
      return { ok: true, ...(name && { name: name.data }), ...(capacity !== undefined && { capacity }) };
    },
  };
}
