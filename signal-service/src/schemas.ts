/**
 * Runtime validation of every incoming payload, one schema per client event (zod).
 *
 * Types in protocol.ts do not validate: a socket can send anything. Each handler parses its
 * payload here first and answers `invalid-payload` when it does not fit, before touching state.
 * The limits below are part of the protocol and documented in PROTOCOL.md.
 */
import { z } from 'zod';
import type { JoinRequest, RelayRequest } from './protocol.js';

/** Room names: 1–64 characters of A–Z a–z 0–9 `_` `.` `-` (safe in URLs, logs and Redis keys). */
export const ROOM_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
/** Display names: at most 64 characters. */
export const MAX_NAME_LENGTH = 64;
/** An SDP body: at most 32 KiB (an audio+video offer with many codecs is about 6–12 KiB). */
export const MAX_SDP_LENGTH = 32 * 1024;
/** One candidate-attribute line (RFC 8839): at most 1 KiB. */
export const MAX_CANDIDATE_LENGTH = 1024;
/** Socket ids are 20 URL-safe base64 characters in socket.io 4; leave some room. */
const MAX_ID_LENGTH = 64;

// Control characters (C0, DEL, C1) and bidi overrides have no place in a display name.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const roomName = z
  .string()
  .regex(ROOM_NAME_PATTERN, 'room must be 1-64 characters of letters, digits, "_", "." or "-"');

/** A display name: also the rule for the `name` claim of room tickets (tickets.ts). */
export const displayName = z
  .string()
  .max(MAX_NAME_LENGTH, `name must be at most ${MAX_NAME_LENGTH} characters`)
  .refine((name) => !FORBIDDEN_NAME_CHARS.test(name), 'name must not contain control characters')
  .transform((name) => name.trim());

/** Session ids: 8–64 URL-safe characters (a UUID fits). */
export const SESSION_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
/** A room ticket (a compact JWS): at most 4 KiB. Its content is checked by tickets.ts. */
export const MAX_TICKET_LENGTH = 4096;

export const joinRequestSchema = z.strictObject({
  room: roomName,
  name: displayName.optional(),
  session: z.string().regex(SESSION_PATTERN, 'session must be 8-64 characters of letters, digits, "_" or "-"').optional(),
  polite: z.boolean().optional(),
  ticket: z.string().max(MAX_TICKET_LENGTH, `ticket must be at most ${MAX_TICKET_LENGTH} characters`).optional(),
}) satisfies z.ZodType<JoinRequest, unknown>;

const sessionDescription = z.strictObject({
  type: z.enum(['offer', 'answer', 'pranswer']),
  sdp: z.string().max(MAX_SDP_LENGTH, `sdp must be at most ${MAX_SDP_LENGTH} characters`),
});

const iceCandidate = z.strictObject({
  candidate: z
    .string()
    .max(MAX_CANDIDATE_LENGTH, `candidate must be at most ${MAX_CANDIDATE_LENGTH} characters`),
  sdpMid: z.string().max(32).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(1023).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});

const signal = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('description'), description: sessionDescription }),
  z.strictObject({ kind: z.literal('candidate'), candidate: iceCandidate.nullable() }),
  z.strictObject({ kind: z.literal('hang-up') }),
]);

export const relayRequestSchema = z.strictObject({
  to: z.string().min(1).max(MAX_ID_LENGTH),
  signal,
}) satisfies z.ZodType<RelayRequest, unknown>;

/**
 * Parses `payload` with `schema`. Returns the typed value, or a one-line message naming the first
 * problem (field path and reason) that is safe to send back to the client.
 */
export function parsePayload<T>(
  schema: z.ZodType<T>,
  payload: unknown,
): { ok: true; value: T } | { ok: false; message: string } {
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return { ok: false, message: `${where}${issue?.message ?? 'invalid payload'}` };
}
