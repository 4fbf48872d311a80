/**
 * The HTTP side of the service (Hono): the demo page, the widget bundle and a health check.
 * socket.io shares the same http.Server and answers `/socket.io/` before Hono sees it.
 *
 * Routes:
 * - `GET /healthz` → 200 `{ "status": "ok", "rooms": <number of non-empty rooms> }`
 * - `GET /video-call.js` → the built widget (ES module), with `Access-Control-Allow-Origin: *`
 *   so any site can load it with `<script type="module" src="…">` (module scripts use CORS);
 *   `GET /video-call.js.map` → its source map
 * - `GET /` and other paths → files of demo/ (index.html at `/`)
 */
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { RoomStore } from './rooms.js';

export interface AppDeps {
  rooms: RoomStore;
  /** Absolute path of the demo/ folder. */
  demoDir: string;
  /** Absolute path of the built widget module (dist/video-call.js). */
  widgetFile: string;
}

export function createApp(deps: AppDeps) {
  const app = new Hono()
    .get('/healthz', async (c) => c.json({ status: 'ok' as const, rooms: await deps.rooms.roomCount() }))
    .use('/video-call.js', async (c, next) => {
      await next();
      c.header('Access-Control-Allow-Origin', '*');
      c.header('Cache-Control', 'no-cache');
    })
    .get('/video-call.js', serveStatic({ path: deps.widgetFile }))
    .get('/video-call.js.map', serveStatic({ path: `${deps.widgetFile}.map` }))
    .get('*', serveStatic({ root: deps.demoDir }));
  app.notFound((c) => c.json({ error: { code: 'not-found', message: 'Not found.' } }, 404));
  app.onError((_error, c) => c.json({ error: { code: 'internal-error', message: 'Internal error.' } }, 500));
  return app;
}

/** The app's type, for Hono's typed client (`hc<AppType>`). */
export type AppType = ReturnType<typeof createApp>;
