/**
 * TRUST_PROXY (trusted-proxy.ts): X-Forwarded-For is believed only from trusted peers. Unit cases
 * of the resolver, then a real service: clients connecting through a "proxy" address (127.0.0.2)
 * are limited and logged by the address the proxy names, while a spoofed X-Forwarded-For sent
 * straight from an untrusted peer (127.0.0.1) is ignored; /metrics' private-address rule and the
 * CSP's host follow the same rule.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import { ConfigError, loadConfig } from '../src/config.js';
import type { SignalService } from '../src/server.js';
import { createClientResolver, parseTrustProxy, type TrustProxy } from '../src/trusted-proxy.js';
import { TestContext, connectClient, testConfig, waitFor, type ClientSocket } from './helpers.js';

const req = (peer: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress: peer }, headers });
const policy = (value: string): TrustProxy => {
  const parsed = parseTrustProxy(value);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
};

describe('TRUST_PROXY parsing', () => {
  it('reads nothing, a hop count, or a list of addresses, ranges and keywords', () => {
    assert.deepEqual(parseTrustProxy(''), { kind: 'none' });
    assert.deepEqual(parseTrustProxy('false'), { kind: 'none' });
    assert.deepEqual(parseTrustProxy('2'), { kind: 'hops', hops: 2 });
    assert.deepEqual(parseTrustProxy(' loopback, 10.0.0.0/8 ,fd00::/8,192.0.2.7 '), {
      kind: 'list',
      entries: ['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.7'],
    });
  });

  it('refuses malformed entries with a clear message, and loadConfig names the variable', () => {
    for (const bad of ['10.0.0.0/33', 'not-an-ip', '11', '00', '007', '1.2.3.4/8/1', '::1/129', 'toString', 'true']) {
      const parsed = parseTrustProxy(bad);
      assert.ok('error' in parsed, bad);
    }
    assert.throws(
      () => loadConfig({ TRUST_PROXY: '10.0.0.0/33' }),
      (error: unknown) => error instanceof ConfigError && /TRUST_PROXY: "10\.0\.0\.0\/33" is not an IP address/.test(error.message),
    );
    assert.deepEqual(loadConfig({}).trustProxy, { kind: 'none' });
  });
});

describe('client resolution', () => {
  it('ignores X-Forwarded-* without TRUST_PROXY', () => {
    const resolve = createClientResolver();
    assert.deepEqual(
      resolve(
        req('198.51.100.9', {
          'x-forwarded-for': '203.0.113.1',
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'evil.example',
          host: 'calls.example',
        }),
      ),
      {
        address: '198.51.100.9',
        proto: 'http',
        host: 'calls.example',
        unsure: true,
      },
    );
  });

  it('marks unsure a request whose forwarding headers were not believed or not read to their end', () => {
    const none = createClientResolver();
    const loopback = createClientResolver(policy('loopback'));
    // A proxy missing from TRUST_PROXY (or a client making headers up): the address is the peer's.
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      assert.equal(none(req('127.0.0.1', { [header]: 'for=203.0.113.1' })).unsure, true, header);
      assert.equal(loopback(req('198.51.100.9', { [header]: '203.0.113.1' })).unsure, true, header);
    }
    // A trusted proxy that names its client only in X-Real-IP: the address is still the proxy's.
    assert.equal(loopback(req('127.0.0.1', { 'x-real-ip': '203.0.113.1' })).unsure, true);
    // A malformed entry ends the walk at a proxy.
    assert.equal(loopback(req('127.0.0.1', { 'x-forwarded-for': '203.0.113.1/24' })).unsure, true);
    // Sure: no forwarding header at all, or an X-Forwarded-For read to an untrusted hop or its leftmost entry.
    assert.equal(none(req('127.0.0.1')).unsure, undefined);
    assert.equal(loopback(req('127.0.0.1', { 'x-forwarded-for': '203.0.113.1', 'x-real-ip': '203.0.113.1' })).unsure, undefined);
    assert.equal(loopback(req('127.0.0.1', { 'x-forwarded-for': '127.0.0.5' })).unsure, undefined);
    assert.equal(createClientResolver(policy('1'))(req('198.51.100.9', { 'x-forwarded-for': '203.0.113.1' })).unsure, undefined);
  });

  it('believes a trusted peer, walks right to left past trusted hops, and stops at the first untrusted one', () => {
    const resolve = createClientResolver(policy('loopback, 10.0.0.0/8'));
    assert.equal(resolve(req('127.0.0.1', { 'x-forwarded-for': '203.0.113.1' })).address, '203.0.113.1');
    // The client claims to be 198.51.100.1 in front of the real chain: only the hop before the last trusted proxy counts.
    assert.equal(resolve(req('127.0.0.1', { 'x-forwarded-for': '198.51.100.1, 203.0.113.1, 10.1.2.3' })).address, '203.0.113.1');
    // All trusted: the leftmost.
    assert.equal(resolve(req('127.0.0.1', { 'x-forwarded-for': '10.0.0.5, 10.0.0.6' })).address, '10.0.0.5');
    // An untrusted peer's header is ignored.
    assert.equal(resolve(req('198.51.100.9', { 'x-forwarded-for': '203.0.113.1' })).address, '198.51.100.9');
    // Garbage ends the walk at the last trusted hop, never a made-up address.
    assert.equal(resolve(req('127.0.0.1', { 'x-forwarded-for': 'not-an-ip' })).address, '127.0.0.1');
    assert.equal(resolve(req('127.0.0.1', { 'x-forwarded-for': '203.0.113.1, <script>' })).address, '127.0.0.1');
    // Entries with the client's port (Azure Application Gateway and others write them so): the port is dropped.
    assert.equal(resolve(req('127.0.0.1', { 'x-forwarded-for': '203.0.113.1:51234' })).address, '203.0.113.1');
    assert.equal(resolve(req('127.0.0.1', { 'x-forwarded-for': '[2001:db8::7]:51234' })).address, '2001:db8::7');
    assert.equal(resolve(req('127.0.0.1', { 'x-forwarded-for': '[2001:db8::7]' })).address, '2001:db8::7');
    assert.equal(resolve(req('127.0.0.1', { 'x-forwarded-for': '198.51.100.1, 10.0.0.9:443' })).address, '198.51.100.1');
    assert.equal(resolve(req('127.0.0.1', { 'x-forwarded-for': '203.0.113.1:99999999' })).address, '127.0.0.1');
    // IPv4-mapped IPv6 peers match IPv4 ranges and are written as IPv4.
    assert.equal(resolve(req('::ffff:127.0.0.1', { 'x-forwarded-for': '::ffff:203.0.113.1' })).address, '203.0.113.1');
    assert.equal(resolve(req('::ffff:198.51.100.9')).address, '198.51.100.9');
    // IPv6 loopback, and a repeated header (read as one list: 10.0.0.1 is trusted too).
    assert.equal(
      resolve({ socket: { remoteAddress: '::1' }, headers: { 'x-forwarded-for': ['2001:db8::1', '10.0.0.1'] } }).address,
      '2001:db8::1',
    );
  });

  it('with a hop count, takes the N-th address from the right whoever the peers are', () => {
    const resolve = createClientResolver(policy('1'));
    assert.equal(resolve(req('198.51.100.9', { 'x-forwarded-for': '203.0.113.1, 203.0.113.2' })).address, '203.0.113.2');
    const two = createClientResolver(policy('2'));
    assert.equal(two(req('198.51.100.9', { 'x-forwarded-for': '203.0.113.1, 203.0.113.2' })).address, '203.0.113.1');
    assert.equal(two(req('198.51.100.9', { 'x-forwarded-for': '203.0.113.2' })).address, '203.0.113.2');
    assert.equal(two(req('198.51.100.9')).address, '198.51.100.9');
  });

  it('takes X-Forwarded-Proto and X-Forwarded-Host (first values) from a trusted peer only', () => {
    const resolve = createClientResolver(policy('127.0.0.1'));
    assert.deepEqual(
      resolve(req('127.0.0.1', { 'x-forwarded-proto': 'HTTPS, http', 'x-forwarded-host': 'calls.example:8443', host: 'internal:3000' })),
      {
        address: '127.0.0.1',
        proto: 'https',
        host: 'calls.example:8443',
      },
    );
    assert.deepEqual(
      resolve(req('127.0.0.2', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example', host: 'internal:3000' })),
      {
        address: '127.0.0.2',
        proto: 'http',
        host: 'internal:3000',
      },
    );
    assert.equal(resolve(req('127.0.0.1', { 'x-forwarded-proto': 'gopher' })).proto, 'http');
    // A host that is not host[:port] is not used (it ends up in the CSP header).
    assert.equal(
      resolve(req('127.0.0.1', { 'x-forwarded-host': "calls.example; script-src 'unsafe-inline'", host: 'internal:3000' })).host,
      'internal:3000',
    );
    assert.equal(resolve(req('198.51.100.9', { host: 'a b' })).host, undefined);
    assert.equal(resolve(req('198.51.100.9', { host: '[::1]:3000' })).host, '[::1]:3000');
  });
});

describe('a service behind a trusted proxy at 127.0.0.2', () => {
  let ctx: TestContext;
  let service: SignalService;
  let lines: { msg: string; code?: string; address?: string }[];
  const clients: ClientSocket[] = [];

  beforeEach(async () => {
    ctx = new TestContext();
    lines = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as (typeof lines)[number]);
        done();
      },
    });
    service = await ctx.server(
      { logger: pino({ level: 'info' }, sink) },
      testConfig({ TRUST_PROXY: '127.0.0.2', MAX_CONNECTIONS_PER_IP: '1' }),
    );
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await ctx.close();
  });

  /** Connects from `localAddress` claiming `forwardedFor`; resolves false when refused. */
  const connect = async (localAddress: string, forwardedFor: string) => {
    try {
      clients.push(await connectClient(service.url, { localAddress, extraHeaders: { 'X-Forwarded-For': forwardedFor } } as never));
      return true;
    } catch {
      return false;
    }
  };
  const addresses = () => [...service.io.of('/').sockets.values()].map((socket) => socket.handshake.address).sort();

  it('counts and logs clients by the address a trusted proxy names, and ignores the header from anyone else', async () => {
    // Through the proxy: two clients, one connection each (the cap is 1 per address).
    assert.equal(await connect('127.0.0.2', '203.0.113.1'), true);
    assert.equal(await connect('127.0.0.2', '203.0.113.2'), true);
    assert.equal(await connect('127.0.0.2', '203.0.113.1'), false, 'the second connection of 203.0.113.1 is over its cap');
    await waitFor('the refusal log', () => lines.some((line) => line.code === 'too-many-connections'));
    assert.equal(lines.find((line) => line.code === 'too-many-connections')?.address, '203.0.113.1');

    // Straight from 127.0.0.1, which is no proxy: the header is ignored, whatever it claims.
    assert.equal(await connect('127.0.0.1', '203.0.113.3'), true);
    assert.equal(await connect('127.0.0.1', '203.0.113.4'), false, '127.0.0.1 already holds its one connection');
    await waitFor('the second refusal log', () => lines.filter((line) => line.code === 'too-many-connections').length === 2);
    assert.equal(lines.filter((line) => line.code === 'too-many-connections')[1]?.address, '127.0.0.1');

    assert.deepEqual(addresses(), ['127.0.0.1', '203.0.113.1', '203.0.113.2']);
  });

  it('logs a malformed handshake through the proxy with the client the proxy names', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      request(
        {
          host: '127.0.0.1',
          port: service.port,
          path: '/socket.io/?EIO=4&transport=bogus',
          localAddress: '127.0.0.2',
          headers: { 'X-Forwarded-For': '203.0.113.7' },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end();
    });
    assert.equal(status, 400);
    await waitFor('the refusal log', () =>
      lines.some((line) => line.code === 'refused-bad-request' || line.msg === 'refused a connection'),
    );
    const line = lines.find((l) => l.msg === 'refused a connection');
    assert.equal(line?.address, '203.0.113.7');
  });

  it('answers /metrics without a token to private clients only, as the trusted proxy names them, never through an unlisted proxy; the CSP uses its X-Forwarded-Host', async () => {
    const get = (localAddress: string, headers: Record<string, string>) =>
      new Promise<{ status: number; csp: string }>((resolve, reject) => {
        request({ host: '127.0.0.1', port: service.port, path: '/metrics', localAddress, headers }, (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0, csp: String(response.headers['content-security-policy'] ?? '') });
        })
          .on('error', reject)
          .end();
      });
    assert.equal((await get('127.0.0.2', { 'X-Forwarded-For': '203.0.113.1' })).status, 403);
    assert.equal((await get('127.0.0.2', { 'X-Forwarded-For': '10.1.2.3' })).status, 200);
    // Straight from a private peer without forwarding headers: allowed.
    assert.equal((await get('127.0.0.1', {})).status, 200);
    // From a private peer that TRUST_PROXY does not list, with forwarding headers: most likely a
    // proxy that is missing from TRUST_PROXY, forwarding a client from anywhere. Refused.
    assert.equal((await get('127.0.0.1', { 'X-Forwarded-For': '203.0.113.1' })).status, 403);
    assert.equal((await get('127.0.0.1', { 'X-Real-IP': '203.0.113.1' })).status, 403);
    assert.equal((await get('127.0.0.1', { Forwarded: 'for=203.0.113.1' })).status, 403);
    // The trusted proxy naming its client only in X-Real-IP: the client is unknown. Refused.
    assert.equal((await get('127.0.0.2', { 'X-Real-IP': '10.1.2.3' })).status, 403);
    const viaProxy = await get('127.0.0.2', { 'X-Forwarded-For': '10.1.2.3', 'X-Forwarded-Host': 'calls.example' });
    assert.match(viaProxy.csp, /connect-src 'self' ws:\/\/calls\.example wss:\/\/calls\.example/);
    const spoofed = await get('127.0.0.1', { 'X-Forwarded-Host': 'evil.example' });
    assert.doesNotMatch(spoofed.csp, /evil\.example/);
  });
});
