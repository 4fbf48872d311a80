/** ICE servers: the answer of `ice:servers`. */

/** W3C `RTCIceServer` (WebRTC 1.0 §4.2.1), password credentials only. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** `ice:servers` success answer. */
export interface IceServersResult {
  /** W3C `RTCIceServer` entries, ready for `new RTCPeerConnection({ iceServers })`. */
  iceServers: IceServer[];
  /** Seconds the credentials stay valid from now; absent when they do not expire (plain STUN). */
  ttl?: number;
  /**
   * True when the configured TURN provider failed and only the STUN fallback is given: calls
   * behind strict NATs may not connect. The widget reports it as `vc-error` `ice-degraded`.
   */
  degraded?: boolean;
}
