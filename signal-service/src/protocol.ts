/**
 * The signaling protocol between `<video-call>` and the signal service: THE contract, for both
 * sides. signal-service/PROTOCOL.md describes the same contract in prose for authors of other
 * clients.
 *
 * Types, plus a few runtime constants (the room-name rule, the limits, the error codes) that the
 * widget imports as values and the service's schemas.ts validates with. This file imports
 * nothing and holds no server code, so bundling it into the browser adds only these constants,
 * and the widget's published .d.ts files show only the contract. Server internals (socket data,
 * inter-server events) live in signaling.ts. These types do not validate anything: every payload
 * is checked at runtime by schemas.ts.
 *
 * Event names are `domain:verb`. Requests that can fail carry a socket.io acknowledgement whose
 * argument is an {@link Ack}.
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
/** A peer id (`to` of `signal:relay`): at most 64 characters (socket.io 4 ids have 20). */
export const MAX_PEER_ID_LENGTH = 64;
/** Members one room holds: a call is one to one. */
export const ROOM_CAPACITY = 2;
/**
 * Largest socket.io message the service accepts, in bytes (engine.io `maxHttpBufferSize`): an SDP
 * plus framing. A bigger message closes the connection.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024;

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
 * - `room-full`: the room already has its two members. The socket was not joined.
 * - `not-in-room`: the request needs a joined room and the socket has none.
 * - `already-in-room`: the socket is already in a room; leave it first.
 * - `peer-not-found`: the relay target is not a member of the sender's room. Nothing was sent.
 * - `ticket-required`: the service requires room tickets (`ROOM_TICKET_SECRET`) and the join carried none. Nothing changed.
 * - `ticket-invalid`: the ticket is not a valid ticket of this service: malformed, not HS256, bad
 *   signature, `exp` or `room` claim missing, bad `name` claim, or not valid yet (`nbf`). Nothing changed.
 * - `ticket-expired`: the ticket's `exp` has passed (beyond 5 s of clock tolerance): get a fresh one. Nothing changed.
 * - `ticket-wrong-room`: the ticket's `room` claim is another room than the one asked for. Nothing changed.
 * - `rejoin-invalid`: the join's `rejoin` token is not one this service issued for this room, or
 *   has expired (or the service restarted without `REJOIN_SECRET`). Nothing changed: join again
 *   without `rejoin` (the other member will see a new `peerId`).
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

/** A member of a room as other members see it. */
export interface PeerInfo {
  /** Server-assigned id of the member's connection (socket.io socket id): the address of relays. */
  id: string;
  /** Display name, already validated by the service; may be the empty string. Render as text. */
  name: string;
  /**
   * The member's identity in the room, issued by the service at its first join
   * ({@link PEER_ID_PATTERN}). Opaque and public: it stays the same when the member rejoins with
   * its rejoin token on a new connection (new `id`), so a peer can tell "the same person is back"
   * from "someone else joined". Knowing it does not let anyone take the member's place.
   */
  peerId: string;
}

/** `room:peer-left` payload. */
export interface PeerLeft extends PeerInfo {
  /**
   * `left`: the member left on purpose (`room:leave`, or its client closed the connection).
   * `disconnected`: the connection was lost (network, closed tab, ping timeout); the member may
   * come back with the same `peerId` in a few seconds, and its media may still be flowing.
   */
  reason: 'left' | 'disconnected';
}

/** `room:join` request. No other fields are allowed; schemas.ts checks it, PROTOCOL.md explains it. */
export interface JoinRequest {
  /** Room name: 1–64 characters of `A–Z a–z 0–9 _ . -` ({@link ROOM_NAME_PATTERN}). */
  room: string;
  /**
   * Optional display name: at most {@link MAX_NAME_LENGTH} characters, none of
   * {@link FORBIDDEN_NAME_CHARS}; trimmed by the service.
   */
  name?: string;
  /**
   * A rejoin: the `rejoinToken` of this client's last join answer in this room. The member comes
   * back with its `peerId` (and, while its old connection is still a member, takes that
   * connection's place and role). Secret: never shown to anyone else. A token that is wrong, of
   * another room or expired is refused with `rejoin-invalid`. Absent on a first join.
   */
  rejoin?: string;
  /**
   * Optional preferred role, granted when the room is empty: a client rejoining after a
   * reconnection (or a service restart) asks for the role it had, to keep its call going.
   */
  polite?: boolean;
  /**
   * Room ticket: a JWT (HS256) minted by the host site's backend with claims `room` (must equal
   * `room` above), `exp`, and optionally `name` (then shown instead of `name` above), `nbf`, `iat`.
   * Required when the service sets `ROOM_TICKET_SECRET`, ignored otherwise. At most
   * {@link MAX_TICKET_LENGTH} characters.
   */
  ticket?: string;
}

/** `room:join` success answer. */
export interface JoinResult {
  /** The joiner itself, as the others see it. */
  self: PeerInfo;
  /**
   * Secret of this member, for this client only: send it as `rejoin` to come back as `self.peerId`
   * after a reconnection. A fresh one comes with every join answer (use the latest); it expires
   * {@link REJOIN_TOKEN_TTL_SECONDS} after it was issued. Keep it in memory, never show or log it.
   */
  rejoinToken: string;
  /** Members already in the room before this join (at most one: a room holds {@link ROOM_CAPACITY}). */
  peers: PeerInfo[];
  /**
   * The joiner's role in perfect negotiation (W3C WebRTC 1.0, §10.7 "Perfect negotiation
   * example"): the polite peer rolls back its own offer on glare, the impolite one ignores the
   * incoming offer. The service guarantees the two members of a room hold opposite roles.
   */
  polite: boolean;
}

/**
 * A session description as produced by `RTCPeerConnection.localDescription` (RFC 8866 SDP in
 * the JSEP offer/answer model, RFC 8829). `rollback` is never relayed.
 */
export interface SessionDescription {
  type: 'offer' | 'answer' | 'pranswer';
  /** At most {@link MAX_SDP_LENGTH} characters. */
  sdp: string;
}

/** An ICE candidate as `RTCIceCandidate.toJSON()` gives it (RFC 8839 candidate-attribute). */
export interface IceCandidate {
  /** The candidate-attribute line, at most {@link MAX_CANDIDATE_LENGTH} characters; `""` is allowed. */
  candidate: string;
  /** Media stream id, at most 32 characters. */
  sdpMid?: string | null;
  /** Index of the m-line, 0–1023. */
  sdpMLineIndex?: number | null;
  /** ICE ufrag, at most 256 characters. */
  usernameFragment?: string | null;
}

/**
 * What one peer sends another through the service. The service checks the shape and relays it
 * unchanged; it does not interpret kinds: only the two browsers do. Every signal carries `call`,
 * the id of the call it belongs to ({@link CALL_ID_PATTERN}), chosen at random by the caller for
 * each call; a client drops signals of a call that has ended.
 *
 * A call, under the consent model (PROTOCOL.md, "A call"):
 * 1. The caller sends `ring`, then at once its SDP offer (`description`) and trickled candidates;
 *    the callee answers them while it rings, so ICE and DTLS finish before anyone accepts. No
 *    camera or microphone RTP flows yet: senders carry no track.
 * 2. The callee sends `accept` (and attaches its tracks with `RTCRtpSender.replaceTrack`, as does
 *    the caller on receiving it), or `decline`. Either side may send `hang-up` instead.
 * 3. Glare (both ring at once): each treats the other's ring as acceptance; the call id of the
 *    impolite side's ring wins and perfect negotiation keeps one connection.
 */
export type Signal =
  /** "I am calling you." The SDP offer follows as a `description` signal of the same call. */
  | { kind: 'ring'; call: string }
  /** The callee accepted: its media tracks are attached now. */
  | { kind: 'accept'; call: string }
  /** The callee declined the call. */
  | { kind: 'decline'; call: string }
  /**
   * Ends the call; while it rings, cancels it. The receiver closes its peer connection.
   * `no-answer`: the ring timed out (either side's timer); `failed`: the sender's side could
   * not set up or restore the connection.
   */
  | { kind: 'hang-up'; call: string; reason?: 'no-answer' | 'failed' }
  /** An SDP offer or answer (perfect negotiation). */
  | { kind: 'description'; call: string; description: SessionDescription }
  /** A trickled ICE candidate (RFC 8838); `null` marks the end of candidates. */
  | { kind: 'candidate'; call: string; candidate: IceCandidate | null }
  /**
   * A chat message between the two members while no call connects them (during a call, widgets
   * send chat over the call's own data channel, end to end, and the service never sees it).
   * `id`: the sender's, 1–64 characters; `text`: 1–{@link MAX_CHAT_LENGTH} characters; `sentAt`:
   * the sender's clock, ms since the epoch. Counted against the relay budget like any signal.
   */
  | { kind: 'chat'; id: string; text: string; sentAt: number };

/** Longest chat message, in UTF-16 code units. */
export const MAX_CHAT_LENGTH = 2000;

/** Lifetime of a rejoin token from its join answer, in seconds (24 h). */
export const REJOIN_TOKEN_TTL_SECONDS = 24 * 60 * 60;

/**
 * `watch:beat` request: a tighter liveness watch, asked for by a client in a call. The service
 * treats the connection as lost (closes it; the other member gets `room:peer-left` `disconnected`)
 * when the next beat does not arrive within `next` ms. `next: 0` ends the watch.
 */
export interface WatchBeat {
  /** 0, or {@link MIN_WATCH_MS}–{@link MAX_WATCH_MS}. */
  next: number;
}

/** `signal:relay` request from a client: deliver `signal` to room member `to`. */
export interface RelayRequest {
  /** The other member's id (from `peers` or `room:peer-joined`), at most {@link MAX_PEER_ID_LENGTH} characters. */
  to: string;
  signal: Signal;
}

/** `signal:relay` delivery to a client. `from` is stamped by the service, never the sender's claim. */
export interface RelayedSignal {
  /** The sender's connection id. */
  from: string;
  /** Exactly what the sender sent. */
  signal: Signal;
}

/** `ice:servers` success answer. */
export interface IceServersResult {
  /** W3C `RTCIceServer` entries, ready for `new RTCPeerConnection({ iceServers })`. */
  iceServers: IceServer[];
  /** Seconds the credentials stay valid from now; absent when they do not expire (plain STUN). */
  ttl?: number;
  /**
   * True when the configured TURN provider failed and only the STUN fallback is given: calls
   * behind strict NATs may not connect. The widget reports it as `vc-error` `ice-degraded`.
   */
  degraded?: boolean;
}

/** W3C `RTCIceServer` (WebRTC 1.0 §4.2.1), password credentials only. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** Events a client sends. The last argument, where present, is the acknowledgement callback. */
export interface ClientToServerEvents {
  /** Join a room. Answers the room state, or `room-full` / `already-in-room` / `invalid-payload` / `ticket-…`. */
  'room:join': (request: JoinRequest, ack: (result: Ack<JoinResult>) => void) => void;
  /** Leave the current room. Answers `not-in-room` when there was none. */
  'room:leave': (ack?: (result: Ack) => void) => void;
  /** Relay a signal to another member of the sender's room. */
  'signal:relay': (request: RelayRequest, ack?: (result: Ack) => void) => void;
  /** Ask for ICE servers. Only members of a room get them; others get `not-in-room`. */
  'ice:servers': (ack: (result: Ack<IceServersResult>) => void) => void;
  /** Liveness beat with a deadline for the next one (see {@link WatchBeat}); answers `{ ok: true }`. */
  'watch:beat': (request: WatchBeat, ack?: (result: Ack) => void) => void;
}

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

/** Events the service sends. */
export interface ServerToClientEvents {
  /** Another member joined the caller's room. */
  'room:peer-joined': (peer: PeerInfo) => void;
  /** A member left the room, by `room:leave` or by disconnecting. */
  'room:peer-left': (peer: PeerLeft) => void;
  /** A signal from another member of the room. */
  'signal:relay': (message: RelayedSignal) => void;
  /**
   * This node is shutting down (graceful drain). The service closes the connection right after
   * (a `transport close`, not a socket.io goodbye): reconnect as after any lost connection, and
   * rejoin with the rejoin token; the load balancer sends the new connection to another node.
   * Media between the peers is not affected.
   */
  'server:draining': () => void;
}
