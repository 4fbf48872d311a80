/**
 * The HTTP side of the service (Hono): the demo page, the widget bundle and a health check.
 * socket.io shares the same http.Server and answers `/socket.io/` before Hono sees it.
 *
 * Routes:
 * - `GET /healthz` → 200 `{ "status": "ok", "rooms": <number of non-empty rooms> }`
 * - `GET /video-call.js` → the built widget (ES module), and `GET /video-call-<chunk>.js` the
 *   chunks beside it that it imports (the call engine). Module scripts load with CORS, so the
 *   `Access-Control-Allow-Origin` header decides which sites can run it: `*` when any origin is
 *   allowed; with `ALLOWED_ORIGINS`, the request's own `Origin` when it is allowed (plus
 *   `Vary: Origin`), and no such header otherwise (the browser then refuses to run the script).
 *   `GET /video-call.js.map` → its source map, unless `serveSourceMaps` is off (production)
 * - `GET /` and other paths → files of demo/ (index.html at `/`), whatever the `Origin`
 *
 * Every answer carries security headers (hono/secure-headers): `X-Content-Type-Options: nosniff`,
 * `Referrer-Policy: no-referrer`, a Content-Security-Policy made for the demo page (scripts from
 * this origin plus the demo's own inline scripts by hash, connections to this origin only,
 * `frame-ancestors 'self'`), `Permissions-Policy` giving camera, microphone and screen capture
 * to this origin only, and the other defaults of secure-headers, except HSTS (the TLS proxy's
 * business). `/healthz` is `Cache-Control: no-store`; `/video-call.js` is
 * `Cross-Origin-Resource-Policy: cross-origin` (other sites embed it).
 *
 * API routes (`/healthz`) answer a request whose `Origin` is not allowed with 403
 * `{ "error": { "code": "origin-not-allowed", "message": … } }`. Requests without `Origin`
 * (monitoring, curl) pass. See origins.ts.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { ORIGIN_NOT_ALLOWED, createOriginPolicy, type OriginPolicy } from './origins.js';
import type { RoomStore } from './rooms.js';

/** `/video-call.js` and the chunks beside it, `/video-call-<name>-<hash>.js`. */
const WIDGET_PATH = '/:file{video-call(-[A-Za-z0-9_-]+)?\\.js}';

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
    hashes.push(`'sha256-${createHash('sha256').update(match[1] ?? '', 'utf8').digest('base64')}'`);
  }
  return hashes;
}

/**
 * Builds the Hono app with the routes above. Pure: it does not listen; `app.fetch` is handed to
 * @hono/node-server, and tests call `app.request(path, init)` directly.
 */
export function createApp(deps: AppDeps) {
  const origins = deps.origins ?? createOriginPolicy();

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
      connectSrc: [self, (c) => { const host = c.req.header('host'); return host ? `ws://${host} wss://${host}` : ''; }],
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

  const app = new Hono()
    .use('*', headers)
    .use('/healthz', allowedOriginsOnly)
    .get('/healthz', async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ status: 'ok' as const, rooms: await deps.rooms.roomCount() });
    })
    .use(WIDGET_PATH, async (c, next) => {
      await next();
      if (!origins.restricted) {
        c.header('Access-Control-Allow-Origin', '*');
      } else {
        // The answer depends on Origin: caches must not hand one site's answer to another.
        c.header('Vary', 'Origin', { append: true });
        const origin = c.req.header('origin');
        if (origin !== undefined && origins.allows(origin, true)) c.header('Access-Control-Allow-Origin', origin);
      }
      c.header('Cache-Control', 'no-cache');
      c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    })
    // The widget and the chunks beside it (the call engine that start() loads).
    .get(WIDGET_PATH, serveStatic({ root: path.dirname(deps.widgetFile) }));
  if (deps.serveSourceMaps ?? true) app.get(`${WIDGET_PATH.slice(0, -1)}\\.map}`, serveStatic({ root: path.dirname(deps.widgetFile) }));
  app.get('*', serveStatic({ root: deps.demoDir }));
  app.notFound((c) => c.json({ error: { code: 'not-found', message: 'Not found.' } }, 404));
  app.onError((_error, c) => c.json({ error: { code: 'internal-error', message: 'Internal error.' } }, 500));
  return app;
}

/** The app's type, for Hono's typed client (`hc<AppType>`). */
export type AppType = ReturnType<typeof createApp>;
