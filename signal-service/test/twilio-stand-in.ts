/**
 * A local stand-in for Twilio's REST API (`POST /2010-04-01/Accounts/{AccountSid}/Tokens.json`,
 * https://www.twilio.com/docs/stun-turn/api) for twilio.test.ts: a `node:http` server on
 * 127.0.0.1, port 0, that checks each request the way Twilio does (method, path, Basic auth,
 * form-encoded body) and answers with the documented JSON shape, or an error, or never.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The account the stand-in knows (Twilio account SIDs: `AC` and 32 hex digits). */
export const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
/** That account's auth token. */
export const AUTH_TOKEN = 'north-wind-auth-token';
/** Expected Authorization header, computed here, not by the code under test. */
export const basicAuth = (sid: string, token: string) => `Basic ${Buffer.from(`${sid}:${token}`, 'utf8').toString('base64')}`;

/** One request as the stand-in received it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Raw body text. */
  body: string;
  /** Body parsed as application/x-www-form-urlencoded. */
  form: Record<string, string>;
  /** Status the stand-in answered (undefined while it holds the request). */
  status?: number;
}

/** How the stand-in answers: a token, 401, or never. */
type Mode = 'token' | 'unauthorized' | 'hang';

/** Twilio's error body, as the REST API sends it. */
function twilioError(code: number, message: string, status: number) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/**
 * Local stand-in for `POST /2010-04-01/Accounts/{AccountSid}/Tokens.json`.
 * `mode` and `delayMs` can be changed between requests; every request is recorded.
 */
export class TwilioStandIn {
  readonly requests: SeenRequest[] = [];
  mode: Mode = 'token';
  delayMs = 0;
  /** When set, answered instead of the asked Ttl (Twilio may grant less than asked). */
  answerTtl?: string;
  readonly #server: Server;
  #url = '';

  constructor(
    readonly accountSid = ACCOUNT_SID,
    readonly authToken = AUTH_TOKEN,
  ) {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const seen: SeenRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body,
          form: Object.fromEntries(new URLSearchParams(body)),
        };
        this.requests.push(seen);
        if (this.mode === 'hang') return; // accepts the request, never answers
        const answer = () => this.#answer(seen, res);
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
  }

  get url(): string {
    return this.#url;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.#url;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #send(seen: SeenRequest, res: ServerResponse, status: number, payload: unknown) {
    seen.status = status;
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(payload));
  }

  /** Checks the request as Twilio would, then answers. */
  #answer(seen: SeenRequest, res: ServerResponse) {
    if (seen.method !== 'POST') return this.#send(seen, res, 405, twilioError(20004, 'Method not allowed', 405));
    const path = /^\/2010-04-01\/Accounts\/([^/]+)\/Tokens\.json$/.exec(seen.url);
    if (!path) return this.#send(seen, res, 404, twilioError(20404, 'The requested resource was not found', 404));
    if (
      this.mode === 'unauthorized' ||
      path[1] !== this.accountSid ||
      seen.headers.authorization !== basicAuth(this.accountSid, this.authToken)
    ) {
      return this.#send(seen, res, 401, twilioError(20003, 'Authenticate', 401));
    }
    if (seen.headers['content-type'] !== 'application/x-www-form-urlencoded') {
      return this.#send(seen, res, 400, twilioError(20001, 'Unsupported content type', 400));
    }
    const ttl = seen.form.Ttl ?? '86400';
    if (!/^\d+$/.test(ttl) || Number(ttl) < 1 || Number(ttl) > 86400) {
      return this.#send(seen, res, 400, twilioError(20001, 'Ttl must be between 1 and 86400', 400));
    }
    // Fresh credentials per token, so a renewed token is told apart from a reused one.
    const n = this.requests.length;
    const username = `${n.toString(16).padStart(8, '0')}d2894d5a9023620c467b0e71cfa6a35457e6679785ed6ae9856fe5bdfa2`;
    const credential = `tE2DajzSJwnsSbc${n}`;
    const date = new Date().toUTCString().replace('GMT', '+0000');
    this.#send(seen, res, 201, {
      account_sid: this.accountSid,
      date_created: date,
      date_updated: date,
      ice_servers: [
        { url: 'stun:global.stun.twilio.com:3478', urls: 'stun:global.stun.twilio.com:3478' },
        ...[
          'turn:global.turn.twilio.com:3478?transport=udp',
          'turn:global.turn.twilio.com:3478?transport=tcp',
          'turn:global.turn.twilio.com:443?transport=tcp',
        ].map((url) => ({ url, urls: url, username, credential })),
      ],
      password: credential,
      ttl: this.answerTtl ?? ttl,
      username,
    });
  }
}

/** The ICE servers a correct mapping of the stand-in's answer number `n` (1-based) gives. */
export function expectedServers(n: number) {
  const username = `${n.toString(16).padStart(8, '0')}d2894d5a9023620c467b0e71cfa6a35457e6679785ed6ae9856fe5bdfa2`;
  const credential = `tE2DajzSJwnsSbc${n}`;
  return [
    { urls: 'stun:global.stun.twilio.com:3478' },
    { urls: 'turn:global.turn.twilio.com:3478?transport=udp', username, credential },
    { urls: 'turn:global.turn.twilio.com:3478?transport=tcp', username, credential },
    { urls: 'turn:global.turn.twilio.com:443?transport=tcp', username, credential },
  ];
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
