/**
 * deploy/nginx/video-call.conf in a real nginx, in front of a stub upstream that records what
 * reaches it: the file passes `nginx -t`; TLS 1.2/1.3 only; HTTP redirects to HTTPS; HSTS; the
 * WebSocket upgrade of /socket.io/; long-polling answers unbuffered; X-Forwarded-For/Proto/Host
 * set by nginx (a client's own X-Forwarded-For dropped); keep-alive to the upstream; /metrics
 * for this machine only; and timeouts above socket.io's ping interval plus timeout.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import { request } from 'node:https';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as tlsConnect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../signal-service/src/config.js';
import { startServer } from '../../signal-service/test/helpers.js';
import { PRODUCTION_CONFIG, checkNginxConfig, httpsRequest, prepareNginx, startNginx, type NginxProcess } from './nginx.js';

/** What the stub upstream saw of each request. */
interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  peer: string;
  /** The upstream connection's socket (one per keep-alive connection). */
  socket: Socket;
}

describe('deploy/nginx/video-call.conf', () => {
  let upstream: Server;
  let nginx: NginxProcess;
  const seen: Seen[] = [];
  const last = (url: string) => [...seen].reverse().find((s) => s.url === url);

  before(async () => {
    upstream = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers, peer: req.socket.remoteAddress ?? '', socket: req.socket });
      if (req.url?.endsWith('/slow')) {
        // A long-polling answer: a first packet now, the rest a second later.
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('first;');
        setTimeout(() => res.end('second'), 1000);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    });
    upstream.on('upgrade', (req, socket) => {
      seen.push({ url: req.url ?? '', headers: req.headers, peer: req.socket.remoteAddress ?? '', socket: req.socket });
      socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    nginx = await startNginx({ upstreamPort: (upstream.address() as { port: number }).port });
  });
  after(async () => {
    await nginx?.stop();
    upstream?.closeAllConnections();
    upstream?.close();
  });

  it('passes nginx -t as it is installed (only ports, certificate and upstream replaced)', async () => {
    const prepared = await prepareNginx({ upstreamPort: 3000 });
    try {
      assert.match(await checkNginxConfig(prepared), /syntax is ok[\s\S]*test is successful/);
    } finally {
      await rm(prepared.dir, { recursive: true, force: true });
    }
  });

  it('speaks TLS 1.2 and 1.3 only, and sends HSTS', async () => {
    const handshake = (minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3', maxVersion: typeof minVersion) =>
      new Promise<string>((resolve, reject) => {
        const socket = tlsConnect(
          {
            host: '127.0.0.1',
            port: nginx.tlsPort,
            servername: 'localhost',
            ca: nginx.certificate.pem,
            minVersion,
            maxVersion,
            ciphers: 'DEFAULT:@SECLEVEL=0',
          },
          () => {
            resolve(socket.getProtocol() ?? '');
            socket.end();
          },
        );
        socket.on('error', reject);
      });
    assert.equal(await handshake('TLSv1.3', 'TLSv1.3'), 'TLSv1.3');
    assert.equal(await handshake('TLSv1.2', 'TLSv1.2'), 'TLSv1.2');
    await assert.rejects(handshake('TLSv1', 'TLSv1.1'));
    const answer = await httpsRequest(`${nginx.url}/`, { ca: nginx.certificate.pem });
    assert.equal(answer.headers['strict-transport-security'], 'max-age=63072000');
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      httpRequest({ host: '127.0.0.1', port: nginx.httpPort, path: '/some/page?x=1', headers: { Host: 'calls.example.com' } }, resolve)
        .on('error', reject)
        .end(),
    );
    response.resume();
    assert.equal(response.statusCode, 301);
    assert.equal(response.headers.location, 'https://calls.example.com/some/page?x=1');
  });

  it("sets X-Forwarded-For to the client nginx saw (dropping the client's own), Proto https, Host and X-Forwarded-Host", async () => {
    await httpsRequest(`${nginx.url}/healthz`, {
      ca: nginx.certificate.pem,
      localAddress: '127.0.0.5',
      headers: { 'X-Forwarded-For': '203.0.113.9', 'X-Forwarded-Host': 'evil.example' },
    });
    const headers = last('/healthz')!.headers;
    assert.equal(headers['x-forwarded-for'], '127.0.0.5');
    assert.equal(headers['x-forwarded-proto'], 'https');
    assert.equal(headers['x-forwarded-host'], `localhost:${nginx.tlsPort}`);
    assert.equal(headers.host, 'localhost');
    // HTTP/1.1 with keep-alive to the upstream: no "Connection: close", no Upgrade.
    assert.notEqual(headers.connection, 'close');
    assert.equal(headers.upgrade, undefined);
  });

  it('passes the WebSocket upgrade of /socket.io/ to the service', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${nginx.url}/socket.io/?EIO=4&transport=websocket`, {
        ca: nginx.certificate.pem,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Version': '13',
        },
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 101);
    const headers = last('/socket.io/?EIO=4&transport=websocket')!.headers;
    assert.equal(headers.upgrade, 'websocket');
    assert.equal(headers.connection, 'upgrade');
  });

  it('hands long-polling answers on as they come (no buffering on /socket.io/)', async () => {
    const firstBytesAfter = (path: string) =>
      new Promise<{ firstMs: number; body: string }>((resolve, reject) => {
        const started = Date.now();
        let firstMs = -1;
        let body = '';
        request(`${nginx.url}${path}`, { ca: nginx.certificate.pem }, (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (firstMs < 0) firstMs = Date.now() - started;
            body += chunk;
          });
          res.on('end', () => resolve({ firstMs, body }));
        })
          .on('error', reject)
          .end();
      });
    const polling = await firstBytesAfter('/socket.io/slow');
    assert.equal(polling.body, 'first;second');
    assert.ok(polling.firstMs < 700, `the first packet came after ${polling.firstMs} ms`);
  });

  it('serves /metrics to this machine only', async () => {
    const before = seen.length;
    const outside = await httpsRequest(`${nginx.url}/metrics`, { ca: nginx.certificate.pem, localAddress: '127.0.0.5' });
    assert.equal(outside.status, 403);
    assert.equal(seen.length, before, 'the request reached the service');
    const local = await httpsRequest(`${nginx.url}/metrics`, { ca: nginx.certificate.pem, localAddress: '127.0.0.1' });
    assert.equal(local.status, 200);
    assert.equal(last('/metrics')?.headers['x-forwarded-for'], '127.0.0.1');
  });

  it('closes idle upstream connections before the service would (a request never lands on a connection the service is closing)', async () => {
    // The service's own idle timeout for keep-alive connections.
    const service = await startServer();
    const serviceIdleMs = service.http.keepAliveTimeout;
    await service.close();
    const previous = upstream.keepAliveTimeout;
    upstream.keepAliveTimeout = serviceIdleMs;
    try {
      await httpsRequest(`${nginx.url}/idle-check`, { ca: nginx.certificate.pem });
      const { socket } = last('/idle-check')!;
      // Just before the service would close it, nginx must already have: otherwise its next
      // request on that connection can cross the service's close (a 502, or a lost long-poll POST).
      await sleep(serviceIdleMs - 250);
      assert.ok(
        socket.destroyed,
        `nginx still held an upstream connection idle for ${serviceIdleMs - 250} ms (the service closes it at ${serviceIdleMs} ms)`,
      );
      assert.equal((await httpsRequest(`${nginx.url}/idle-check`, { ca: nginx.certificate.pem })).status, 200);
    } finally {
      upstream.keepAliveTimeout = previous;
    }
  });

  it("keeps its proxy timeouts above socket.io's ping interval plus ping timeout", async () => {
    const text = await readFile(PRODUCTION_CONFIG, 'utf8');
    const { pingIntervalMs, pingTimeoutMs } = loadConfig({}).limits;
    for (const directive of ['proxy_read_timeout', 'proxy_send_timeout']) {
      const match = new RegExp(`^\\s*${directive} (\\d+)s;`, 'm').exec(text);
      assert.ok(match, `${directive} is not set`);
      assert.ok(
        Number(match[1]) * 1000 >= pingIntervalMs + pingTimeoutMs + 10_000,
        `${directive} ${match[1]}s is too close to ${pingIntervalMs + pingTimeoutMs} ms`,
      );
    }
  });
});
