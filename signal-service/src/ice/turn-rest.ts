/**
 * TURN REST credentials for a self-hosted TURN server such as coturn with `use-auth-secret`
 * (draft-uberti-behave-turn-rest-00 §2.2; coturn's `--static-auth-secret`):
 *   username   = "<expiry as unix seconds>:<user id>"
 *   credential = base64(HMAC-SHA1(shared secret, username))
 * The TURN server recomputes the HMAC and refuses the credential once the expiry has passed.
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from 'video-call-protocol';
import type { IceGrant, IceProvider } from './provider.js';

export interface TurnRestOptions {
  /** `turn:` / `turns:` URLs of the TURN server. */
  turnUrls: string[];
  /** Shared secret, as in coturn's `static-auth-secret`. */
  secret: string;
  /** Credential lifetime in seconds. */
  ttlSeconds: number;
  /** STUN URLs to hand out alongside (may be empty). */
  stunUrls: string[];
  /** Clock in ms, for tests. */
  now?: () => number;
}

/** Computes one TURN REST credential pair. `expiresAt` is in unix seconds. */
export function turnRestCredential(secret: string, user: string, expiresAt: number) {
  const username = `${expiresAt}:${user}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

/**
 * Mints fresh TURN REST credentials per request, for member `memberId`, valid `ttlSeconds`;
 * STUN URLs (if any) come first in the list.
 */
export class TurnRestIceProvider implements IceProvider {
  readonly kind = 'turn-rest';
  readonly #options: TurnRestOptions;
  readonly #now: () => number;

  constructor(options: TurnRestOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  getIceServers(memberId: string): Promise<IceGrant> {
    const { turnUrls, secret, ttlSeconds, stunUrls } = this.#options;
    const expiresAt = Math.floor(this.#now() / 1000) + ttlSeconds;
    const iceServers: IceServer[] = [];
    if (stunUrls.length > 0) iceServers.push({ urls: stunUrls });
    iceServers.push({ urls: turnUrls, ...turnRestCredential(secret, memberId, expiresAt) });
    return Promise.resolve({ iceServers, ttl: ttlSeconds });
  }
}
