/**
 * Where ICE servers come from. One provider is chosen at start-up from the environment
 * (see config.ts): Twilio Network Traversal Service, coturn TURN REST credentials, or a static list.
 */
import type { IceServer } from 'video-call-protocol';

/** ICE servers handed to one room member. */
export interface IceGrant {
  /** W3C `RTCIceServer` entries. */
  iceServers: IceServer[];
  /** Seconds the credentials stay valid from now; absent when they do not expire. */
  ttl?: number;
}

export interface IceProvider {
  /** Short provider name for logs, e.g. when it fails (`twilio`, `turn-rest`, `static`). */
  readonly kind: string;
  /**
   * ICE servers for room member `memberId` (a socket id, used as the TURN REST user part).
   * Rejects when the upstream service fails; the caller falls back to STUN.
   */
  getIceServers(memberId: string): Promise<IceGrant>;
}
