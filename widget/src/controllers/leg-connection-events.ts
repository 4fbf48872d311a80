/**
 * What a leg hears from its RTCPeerConnection (W3C WebRTC 1.0 §4.4 events), reported only while
 * that connection is the leg's current one: a late event of a connection the leg already
 * replaced or closed is dropped here, not in each handler.
 */
import type { IceCandidate } from 'video-call-protocol';

/** The events a leg acts on. */
export interface ConnectionEvents {
  /** `negotiationneeded` in a `stable` state (perfect negotiation offers only then). */
  onNegotiationNeeded(): void;
  /** A local ICE candidate to send (trickle ICE), or null when gathering ended. */
  onCandidate(candidate: IceCandidate | null): void;
  /** `connectionState` changed. */
  onStateChange(state: RTCPeerConnectionState): void;
  /** Gathering completed without a single local candidate since it (re)started (TURN unreachable under `relay`). */
  onNoLocalCandidates(): void;
}

/** Reports `pc`'s events to `events` while `isCurrent()`. */
export function listenTo(pc: RTCPeerConnection, isCurrent: () => boolean, events: ConnectionEvents): void {
  /** Local candidates gathered since the connection or its last ICE restart. */
  let gathered = 0;
  pc.onnegotiationneeded = () => {
    if (isCurrent() && pc.signalingState === 'stable') events.onNegotiationNeeded();
  };
  pc.onicecandidate = ({ candidate }) => {
    if (!isCurrent()) return;
    if (candidate) gathered++;
    events.onCandidate(candidate ? (candidate.toJSON() as IceCandidate) : null);
  };
  pc.onconnectionstatechange = () => {
    if (isCurrent()) events.onStateChange(pc.connectionState);
  };
  pc.onicegatheringstatechange = () => {
    if (!isCurrent()) return;
    if (pc.iceGatheringState === 'gathering') gathered = 0;
    else if (pc.iceGatheringState === 'complete' && gathered === 0) events.onNoLocalCandidates();
  };
}

/** Stops reporting `pc`'s events (the leg closes it). */
export function stopListening(pc: RTCPeerConnection): void {
  pc.onnegotiationneeded = pc.onicecandidate = pc.onconnectionstatechange = pc.onicegatheringstatechange = null;
}
