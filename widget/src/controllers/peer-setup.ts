/**
 * What PeerController (peer-controller.ts) is given: the settings of one call's connection, the
 * callbacks it reports through, and the signals it sends and handles.
 */
import type { IceCandidate, IceServer, SessionDescription } from 'video-call-protocol';

/** Signals this controller sends and handles (the caller adds the call id). */
export type PeerSignal =
  | { kind: 'description'; description: SessionDescription }
  | { kind: 'candidate'; candidate: IceCandidate | null };

/** Callbacks of {@link PeerController}. */
export interface PeerControllerOptions {
  /** Sends a description or candidate to the other peer through the signal service. */
  sendSignal(signal: PeerSignal): void;
  /** Called whenever `connectionState` changes. */
  onConnectionStateChange?(state: RTCPeerConnectionState): void;
  /**
   * ICE gathering completed without a single local candidate: with `iceTransportPolicy: 'relay'`
   * no TURN server could be reached or it refused the credentials; the call cannot connect.
   */
  onNoLocalCandidates?(): void;
  /** The call's data channel opened (on every new connection): say what has to be said. */
  onChannelOpen?(): void;
  /** A message from the other peer over the data channel (peer-supplied: validate it). */
  onChannelMessage?(data: unknown): void;
}

/** Settings of one call's connection. */
export interface PeerSetup {
  /** This side's perfect-negotiation role, as assigned by the signal service. */
  polite: boolean;
  /** STUN/TURN servers (W3C RTCIceServer), or a promise of them while they are being fetched. */
  iceServers: IceServer[] | Promise<IceServer[]>;
  /** `relay` uses TURN only (no IP addresses shared with the peer); default `all`. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** True on the caller: create the transceivers and send the offer at once. */
  offer: boolean;
}
