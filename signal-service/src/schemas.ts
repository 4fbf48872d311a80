/**
 * Runtime validation of every incoming payload, one schema per client event (zod).
 *
 * Types in the protocol do not validate: a socket can send anything. Each handler parses its
 * payload here first and answers `invalid-payload` when it does not fit, before touching state.
 * The rules and limits themselves are protocol constants (the protocol), shared with the widget;
 * this file only applies them. Every object is strict: an unknown field is `invalid-payload`.
 */
import { z } from 'zod';
import {
  CALL_ID_PATTERN,
  FORBIDDEN_NAME_CHARS,
  MAX_CANDIDATE_LENGTH,
  MAX_CHAT_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PEER_ID_LENGTH,
  MAX_SDP_LENGTH,
  MAX_TICKET_LENGTH,
  MAX_WATCH_MS,
  MIN_WATCH_MS,
  REJOIN_TOKEN_PATTERN,
  ROOM_NAME_PATTERN,
  STRIPPED_NAME_CHARS,
  type JoinRequest,
  type RelayRequest,
  type Signal,
  type WatchBeat,
} from 'video-call-protocol';

const roomName = z.string().regex(ROOM_NAME_PATTERN, 'room must be 1-64 characters of letters, digits, "_", "." or "-"');

/**
 * A display name: also the rule for the `name` claim of room tickets (tickets.ts). Refused with
 * control characters; bidi, zero-width controls and lone surrogates are stripped, then the name
 * is trimmed.
 */
export const displayName = z
  .string()
  .max(MAX_NAME_LENGTH, `name must be at most ${MAX_NAME_LENGTH} characters`)
  .refine((name) => !FORBIDDEN_NAME_CHARS.test(name), 'name must not contain control characters')
  .transform((name) => name.replace(STRIPPED_NAME_CHARS, '').trim());

/** `room:join`. */
export const joinRequestSchema = z.strictObject({
  room: roomName,
  name: displayName.optional(),
  rejoin: z.string().regex(REJOIN_TOKEN_PATTERN, 'rejoin must be a rejoin token from a join answer').optional(),
  ticket: z.string().max(MAX_TICKET_LENGTH, `ticket must be at most ${MAX_TICKET_LENGTH} characters`).optional(),
}) satisfies z.ZodType<JoinRequest, unknown>;

const sessionDescription = z.strictObject({
  type: z.enum(['offer', 'answer', 'pranswer']),
  sdp: z.string().max(MAX_SDP_LENGTH, `sdp must be at most ${MAX_SDP_LENGTH} characters`),
});

const iceCandidate = z.strictObject({
  candidate: z.string().max(MAX_CANDIDATE_LENGTH, `candidate must be at most ${MAX_CANDIDATE_LENGTH} characters`),
  sdpMid: z.string().max(32).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(1023).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});

/** Every signal names its call; the service checks the id's shape only. */
const call = z.string().regex(CALL_ID_PATTERN, 'call must be 8-64 characters of letters, digits, "_" or "-"');

/** The signal kinds of the protocol; the service relays them without interpreting them. */
const signal = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ring'), call }),
  z.strictObject({ kind: z.literal('accept'), call }),
  z.strictObject({ kind: z.literal('in-call'), call }),
  z.strictObject({ kind: z.literal('decline'), call }),
  z.strictObject({ kind: z.literal('hang-up'), call, reason: z.enum(['no-answer', 'failed']).optional() }),
  z.strictObject({ kind: z.literal('description'), call, description: sessionDescription }),
  z.strictObject({ kind: z.literal('candidate'), call, candidate: iceCandidate.nullable() }),
  z.strictObject({
    kind: z.literal('chat'),
    id: z.string().min(1).max(64),
    text: z.string().min(1).max(MAX_CHAT_LENGTH, `text must be at most ${MAX_CHAT_LENGTH} characters`),
    sentAt: z.number().finite(),
  }),
]);

// Fails to compile when the schema and the protocol's Signal disagree, in either direction (a kind
// or field added on one side only).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const signalMatchesProtocol: Same<z.output<typeof signal>, Signal> = true;
void signalMatchesProtocol;

/** `signal:relay`: the client may not send `from` (the service stamps it). */
export const relayRequestSchema = z.strictObject({
  to: z.string().min(1).max(MAX_PEER_ID_LENGTH),
  signal,
}) satisfies z.ZodType<RelayRequest, unknown>;

/** `watch:beat`. */
export const watchBeatSchema = z.strictObject({
  next: z.union([
    z.literal(0),
    z
      .number()
      .int()
      .min(MIN_WATCH_MS, `next must be 0 or ${MIN_WATCH_MS}-${MAX_WATCH_MS} ms`)
      .max(MAX_WATCH_MS, `next must be 0 or ${MIN_WATCH_MS}-${MAX_WATCH_MS} ms`),
  ]),
}) satisfies z.ZodType<WatchBeat, unknown>;

/**
 * Parses `payload` with `schema`. Returns the typed value, or a one-line message naming the first
 * problem (field path and reason) that is safe to send back to the client.
 */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown): { ok: true; value: T } | { ok: false; message: string } {
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return { ok: false, message: `${where}${issue?.message ?? 'invalid payload'}` };
}
