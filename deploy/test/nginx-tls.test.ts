/**
 * The seed's deployment, end to end: the built service (TRUST_PROXY set to nginx's address)
 * behind a real nginx running deploy/nginx/video-call.conf with a self-signed certificate, and two
 * headless Chromium pages that open the demo over https://localhost:<port> and call each other
 * through it, video playing. Through the same nginx: the widget bundle is compressed, 304s, and
 * is at its versioned URL; /metrics (with METRICS_TOKEN) moves with the call; long-polling works;
 * and the service counts and logs clients by the address nginx saw, not by nginx's address nor
 * by what a client claims in its own X-Forwarded-For.
 *
 * nginx connects to the service from 127.0.0.2 (proxy_bind), so that nginx, the browsers
 * (127.0.0.1) and a test client (127.0.0.5) each have their own loopback address.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { brotliDecompressSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, JoinResult, ServerToClientEvents } from 'video-call-protocol';
import { ALLOW_MEDIA_FLAGS, BASE_FLAGS, chromePath, FAKE_MEDIA_FLAGS } from '../../widget/test/chromium.mjs';
import {
  expectRemoteVideoPlaying,
  history,
  openConnectedPair,
  startService,
  waitForState,
  type ServiceProcess,
} from '../../widget/test/e2e/harness.js';
import { httpsRequest, startNginx, type NginxProcess } from './nginx.js';

/** A socket.io client typed with the protocol's event maps. */
type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** `room:join` with a 5 s timeout. (socket.io-client's types lose the answer's type under timeout().) */
const joinRoom = (socket: ClientSocket, room: string, name: string) =>
  socket.timeout(5000).emitWithAck('room:join', { room, name }) as Promise<Ack<JoinResult>>;

const METRICS_TOKEN = 'e2e-metrics-token-0123456789';
/** The service's settings; REJOIN_SECRET lets members rejoin a restarted service as themselves. */
const ENV = {
  TRUST_PROXY: '127.0.0.2',
  METRICS_TOKEN,
  NEW_CONNECTIONS_PER_IP: '100',
  REJOIN_SECRET: 'e2e-rejoin-secret-0123456789abcdef0123',
  DRAIN_TIMEOUT_MS: '10000',
};
/** Per-address cap: the pages and test clients of 127.0.0.1 fit under it; the client at 127.0.0.5 reaches it. */
const MAX_PER_IP = 6;

describe('behind nginx with TLS', () => {
  let service: ServiceProcess;
  let nginx: NginxProcess;
  let browser: Browser;
  const sockets: ClientSocket[] = [];

  before(async () => {
    service = await startService({ ...ENV, MAX_CONNECTIONS_PER_IP: String(MAX_PER_IP) });
    nginx = await startNginx({ upstreamPort: service.port, proxyBind: '127.0.0.2' });
    browser = await chromium.launch({
      executablePath: chromePath(),
      headless: true,
      // Trust exactly this test's certificate (by its public key), nothing else.
      args: [...BASE_FLAGS, ...FAKE_MEDIA_FLAGS, ...ALLOW_MEDIA_FLAGS, `--ignore-certificate-errors-spki-list=${nginx.certificate.spki}`],
    });
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await browser?.close();
    await nginx?.stop();
    await service?.stop();
  });

  const get = (path: string, headers: Record<string, string> = {}, localAddress?: string) =>
    httpsRequest(`${nginx.url}${path}`, { ca: nginx.certificate.pem, headers, localAddress });

  /** `/metrics` through nginx: name{labels} → value. */
  const metrics = async () => {
    const answer = await get('/metrics', { Authorization: `Bearer ${METRICS_TOKEN}` });
    assert.equal(answer.status, 200);
    const values = new Map<string, number>();
    for (const line of answer.body.toString('utf8').split('\n')) {
      const match = /^(video_call_[a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
      if (match) values.set(match[1]!, Number(match[2]));
    }
    return values;
  };
  const relayedTotal = (values: Map<string, number>) =>
    [...values].filter(([key]) => key.startsWith('video_call_relayed_messages_total')).reduce((sum, [, value]) => sum + value, 0);

  test('two pages call each other over https://localhost through nginx, video playing; the metrics move with the call', async () => {
    const before = await metrics();
    const [alice, bob] = await openConnectedPair(browser, `${nginx.url}/?room=nginx-tls`);
    assert.match(alice.url(), /^https:\/\/localhost:\d+\//);
    const aliceSees = await expectRemoteVideoPlaying(alice);
    const bobSees = await expectRemoteVideoPlaying(bob);
    console.log(
      `# through nginx+TLS: Alice decodes ${aliceSees.framesDelta} new frames (${aliceSees.width}px), Bob ${bobSees.framesDelta}`,
    );

    const after = await metrics();
    assert.equal((after.get('video_call_joins_total{outcome="ok"}') ?? 0) - (before.get('video_call_joins_total{outcome="ok"}') ?? 0), 2);
    assert.ok(relayedTotal(after) - relayedTotal(before) > 0, 'no relayed message counted');
    assert.equal(after.get('video_call_members'), 2);
    assert.ok((after.get('video_call_sockets') ?? 0) >= 2);
    await alice.context().close();
    await bob.context().close();
    // The pages' signaling went through nginx as WebSockets (logged when they close).
    const wsLine = /"GET \/socket\.io\/\?EIO=4&transport=websocket[^"]*" 101 /;
    for (let waited = 0; waited < 5000 && !wsLine.test(await nginx.accessLog()); waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    assert.match(await nginx.accessLog(), wsLine);
  });

  test('/video-call.js through nginx: Brotli, ETag and 304; the versioned URL from /video-call.json, immutable', async () => {
    const first = await get('/video-call.js', { 'Accept-Encoding': 'gzip, br' });
    assert.equal(first.status, 200);
    assert.equal(first.headers['content-encoding'], 'br');
    assert.equal(first.headers['cache-control'], 'no-cache');
    assert.match(String(first.headers.vary), /Accept-Encoding/);
    const plain = brotliDecompressSync(first.body);
    console.log(`# /video-call.js through nginx: ${plain.length} bytes, ${first.body.length} with br`);
    assert.ok(first.body.length < plain.length / 2);
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[0-9a-f]{16}-br"$/);
    const again = await get('/video-call.js', { 'Accept-Encoding': 'gzip, br', 'If-None-Match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);

    const manifest = JSON.parse((await get('/video-call.json')).body.toString('utf8')) as {
      version: string;
      module: string;
      integrity: string;
    };
    const versioned = await get(manifest.module, { 'Accept-Encoding': 'gzip, br' });
    assert.equal(versioned.status, 200);
    assert.equal(versioned.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.deepEqual(brotliDecompressSync(versioned.body), plain);
  });

  test('long-polling works through nginx: a polling client and a WebSocket client meet in a room', async () => {
    const connect = (transports: ('polling' | 'websocket')[]) =>
      new Promise<ClientSocket>((resolve, reject) => {
        const socket = io(nginx.url, {
          transports,
          ca: nginx.certificate.pem,
          forceNew: true,
          reconnection: false,
          timeout: 5000,
        } as never);
        sockets.push(socket);
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    const polling = await connect(['polling']);
    assert.equal(polling.io.engine.transport.name, 'polling');
    const joined = await joinRoom(polling, 'nginx-polling', 'Poll');
    assert.equal(joined.ok, true);
    const peerJoined = new Promise<{ name: string }>((resolve) => polling.once('room:peer-joined', resolve));
    const ws = await connect(['websocket']);
    const started = Date.now();
    assert.equal((await joinRoom(ws, 'nginx-polling', 'Socket')).ok, true);
    assert.equal((await peerJoined).name, 'Socket');
    // Held by nginx's buffering, it would wait for the next ping (25 s).
    assert.ok(Date.now() - started < 2000, `the polling client heard of the join after ${Date.now() - started} ms`);
    polling.close();
    ws.close();
  });

  test("the service limits and logs clients by the address nginx saw; a client's own X-Forwarded-For is dropped", async () => {
    const connectFrom = (localAddress: string) =>
      new Promise<boolean>((resolve) => {
        const socket = io(nginx.url, {
          transports: ['websocket'],
          ca: nginx.certificate.pem,
          localAddress,
          extraHeaders: { 'X-Forwarded-For': '203.0.113.9' },
          forceNew: true,
          reconnection: false,
          timeout: 5000,
        } as never);
        sockets.push(socket);
        socket.once('connect', () => resolve(true));
        socket.once('connect_error', () => resolve(false));
      });
    // 127.0.0.5 gets its own cap of MAX_PER_IP, whatever the browsers (127.0.0.1) hold.
    for (let i = 0; i < MAX_PER_IP; i++) assert.equal(await connectFrom('127.0.0.5'), true, `connection ${i + 1}`);
    assert.equal(await connectFrom('127.0.0.5'), false, 'over the per-address cap');
    const refusals = () =>
      service
        .output()
        .split('\n')
        .filter((line) => line.includes('"code":"too-many-connections"'))
        .map((line) => (JSON.parse(line) as { address: string }).address);
    // The log line may still be on its way from the service's stdout.
    for (let waited = 0; waited < 3000 && refusals().length === 0; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    // Logged with the address nginx saw; never nginx's own (127.0.0.2), never the client's claim.
    assert.deepEqual(refusals(), ['127.0.0.5']);
    assert.doesNotMatch(service.output(), /203\.0\.113\.9|"address":"127\.0\.0\.2"/);
    // Meanwhile the browsers' address (127.0.0.1) has its own, separate allowance.
    assert.equal(await connectFrom('127.0.0.1'), true);
    // /metrics through nginx from this machine with the token; without it, 401.
    assert.equal((await get('/metrics')).status, 401);
  });

  test('SIGTERM drains the service: it exits at once, the call keeps its video, and both pages rejoin the restarted service', async () => {
    const [alice, bob] = await openConnectedPair(browser, `${nginx.url}/?room=nginx-drain`);
    await expectRemoteVideoPlaying(alice);
    const port = service.port;
    const started = Date.now();
    service.child.kill('SIGTERM');
    const [code] = (await once(service.child, 'exit')) as [number | null];
    const drainMs = Date.now() - started;
    console.log(`# SIGTERM → exit with two members connected: ${drainMs} ms`);
    assert.equal(code, 0, service.output());
    assert.ok(drainMs < 10_000, `the drain took ${drainMs} ms`);
    assert.match(service.output(), /"msg":"drained"/);

    // No service at all now: the media is peer to peer and goes on.
    await expectRemoteVideoPlaying(alice);
    await expectRemoteVideoPlaying(bob);

    // The same node comes back (or, with several nodes, another one takes them): both rejoin.
    service = await startService({ ...ENV, PORT: String(port), MAX_CONNECTIONS_PER_IP: String(MAX_PER_IP) });
    const rejoined = async () => (await metrics()).get('video_call_members') === 2;
    for (let waited = 0; waited < 15_000 && !(await rejoined()); waited += 200) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(await rejoined(), `the pages did not rejoin: ${JSON.stringify(await history(alice))}`);
    await waitForState(alice, 'connected');
    await waitForState(bob, 'connected');
    await expectRemoteVideoPlaying(bob);
    // The call was never ended on either side.
    for (const page of [alice, bob])
      assert.deepEqual(
        (await history(page)).calls.filter((c) => c.startsWith('ended')),
        [],
      );
    await alice.context().close();
    await bob.context().close();
  });
});
