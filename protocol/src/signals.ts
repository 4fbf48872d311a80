/**
 * Signals: what one member sends another through the service's relay (`signal:relay`). The
 * service checks their shape and relays them unchanged to the one member they are addressed to;
 * it does not interpret their kinds. PROTOCOL.md ("A call", "A group call") gives the flows.
 */

/**
 * A session description as produced by `RTCPeerConnection.localDescription` (RFC 8866 SDP in
 * the JSEP offer/answer model, RFC 9429). `rollback` is never relayed.
 */
export interface SessionDescription {
  type: 'offer' | 'answer' | 'pranswer';
  /** At most `MAX_SDP_LENGTH` characters. */
  sdp: string;
}

/** An ICE candidate as `RTCIceCandidate.toJSON()` gives it (RFC 8839 candidate-attribute). */
export interface IceCandidate {
  /** The candidate-attribute line, at most `MAX_CANDIDATE_LENGTH` characters; `""` is allowed. */
  candidate: string;
  /** Media stream id, at most 32 characters. */
  sdpMid?: string | null;
  /** Index of the m-line, 0–1023. */
  sdpMLineIndex?: number | null;
  /** ICE ufrag, at most 256 characters. */
  usernameFragment?: string | null;
}

/**
 * One signal. Every call signal carries `call`, the id of the call it belongs to
 * (`CALL_ID_PATTERN`), chosen at random by whoever starts the call; everyone in that call uses
 * it. A *leg* is the RTCPeerConnection between two participants of a call; its SDP and
 * candidates travel as `description` and `candidate` signals between those two only.
 *
 * - `ring`: "I am in call `call` and invite you": the receiver rings. The ringer's SDP offer for
 *   the leg between them follows at once, so ICE and DTLS finish while it rings; no camera or
 *   microphone RTP flows before the receiver accepts.
 * - `accept`: "I am entering call `call`, with you": sent by a member who accepts a ring or
 *   joins a running call, to every participant it knows. Where no leg joins the two yet, the
 *   sender's offer follows (the one entering offers).
 * - `in-call`: "I am in call `call`; you are not": sent by a participant to the members outside
 *   the call (when it enters, and to anyone who joins the room), so that they can show the call
 *   and join it. Received by a participant of the same call that has no leg to the sender (two
 *   members entered at once, each before hearing of the other), it means: the one of the two
 *   that is impolite (roles.ts) offers.
 * - `decline`: "I do not take your ring" (or: I am busy in another call).
 * - `hang-up`: "I left call `call`" (or, while it rings, "I cancel my ring"). Sent to every
 *   member who knows of our part in the call; the leg between the two, if any, closes.
 *   `no-answer`: a ring timed out (either side's timer); `failed`: the sender could not set up
 *   or restore the leg.
 * - `description`, `candidate`: the leg's SDP (perfect negotiation) and trickled candidates.
 * - `chat`: a chat message sent through the service (when no open data channel joins the two).
 */
export type Signal =
  | { kind: 'ring'; call: string }
  | { kind: 'accept'; call: string }
  | { kind: 'in-call'; call: string }
  | { kind: 'decline'; call: string }
  | { kind: 'hang-up'; call: string; reason?: 'no-answer' | 'failed' }
  | { kind: 'description'; call: string; description: SessionDescription }
  /** A trickled ICE candidate (RFC 8838); `null` marks the end of candidates. */
  | { kind: 'candidate'; call: string; candidate: IceCandidate | null }
  /**
   * `id`: the sender's, 1–64 characters; `text`: 1–`MAX_CHAT_LENGTH` characters; `sentAt`: the
   * sender's clock, ms since the epoch. Counted against the relay budget like any signal.
   */
  | { kind: 'chat'; id: string; text: string; sentAt: number };

/** Every `kind` of {@link Signal}. */
export const SIGNAL_KINDS = ['ring', 'accept', 'in-call', 'decline', 'hang-up', 'description', 'candidate', 'chat'] as const;

/** `signal:relay` request from a client: deliver `signal` to room member `to`. */
export interface RelayRequest {
  /** The other member's connection id (from `peers` or `room:peer-joined`), at most `MAX_PEER_ID_LENGTH` characters. */
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
