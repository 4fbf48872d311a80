/**
 * What one leg sends: the local camera and microphone once consent is given, the screen being
 * shared, and the cap on the camera video (call/bandwidth.ts). Kept by the leg across its
 * connections (a new connection in the same call sends the same); `reset()` forgets the media
 * and the consent when the leg closes, the cap stays (it depends on the call's size).
 */
import type { VideoCap } from './leg-setup.js';
import { applyVideoCap, senderOf, sendTracks } from './sender-tracks.js';

export class LegSending {
  #localStream: MediaStream | null = null;
  #screen: MediaStream | null = null;
  #consented = false;
  #videoCap: VideoCap | null = null;
  /** A cap other than "none" was applied once: going back to none must be applied too. */
  #everCapped = false;

  /** Consent given: local media may flow on this leg (`consent()` was called since the last `reset()`). */
  get consented(): boolean {
    return this.#consented;
  }

  /** Consent given: send `stream`'s tracks from now on (null: send nothing, consent kept). */
  consent(stream: MediaStream | null): void {
    this.#localStream = stream;
    this.#consented = true;
  }

  /** The screen to share from now on, or null. */
  share(stream: MediaStream | null): void {
    this.#screen = stream;
  }

  /** The cap on the camera video from now on. */
  cap(cap: VideoCap): void {
    this.#videoCap = cap;
  }

  /**
   * Puts what this leg sends on `pc`'s senders (`replaceTrack`, no renegotiation; nothing before
   * consent), then caps its video.
   */
  async apply(pc: RTCPeerConnection): Promise<void> {
    if (!this.#consented) return;
    await Promise.all([sendTracks(pc, this.#localStream, 'camera'), sendTracks(pc, this.#screen, 'screen')]);
    await this.applyCap(pc);
  }

  /**
   * Caps `pc`'s camera video sender (`RTCRtpSender.setParameters`). A sender that a remote offer
   * created has no encoding until the answer is set locally: the leg calls this again then.
   * Failures (a concurrent `setParameters`) are logged: the next call applies the cap.
   */
  async applyCap(pc: RTCPeerConnection): Promise<void> {
    if (!this.#videoCap) return;
    // No cap (a one-to-one call) on a sender never capped: its parameters already say so, and
    // reading them (getParameters) during set-up costs the answer's time.
    const none = this.#videoCap.maxBitrateBps === null && this.#videoCap.scaleResolutionDownBy === 1;
    if (none && !this.#everCapped) return;
    this.#everCapped ||= !none;
    await applyVideoCap(pc, this.#videoCap).catch((error: unknown) => console.warn('[video-call] video cap:', error));
  }

  /** The camera or microphone changed: puts `track` on its sender (after consent only). */
  async replaceTrack(pc: RTCPeerConnection, kind: 'audio' | 'video', track: MediaStreamTrack): Promise<void> {
    if (!this.#consented) return;
    const sender = senderOf(pc, 'camera', kind);
    if (sender && sender.track !== track) await sender.replaceTrack(track);
  }

  /** Forgets the local media, the screen and the consent (the leg closed); the cap stays. */
  reset(): void {
    this.#localStream = this.#screen = null;
    this.#consented = false;
  }
}
