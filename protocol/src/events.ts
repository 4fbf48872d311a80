/**
 * The socket.io event maps: `Server<ClientToServerEvents, ServerToClientEvents, …>` on the
 * service, `Socket<ServerToClientEvents, ClientToServerEvents>` on a client. Event names are
 * `domain:verb`; requests that can fail carry an acknowledgement whose argument is an `Ack`.
 */
import type { Ack } from './errors.js';
import type { IceServersResult } from './ice.js';
import type { JoinRequest, JoinResult, PeerInfo, PeerLeft } from './room.js';
import type { RelayedSignal, RelayRequest } from './signals.js';

/**
 * `watch:beat` request: a tighter liveness watch, asked for by a client in a call. The service
 * treats the connection as lost (closes it; the other members get `room:peer-left`
 * `disconnected`) when the next beat does not arrive within `next` ms. `next: 0` ends the watch.
 */
export interface WatchBeat {
  /** 0, or `MIN_WATCH_MS`–`MAX_WATCH_MS`. */
  next: number;
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

/** Events the service sends. */
export interface ServerToClientEvents {
  /** Another member joined the receiver's room (sent to every other member). */
  'room:peer-joined': (peer: PeerInfo) => void;
  /** A member left the room, by `room:leave` or by disconnecting (sent to every other member). */
  'room:peer-left': (peer: PeerLeft) => void;
  /** A signal from another member of the room, addressed to the receiver. */
  'signal:relay': (message: RelayedSignal) => void;
  /**
   * This node is shutting down (graceful drain). The service closes the connection right after
   * (a `transport close`, not a socket.io goodbye): reconnect as after any lost connection, and
   * rejoin with the rejoin token; the load balancer sends the new connection to another node.
   * Media between the members is not affected.
   */
  'server:draining': () => void;
}
