/** A fixed list of ICE servers, from `ICE_SERVERS` (JSON `RTCIceServer[]`) or the default STUN entry. */
import type { IceServer } from 'video-call-protocol';
import type { IceGrant, IceProvider } from './provider.js';

/** Public STUN server used when nothing else is configured: enough for most home networks. */
export const DEFAULT_STUN_URLS = ['stun:stun.l.google.com:19302'];

/** Hands every member the same list (a copy), with no `ttl`: static entries do not expire. */
export class StaticIceProvider implements IceProvider {
  readonly kind = 'static';
  readonly #grant: IceGrant;

  constructor(iceServers: IceServer[]) {
    this.#grant = { iceServers };
  }

  getIceServers(): Promise<IceGrant> {
    return Promise.resolve(structuredClone(this.#grant));
  }
}
