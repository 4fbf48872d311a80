/**
 * The other peer's ICE candidates for one RTCPeerConnection (RFC 8838 trickle ICE). A candidate
 * that arrives before the remote description cannot be added yet: it waits here (at most
 * {@link MAX_PENDING_CANDIDATES}) and is added, in order, right after the description is set.
 */
import type { IceCandidate } from 'video-call-protocol';

/** Remote candidates kept while waiting for the remote description (a call gathers some 10–40). */
export const MAX_PENDING_CANDIDATES = 200;

export class RemoteCandidates {
  #pending: (IceCandidate | null)[] = [];

  /**
   * @param pc the connection the candidates are for
   * @param expectFailures true while failures are expected (candidates of an offer ignored in
   *   glare, or of a previous ICE generation): they are then not worth a warning
   */
  constructor(
    private readonly pc: RTCPeerConnection,
    private readonly expectFailures: () => boolean,
  ) {}

  /** Candidates waiting for the remote description. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Adds `candidate` (`null`: the end of candidates), or keeps it until the remote description is set. */
  add(candidate: IceCandidate | null): void {
    if (this.pc.remoteDescription) {
      // Not awaited: the connection chains its own operations, and the next signal need not wait.
      void this.#add(candidate);
    } else if (this.#pending.length < MAX_PENDING_CANDIDATES) {
      this.#pending.push(candidate);
    }
  }

  /**
   * Adds the waiting candidates, in order (call once the remote description is set). Like every
   * operation on a connection, it never settles if the connection is closed meanwhile.
   */
  async flush(): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    await Promise.all(pending.map((candidate) => this.#add(candidate)));
  }

  async #add(candidate: IceCandidate | null): Promise<void> {
    try {
      // No argument (undefined) marks the end of the remote candidates.
      await this.pc.addIceCandidate(candidate ?? undefined);
    } catch (error) {
      // Never worth ending the call over.
      if (!this.expectFailures() && this.#open()) console.warn('[video-call] ICE candidate not added', error);
    }
  }

  #open(): boolean {
    return this.pc.signalingState !== 'closed';
  }
}
