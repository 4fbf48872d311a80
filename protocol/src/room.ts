/**
 * Rooms and their members: the `room:join` request and answer, and the presence events.
 */

/** A member of a room as other members see it. */
export interface PeerInfo {
  /**
   * Server-assigned id of the member's connection (socket.io socket id): the address of relays.
   * A new one with every connection.
   */
  id: string;
  /** Display name, already validated by the service; may be the empty string. Render as text. */
  name: string;
  /**
   * The member's identity in the room, issued by the service at its first join
   * (`PEER_ID_PATTERN`). Opaque and public: it stays the same when the member rejoins with its
   * rejoin token on a new connection (new `id`), so a client can tell "the same person is back"
   * from "someone else joined". Knowing it does not let anyone take the member's place. It also
   * decides each pair's perfect-negotiation roles (roles.ts).
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

/** `room:join` request. No other fields are allowed; PROTOCOL.md explains each. */
export interface JoinRequest {
  /** Room name: 1–64 characters of `A–Z a–z 0–9 _ . -` (`ROOM_NAME_PATTERN`). */
  room: string;
  /**
   * Optional display name: at most `MAX_NAME_LENGTH` characters, none of
   * `FORBIDDEN_NAME_CHARS`; trimmed by the service.
   */
  name?: string;
  /**
   * A rejoin: the `rejoinToken` of this client's last join answer in this room. The member comes
   * back with its `peerId` (and, while its old connection is still a member, takes that
   * connection's place). Secret: never shown to anyone else. A token that is wrong, of another
   * room or expired is refused with `rejoin-invalid`. Absent on a first join.
   */
  rejoin?: string;
  /**
   * Room ticket: a JWT (HS256, RFC 7519) minted by the host site's backend with claims `room`
   * (must equal `room` above), `exp`, and optionally `name` (then shown instead of `name` above),
   * `capacity` (an integer `MIN_ROOM_CAPACITY`–`MAX_ROOM_CAPACITY`: the room's capacity when this
   * join is its first member), `nbf`, `iat`. Required when the service sets `ROOM_TICKET_SECRET`,
   * ignored otherwise. At most `MAX_TICKET_LENGTH` characters.
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
   * `REJOIN_TOKEN_TTL_SECONDS` after it was issued. Keep it in memory, never show or log it.
   */
  rejoinToken: string;
  /**
   * Every member already in the room before this join (at most `capacity - 1`), in join order
   * (the earliest first); `[]` when the joiner is the first.
   */
  peers: PeerInfo[];
  /**
   * How many members the room holds at most, the joiner included (`MIN_ROOM_CAPACITY`–
   * `MAX_ROOM_CAPACITY`). Fixed by the room's first member for as long as the room has members:
   * its ticket's `capacity` claim, else the service's `ROOM_CAPACITY` setting (default
   * `DEFAULT_ROOM_CAPACITY`, 2). Once the room is empty it is gone, and the next first member
   * fixes it again. A join beyond it is refused with `room-full`.
   *
   * Roles for perfect negotiation are not handed out: each client derives them per pair from the
   * two `peerId`s (`isPolite`, roles.ts).
   */
  capacity: number;
}
