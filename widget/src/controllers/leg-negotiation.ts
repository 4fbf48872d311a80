/**
 * Perfect negotiation for one connection, after W3C WebRTC 1.0 §10.7 and webrtc/samples'
 * perfect-negotiation peer: offers are made with `setLocalDescription()` (no arguments); on an
 * offer collision (glare) the impolite side ignores the incoming offer and the polite side rolls
 * back its own (implicitly, in `setRemoteDescription`). Roles are per pair (protocol roles.ts).
 */

/** Waits for a connection's promise, or for the connection to close (leg-operations.ts `untilClosed`). */
type UntilClosed = <T>(operation: Promise<T>) => Promise<T | void>;

export class PerfectNegotiation {
  #polite = false;
  #makingOffer = false;
  #ignoreOffer = false;
  #settingRemoteAnswerPending = false;

  /** A new connection: our role toward the other participant (polite gives way on glare). */
  reset(polite: boolean): void {
    this.#polite = polite;
    this.#makingOffer = this.#ignoreOffer = this.#settingRemoteAnswerPending = false;
  }

  /** True after an offer we ignored (impolite side, glare): its candidates are dropped too. */
  get ignoringOffer(): boolean {
    return this.#ignoreOffer;
  }

  /** Makes and sets our offer (`setLocalDescription()`); the caller sends `pc.localDescription`. */
  async offer(pc: RTCPeerConnection, untilClosed: UntilClosed): Promise<void> {
    try {
      this.#makingOffer = true;
      await untilClosed(pc.setLocalDescription());
    } finally {
      this.#makingOffer = false;
    }
  }

  /**
   * Sets the other participant's `description`, unless it is an offer that collides with ours
   * and we are impolite: then resolves false and nothing changes.
   */
  async setRemote(pc: RTCPeerConnection, description: RTCSessionDescriptionInit, untilClosed: UntilClosed): Promise<boolean> {
    const readyForOffer = !this.#makingOffer && (pc.signalingState === 'stable' || this.#settingRemoteAnswerPending);
    const offerCollision = description.type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !this.#polite && offerCollision;
    if (this.#ignoreOffer) return false;
    this.#settingRemoteAnswerPending = description.type === 'answer';
    try {
      await untilClosed(pc.setRemoteDescription(description)); // rolls back our offer if needed (polite)
    } finally {
      this.#settingRemoteAnswerPending = false;
    }
    return true;
  }
}
