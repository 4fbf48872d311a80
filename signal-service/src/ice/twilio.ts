/**
 * ICE servers from Twilio's Network Traversal Service through the official `twilio` package
 * (`POST /2010-04-01/Accounts/{AccountSid}/Tokens.json`, vendor doc:
 * https://www.twilio.com/docs/stun-turn/api).
 *
 * One token serves every member until shortly before it expires, and concurrent askers share one
 * request in flight: a busy room does not turn into a request per join.
 *
 * `twilio` is an optional peer dependency of the package (21 MB): it is imported only when Twilio
 * is configured (loadTwilio), and its absence then is a ConfigError at start-up.
 */
import type Twilio from 'twilio';
import { ConfigError } from '../config.js';
import type { IceServer } from 'video-call-protocol';
import type { IceGrant, IceProvider } from './provider.js';

export interface TwilioIceOptions {
  accountSid: string;
  authToken: string;
  /** Token lifetime asked of Twilio, in seconds (Twilio's default and maximum: 86400). */
  ttlSeconds: number;
  /** Only for tests: where the Twilio REST API is (a local stand-in). */
  apiBaseUrl?: string;
  /** How long one request to Twilio may take, in ms (default 10 000); the call then rejects. */
  timeoutMs?: number;
  /** Clock in ms, for tests. */
  now?: () => number;
}

/** The `twilio` package's client factory. */
type TwilioFactory = typeof Twilio;
type TwilioClient = ReturnType<TwilioFactory>;

let twilioModule: Promise<TwilioFactory> | undefined;

/**
 * Imports the optional `twilio` package (once). Rejects with a ConfigError saying how to install
 * it when it is not installed; any other failure of the import as it is.
 */
export function loadTwilio(): Promise<TwilioFactory> {
  twilioModule ??= import('twilio').then(
    (module) => module.default,
    (error: unknown) => {
      twilioModule = undefined;
      const { code, message } = (error ?? {}) as { code?: string; message?: string };
      if (code === 'ERR_MODULE_NOT_FOUND' && /['"]twilio['"]/.test(message ?? '')) {
        throw new ConfigError(
          'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set, but the optional package "twilio" is not installed: ' +
            'install it beside video-call-server (npm install twilio), or unset them.',
        );
      }
      throw error;
    },
  );
  return twilioModule;
}

/** A token is reused until this share of its lifetime is left (at least 60 s, at most half). */
const RENEW_WHEN_LEFT = 0.2;

/** Keeps only what `RTCIceServer` takes; Twilio also sends the deprecated `url`. */
export function toIceServer(entry: { url?: string; urls?: string; username?: string; credential?: string }): IceServer {
  const server: IceServer = { urls: entry.urls ?? entry.url ?? '' };
  if (entry.username !== undefined) server.username = entry.username;
  if (entry.credential !== undefined) server.credential = entry.credential;
  return server;
}

/**
 * ICE servers from a Twilio NTS token, shared by all members and renewed before it expires (see
 * the file comment). Rejects when Twilio fails and no still-valid token is held.
 */
export class TwilioIceProvider implements IceProvider {
  readonly kind = 'twilio';
  /** The official client, once `twilio` is imported (loadTwilio). */
  readonly #client: Promise<TwilioClient>;
  readonly #ttlSeconds: number;
  readonly #now: () => number;
  #cached?: { iceServers: IceServer[]; expiresAt: number; renewAt: number };
  #inFlight?: Promise<{ iceServers: IceServer[]; expiresAt: number; renewAt: number }>;

  constructor(options: TwilioIceOptions) {
    this.#client = loadTwilio().then((twilio) => {
      const client = twilio(options.accountSid, options.authToken, { autoRetry: false, timeout: options.timeoutMs ?? 10_000 });
      // The client builds every URL from `api.baseUrl` when it sends (Domain.absoluteUrl), so this
      // sends the official client's real HTTP request to the stand-in.
      if (options.apiBaseUrl) client.api.baseUrl = options.apiBaseUrl;
      return client;
    });
    // Without the package each request fails (and start-up already said why): not unhandled here.
    this.#client.catch(() => {});
    this.#ttlSeconds = options.ttlSeconds;
    this.#now = options.now ?? Date.now;
  }

  async getIceServers(): Promise<IceGrant> {
    const now = this.#now();
    let token = this.#cached;
    if (!token || now >= token.renewAt) {
      this.#inFlight ??= this.#fetchToken().finally(() => (this.#inFlight = undefined));
      try {
        token = await this.#inFlight;
      } catch (error) {
        // A failed renewal while the held token is still valid: keep serving it.
        if (!token || this.#now() >= token.expiresAt) throw error;
      }
    }
    return {
      iceServers: structuredClone(token.iceServers),
      ttl: Math.max(0, Math.round((token.expiresAt - this.#now()) / 1000)),
    };
  }

  async #fetchToken() {
    const token = await (await this.#client).tokens.create({ ttl: this.#ttlSeconds });
    const fetchedAt = this.#now();
    // Twilio sends ttl as a string of seconds.
    const ttlSeconds = Number.parseInt(String(token.ttl), 10) || this.#ttlSeconds;
    const lifetimeMs = ttlSeconds * 1000;
    const cached = {
      iceServers: (token.iceServers ?? []).map(toIceServer).filter((s) => s.urls !== ''),
      expiresAt: fetchedAt + lifetimeMs,
      // Renew with 20 % (at least 60 s) of the lifetime left, but never later than half-way, so
      // that short lifetimes still reuse the token.
      renewAt: fetchedAt + lifetimeMs - Math.min(lifetimeMs / 2, Math.max(60_000, lifetimeMs * RENEW_WHEN_LEFT)),
    };
    this.#cached = cached;
    return cached;
  }
}
