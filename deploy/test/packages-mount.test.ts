/**
 * createSignalService (the service package's main entry) mounted on a host's own HTTP server:
 * two real socket.io clients meet in a room through it, `handler` answers the service's paths and
 * passes the host's to `next` (or 404s without one), the host's server keeps its own routes, timeouts
 * and listening socket, close() leaves it open, and bad settings reject with a ConfigError.
 * Runs from the sources (packages.test.ts does the same smoke test from the packed tarball).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { after, afterEach, before, describe, it } from 'node:test';
import pino from 'pino';
import { ConfigError, createSignalService, SERVICE_PATHS, type MountedSignalService } from '../../signal-service/src/index.js';
import { connectClient, join, nextEvent, type ClientSocket } from '../../signal-service/test/helpers.js';

const silent = pino({ level: 'silent' });
const ENV = { LOG_LEVEL: 'silent', MAX_CONNECTIONS_PER_IP: '1000', NEW_CONNECTIONS_PER_IP: '1000' };

describe('createSignalService on an existing server', () => {
  let server: http.Server;
  let service: MountedSignalService | undefined;
  let base: string;
  const clients: ClientSocket[] = [];
  const headersTimeout = 42_000;

  before(async () => {
    // The host's app: its own routes, with the service's handler in front (Connect style).
    server = http.createServer((req, res) => {
      const host = () => res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`host ${req.url}`);
      if (service) service.handler(req, res, host);
      else host();
    });
    server.headersTimeout = headersTimeout;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    service = await createSignalService({ server, env: ENV, logger: silent });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  after(async () => {
    await service?.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('two socket.io clients meet in a room through the host’s server', async () => {
    const alice = await connectClient(base);
    const bob = await connectClient(base);
    clients.push(alice, bob);
    await join(alice, 'mounted-room', 'Alice');
    const joined = nextEvent(alice, 'room:peer-joined');
    await join(bob, 'mounted-room', 'Bob');
    assert.equal((await joined).name, 'Bob');
  });

  it('answers its own paths and hands the rest to the host', async () => {
    const healthz = await fetch(`${base}/healthz`);
    assert.equal(healthz.status, 200);
    assert.equal(((await healthz.json()) as { status: string }).status, 'ok');
    const widget = await fetch(`${base}/video-call.js`);
    assert.equal(widget.status, 200);
    assert.match(widget.headers.get('content-type') ?? '', /javascript/);
    for (const hostPath of ['/', '/index.html', '/video', '/api/orders?x=/healthz', '/healthz/extra']) {
      assert.equal(await (await fetch(`${base}${hostPath}`)).text(), `host ${hostPath}`, hostPath);
    }
  });

  it('SERVICE_PATHS: the widget files, versioned URLs and the operations routes, nothing else', () => {
    for (const p of [
      '/healthz',
      '/readyz',
      '/metrics',
      '/video-call.js',
      '/video-call.js.map',
      '/video-call-call-controller-Ab12_-.js',
      '/video-call.json',
      '/v/0123abcd/video-call.js',
    ]) {
      assert.match(p, SERVICE_PATHS, p);
    }
    for (const p of ['/', '/index.html', '/video-call', '/v/x/other.js', '/healthz/', '/socket.io/', '/api/video-call.js'])
      assert.doesNotMatch(p, SERVICE_PATHS, p);
  });

  it('without next, answers 404 for a path that is not its own', async () => {
    const bare = http.createServer((req, res) => service!.handler(req, res));
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/elsewhere`);
      assert.equal(response.status, 404);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    } finally {
      await new Promise((resolve) => bare.close(resolve));
    }
  });

  it('leaves the host’s server settings alone', () => {
    assert.equal(server.headersTimeout, headersTimeout);
    assert.equal(server.maxConnections, undefined);
  });

  it('close() disconnects the sockets, gives the host’s server its listeners back and leaves it open', async () => {
    const other = http.createServer((req, res) => (mounted ? mounted.handler(req, res, () => res.end('host')) : res.end('host')));
    // The host's own upgrade handling: 418 on its path; once the service is gone, 404 for the rest.
    const hostUpgrade = (req: http.IncomingMessage, socket: Duplex) => {
      if (req.url === '/host-ws') socket.end('HTTP/1.1 418 Host\r\nContent-Length: 0\r\n\r\n');
      else if (!mounted) socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    };
    other.on('upgrade', hostUpgrade);
    const listeners = (server: http.Server) => ({
      request: server.listeners('request'),
      upgrade: server.listeners('upgrade'),
      close: server.listeners('close'),
      listening: server.listeners('listening'),
    });
    const hostOwn = listeners(other);
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    let mounted: MountedSignalService | undefined = await createSignalService({ server: other, env: ENV, logger: silent });
    const closed = mounted;
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      const client = await connectClient(url);
      clients.push(client);
      const gone = new Promise<string>((resolve) => client.once('disconnect', resolve));
      await mounted.close();
      mounted = undefined;
      assert.match(await gone, /^(io server disconnect|transport close)$/);
      assert.ok(other.listening, 'still listening');
      assert.equal(await (await fetch(`${url}/anything`)).text(), 'host');
      // No socket.io left on the host's server: a handshake reaches the host, and gets no session.
      assert.deepEqual(listeners(other), hostOwn);
      assert.equal(await (await fetch(`${url}/socket.io/?EIO=4&transport=polling`)).text(), 'host');
      await assert.rejects(connectClient(url), 'no WebSocket session after close');
      // A handler the host still holds does not call the closed service ready.
      const probe = http.createServer((req, res) => closed.handler(req, res));
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const readyz = await fetch(`http://127.0.0.1:${(probe.address() as AddressInfo).port}/readyz`, { headers: { Connection: 'close' } });
      probe.closeAllConnections();
      await new Promise((resolve) => probe.close(resolve));
      assert.equal(readyz.status, 503);
      // Mounted again on the same server: one socket.io answers.
      mounted = await createSignalService({ server: other, env: ENV, logger: silent });
      const again = await connectClient(url);
      clients.push(again);
      await join(again, 'after-remount', 'Again');
    } finally {
      await mounted?.close();
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('drain() tells the clients, disconnects them so they reconnect elsewhere, and /readyz says 503; the host keeps serving', async () => {
    const other = http.createServer((req, res) => (mounted ? mounted.handler(req, res, () => res.end('host')) : res.end('host')));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    let mounted: MountedSignalService | undefined = await createSignalService({ server: other, env: ENV, logger: silent });
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      const client = await connectClient(url);
      clients.push(client);
      client.io.opts.reconnection = false; // nowhere else to go in this test
      const told = new Promise<void>((resolve) => client.once('server:draining', () => resolve()));
      const gone = new Promise<string>((resolve) => client.once('disconnect', resolve));
      const result = await mounted.drain(5000);
      await told;
      assert.equal(await gone, 'transport close', 'a transport close, after which socket.io clients reconnect');
      assert.deepEqual({ drained: result.drained, remaining: result.remaining }, { drained: true, remaining: 0 });
      assert.equal((await fetch(`${url}/readyz`)).status, 503);
      assert.equal(await (await fetch(`${url}/anything`)).text(), 'host');
      assert.ok(other.listening, 'the host’s server still listens');
    } finally {
      await mounted?.close();
      mounted = undefined;
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('rejects bad settings with a ConfigError naming the variable, and mounts nothing', async () => {
    const other = http.createServer();
    await assert.rejects(createSignalService({ server: other, env: { ALLOWED_ORIGINS: 'not a url' } }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /ALLOWED_ORIGINS/);
      return true;
    });
    assert.equal(other.listenerCount('upgrade'), 0, 'no socket.io on the server');
  });
});
