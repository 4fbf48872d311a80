/** The HTTP routes (Hono), through `app.request()`: health, widget bundle with CORS, demo, 404. */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../src/app.js';
import { createOriginPolicy } from '../src/origins.js';
import { MemoryRoomStore } from '../src/rooms.js';

const WIDGET_SOURCE = 'export const marker = "widget bundle for app.test";\n';
const CHUNK_SOURCE = 'export const marker = "engine chunk for app.test";\n';
const INLINE_SCRIPT = '\n  console.log("demo");\n';
const DEMO_HTML = `<!doctype html><title>demo for app.test</title>\n<script type="module" src="/video-call.js"></script>\n<script type="module">${INLINE_SCRIPT}</script>\n`;

describe('createApp', () => {
  let dir: string;
  let demoDir: string;
  let widgetFile: string;
  const rooms = new MemoryRoomStore();
  let app: ReturnType<typeof createApp>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'video-call-app-test-'));
    demoDir = join(dir, 'demo');
    widgetFile = join(dir, 'dist', 'video-call.js');
    await mkdir(demoDir);
    await mkdir(join(dir, 'dist'));
    await writeFile(join(demoDir, 'index.html'), DEMO_HTML);
    await writeFile(join(dir, 'secret.txt'), 'outside the demo folder');
    await writeFile(widgetFile, WIDGET_SOURCE);
    await writeFile(`${widgetFile}.map`, '{"version":3}');
    await writeFile(join(dir, 'dist', 'video-call-call-controller-Ab12_-.js'), CHUNK_SOURCE);
    app = createApp({ rooms, demoDir, widgetFile });
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the chunks beside the widget (what start() imports) with the same CORS, and nothing else of dist/', async () => {
    const chunk = await app.request('/video-call-call-controller-Ab12_-.js', { headers: { Origin: 'https://host.example' } });
    assert.equal(chunk.status, 200);
    assert.match(chunk.headers.get('content-type') ?? '', /javascript/);
    assert.equal(chunk.headers.get('access-control-allow-origin'), '*');
    assert.equal(await chunk.text(), CHUNK_SOURCE);
    for (const path of ['/video-call-missing.js', '/video-call.jsx', '/video-call-../secret.txt', '/video-call-x/y.js']) {
      assert.equal((await app.request(path)).status, 404, path);
    }
  });

  it('puts security headers on every answer: nosniff, a CSP for the demo, Referrer-Policy, Permissions-Policy', async () => {
    for (const path of ['/', '/healthz', '/video-call.js', '/no-such-page']) {
      const response = await app.request(path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
      assert.equal(response.headers.get('strict-transport-security'), null, `${path}: HSTS is the TLS proxy's business`);
      const permissions = response.headers.get('permissions-policy') ?? '';
      assert.match(permissions, /camera=\(self\)/, path);
      assert.match(permissions, /microphone=\(self\)/, path);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /frame-ancestors 'self'/, path);
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /object-src 'none'/, path);
    }
    const demo = await app.request('/', { headers: { host: 'call.example:3000' } });
    const csp = demo.headers.get('content-security-policy') ?? '';
    const hash = createHash('sha256').update(INLINE_SCRIPT).digest('base64');
    assert.match(csp, new RegExp(`script-src 'self' 'sha256-${hash.replace(/[+/=]/g, (c) => `\\${c}`)}'`));
    assert.match(csp, /connect-src 'self' ws:\/\/call\.example:3000 wss:\/\/call\.example:3000/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.equal((await app.request('/healthz')).headers.get('cache-control'), 'no-store');
    assert.equal((await app.request('/video-call.js')).headers.get('cross-origin-resource-policy'), 'cross-origin');
  });

  it('serves the source map unless told not to (production)', async () => {
    assert.equal((await app.request('/video-call.js.map')).status, 200);
    const production = createApp({ rooms, demoDir, widgetFile, serveSourceMaps: false });
    assert.equal((await production.request('/video-call.js.map')).status, 404);
    assert.equal((await production.request('/video-call.js')).status, 200);
  });

  it('GET /healthz answers status ok and the number of non-empty rooms', async () => {
    const empty = await app.request('/healthz');
    assert.equal(empty.status, 200);
    assert.match(empty.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(await empty.json(), { status: 'ok', rooms: 0 });

    await rooms.join('r1', { id: 'a', name: '', peerId: 'p-a' }, 2);
    await rooms.join('r2', { id: 'b', name: '', peerId: 'p-b' }, 2);
    try {
      assert.deepEqual(await (await app.request('/healthz')).json(), { status: 'ok', rooms: 2 });
    } finally {
      await rooms.leave('a');
      await rooms.leave('b');
    }
  });

  it('GET /video-call.js serves the widget file as JavaScript with Access-Control-Allow-Origin: *', async () => {
    const response = await app.request('/video-call.js', { headers: { Origin: 'https://host.example' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.match(response.headers.get('content-type') ?? '', /javascript/);
    assert.equal(await response.text(), WIDGET_SOURCE);
  });

  it('GET / serves the demo index.html', async () => {
    const response = await app.request('/');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(await response.text(), DEMO_HTML);
  });

  it('an unknown path is a 404 with JSON error code not-found', async () => {
    const response = await app.request('/no-such-page');
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'not-found');
    assert.equal(typeof body.error.message, 'string');
  });

  it('does not serve files outside the demo folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const response = await app.request(path);
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(await response.text(), /outside the demo folder/, path);
    }
  });

  it('GET /video-call.js is a 404 not-found when the bundle has not been built', async () => {
    const missing = createApp({ rooms, demoDir, widgetFile: join(dir, 'not-built', 'video-call.js') });
    const response = await missing.request('/video-call.js');
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'not-found');
  });

  it('without ALLOWED_ORIGINS, /healthz answers any Origin', async () => {
    const response = await app.request('/healthz', { headers: { Origin: 'https://anywhere.example' } });
    assert.equal(response.status, 200);
  });

  describe('with ALLOWED_ORIGINS', () => {
    const SHOP = 'https://shop.example.com';
    let restricted: ReturnType<typeof createApp>;
    before(() => {
      restricted = createApp({ rooms, demoDir, widgetFile, origins: createOriginPolicy([SHOP, 'http://localhost:3000']) });
    });

    it('GET /healthz from an allowed Origin, or without Origin, answers 200', async () => {
      assert.equal((await restricted.request('/healthz', { headers: { Origin: SHOP } })).status, 200);
      assert.equal((await restricted.request('/healthz', { headers: { Origin: 'http://localhost:3000' } })).status, 200);
      assert.equal((await restricted.request('/healthz')).status, 200);
    });

    it('GET /healthz from another Origin is 403 origin-not-allowed, with nothing about the service', async () => {
      for (const origin of ['https://evil.example', 'https://shop.example.com.evil.example', 'http://shop.example.com', 'null', '']) {
        const response = await restricted.request('/healthz', { headers: { Origin: origin } });
        assert.equal(response.status, 403, origin);
        assert.match(response.headers.get('content-type') ?? '', /application\/json/);
        const body = (await response.json()) as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'origin-not-allowed');
        assert.equal(typeof body.error.message, 'string');
        assert.doesNotMatch(JSON.stringify(body), /rooms|shop\.example|localhost/);
      }
    });

    it('GET /video-call.js echoes an allowed Origin with Vary: Origin', async () => {
      const response = await restricted.request('/video-call.js', { headers: { Origin: SHOP } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), SHOP);
      assert.match(response.headers.get('vary') ?? '', /\bOrigin\b/i);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.equal(await response.text(), WIDGET_SOURCE);
    });

    it('GET /video-call.js from another Origin, or without one, carries no Access-Control-Allow-Origin', async () => {
      for (const headers of [{ Origin: 'https://evil.example' }, { Origin: 'null' }, {}] as Record<string, string>[]) {
        const response = await restricted.request('/video-call.js', { headers });
        assert.equal(response.status, 200, JSON.stringify(headers));
        assert.equal(response.headers.get('access-control-allow-origin'), null, JSON.stringify(headers));
        assert.match(response.headers.get('vary') ?? '', /\bOrigin\b/i);
      }
    });

    it('still serves the demo page, whatever the Origin', async () => {
      const response = await restricted.request('/', { headers: { Origin: 'https://evil.example' } });
      assert.equal(response.status, 200);
      assert.equal(await response.text(), DEMO_HTML);
    });
  });
});
