/**
 * ICE servers from Twilio's Network Traversal Service through the official `twilio` package
 * (`POST /2010-04-01/Accounts/{AccountSid}/Tokens.json`, vendor doc:
 * https://www.twilio.com/docs/stun-turn/api).
 *
 * One token serves every member until shortly before it expires, and concurrent askers share one
 * request in flight: a busy room does not turn into a request per join.
 */
import twilio from 'twilio';
import type { IceServer } from '../protocol.js';
import type { IceGrant, IceProvider } from './provider.js';

export interface TwilioIceOptions {
  accountSid: string;
  authToken: string;
  /** Token lifetime asked of Twilio, in seconds (Twilio's default and maximum: 86400). */
  ttlSeconds: number;
  /** Only for tests: where the Twilio REST API is (a local stand-in). */
  apiBaseUrl?: string;
  /** Clock in ms, for tests. */
  now?: () => number;
}

/** A token is reused until this share of its lifetime is left (at least 60 s). */
const RENEW_WHEN_LEFT = 0.2;

/** Keeps only what `RTCIceServer` takes; Twilio also sends the deprecated `url`. */
export function toIceServer(entry: { url?: string; urls?: string; username?: string; credential?: string }): IceServer {
  const server: IceServer = { urls: entry.urls ?? entry.url ?? '' };
  if (entry.username !== undefined) server.username = entry.username;
  if (entry.credential !== undefined) server.credential = entry.credential;
  return server;
}

export class TwilioIceProvider implements IceProvider {
  readonly kind = 'twilio';
  readonly #client: ReturnType<typeof twilio>;
  readonly #ttlSeconds: number;
  readonly #now: () => number;
  #cached?: { iceServers: IceServer[]; expiresAt: number; renewAt: number };
  #inFlight?: Promise<{ iceServers: IceServer[]; expiresAt: number; renewAt: number }>;

  constructor(options: TwilioIceOptions) {
    this.#client = twilio(options.accountSid, options.authToken, { autoRetry: false, timeout: 10_000 });
    if (options.apiBaseUrl) this.#client.api.baseUrl = options.apiBaseUrl;
    this.#ttlSeconds = options.ttlSeconds;
    this.#now = options.now ?? Date.now;
  }

  async getIceServers(): Promise<IceGrant> {
    const now = this.#now();
    let token = this.#cached;
    if (!token || now >= token.renewAt) {
      this.#inFlight ??= this.#fetchToken().finally(() => (this.#inFlight = undefined));
      token = await this.#inFlight;
    }
    return {
      iceServers: structuredClone(token.iceServers),
      ttl: Math.max(0, Math.floor((token.expiresAt - this.#now()) / 1000)),
    };
  }

  async #fetchToken() {
    const token = await this.#client.tokens.create({ ttl: this.#ttlSeconds });
    const fetchedAt = this.#now();
    // Twilio sends ttl as a string of seconds.
    const ttlSeconds = Number.parseInt(String(token.ttl), 10) || this.#ttlSeconds;
    const lifetimeMs = ttlSeconds * 1000;
    const cached = {
      iceServers: (token.iceServers ?? []).map(toIceServer).filter((s) => s.urls !== ''),
      expiresAt: fetchedAt + lifetimeMs,
      renewAt: fetchedAt + lifetimeMs - Math.max(60_000, lifetimeMs * RENEW_WHEN_LEFT),
    };
    this.#cached = cached;
    return cached;
  }
}
