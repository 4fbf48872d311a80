/**
 * createSignalService: the service mounted in a Node HTTP server the host application already has
 * (plain `http`/`https`, Express, Fastify's `server`, …), instead of a server and port of its own.
 *
 * ```js
 * import http from 'node:http';
 * import { createSignalService } from 'video-call-server';
 *
 * const server = http.createServer((req, res) => service.handler(req, res, () => myApp(req, res)));
 * const service = await createSignalService({ server });   // settings from process.env
 * server.listen(8080);
 * ```
 *
 * What it takes over on `server`: socket.io on `/socket.io/` (WebSocket upgrades and long-polling,
 * with the connection admission of admission.ts), and nothing else by itself. `handler` answers
 * the service's own HTTP paths (SERVICE_PATHS: the widget bundle, /healthz, /readyz, /metrics)
 * and hands every other request to `next` (or answers 404 without one). The demo page is not
 * served when mounted.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { getRequestListener } from '@hono/node-server';
import { loadConfig, type Config } from './config.js';
import { startSignalService, type SignalService, type StartOptions } from './server.js';
import type { DrainResult } from './drain.js';
import type { SignalServer } from './signaling.js';

/**
 * The service's HTTP paths: `/video-call.js`, its chunks `/video-call-<name>-<hash>.js`, their
 * source maps, `/video-call.json`, the versioned `/v/<version>/video-call….js`, `/healthz`,
 * `/readyz` and `/metrics`.
 */
export const SERVICE_PATHS =
  /^\/(?:healthz|readyz|metrics|video-call\.json|(?:v\/[A-Za-z0-9_-]+\/)?video-call(?:-[A-Za-z0-9_-]+)?\.js(?:\.map)?)$/;

/** What createSignalService takes: where to mount, the settings, and StartOptions' dependencies. */
export interface CreateSignalServiceOptions extends Omit<StartOptions, 'server' | 'demoDir'> {
  /** The server to mount on (it may already listen, or listen later). */
  server: HttpServer | HttpsServer;
  /** The settings; default: `loadConfig(env)`. `port` and `host` are not used (the server is yours). */
  config?: Config;
  /**
   * Environment variables to read the settings from when `config` is not given (the same as
   * `npx video-call-server` reads); default `process.env`. A bad value rejects with a ConfigError
   * naming the variable.
   */
  env?: Record<string, string | undefined>;
}

/** A service mounted on a server: its socket.io server, its HTTP handler, and how to stop it. */
export interface MountedSignalService {
  /** The socket.io server attached to the host's server (path `/socket.io/`). */
  io: SignalServer;
  /**
   * Node request listener for the service's HTTP paths (SERVICE_PATHS). Another path goes to
   * `next()` when given (Connect/Express middleware style), else is answered 404.
   */
  handler(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /** Whether `handler` answers this request's path (SERVICE_PATHS). */
  handles(req: IncomingMessage): boolean;
  /**
   * Drains (drain.ts): refuses new socket.io connections, `/readyz` answers 503, every client is
   * told `server:draining` and disconnected so that it reconnects elsewhere; resolves with
   * `{ drained, remaining, ms }` when none is left or after `timeoutMs` (default
   * `DRAIN_TIMEOUT_MS`). Call close() after it. The host's own routes are not affected.
   */
  drain(timeoutMs?: number): Promise<DrainResult>;
  /**
   * Disconnects every socket, stops the service's timers and Redis clients, and gives the server
   * back its own listeners (no socket.io on `/socket.io/` any more; the service may be mounted
   * again); the server stays open. `handler` still answers, `/readyz` with 503.
   */
  close(): Promise<void>;
}

/** The path of a request, without its query. */
function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Mounts the signal service on `options.server` (see the file comment). Resolves once socket.io
 * is attached (and, with `REDIS_URL`, Redis is connected); rejects with a ConfigError for bad
 * settings (for example Twilio configured without the optional `twilio` package).
 */
export async function createSignalService(options: CreateSignalServiceOptions): Promise<MountedSignalService> {
  const { server, config: given, env, ...deps } = options;
  const config = given ?? loadConfig(env ?? process.env);
  const service: SignalService = await startSignalService(config, { ...deps, server });
  // The host's globals stay as they are (@hono/node-server would swap in its own Request/Response).
  const listener = getRequestListener(service.app.fetch, { overrideGlobalObjects: false });
  const handles = (req: IncomingMessage) => SERVICE_PATHS.test(pathOf(req));
  return {
    io: service.io,
    handles,
    handler(req, res, next) {
      if (handles(req)) {
        void listener(req, res);
      } else if (next) {
        next();
      } else {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end('Not found');
      }
    },
    drain: (timeoutMs) => service.drain(timeoutMs),
    close: () => service.close(),
  };
}
