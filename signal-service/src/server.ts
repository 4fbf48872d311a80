/**
 * Puts the service together on one http.Server: Hono for HTTP, socket.io for signaling.
 * main.ts calls this with the real configuration; tests call it with port 0.
 */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Server as HttpServer } from 'node:http';
import pino, { type Logger } from 'pino';
import { installAdmission } from './admission.js';
import { createApp } from './app.js';
import { createDrainer, type DrainResult } from './drain.js';
import { detachHttpServer } from './engine-internals.js';
import { watchListeners } from './host-listeners.js';
import { createMetrics, type ServiceMetrics } from './metrics.js';
import { defaultDemoDir, defaultWidgetFile } from './default-paths.js';
import type { Config } from './config.js';
import { connectionCaps, readOpenFileLimit } from './fd-limit.js';
import { loadIceProvider, type IceProvider } from './ice/index.js';
import { DEFAULT_STUN_URLS } from './ice/static.js';
import { startLoadMonitor, type LoadMonitor } from './load-monitor.js';
import { throttledLogger } from './log-throttle.js';
import { createOriginPolicy } from './origins.js';
import type { SocketRateLimiter } from './rate-limits.js';
import { rejoinTokensFor } from './rejoin-key.js';
import { MemoryRoomStore, type RoomStore } from './rooms.js';
import { ioRoom } from './room-handlers.js';
import { attachSignaling, type SignalServer } from './signaling.js';
import { createTicketVerifier, type TicketVerifier } from './tickets.js';
import { createClientResolver } from './trusted-proxy.js';

/** A running service: its servers, where it listens, and how to stop it. */
export interface SignalService {
  http: HttpServer;
  io: SignalServer;
  /** The HTTP routes (Hono): `app.fetch` answers a web `Request` (createSignalService's `handler` uses it). */
  app: ReturnType<typeof createApp>;
  /** Port actually listened on (useful with port 0). */
  port: number;
  /** `http://localhost:<port>` */
  url: string;
  /** Load shedding's signal (tests force it). */
  load: LoadMonitor;
  /** The socket.io connection cap in force (`MAX_CONNECTIONS` or derived from the open-file limit). */
  maxConnections: number;
  /** The Prometheus metrics served at `/metrics` (metrics.ts). */
  metrics: ServiceMetrics;
  /** True once a drain has started. */
  readonly draining: boolean;
  /**
   * Drains the node (drain.ts): refuses new connections, `/readyz` 503, tells every client
   * `server:draining` and closes its connection so that it reconnects elsewhere; resolves when
   * none is left or after `timeoutMs` (default `DRAIN_TIMEOUT_MS`). Call close() after it.
   */
  drain(timeoutMs?: number): Promise<DrainResult>;
  /**
   * Stops accepting, disconnects every socket, ends every HTTP connection, closes the server
   * (mounted: gives the host's server its own listeners back and leaves it open); `/readyz`
   * answers 503 from then on. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

/** Dependencies to use instead of the ones built from the configuration (tests, other stores). */
export interface StartOptions {
  /** pino logger; default: JSON lines on stdout at `config.logLevel`. */
  logger?: Logger;
  /** Room presence; default: an in-memory store for one node. */
  rooms?: RoomStore;
  /** Where ICE servers come from; default: the provider `config.ice` names. */
  ice?: IceProvider;
  /** Absolute path of the folder served at `/`; default: the demo page (default-paths.ts). */
  demoDir?: string;
  /** Absolute path of the widget bundle served at `/video-call.js`; default: the `video-call` package's dist/video-call.js. */
  widgetFile?: string;
  /**
   * Mount on this server instead of creating one (createSignalService): socket.io attaches to it,
   * its HTTP requests stay the caller's (route them to `app`), it is not listened on nor given
   * timeouts or connection caps, and close() leaves it open.
   */
  server?: HttpServer;
  /** Per-socket request budgets; default DEFAULT_RATE_LIMITS. */
  rateLimiter?: SocketRateLimiter;
  /** Room ticket checks; default: from `config.roomTicketSecret` (tests pass one with a fake clock). */
  tickets?: TicketVerifier;
  /** The open-file limit; default: read from the process (tests pass a small one). */
  openFileLimit?: number;
  /** More to check before `/readyz` says ready (besides listening and not draining); a throw is "not ready". */
  readiness?: () => boolean | Promise<boolean>;
}

/**
 * Starts the service and resolves once it listens.
 * @throws ConfigError for settings that cannot work (an ICE provider's package missing, a rejoin
 * secret file that must not be used: rejoin-key.ts).
 */
export async function startSignalService(config: Config, options: StartOptions = {}): Promise<SignalService> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  // REDIS_URL: rooms, rate limits and the socket.io adapter shared with the other nodes (redis/,
  // loaded only then: node-redis takes ~150 ms to import).
  const redis = config.redis && !options.rooms ? await (await import('./redis/index.js')).startRedisNode(config.redis, logger) : undefined;
  const rooms = options.rooms ?? redis?.rooms ?? new MemoryRoomStore();
  // REJOIN_SECRET, else shared in Redis, else kept in STATE_DIR: members keep their places across restarts.
  const { tokens: rejoinTokens } = await rejoinTokensFor(config, logger, redis).catch(async (error: unknown) => {
    await redis?.close();
    throw error;
  });
  const ice = options.ice ?? (await loadIceProvider(config.ice));
  const origins = createOriginPolicy(config.allowedOrigins);
  const tickets = options.tickets ?? createTicketVerifier(config.roomTicketSecret);
  const resolveClient = createClientResolver(config.trustProxy);
  const clientAddress = (req: { socket?: { remoteAddress?: string } | null; headers: Record<string, string | string[] | undefined> }) =>
    resolveClient(req).address;
  // The gauges read io, load and drainer (made below) at scrape time only.
  const metrics = createMetrics(
    {
      sockets: () => io.engine.clientsCount,
      occupancy: () => {
        let rooms = 0;
        let members = 0;
        for (const [name, sockets] of io.of('/').adapter.rooms) {
          if (name.startsWith(ioRoom(''))) {
            rooms++;
            members += sockets.size;
          }
        }
        return { rooms, members };
      },
      lagMs: () => load.lagMs,
      overloaded: () => load.overloaded,
      draining: () => drainer.draining,
    },
    { iceProvider: ice.kind },
  );
  const app = createApp({
    rooms,
    demoDir: options.demoDir ?? defaultDemoDir(),
    widgetFile: options.widgetFile ?? defaultWidgetFile(),
    origins,
    serveSourceMaps: config.serveSourceMaps,
    metrics,
    metricsToken: config.metricsToken,
    clientInfo: resolveClient,
    draining: () => drainer.draining,
    readiness: async () => !closing && (mounted || http.listening) && (redis?.ready ?? true) && (await (options.readiness?.() ?? true)),
  });
  const mounted = options.server !== undefined;
  const http = options.server ?? (createAdaptorServer({ fetch: app.fetch }) as HttpServer);
  // Mounted: the host's listeners as they were, put back at close (host-listeners.ts).
  const hostListeners = mounted ? watchListeners(http) : undefined;
  let closing: Promise<void> | undefined;
  if (!mounted) {
    // A connection that sends no complete request head within 10 s is closed (default 60 s).
    http.headersTimeout = 10_000;
    http.requestTimeout = 30_000;
  }
  const { limits } = config;
  const caps = connectionCaps(limits.maxConnections, options.openFileLimit ?? readOpenFileLimit(), logger);
  const log = throttledLogger(logger);
  if (caps.maxTcp !== undefined && !mounted) {
    http.maxConnections = caps.maxTcp;
    http.on('drop', (data?: { remoteAddress?: string }) =>
      log(
        'warn',
        'refused-tcp',
        { address: data?.remoteAddress ?? null, maxTcp: caps.maxTcp },
        'refused a TCP connection: too close to the open-file limit',
      ),
    );
  }
  const load = startLoadMonitor(limits.maxEventLoopLagMs, logger);
  const fallbackStunUrls = config.ice.kind === 'static' ? DEFAULT_STUN_URLS : config.ice.stunUrls;
  const io = attachSignaling(http, {
    rooms,
    ice,
    logger,
    fallbackStunUrls,
    rateLimiter: options.rateLimiter ?? redis?.rateLimiter,
    origins,
    tickets,
    rejoinTokens,
    load,
    roomCapacity: config.roomCapacity,
    log,
    connection: { pingIntervalMs: limits.pingIntervalMs, pingTimeoutMs: limits.pingTimeoutMs, maxBufferedBytes: limits.maxBufferedBytes },
    metrics,
    clientAddress,
  });
  const drainer = createDrainer(io, logger);
  installAdmission(http, io.engine, {
    limits: { ...limits, maxConnections: caps.maxConnections },
    load,
    log,
    draining: () => drainer.draining,
    clientAddress,
    onRefused: (code) => metrics.handshakeRefused(code),
    store: redis?.rateLimitStore,
  });

  hostListeners?.settle();
  await redis?.attach(io);

  if (!mounted) {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port, config.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  }
  // Mounted on a server that does not listen yet: 0.
  const port = (http.address() as AddressInfo | null)?.port ?? 0;
  return {
    http,
    io,
    app,
    port,
    url: `http://localhost:${port}`,
    load,
    maxConnections: caps.maxConnections,
    metrics,
    get draining() {
      return drainer.draining;
    },
    drain: (timeoutMs = config.drainTimeoutMs) => drainer.drain(timeoutMs),
    close: () =>
      (closing ??= (async () => {
        load.stop();
        // Mounted: socket.io closes its own part only (it would close the server it is attached to),
        // and the host's server stops handing `/socket.io/` to it.
        if (mounted) detachHttpServer(io);
        hostListeners?.restore();
        const closed = io.close();
        // A keep-alive connection whose last answer (say /video-call.js) is still finishing is not
        // idle yet when close() starts, and would hold the close for seconds: end them all now.
        if (!mounted) http.closeAllConnections();
        await closed;
        await redis?.close();
      })()),
  };
}
