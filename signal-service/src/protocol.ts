/**
 * The signaling protocol between `<video-call>` and the signal service: THE contract.
 *
 * Types only: the widget imports this file with `import type`, so no server code reaches the
 * browser bundle. Every payload described here is also checked at runtime by `schemas.ts`;
 * these types do not validate anything. signal-service/PROTOCOL.md describes the same contract
 * in prose for authors of other clients.
 *
 * Event names are `domain:verb`. Requests that can fail carry a socket.io acknowledgement whose
 * argument is an {@link Ack}.
 */

/** Stable error codes carried by `{ ok: false }` acknowledgements. Never renamed once released. */
export type ErrorCode =
  /** The payload failed validation (wrong shape, too long, bad characters). Nothing changed. */
  | 'invalid-payload'
  /** The room already has its two members. The socket was not joined. */
  | 'room-full'
  /** The request needs a joined room and the socket has none. */
  | 'not-in-room'
  /** The socket is already in a room; leave it first. */
  | 'already-in-room'
  /** The relay target is not a member of the sender's room. Nothing was sent. */
  | 'peer-not-found'
  /** The service requires room tickets (`ROOM_TICKET_SECRET`) and the join carried none. Nothing changed. */
  | 'ticket-required'
  /**
   * The ticket is not a valid ticket of this service: malformed, not HS256, bad signature, `exp`
   * or `room` claim missing, bad `name` claim, or not valid yet (`nbf`). Nothing changed.
   */
  | 'ticket-invalid'
  /** The ticket's `exp` has passed (beyond 5 s of clock tolerance): get a fresh one. Nothing changed. */
  | 'ticket-expired'
  /** The ticket's `room` claim is another room than the one asked for. Nothing changed. */
  | 'ticket-wrong-room'
  /** Too many requests of this kind from this connection; retry later. Nothing changed. */
  | 'rate-limited'
  /** Something failed inside the service. The message says nothing about internals. */
  | 'internal-error';

/** An error as sent to clients: a stable `code` plus a human-readable English `message`. */
export interface ProtocolError {
  code: ErrorCode;
  message: string;
}

/** Result of a request: `{ ok: true, ...T }` on success, `{ ok: false, error }` on failure. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ProtocolError };

/** A member of a room as other members see it. */
export interface PeerInfo {
  /** Server-assigned id of the member's connection (socket.io socket id). */
  id: string;
  /** Display name, already validated by the service; may be the empty string. Render as text. */
  name: string;
  /**
   * The member's own session id from its `room:join` (empty when it gave none). It stays the same
   * when the member reconnects with a new connection id, so a peer can tell "the same person is
   * back" from "someone else joined".
   */
  session: string;
}

/** `room:peer-left` payload. */
export interface PeerLeft extends PeerInfo {
  /**
   * `left`: the member left on purpose (`room:leave`, or its client closed the connection).
   * `disconnected`: the connection was lost (network, closed tab, ping timeout); the member may
   * come back with the same `session` in a few seconds, and its media may still be flowing.
   */
  reason: 'left' | 'disconnected';
}

/** `room:join` request. Rules are in schemas.ts and PROTOCOL.md. */
export interface JoinRequest {
  /** Room name: 1–64 characters of `A–Z a–z 0–9 _ . -`. */
  room: string;
  /** Optional display name: at most 64 characters, no control characters. */
  name?: string;
  /**
   * Optional session id chosen by the client (8–64 of `A–Z a–z 0–9 _ -`, e.g. a random UUID),
   * the same on every rejoin after a reconnection. Shown to the other member as `session`.
   */
  session?: string;
  /**
   * Optional preferred role, granted when the room is empty: a client rejoining after a
   * reconnection (or a service restart) asks for the role it had, to keep its call going.
   */
  polite?: boolean;
  /**
   * Room ticket: a JWT (HS256) minted by the host site's backend with claims `room` (must equal
   * `room` above), `exp`, and optionally `name` (then shown instead of `name` above), `nbf`, `iat`.
   * Required when the service sets `ROOM_TICKET_SECRET`, ignored otherwise. At most 4096 characters.
   */
  ticket?: string;
}

/** `room:join` success answer. */
export interface JoinResult {
  /** The joiner itself, as the others see it. */
  self: PeerInfo;
  /** Members already in the room before this join (at most one: a room holds two). */
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
  sdp: string;
}

/** An ICE candidate as `RTCIceCandidate.toJSON()` gives it (RFC 8839 candidate-attribute). */
export interface IceCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/**
 * What one peer sends another through the service. The service checks the shape and relays it
 * unchanged; only the two browsers interpret it.
 * - `description`: an SDP offer or answer (perfect negotiation).
 * - `candidate`: a trickled ICE candidate (RFC 8838); `null` marks the end of candidates.
 * - `hang-up`: the sender ended the call; the receiver closes its peer connection.
 */
export type Signal =
  | { kind: 'description'; description: SessionDescription }
  | { kind: 'candidate'; candidate: IceCandidate | null }
  | { kind: 'hang-up' };

/** `signal:relay` request from a client: deliver `signal` to room member `to`. */
export interface RelayRequest {
  to: string;
  signal: Signal;
}

/** `signal:relay` delivery to a client. `from` is stamped by the service, never the sender's claim. */
export interface RelayedSignal {
  from: string;
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
}

/** Events the service sends. */
export interface ServerToClientEvents {
  /** Another member joined the caller's room. */
  'room:peer-joined': (peer: PeerInfo) => void;
  /** A member left the room, by `room:leave` or by disconnecting. */
  'room:peer-left': (peer: PeerLeft) => void;
  /** A signal from another member of the room. */
  'signal:relay': (message: RelayedSignal) => void;
}

/** Events between service nodes (none yet: one node, or the Redis adapter's own). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InterServerEvents {}

/** What the service keeps on each socket (`socket.data`). */
export interface SocketData {
  room?: string;
  name: string;
}
