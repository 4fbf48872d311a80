/**
 * The rules and limits both sides apply: name patterns, lengths, room capacity, timings. The
 * service validates every payload against them (signal-service/src/schemas.ts); the widget uses
 * the same values before it sends.
 */

/** Room names: 1–64 characters of `A–Z a–z 0–9 _ . -` (safe in URLs, logs and store keys). */
export const ROOM_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
/** Display names: at most 64 UTF-16 code units, as sent (checked before trimming). */
export const MAX_NAME_LENGTH = 64;
/**
 * Characters a display name must not contain (the join is refused with `invalid-payload`): C0 and
 * C1 control characters and DEL.
 */
// eslint-disable-next-line no-control-regex
export const FORBIDDEN_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * Characters the service removes from display names (and tickets' `name` claims) before anyone
 * sees them, so a name cannot reorder or hide the text around it: bidi marks, embeddings,
 * overrides and isolates (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), zero-width
 * characters (U+200B, U+200C, U+2060, U+FEFF; U+200D too, except between two emoji, where it
 * joins them) and lone UTF-16 surrogates. Global: use with `replace`.
 */
export const STRIPPED_NAME_CHARS =
  /[\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]|(?<!\p{Extended_Pictographic}\ufe0f?)\u200d|\u200d(?!\p{Extended_Pictographic})|[\ud800-\udfff]/gu;
/**
 * A rejoin token as the service issues it (`rejoinToken` of the join answer): 48 URL-safe
 * characters; the pattern admits up to 128 so that a future format still parses.
 */
export const REJOIN_TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
/** Lifetime of a rejoin token from its join answer, in seconds (24 h). */
export const REJOIN_TOKEN_TTL_SECONDS = 24 * 60 * 60;
/** A member's `peerId`: opaque, 22 URL-safe characters, issued by the service. */
export const PEER_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/**
 * `watch:beat` `next`, in ms: how long the service waits for the next beat before it treats the
 * connection as lost. 0 stops the watch; otherwise {@link MIN_WATCH_MS}–{@link MAX_WATCH_MS}.
 */
export const MIN_WATCH_MS = 1000;
/** See {@link MIN_WATCH_MS}. */
export const MAX_WATCH_MS = 30_000;
/** Call ids chosen by the caller, one per call: 8–64 URL-safe characters (a random UUID fits). */
export const CALL_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
/** A room ticket (a compact JWS): at most 4,096 characters. */
export const MAX_TICKET_LENGTH = 4096;
/** An SDP body: at most 32 KiB, in characters (an audio+video offer with many codecs is 6–12 KiB). */
export const MAX_SDP_LENGTH = 32 * 1024;
/** One ICE candidate-attribute line (RFC 8839): at most 1 KiB, in characters. */
export const MAX_CANDIDATE_LENGTH = 1024;
/** A member's connection id (`to` of `signal:relay`): at most 64 characters (socket.io 4 ids have 20). */
export const MAX_PEER_ID_LENGTH = 64;
/**
 * Members a room holds unless the service is told otherwise (`ROOM_CAPACITY`, or a room ticket's
 * `capacity` claim): two, a one-to-one call.
 */
export const DEFAULT_ROOM_CAPACITY = 2;
/** The smallest room capacity a service setting or ticket may give. */
export const MIN_ROOM_CAPACITY = 2;
/**
 * The largest room capacity a service setting or ticket may give: a full mesh of six, where each
 * participant sends five streams. Beyond it a media server (SFU) is the right tool.
 */
export const MAX_ROOM_CAPACITY = 6;
/**
 * Largest socket.io message the service accepts, in bytes (engine.io `maxHttpBufferSize`): an SDP
 * plus framing. A bigger message closes the connection.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Longest chat message, in UTF-16 code units. */
export const MAX_CHAT_LENGTH = 2000;
