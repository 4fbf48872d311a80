/**
 * The HTTP side of the service (Hono): the demo page, the widget bundle, health, readiness and
 * metrics. socket.io shares the same http.Server and answers `/socket.io/` before Hono sees it.
 *
 * Routes:
 * - `GET /healthz` → 200 `{ "status": "ok", "rooms": <number of non-empty rooms> }` while the
 *   process runs (liveness; also while draining).
 * - `GET /readyz` → 200 `{ "status": "ready" }` when this node takes new connections: listening,
 *   not draining, and the `readiness` hook (Redis connected, …) says yes; otherwise 503
 *   `{ "status": "draining" }` or `{ "status": "not-ready" }`. For load balancers.
 * - `GET /metrics` → Prometheus text (metrics.ts); `METRICS_TOKEN` or a private client address
 *   required (metricsAccess: 401 `unauthorized` / 403 `forbidden`, nothing else said).
 * - The widget (widget-assets.ts: Brotli/gzip by `Accept-Encoding`, strong ETag, 304):
 *   - `GET /video-call.js`: the current build's entry, `Cache-Control: no-cache` (revalidated
 *     with its ETag at each page load: a 304 costs no body);
 *   - `GET /video-call-<name>-<hash>.js`: the chunks beside it (the call engine that start()
 *     loads), named by content hash: `Cache-Control: public, max-age=31536000, immutable`;
 *   - `GET /v/<version>/video-call.js` and `/v/<version>/video-call-<name>-<hash>.js`: the same
 *     build at a versioned URL, immutable for a year; `<version>` is the entry's hash; another
 *     version is 404 (`Cache-Control: no-store`; an old build is not kept);
 *   - `GET /video-call.json`: `{ version, module: "/v/<version>/video-call.js", integrity }`
 *     (no-cache), how a host page or its backend finds the versioned URL;
 *   - `GET /video-call.js.map` (and the chunks' maps, and under `/v/<version>/`) unless
 *     `serveSourceMaps` is off (production).
 *   Module scripts load with CORS, so `Access-Control-Allow-Origin` decides which sites can run
 *   them: `*` when any origin is allowed; with `ALLOWED_ORIGINS`, the request's own `Origin` when
 *   it is allowed (plus `Vary: Origin`), and no such header otherwise.
 * - `GET /` and other paths → files of demo/ (index.html at `/`), whatever the `Origin`
 *
 * Every answer carries security headers (hono/secure-headers): `X-Content-Type-Options: nosniff`,
 * `Referrer-Policy: no-referrer`, a Content-Security-Policy made for the demo page (scripts from
 * this origin plus the demo's own inline scripts by hash, connections to this origin only,
 * `frame-ancestors 'self'`), `Permissions-Policy` giving camera, microphone and screen capture
 * to this origin only, and the other defaults of secure-headers, except HSTS (the TLS proxy's
 * business). `/healthz`, `/readyz` and `/metrics` are `Cache-Control: no-store`; the widget files
 * are `Cross-Origin-Resource-Policy: cross-origin` (other sites embed them).
 *
 * API routes (`/healthz`, `/readyz`, `/metrics`) answer a request whose `Origin` is not allowed
 * with 403 `{ "error": { "code": "origin-not-allowed", "message": … } }`. Requests without
 * `Origin` (monitoring, curl) pass. See origins.ts.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { metricsAccess, type ServiceMetrics } from './metrics.js';
import { ORIGIN_NOT_ALLOWED, createOriginPolicy, type OriginPolicy } from './origins.js';
import type { RoomStore } from './rooms.js';
import { createClientResolver, type ClientInfo, type ClientResolver } from './trusted-proxy.js';
import { ENTRY, IMMUTABLE, REVALIDATE, createWidgetAssets, sendAsset } from './widget-assets.js';

/** A widget file name: the entry `video-call.js` or a chunk `video-call-<name>-<hash>.js`. */
const WIDGET_FILE = 'video-call(?:-[A-Za-z0-9_-]+)?\\.js';
/** The same, or its source map. */
const WIDGET_OR_MAP = `${WIDGET_FILE}(?:\\.map)?`;

/** What the HTTP routes need. */
export interface AppDeps {
  rooms: RoomStore;
  /** Absolute path of the demo/ folder. */
  demoDir: string;
  /** Absolute path of the built widget module (dist/video-call.js). */
  widgetFile: string;
  /** Which sites may use the service (`ALLOWED_ORIGINS`); default: any. */
  origins?: OriginPolicy;
  /** Serve `/video-call.js.map` (`SERVE_SOURCE_MAPS`); default true. */
  serveSourceMaps?: boolean;
  /** The metrics served at `/metrics`; without them `/metrics` is 404. */
  metrics?: ServiceMetrics;
  /** `METRICS_TOKEN`: the bearer token `/metrics` requires (see metricsAccess). */
  metricsToken?: string;
  /** Who the client is (`TRUST_PROXY`, trusted-proxy.ts); default: the TCP peer, headers ignored. */
  clientInfo?: ClientResolver;
  /** Whether the node is draining (drain.ts): `/readyz` answers 503 `draining`. */
  draining?: () => boolean;
  /** Other conditions of readiness (listening, Redis connected); a throw counts as not ready. */
  readiness?: () => boolean | Promise<boolean>;
}

/** The Node request behind a Hono context (@hono/node-server puts it in `env.incoming`). */
function incoming(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

/** CSP `'sha256-…'` sources of the inline scripts of `html` (empty when the file is missing). */
function inlineScriptHashes(htmlFile: string): string[] {
  let html: string;
  try {
    html = readFileSync(htmlFile, 'utf8');
  } catch {
    return [];
  }
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    hashes.push(
      `'sha256-${createHash('sha256')
        .update(match[1] ?? '', 'utf8')
        .digest('base64')}'`,
    );
  }
  return hashes;
}

/**
 * Builds the Hono app with the routes above. Pure: it does not listen; `app.fetch` is handed to
 * @hono/node-server, and tests call `app.request(path, init)` directly.
 */
export function createApp(deps: AppDeps) {
  const origins = deps.origins ?? createOriginPolicy();
  const resolveClient = deps.clientInfo ?? createClientResolver();
  /** The client of this request (without a Node request, as in `app.request()`: an unknown address). */
  const client = (c: Context): ClientInfo => resolveClient(incoming(c) ?? { socket: null, headers: { host: c.req.header('host') } });
  const assets = createWidgetAssets(path.dirname(deps.widgetFile));
  const maps = deps.serveSourceMaps ?? true;
  const widgetName = new RegExp(`^${maps ? WIDGET_OR_MAP : WIDGET_FILE}$`);

  /** Refuses API requests from pages of other sites. */
  const allowedOriginsOnly: MiddlewareHandler = async (c, next) => {
    if (!origins.allows(c.req.header('origin'), false)) return c.json({ error: ORIGIN_NOT_ALLOWED }, 403);
    await next();
  };

  const self = "'self'";
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: [self],
      scriptSrc: [self, ...inlineScriptHashes(path.join(deps.demoDir, 'index.html'))],
      styleSrc: [self, "'unsafe-inline'"],
      imgSrc: [self, 'data:', 'blob:'],
      mediaSrc: [self, 'blob:', 'mediastream:'],
      // socket.io to this same origin (WebSocket URLs are spelled out for older browsers).
      connectSrc: [
        self,
        (c) => {
          const host = client(c).host;
          return host ? `ws://${host} wss://${host}` : '';
        },
      ],
      objectSrc: ["'none'"],
      baseUri: [self],
      formAction: [self],
      frameAncestors: [self],
    },
    permissionsPolicy: { camera: ['self'], microphone: ['self'], displayCapture: ['self'], geolocation: [], payment: [], usb: [] },
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: false,
    // Route-specific values (CORP of the bundle, Cache-Control) win over the defaults.
    overwrite: false,
  });

  /** CORS and CORP of the widget files (module scripts load with CORS). */
  const widgetHeaders: MiddlewareHandler = async (c, next) => {
    await next();
    if (!origins.restricted) {
      c.header('Access-Control-Allow-Origin', '*');
    } else {
      // The answer depends on Origin: caches must not hand one site's answer to another.
      c.header('Vary', 'Origin', { append: true });
      const origin = c.req.header('origin');
      if (origin !== undefined && origins.allows(origin, true)) c.header('Access-Control-Allow-Origin', origin);
    }
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  };
  /** Sends the widget file `name` (undefined: not found) with `cacheControl`. */
  const widgetFile = async (c: Context, name: string, cacheControl: string) => {
    const asset = widgetName.test(name) ? await assets.load(name) : undefined;
    return asset ? sendAsset(c, asset, cacheControl) : c.notFound();
  };
  const unversioned = `/:file{${maps ? WIDGET_OR_MAP : WIDGET_FILE}}`;
  const versioned = `/v/:version{[0-9a-f]{16}}/:file{${maps ? WIDGET_OR_MAP : WIDGET_FILE}}`;

  const app = new Hono()
    .use('*', headers)
    .use('/healthz', allowedOriginsOnly)
    .use('/readyz', allowedOriginsOnly)
    .use('/metrics', allowedOriginsOnly)
    .get('/healthz', async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ status: 'ok' as const, rooms: await deps.rooms.roomCount() });
    })
    .get('/readyz', async (c) => {
      c.header('Cache-Control', 'no-store');
      if (deps.draining?.()) return c.json({ status: 'draining' as const }, 503);
      const ready = await Promise.resolve()
        .then(() => deps.readiness?.() ?? true)
        .catch(() => false);
      return ready ? c.json({ status: 'ready' as const }, 200) : c.json({ status: 'not-ready' as const }, 503);
    })
    .get('/metrics', async (c) => {
      if (!deps.metrics) return c.notFound();
      c.header('Cache-Control', 'no-store');
      const access = metricsAccess(deps.metricsToken, c.req.header('authorization'), client(c));
      if (access === 'unauthorized') {
        c.header('WWW-Authenticate', 'Bearer realm="metrics"');
        return c.json({ error: { code: 'unauthorized', message: 'A valid bearer token is required.' } }, 401);
      }
      if (access === 'forbidden') return c.json({ error: { code: 'forbidden', message: 'Not available from this address.' } }, 403);
      return c.body(await deps.metrics.render(), 200, { 'Content-Type': deps.metrics.contentType });
    })
    .use(unversioned, widgetHeaders)
    .use(versioned, widgetHeaders)
    .use('/video-call.json', widgetHeaders)
    // The entry changes with each deploy; the chunks (and versioned URLs) never change.
    .get(unversioned, (c) => {
      const name = c.req.param('file') ?? '';
      return widgetFile(c, name, name === ENTRY || name === `${ENTRY}.map` ? REVALIDATE : IMMUTABLE);
    })
    .get(versioned, async (c) => {
      const manifest = await assets.manifest();
      if (manifest?.version !== c.req.param('version')) {
        c.header('Cache-Control', 'no-store');
        return c.notFound();
      }
      return widgetFile(c, c.req.param('file') ?? '', IMMUTABLE);
    })
    .get('/video-call.json', async (c) => {
      const manifest = await assets.manifest();
      if (!manifest) return c.notFound();
      c.header('Cache-Control', REVALIDATE);
      return c.json(manifest);
    });
  app.get('*', serveStatic({ root: deps.demoDir }));
  app.notFound((c) => c.json({ error: { code: 'not-found', message: 'Not found.' } }, 404));
  app.onError((_error, c) => c.json({ error: { code: 'internal-error', message: 'Internal error.' } }, 500));
  return app;
}

/** The app's type, for Hono's typed client (`hc<AppType>`). */
export type AppType = ReturnType<typeof createApp>;
