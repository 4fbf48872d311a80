/**
 * One RTCPeerConnection made ahead of need, while we wait in the room with no call, so that the
 * first leg of the next call (the one we make, or the one that rings for us) does not create it
 * on the set-up path. Creating a page's first connection also starts WebRTC's threads and its
 * factory, and every connection generates its DTLS certificate: on a loaded machine that is
 * tens of ms before the offer (bench/README.md, "Set-up profile").
 *
 * A spare holds no network resources: nothing is gathered before a description is set (the
 * pool of candidates, `iceCandidatePoolSize`, stays 0), so no TURN allocation is made for a
 * call that may never come. It is configured again with the leg's settings when it is taken.
 */
import type { IceServer } from 'video-call-protocol';

/** The settings a leg's connection is made with (W3C WebRTC 1.0 RTCConfiguration, the part we set). */
export interface ConnectionSettings {
  iceServers: IceServer[];
  iceTransportPolicy: RTCIceTransportPolicy;
}

/** See the file comment. */
export class SpareConnection {
  #pc: RTCPeerConnection | null = null;

  /** True while a spare is held (for tests and diagnostics). */
  get ready(): boolean {
    return this.#pc !== null;
  }

  /** Makes the spare now, unless one is held. Never throws: without a spare, legs make their own. */
  prepare(settings: ConnectionSettings): void {
    if (this.#pc) return;
    try {
      this.#pc = new RTCPeerConnection(settings);
    } catch (error) {
      console.warn('[video-call] spare connection:', error);
    }
  }

  /**
   * A connection with `settings` for a leg: the spare (configured again, and no longer held) when
   * it is still untouched, else a new one.
   * @throws what `new RTCPeerConnection()` throws for invalid settings (a malformed ICE server URL).
   */
  take(settings: ConnectionSettings): RTCPeerConnection {
    const spare = this.#pc;
    this.#pc = null;
    if (spare && spare.signalingState === 'stable' && spare.getTransceivers().length === 0 && !spare.localDescription) {
      try {
        spare.setConfiguration(settings); // refreshed TURN credentials, or another transport policy
        return spare;
      } catch {
        spare.close(); // settings it cannot take: a new connection says why
      }
    } else {
      spare?.close();
    }
    return new RTCPeerConnection(settings);
  }

  /** Closes the spare, if any (leaving the room). */
  discard(): void {
    this.#pc?.close();
    this.#pc = null;
  }
}
