/**
 * ALLOWED_ORIGINS against a real service on port 0 with real socket.io clients, over WebSocket and
 * over HTTP long-polling: socket.io-client in Node sends `extraHeaders` on both (polling: XHR
 * headers; WebSocket: headers of the `ws` handshake), which is how these tests act as pages of a
 * given origin. A browser sets `Origin` itself and a page cannot change it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { SignalService } from '../src/server.js';
import { TestContext, assertOk, connectClient, join, request, testConfig, type ClientOptions, type ClientSocket } from './helpers.js';

const SHOP = 'https://shop.example.com';
const LOCAL = 'http://localhost:3000';
const EVIL = 'https://evil.example';
const WIDGET_SOURCE = 'export const marker = "widget for origins.test";\n';

type Transport = 'websocket' | 'polling';
const TRANSPORTS: Transport[] = ['websocket', 'polling'];

/** Client options for a page of `origin` (undefined: no Origin header) on `transport` only. */
function asPage(origin: string | undefined, transport: Transport): ClientOptions {
  return { transports: [transport], upgrade: false, ...(origin !== undefined && { extraHeaders: { Origin: origin } }) };
}

/** Resolves with the connect_error of a client that must be refused. */
async function refusedConnection(url: string, options: ClientOptions): Promise<Error> {
  try {
    const socket = await connectClient(url, options);
    socket.disconnect();
  } catch (error) {
    return error as Error;
  }
  assert.fail(`connected with ${JSON.stringify(options)}`);
}

let dir: string;
let widgetFile: string;
before(async () => {
  dir = await mkdtemp(joinPath(tmpdir(), 'video-call-origins-test-'));
  widgetFile = joinPath(dir, 'video-call.js');
  await writeFile(widgetFile, WIDGET_SOURCE);
});
after(() => rm(dir, { recursive: true, force: true }));

describe('with ALLOWED_ORIGINS', () => {
  let ctx: TestContext;
  let service: SignalService;

  beforeEach(async () => {
    ctx = new TestContext();
    service = await ctx.server({ widgetFile }, testConfig({ ALLOWED_ORIGINS: `${SHOP},${LOCAL}` }));
  });
  afterEach(() => ctx.close());

  for (const transport of TRANSPORTS) {
    it(`lets pages of each allowed origin connect and join over ${transport}`, async () => {
      const seen: unknown[] = [];
      // (The service drops handshake headers once connected: read them as the handshake comes.)
      service.io.engine.on('initial_headers', (_headers: unknown, req: { headers: { origin?: string } }) => seen.push(req.headers.origin));
      for (const origin of [SHOP, LOCAL]) {
        const socket = await ctx.client(service.url, asPage(origin, transport));
        assert.equal(socket.io.engine.transport.name, transport);
        // The service saw the page's Origin (so the header really travels on this transport).
        assert.equal(seen.at(-1), origin);
        await join(socket, `room-${transport}`);
        assertOk(await request(socket, 'ice:servers'));
      }
    });

    it(`refuses other origins, and a missing Origin, over ${transport}, before any socket exists`, async () => {
      const refusedOrigins = [
        EVIL,
        'https://shop.example.com.evil.example', // a look-alike host
        'http://shop.example.com', // the right host over another scheme
        'https://shop.example.com:8443', // another port
        'https://SHOP.example.com', // browsers send host names lower-case; no normalization of the header
        'null', // sandboxed iframes, file: pages
        undefined, // non-browser clients
      ];
      for (const origin of refusedOrigins) {
        const error = await refusedConnection(service.url, asPage(origin, transport));
        assert.ok(error instanceof Error, String(origin));
      }
      assert.equal(service.io.engine.clientsCount, 0, 'no engine.io connection was opened');
      assert.equal(service.io.sockets.sockets.size, 0);
    });
  }

  it('answers a refused long-polling handshake 403 without CORS headers, an allowed one with its origin echoed', async () => {
    const handshake = (origin: string) => fetch(`${service.url}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: origin } });
    const refused = await handshake(EVIL);
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
    const body = await refused.text();
    assert.match(body, /not allowed/);
    assert.doesNotMatch(body, /shop\.example|localhost|at |\/[a-z]+\//, 'nothing about the list or internals');

    const allowed = await handshake(SHOP);
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), SHOP);
    await allowed.arrayBuffer();
  });

  it('answers GET /healthz 403 origin-not-allowed for another Origin, 200 for an allowed one or none', async () => {
    const evil = await fetch(`${service.url}/healthz`, { headers: { Origin: EVIL } });
    assert.equal(evil.status, 403);
    assert.deepEqual(((await evil.json()) as { error: { code: string } }).error.code, 'origin-not-allowed');
    assert.equal((await fetch(`${service.url}/healthz`, { headers: { Origin: SHOP } })).status, 200);
    assert.equal((await fetch(`${service.url}/healthz`)).status, 200);
  });

  it('gives /video-call.js Access-Control-Allow-Origin only for an allowed Origin', async () => {
    const allowed = await fetch(`${service.url}/video-call.js`, { headers: { Origin: LOCAL } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), LOCAL);
    assert.match(allowed.headers.get('vary') ?? '', /Origin/i);
    assert.equal(await allowed.text(), WIDGET_SOURCE);
    const refused = await fetch(`${service.url}/video-call.js`, { headers: { Origin: EVIL } });
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
    assert.match(refused.headers.get('vary') ?? '', /Origin/i);
    await refused.arrayBuffer();
  });
});

describe('without ALLOWED_ORIGINS', () => {
  let ctx: TestContext;
  let service: SignalService;

  beforeEach(async () => {
    ctx = new TestContext();
    service = await ctx.server({ widgetFile });
  });
  afterEach(() => ctx.close());

  for (const transport of TRANSPORTS) {
    it(`lets any origin, and no Origin at all, connect over ${transport}`, async () => {
      for (const origin of [EVIL, SHOP, 'null', undefined]) {
        const socket: ClientSocket = await ctx.client(service.url, asPage(origin, transport));
        await join(socket, `room-${transport}-${String(origin).length}`);
      }
    });
  }

  it('answers /healthz for any Origin and serves /video-call.js with Access-Control-Allow-Origin: *', async () => {
    assert.equal((await fetch(`${service.url}/healthz`, { headers: { Origin: EVIL } })).status, 200);
    const widget = await fetch(`${service.url}/video-call.js`, { headers: { Origin: EVIL } });
    assert.equal(widget.headers.get('access-control-allow-origin'), '*');
    assert.equal(await widget.text(), WIDGET_SOURCE);
  });
});
