/**
 * Admission of new socket.io connections: caps, a per-address budget and load shedding, checked
 * on the handshake request (WebSocket upgrade or long-polling `GET` without `sid`) before engine.io
 * sees it. A refused handshake gets a clean HTTP answer with `Retry-After` and a JSON body
 * `{ "error": { code, message } }` (codes: video-call-protocol HANDSHAKE_REFUSAL_CODES), is logged
 * (log-throttle.ts), and costs the service no connection state. Everything else (requests of
 * existing connections, every other HTTP route: /healthz stays answerable) passes untouched.
 *
 * Checks, in order:
 * 1. overloaded (load-monitor.ts): 503 `overloaded`, Retry-After 5;
 * 2. `MAX_CONNECTIONS` held: 503 `service-full`, Retry-After 10;
 * 3. `MAX_CONNECTIONS_PER_IP` held by this address: 503 `too-many-connections`, Retry-After 30;
 * 4. `NEW_CONNECTIONS_PER_IP` per 10 s used up (rate-limiter-flexible): 429 `rate-limited`,
 *    Retry-After until the window ends.
 * Counts are of engine.io connections (each socket.io client holds one), by client address: the
 * TCP peer, or behind a trusted reverse proxy the client it names (`TRUST_PROXY`,
 * trusted-proxy.ts). Behind a proxy without `TRUST_PROXY`, every client has the proxy's address.
 * While the node drains (drain.ts), every handshake is refused first: 503 `draining`, Retry-After 2.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitStore } from './rate-limits.js';
import type { Server as EngineServer, Socket as EngineSocket } from 'engine.io';
import type { Limits } from './config.js';
import type { LoadMonitor } from './load-monitor.js';
import type { ThrottledLog } from './log-throttle.js';
import type { HandshakeRefusalCode } from 'video-call-protocol';

/** What admission needs: the limits (with the connection cap resolved), the load signal, a log. */
export interface AdmissionOptions {
  limits: Limits & { maxConnections: number };
  load: LoadMonitor;
  log: ThrottledLog;
  /** socket.io's path; default `/socket.io/`. */
  path?: string;
  /** True while the node drains (drain.ts): every handshake is refused, 503 `draining`. */
  draining?: () => boolean;
  /**
   * The client's address of a request (`TRUST_PROXY`, trusted-proxy.ts); default: the TCP peer.
   * It keys the per-address limits and becomes the connection's `remoteAddress` (logs).
   */
  clientAddress?: (req: IncomingMessage) => string;
  /** Told the code of each refused handshake (metrics). */
  onRefused?: (code: HandshakeRefusalCode) => void;
  /**
   * With `REDIS_URL`: the new-connection budget per address is counted in Redis, shared by every
   * node (else N nodes would give an address N budgets); in memory while Redis is unreachable.
   */
  store?: RateLimitStore;
}

interface Refusal {
  status: 429 | 503;
  code: HandshakeRefusalCode;
  retryAfterS: number;
  message: string;
}

/** Security headers of every refusal (the HTTP routes get theirs from app.ts). */
const REFUSAL_HEADERS = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  Connection: 'close',
};

/** Live connection counts, for health and tests. */
export interface Admission {
  /** Engine.io connections held by `address`. */
  connectionsOf(address: string): number;
}

/**
 * Puts the checks in front of socket.io on `http` (call it after socket.io attached: it wraps the
 * `request` and `upgrade` listeners socket.io installed) and counts `engine`'s connections.
 */
export function installAdmission(http: HttpServer, engine: EngineServer, options: AdmissionOptions): Admission {
  const { limits, load, log } = options;
  const path = options.path ?? '/socket.io/';
  const perAddress = new Map<string, number>();
  const memoryBudget = new RateLimiterMemory({ keyPrefix: 'connect', points: limits.newConnectionsPerIp, duration: 10 });
  const budget = options.store
    ? new RateLimiterRedis({
        storeClient: options.store.redis,
        useRedisPackage: true,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memoryBudget,
        keyPrefix: `${options.store.prefix}rl:connect`,
        points: limits.newConnectionsPerIp,
        duration: 10,
      })
    : memoryBudget;

  // One listener for every connection (engine.io calls it with the connection as `this`).
  function countOut(this: EngineSocket): void {
    const left = (perAddress.get(this.remoteAddress) ?? 1) - 1;
    if (left > 0) perAddress.set(this.remoteAddress, left);
    else perAddress.delete(this.remoteAddress);
  }
  const addressOf = options.clientAddress ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? '');
  engine.on('connection', (conn: EngineSocket) => {
    // The client behind a trusted proxy, for the counts below and every log of this connection.
    if (options.clientAddress) (conn as { remoteAddress: string }).remoteAddress = options.clientAddress(conn.request);
    perAddress.set(conn.remoteAddress, (perAddress.get(conn.remoteAddress) ?? 0) + 1);
    conn.on('close', countOut);
  });

  /** The refusal for a handshake from `address` now, or undefined; the budget is taken last. */
  const check = async (address: string): Promise<Refusal | undefined> => {
    const capped = () => {
      if (options.draining?.()) return refusal(503, 'draining', 2, 'This server is shutting down; connect again.');
      if (load.overloaded) return refusal(503, 'overloaded', 5, 'The service is overloaded; try again shortly.');
      if (engine.clientsCount >= limits.maxConnections) return refusal(503, 'service-full', 10, 'The service is full; try again later.');
      if ((perAddress.get(address) ?? 0) >= limits.maxConnectionsPerIp) {
        return refusal(503, 'too-many-connections', 30, 'Too many connections from this address.');
      }
      return undefined;
    };
    const first = capped();
    if (first) return first;
    try {
      await budget.consume(address);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const retryAfterS = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      return refusal(429, 'rate-limited', retryAfterS, 'Too many new connections from this address; try again later.');
    }
    // Other handshakes may have been admitted while the budget answered.
    return capped();
  };

  const isHandshake = (req: IncomingMessage) => {
    const url = req.url ?? '';
    return url.startsWith(path) && !/[?&]sid=/.test(url);
  };

  const refused = (req: IncomingMessage, address: string, r: Refusal, transport: string) => {
    options.onRefused?.(r.code);
    log(
      'info',
      `refused-${r.code}`,
      { address, code: r.code, status: r.status, transport, origin: req.headers.origin ?? null },
      'refused a connection',
    );
  };

  const requestListeners = http.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  http.removeAllListeners('request');
  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const pass = () => requestListeners.forEach((listener) => listener.call(http, req, res));
    if (!isHandshake(req)) return pass();
    const address = addressOf(req);
    check(address).then(
      (r) => {
        if (!r) return pass();
        refused(req, address, r, 'polling');
        res.writeHead(r.status, { ...REFUSAL_HEADERS, 'Retry-After': String(r.retryAfterS) });
        res.end(body(r));
      },
      () => res.destroy(),
    );
  });

  const upgradeListeners = http.listeners('upgrade') as ((req: IncomingMessage, socket: Duplex, head: Buffer) => void)[];
  http.removeAllListeners('upgrade');
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pass = () => upgradeListeners.forEach((listener) => listener.call(http, req, socket, head));
    if (!isHandshake(req)) return pass();
    const address = addressOf(req);
    socket.on('error', () => {});
    check(address).then(
      (r) => {
        if (!r) return pass();
        refused(req, address, r, 'websocket');
        const text = body(r);
        const headers = { ...REFUSAL_HEADERS, 'Retry-After': String(r.retryAfterS), 'Content-Length': String(Buffer.byteLength(text)) };
        const reason = r.status === 429 ? 'Too Many Requests' : 'Service Unavailable';
        socket.end(
          `HTTP/1.1 ${r.status} ${reason}\r\n${Object.entries(headers)
            .map(([k, v]) => `${k}: ${v}\r\n`)
            .join('')}\r\n${text}`,
        );
        setTimeout(() => socket.destroy(), 1000).unref();
      },
      () => socket.destroy(),
    );
  });

  return { connectionsOf: (address) => perAddress.get(address) ?? 0 };
}

function refusal(status: Refusal['status'], code: HandshakeRefusalCode, retryAfterS: number, message: string): Refusal {
  return { status, code, retryAfterS, message };
}

function body({ code, message }: Refusal): string {
  return JSON.stringify({ error: { code, message } });
}
