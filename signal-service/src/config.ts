/**
 * Environment → typed configuration, validated once at start-up.
 *
 * `loadConfig` throws a {@link ConfigError} that names every bad variable and why; main.ts prints
 * it and exits with status 1 before anything listens. Every variable is documented in README.md.
 */
import { z } from 'zod';
import { DEFAULT_ROOM_CAPACITY, MAX_ROOM_CAPACITY, MIN_ROOM_CAPACITY, type IceServer } from 'video-call-protocol';
import { isAbsolute } from 'node:path';
import { DEFAULT_STUN_URLS } from './ice/static.js';
import { defaultStateDir } from './state-dir.js';
import { commaList, originList, wholeNumber, yesNo } from './config-values.js';
import { parseTrustProxy, type TrustProxy } from './trusted-proxy.js';

/** Where ICE servers come from; see ice/. */
export type IceConfig =
  | { kind: 'static'; iceServers: IceServer[] }
  | { kind: 'twilio'; accountSid: string; authToken: string; ttlSeconds: number; stunUrls: string[] }
  | { kind: 'turn-rest'; turnUrls: string[]; secret: string; ttlSeconds: number; stunUrls: string[] };

export interface Config {
  /** TCP port for HTTP and socket.io; 0 picks a free one. */
  port: number;
  /** Interface to listen on; undefined listens on all. */
  host?: string;
  /** pino log level. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  ice: IceConfig;
  /**
   * `ALLOWED_ORIGINS`: the only web origins (`https://shop.example.com`, normalized as browsers
   * send them in `Origin`) whose pages may connect and load the widget with CORS. Undefined: any.
   */
  allowedOrigins?: string[];
  /**
   * `ROOM_CAPACITY` (default 2): how many members a room holds, unless its first member's room
   * ticket claims another `capacity`; a whole number from `MIN_ROOM_CAPACITY` to
   * `MAX_ROOM_CAPACITY` (2–6).
   */
  roomCapacity: number;
  /** `ROOM_TICKET_SECRET`: HS256 secret of room tickets; when set, `room:join` needs a ticket. */
  roomTicketSecret?: string;
  /** `REJOIN_SECRET`: HMAC key of rejoin tokens; undefined: shared in Redis, else kept in `stateDir` (rejoin-key.ts). */
  rejoinSecret?: string;
  /**
   * `STATE_DIR`: absolute path of the directory where the service keeps what must outlive a
   * restart (the rejoin secret, state-dir.ts); default `$XDG_STATE_HOME/video-call-server`, else
   * `~/.local/state/video-call-server`. Undefined (a Config made by hand): nothing is kept, the
   * rejoin secret is random at each start.
   */
  stateDir?: string;
  /** Caps, budgets and timings that keep one client from exhausting the service (README, PROTOCOL.md). */
  limits: Limits;
  /** Serve `/video-call.js.map` (`SERVE_SOURCE_MAPS`; default: yes, unless `NODE_ENV=production`). */
  serveSourceMaps: boolean;
  /** `TRUST_PROXY`: which peers' `X-Forwarded-*` headers are believed (trusted-proxy.ts); default none. */
  trustProxy: TrustProxy;
  /** `METRICS_TOKEN`: bearer token of `/metrics`; undefined: private addresses only (metrics.ts). */
  metricsToken?: string;
  /**
   * `DRAIN_TIMEOUT_MS` (default 25000): how long a shutdown (SIGTERM/SIGINT) may take, drain and
   * close together; past it the process exits with status 1 (drain.ts, main.ts).
   */
  drainTimeoutMs: number;
  /**
   * `REDIS_URL` (+ `NODE_LEASE_MS`, default 10000): several nodes sharing rooms over Redis
   * (redis/index.ts). Undefined: one node, rooms in memory.
   */
  redis?: { url: string; leaseMs: number };
}

/** See {@link Config.limits}; every value has a variable of the same name in upper snake case. */
export interface Limits {
  /**
   * `MAX_CONNECTIONS`: connections the service holds at most; undefined: the open-file limit minus
   * a reserve (limits.ts). Over it, handshakes are refused (503 `service-full`).
   */
  maxConnections?: number;
  /** `MAX_CONNECTIONS_PER_IP`: connections one address holds at most (503 `too-many-connections`). */
  maxConnectionsPerIp: number;
  /** `NEW_CONNECTIONS_PER_IP`: new connections one address may open per 10 s (429 `rate-limited`). */
  newConnectionsPerIp: number;
  /** `MAX_EVENT_LOOP_LAG_MS`: event-loop lag (how late a 250 ms timer fires, ms) above which new connections and joins are shed (load-monitor.ts). */
  maxEventLoopLagMs: number;
  /** `MAX_BUFFERED_BYTES`: bytes the service holds unsent for one connection; over it, the connection is closed. */
  maxBufferedBytes: number;
  /** `PING_INTERVAL_MS`: engine.io heartbeat interval, ms. */
  pingIntervalMs: number;
  /** `PING_TIMEOUT_MS`: how long after a ping a connection without a pong is closed, ms. */
  pingTimeoutMs: number;
}

/** Thrown by {@link loadConfig}; `message` lists each bad variable on its own line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Shortest `ROOM_TICKET_SECRET`, in characters. RFC 7518 §3.2 asks for an HS256 key of at least
 * 256 bits: use a random string such as `openssl rand -base64 48` (64 characters, 384 bits).
 */
export const MIN_TICKET_SECRET_LENGTH = 32;

const iceServerSchema = z.strictObject({
  urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

const envSchema = z.object({
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number, 0-65535')
    .transform(Number)
    .pipe(z.number().max(65535, 'must be a port number, 0-65535'))
    .default(3000),
  HOST: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must be "AC" followed by 32 hex digits')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TURN_URLS: commaList(/^turns?:[^\s]+$/, 'turn: or turns:').optional(),
  TURN_SECRET: z.string().min(1).optional(),
  ICE_SERVERS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.array(iceServerSchema).min(1, 'must list at least one RTCIceServer'))
    .optional(),
  // "none": no STUN at all (a closed network, or relay-only tests).
  STUN_URLS: z
    .literal('none')
    .transform(() => [] as string[])
    .or(commaList(/^stuns?:[^\s]+$/, 'stun: or stuns:'))
    .optional(),
  ICE_TTL_SECONDS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number of seconds')
    .transform(Number)
    .pipe(z.number().min(10).max(86400))
    .default(3600),
  ALLOWED_ORIGINS: originList.optional(),
  // A full mesh: each participant sends one stream per other participant, so 6 at most.
  ROOM_CAPACITY: wholeNumber(MIN_ROOM_CAPACITY, MAX_ROOM_CAPACITY, DEFAULT_ROOM_CAPACITY),
  ROOM_TICKET_SECRET: z
    .string()
    .min(MIN_TICKET_SECRET_LENGTH, `must be at least ${MIN_TICKET_SECRET_LENGTH} characters (a long random string)`)
    .optional(),
  REJOIN_SECRET: z
    .string()
    .min(MIN_TICKET_SECRET_LENGTH, `must be at least ${MIN_TICKET_SECRET_LENGTH} characters (a long random string)`)
    .optional(),
  STATE_DIR: z.string().refine(isAbsolute, 'must be an absolute path, e.g. /var/lib/video-call-server').optional(),
  MAX_CONNECTIONS: wholeNumber(1, 1_000_000, 0).transform((value) => value || undefined),
  MAX_CONNECTIONS_PER_IP: wholeNumber(1, 1_000_000, 100),
  // 200 per 10 s: an office behind one NAT address reconnecting at once after a restart, or a test
  // suite of many pages, still gets in; a churning attacker costs the service a few % of a core.
  NEW_CONNECTIONS_PER_IP: wholeNumber(1, 1_000_000, 200),
  MAX_EVENT_LOOP_LAG_MS: wholeNumber(20, 60_000, 200),
  MAX_BUFFERED_BYTES: wholeNumber(65_536, 1 << 30, 256 * 1024),
  PING_INTERVAL_MS: wholeNumber(1000, 300_000, 25_000),
  PING_TIMEOUT_MS: wholeNumber(1000, 300_000, 20_000),
  SERVE_SOURCE_MAPS: yesNo.optional(),
  TRUST_PROXY: z
    .string()
    .transform((value, ctx) => {
      const policy = parseTrustProxy(value);
      if ('error' in policy) {
        ctx.addIssue({ code: 'custom', message: policy.error });
        return z.NEVER;
      }
      return policy;
    })
    .optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (a long random string)').optional(),
  // Under the 30 s that Kubernetes and others wait before SIGKILL, so a stuck shutdown is logged.
  DRAIN_TIMEOUT_MS: wholeNumber(100, 600_000, 25_000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/[^\s/?#]+(\/\d{1,2})?$/, 'must be a Redis URL: redis://[user:password@]host:port[/db] or rediss://… (TLS)')
    .optional(),
  // 3 s at least: renewals every lease/3 must survive a GC pause or a Redis failover.
  NODE_LEASE_MS: wholeNumber(3000, 300_000, 10_000),
  NODE_ENV: z.string().optional(),
});

/**
 * Reads the configuration from `env` (default `process.env`).
 * @throws ConfigError naming each invalid or conflicting variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty variables count as unset, as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (Boolean(e.TWILIO_ACCOUNT_SID) !== Boolean(e.TWILIO_AUTH_TOKEN)) {
    problems.push('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together');
  }
  if (Boolean(e.TURN_URLS?.length) !== Boolean(e.TURN_SECRET)) {
    problems.push('TURN_URLS and TURN_SECRET must be set together');
  }
  const sources = [e.TWILIO_ACCOUNT_SID && 'Twilio', e.TURN_URLS?.length && 'TURN_URLS', e.ICE_SERVERS && 'ICE_SERVERS'];
  if (sources.filter(Boolean).length > 1) {
    problems.push(`choose one ICE server source, not ${sources.filter(Boolean).join(' and ')}`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);

  const stunUrls = e.STUN_URLS ?? DEFAULT_STUN_URLS;
  let ice: IceConfig;
  if (e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN) {
    ice = { kind: 'twilio', accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, ttlSeconds: e.ICE_TTL_SECONDS, stunUrls };
  } else if (e.TURN_URLS?.length && e.TURN_SECRET) {
    ice = { kind: 'turn-rest', turnUrls: e.TURN_URLS, secret: e.TURN_SECRET, ttlSeconds: e.ICE_TTL_SECONDS, stunUrls };
  } else if (e.ICE_SERVERS) {
    ice = { kind: 'static', iceServers: e.ICE_SERVERS };
  } else {
    ice = { kind: 'static', iceServers: stunUrls.length > 0 ? [{ urls: stunUrls }] : [] };
  }
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    ice,
    allowedOrigins: e.ALLOWED_ORIGINS,
    roomCapacity: e.ROOM_CAPACITY,
    roomTicketSecret: e.ROOM_TICKET_SECRET,
    rejoinSecret: e.REJOIN_SECRET,
    stateDir: e.STATE_DIR ?? defaultStateDir(present),
    limits: {
      maxConnections: e.MAX_CONNECTIONS,
      maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP,
      newConnectionsPerIp: e.NEW_CONNECTIONS_PER_IP,
      maxEventLoopLagMs: e.MAX_EVENT_LOOP_LAG_MS,
      maxBufferedBytes: e.MAX_BUFFERED_BYTES,
      pingIntervalMs: e.PING_INTERVAL_MS,
      pingTimeoutMs: e.PING_TIMEOUT_MS,
    },
    serveSourceMaps: e.SERVE_SOURCE_MAPS ?? e.NODE_ENV !== 'production',
    trustProxy: e.TRUST_PROXY ?? { kind: 'none' },
    metricsToken: e.METRICS_TOKEN,
    drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
    ...(e.REDIS_URL && { redis: { url: e.REDIS_URL, leaseMs: e.NODE_LEASE_MS } }),
  };
}
