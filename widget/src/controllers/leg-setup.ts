/**
 * What a LegController (leg-controller.ts) is given: the settings of one leg's connection, the
 * callbacks it reports through, and the signals it sends and handles.
 */
import type { IceCandidate, IceServer, SessionDescription } from 'video-call-protocol';
import type { LegChannelEvents } from './leg-channel.js';

/** Signals a leg sends and handles (the caller adds the call id and the address). */
export type LegSignal = { kind: 'description'; description: SessionDescription } | { kind: 'candidate'; candidate: IceCandidate | null };

/** Callbacks of a {@link LegController}. */
export interface LegControllerOptions extends LegChannelEvents {
  /** Sends a description or candidate to the other participant through the signal service. */
  sendSignal(signal: LegSignal): void;
  /** Called whenever `connectionState` changes. */
  onConnectionStateChange?(state: RTCPeerConnectionState): void;
  /**
   * ICE gathering completed without a single local candidate: with `iceTransportPolicy: 'relay'`
   * no TURN server could be reached or it refused the credentials; the leg cannot connect.
   */
  onNoLocalCandidates?(): void;
}

/** Settings of one leg's connection. */
export interface LegSetup {
  /** This side's perfect-negotiation role on the leg (protocol roles.ts: the greater peerId is polite). */
  polite: boolean;
  /** STUN/TURN servers (W3C RTCIceServer), or a promise of them while they are being fetched. */
  iceServers: IceServer[] | Promise<IceServer[]>;
  /** `relay` uses TURN only (no IP addresses shared with the other side); default `all`. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** True on the side that offers: create the transceivers and send the offer at once. */
  offer: boolean;
  /**
   * A connection made ahead with these ICE settings and never used (spare-connection.ts); the
   * leg then owns it. Without it, the leg makes its own.
   */
  connection?: RTCPeerConnection;
}

/**
 * A cap on the video a leg sends (`RTCRtpSender.setParameters`, W3C WebRTC 1.0 §5.2): the
 * encoder's bitrate ceiling in bits per second, and the factor the resolution is divided by.
 */
export interface VideoCap {
  maxBitrateBps: number | null;
  scaleResolutionDownBy: number;
}
