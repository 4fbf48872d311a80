/**
 * Serving the widget bundle (widget-assets.ts through app.ts's routes, with `app.request()`):
 * Brotli/gzip chosen by Accept-Encoding q-values, strong ETags and 304s, no-cache for the
 * unversioned entry, immutable chunks and versioned URLs, the manifest that names the versioned
 * URL, a rebuild picked up without a restart, and CORS kept on every widget route.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../src/app.js';
import { createOriginPolicy } from '../src/origins.js';
import { MemoryRoomStore } from '../src/rooms.js';

// Big and repetitive enough that both encodings are much smaller than the file.
const ENTRY_SOURCE = `export const marker = "widget entry";\n${'export const line = "the quick brown fox jumps over the lazy dog";\n'.repeat(200)}`;
const CHUNK_NAME = 'video-call-call-controller-Ab12_-.js';
const CHUNK_SOURCE = `import { marker } from "./video-call.js";\n${'console.log(marker, "engine chunk");\n'.repeat(100)}`;
const IMMUTABLE = 'public, max-age=31536000, immutable';

describe('widget bundle serving', () => {
  let dir: string;
  let widgetFile: string;
  let app: ReturnType<typeof createApp>;
  const rooms = new MemoryRoomStore();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'video-call-assets-test-'));
    await mkdir(join(dir, 'demo'));
    await mkdir(join(dir, 'dist'));
    widgetFile = join(dir, 'dist', 'video-call.js');
    await writeFile(join(dir, 'demo', 'index.html'), '<!doctype html><title>demo</title>');
    await writeFile(widgetFile, ENTRY_SOURCE);
    await writeFile(`${widgetFile}.map`, '{"version":3,"mappings":""}');
    await writeFile(join(dir, 'dist', CHUNK_NAME), CHUNK_SOURCE);
    app = createApp({ rooms, demoDir: join(dir, 'demo'), widgetFile });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });
  const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());

  it('sends Brotli when accepted, gzip when only gzip is, and the plain file otherwise; always Vary: Accept-Encoding', async () => {
    const br = await get('/video-call.js', { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    assert.equal(br.status, 200);
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.match(br.headers.get('content-type') ?? '', /^text\/javascript/);
    const brBody = await bytes(br);
    assert.equal(Number(br.headers.get('content-length')), brBody.length);
    assert.equal(brotliDecompressSync(brBody).toString(), ENTRY_SOURCE);
    assert.ok(brBody.length < ENTRY_SOURCE.length / 10, `br ${brBody.length} bytes`);

    const gz = await get('/video-call.js', { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(gunzipSync(await bytes(gz)).toString(), ENTRY_SOURCE);

    const plain = await get('/video-call.js');
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(await plain.text(), ENTRY_SOURCE);
    for (const response of [br, gz, plain]) assert.match(response.headers.get('vary') ?? '', /Accept-Encoding/);
  });

  it('follows the q-values of Accept-Encoding', async () => {
    const cases: [string, string | null][] = [
      ['br;q=0.5, gzip;q=0.8', 'gzip'],
      ['gzip;q=0.8, br;q=0.9', 'br'],
      ['gzip, br', 'br'],
      ['br;q=0, *', 'gzip'],
      ['*', 'br'],
      ['*;q=0', null],
      ['gzip;q=0, br;q=0', null],
      ['identity', null],
      ['deflate, compress', null],
      ['BR', 'br'],
    ];
    for (const [accept, expected] of cases) {
      const response = await get('/video-call.js', { 'Accept-Encoding': accept });
      assert.equal(response.status, 200, accept);
      assert.equal(response.headers.get('content-encoding'), expected, accept);
    }
  });

  it('gives each encoding a strong ETag and answers a matching If-None-Match with 304 and no body', async () => {
    const plain = await get('/video-call.js');
    const br = await get('/video-call.js', { 'Accept-Encoding': 'br' });
    const gz = await get('/video-call.js', { 'Accept-Encoding': 'gzip' });
    const hash = createHash('sha256').update(ENTRY_SOURCE).digest('hex').slice(0, 16);
    assert.equal(plain.headers.get('etag'), `"${hash}"`);
    assert.equal(br.headers.get('etag'), `"${hash}-br"`);
    assert.equal(gz.headers.get('etag'), `"${hash}-gz"`);

    for (const tag of [`"${hash}-br"`, `W/"${hash}-br"`, `"other", "${hash}-br"`, '*']) {
      const again = await get('/video-call.js', { 'Accept-Encoding': 'br', 'If-None-Match': tag });
      assert.equal(again.status, 304, tag);
      assert.equal((await bytes(again)).length, 0, tag);
      assert.equal(again.headers.get('etag'), `"${hash}-br"`);
      assert.equal(again.headers.get('cache-control'), 'no-cache');
      assert.match(again.headers.get('vary') ?? '', /Accept-Encoding/);
    }
    // Another representation's tag, or another file's, does not match.
    for (const tag of [`"${hash}"`, `"${hash}-gz"`, '"0000000000000000-br"']) {
      assert.equal((await get('/video-call.js', { 'Accept-Encoding': 'br', 'If-None-Match': tag })).status, 200, tag);
    }
  });

  it('the unversioned entry is no-cache; the content-hashed chunks are immutable and compressed too', async () => {
    assert.equal((await get('/video-call.js')).headers.get('cache-control'), 'no-cache');
    const chunk = await get(`/${CHUNK_NAME}`, { 'Accept-Encoding': 'br' });
    assert.equal(chunk.status, 200);
    assert.equal(chunk.headers.get('cache-control'), IMMUTABLE);
    assert.equal(chunk.headers.get('content-encoding'), 'br');
    assert.equal(brotliDecompressSync(await bytes(chunk)).toString(), CHUNK_SOURCE);
  });

  it('names the versioned URL in /video-call.json, serves the build there immutable, and 404s other versions', async () => {
    const manifestResponse = await get('/video-call.json', { Origin: 'https://host.example' });
    assert.equal(manifestResponse.status, 200);
    assert.equal(manifestResponse.headers.get('cache-control'), 'no-cache');
    assert.equal(manifestResponse.headers.get('access-control-allow-origin'), '*');
    const manifest = (await manifestResponse.json()) as { version: string; module: string; integrity: string };
    assert.match(manifest.version, /^[0-9a-f]{16}$/);
    assert.equal(manifest.module, `/v/${manifest.version}/video-call.js`);
    assert.equal(manifest.integrity, `sha384-${createHash('sha384').update(ENTRY_SOURCE).digest('base64')}`);

    const entry = await get(manifest.module, { 'Accept-Encoding': 'gzip', Origin: 'https://host.example' });
    assert.equal(entry.status, 200);
    assert.equal(entry.headers.get('cache-control'), IMMUTABLE);
    assert.equal(entry.headers.get('access-control-allow-origin'), '*');
    assert.equal(entry.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(gunzipSync(await bytes(entry)).toString(), ENTRY_SOURCE);
    // The chunk resolves beside the versioned entry (it imports ./video-call.js from there).
    const chunk = await get(`/v/${manifest.version}/${CHUNK_NAME}`);
    assert.equal(chunk.status, 200);
    assert.equal(chunk.headers.get('cache-control'), IMMUTABLE);
    assert.equal(await chunk.text(), CHUNK_SOURCE);

    for (const path of [
      `/v/0123456789abcdef/video-call.js`,
      `/v/${manifest.version}/video-call-missing-x.js`,
      `/v/${manifest.version}/secret.txt`,
      `/v/${manifest.version.toUpperCase()}/video-call.js`,
    ]) {
      const missing = await get(path);
      assert.equal(missing.status, 404, path);
    }
    assert.equal((await get('/v/0123456789abcdef/video-call.js')).headers.get('cache-control'), 'no-store');
  });

  it('picks up a rebuild without a restart: a new version, a new ETag, the old versioned URL gone', async () => {
    const before = (await (await get('/video-call.json')).json()) as { version: string; module: string };
    const oldTag = (await get('/video-call.js')).headers.get('etag');
    const rebuilt = `${ENTRY_SOURCE}export const rebuilt = true;\n`;
    await writeFile(widgetFile, rebuilt);
    // Same size class, different content: the modification time alone must be enough.
    const later = new Date(Date.now() + 5000);
    await utimes(widgetFile, later, later);
    try {
      const after = (await (await get('/video-call.json')).json()) as { version: string; module: string };
      assert.notEqual(after.version, before.version);
      assert.equal((await get(before.module)).status, 404);
      assert.equal(await (await get(after.module)).text(), rebuilt);
      const fresh = await get('/video-call.js', { 'If-None-Match': oldTag ?? '' });
      assert.equal(fresh.status, 200);
      assert.equal(await fresh.text(), rebuilt);
    } finally {
      await writeFile(widgetFile, ENTRY_SOURCE);
    }
  });

  it('sends a file that compression would not shrink as it is', async () => {
    const tinyDir = await mkdtemp(join(tmpdir(), 'video-call-assets-tiny-'));
    try {
      await writeFile(join(tinyDir, 'video-call.js'), 'x');
      const tiny = createApp({ rooms, demoDir: tinyDir, widgetFile: join(tinyDir, 'video-call.js') });
      const response = await tiny.request('/video-call.js', { headers: { 'Accept-Encoding': 'br, gzip' } });
      assert.equal(response.headers.get('content-encoding'), null);
      assert.equal(await response.text(), 'x');
    } finally {
      await rm(tinyDir, { recursive: true, force: true });
    }
  });

  it('serves source maps (also under /v/) only when allowed', async () => {
    const { version } = (await (await get('/video-call.json')).json()) as { version: string };
    assert.equal((await get('/video-call.js.map')).status, 200);
    assert.equal((await get(`/v/${version}/video-call.js.map`)).status, 200);
    const production = createApp({ rooms, demoDir: join(dir, 'demo'), widgetFile, serveSourceMaps: false });
    assert.equal((await production.request('/video-call.js.map')).status, 404);
    assert.equal((await production.request(`/v/${version}/video-call.js.map`)).status, 404);
    assert.equal((await production.request(`/v/${version}/video-call.js`)).status, 200);
  });

  it('with ALLOWED_ORIGINS, echoes an allowed Origin on every widget route, with Vary: Origin and Accept-Encoding', async () => {
    const SHOP = 'https://shop.example.com';
    const restricted = createApp({ rooms, demoDir: join(dir, 'demo'), widgetFile, origins: createOriginPolicy([SHOP]) });
    const { module } = (await (await restricted.request('/video-call.json')).json()) as { module: string };
    for (const path of ['/video-call.js', `/${CHUNK_NAME}`, module, '/video-call.json']) {
      const allowed = await restricted.request(path, { headers: { Origin: SHOP, 'Accept-Encoding': 'br' } });
      assert.equal(allowed.status, 200, path);
      assert.equal(allowed.headers.get('access-control-allow-origin'), SHOP, path);
      assert.match(allowed.headers.get('vary') ?? '', /\bOrigin\b/, path);
      const other = await restricted.request(path, { headers: { Origin: 'https://evil.example' } });
      assert.equal(other.headers.get('access-control-allow-origin'), null, path);
    }
    const entry = await restricted.request('/video-call.js', { headers: { Origin: SHOP, 'Accept-Encoding': 'br' } });
    assert.match(entry.headers.get('vary') ?? '', /Accept-Encoding/);
  });

  const built = fileURLToPath(new URL('../../widget/dist/video-call.js', import.meta.url));
  it('the real build: sizes of each encoding (figures)', { skip: !existsSync(built) && 'dist/ not built' }, async () => {
    const real = createApp({ rooms, demoDir: join(dir, 'demo'), widgetFile: built });
    const sizes: Record<string, number> = {};
    for (const encoding of ['identity', 'gzip', 'br']) {
      const response = await real.request('/video-call.js', { headers: { 'Accept-Encoding': encoding } });
      sizes[encoding] = (await bytes(response)).length;
    }
    console.log(`# widget/dist/video-call.js: ${sizes.identity} bytes, gzip ${sizes.gzip}, br ${sizes.br}`);
    assert.ok(sizes.br! < sizes.gzip! && sizes.gzip! < sizes.identity! / 2);
  });
});
