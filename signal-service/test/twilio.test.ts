/**
 * The Twilio Network Traversal Service provider with the OFFICIAL `twilio` client doing the real
 * HTTP request, against a local stand-in of Twilio's REST API (a `node:http` server on 127.0.0.1,
 * port 0). The stand-in checks the request the way Twilio does (method, path, Basic auth,
 * form-encoded body) and answers with the documented JSON shape
 * (https://www.twilio.com/docs/stun-turn/api): `ice_servers` entries carry both the deprecated
 * `url` and `urls`, and `ttl` is a STRING of seconds.
 */
import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import { loadConfig, type Config } from '../src/config.js';
import { createIceProvider, iceServersFor, type IceProvider } from '../src/ice/index.js';
import { DEFAULT_STUN_URLS } from '../src/ice/static.js';
import { TwilioIceProvider, type TwilioIceOptions } from '../src/ice/twilio.js';
import type { IceServersResult } from 'video-call-protocol';
import type { SignalService } from '../src/server.js';
import { TestContext, assertError, assertOk, join, request, type ClientSocket } from './helpers.js';
import { ACCOUNT_SID, AUTH_TOKEN, TwilioStandIn, basicAuth, closedPort, expectedServers } from './twilio-stand-in.js';

// The client rewrites the request's host name when TWILIO_REGION / TWILIO_EDGE are set
// (BaseTwilio.getHostname: 127.0.0.1 would become 127.<region>.0.1); the stand-in needs it untouched.
delete process.env.TWILIO_REGION;
delete process.env.TWILIO_EDGE;

const silentLogger = pino({ level: 'silent' });

let standIn: TwilioStandIn;

/** The provider under test, seen through the IceProvider interface the service uses. */
function provider(options: Partial<TwilioIceOptions> = {}): IceProvider {
  return new TwilioIceProvider({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    ttlSeconds: 3600,
    apiBaseUrl: standIn.url,
    ...options,
  });
}

describe('TwilioIceProvider with the official client against a local Twilio stand-in', () => {
  beforeEach(async () => {
    standIn = new TwilioStandIn();
    await standIn.start();
  });
  afterEach(() => standIn.close());

  it('sends POST /2010-04-01/Accounts/<sid>/Tokens.json with Basic auth and a form body Ttl=<ttl>', async () => {
    const grant = await provider({ ttlSeconds: 1234, now: () => 1_700_000_000_000 }).getIceServers('member-1');
    assert.equal(standIn.requests.length, 1);
    const [seen] = standIn.requests;
    assert.ok(seen);
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, `/2010-04-01/Accounts/${ACCOUNT_SID}/Tokens.json`);
    assert.equal(seen.headers.authorization, basicAuth(ACCOUNT_SID, AUTH_TOKEN));
    assert.equal(seen.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(seen.headers.accept, 'application/json');
    assert.match(seen.headers['user-agent'] ?? '', /^twilio-node\/\d+\.\d+\.\d+ /, 'the official client sent it');
    assert.equal(seen.body, 'Ttl=1234');
    assert.deepEqual(seen.form, { Ttl: '1234' });
    assert.equal(seen.status, 201, 'the stand-in accepted the request');
    assert.equal(grant.ttl, 1234);
  });

  it('maps ice_servers to RTCIceServer entries (urls, username, credential; no url) and ttl to a number', async () => {
    const grant = await provider({ ttlSeconds: 86400 }).getIceServers('member-1');
    assert.deepEqual(grant.iceServers, expectedServers(1));
    for (const server of grant.iceServers) {
      assert.ok(!Object.hasOwn(server, 'url'), `deprecated url left in ${JSON.stringify(server)}`);
      const keys = Object.keys(server).sort();
      if (String(server.urls).startsWith('stun:')) assert.deepEqual(keys, ['urls'], 'STUN entries carry no credentials');
      else assert.deepEqual(keys, ['credential', 'urls', 'username']);
    }
    assert.doesNotMatch(JSON.stringify(grant), /"url"/);
    assert.equal(typeof grant.ttl, 'number');
    assert.ok(Number.isInteger(grant.ttl));
    assert.ok(grant.ttl! <= 86400 && grant.ttl! >= 86400 - 2, `ttl ${grant.ttl} should be at most the answered "86400"`);
  });

  it('uses the ttl Twilio answered, not the one it asked for', async () => {
    let clock = 1_700_000_000_000;
    const twilio = provider({ ttlSeconds: 86400, now: () => clock });
    standIn.answerTtl = '600';
    assert.equal((await twilio.getIceServers('m')).ttl, 600);
    assert.equal(standIn.requests[0]?.body, 'Ttl=86400');
    // 600 s lifetime: renewed when max(60 s, 20 %) = 120 s are left, i.e. 480 s after the fetch.
    clock += 479_999;
    assert.equal((await twilio.getIceServers('m')).ttl, 120);
    assert.equal(standIn.requests.length, 1);
    clock += 1;
    await twilio.getIceServers('m');
    assert.equal(standIn.requests.length, 2);
  });

  it('reuses one token until the renew point, counting its ttl down, then fetches a new one', async () => {
    const start = 1_700_000_000_000;
    let clock = start;
    const twilio = provider({ ttlSeconds: 3600, now: () => clock });

    const first = await twilio.getIceServers('member-1');
    assert.equal(first.ttl, 3600);
    const second = await twilio.getIceServers('member-2');
    assert.equal(standIn.requests.length, 1, 'two calls within the lifetime make one request');
    assert.deepEqual(second, first);

    clock = start + 1000_000;
    assert.deepEqual(await twilio.getIceServers('member-3'), { iceServers: expectedServers(1), ttl: 2600 });
    // RENEW_WHEN_LEFT: renewed when 20 % (at least 60 s) of 3600 s is left, i.e. at 2880 s.
    clock = start + 2880_000 - 1;
    assert.deepEqual(await twilio.getIceServers('member-4'), { iceServers: expectedServers(1), ttl: 720 });
    assert.equal(standIn.requests.length, 1, 'still the first token just before the renew point');

    clock = start + 2880_000;
    const renewed = await twilio.getIceServers('member-5');
    assert.equal(standIn.requests.length, 2, 'a new request at the renew point');
    assert.deepEqual(renewed, { iceServers: expectedServers(2), ttl: 3600 });
    assert.notDeepEqual(renewed.iceServers, first.iceServers, 'new credentials');

    clock += 10_000;
    assert.equal((await twilio.getIceServers('member-6')).ttl, 3590);
    assert.equal(standIn.requests.length, 2);
  });

  it('shares one request in flight among 20 concurrent callers', async () => {
    standIn.delayMs = 200;
    const twilio = provider();
    const started = Date.now();
    const grants = await Promise.all(Array.from({ length: 20 }, (_, i) => twilio.getIceServers(`member-${i}`)));
    assert.ok(Date.now() - started >= 190, 'the stand-in held its answer');
    assert.equal(standIn.requests.length, 1, 'exactly one request for 20 callers');
    for (const grant of grants) assert.deepEqual(grant.iceServers, expectedServers(1));
    // Every caller gets its own copy: one caller changing its list does not change another's.
    assert.notEqual(grants[0]!.iceServers, grants[1]!.iceServers);
    grants[0]!.iceServers.length = 0;
    assert.deepEqual(grants[1]!.iceServers, expectedServers(1));
    assert.deepEqual((await twilio.getIceServers('later')).iceServers, expectedServers(1));
    assert.equal(standIn.requests.length, 1);
  });

  it('rejects on 401, falls back to STUN with degraded, and does not cache the failure', async () => {
    standIn.mode = 'unauthorized';
    const twilio = provider();
    await assert.rejects(twilio.getIceServers('member-1'), (error: { status?: number; code?: number; message?: string }) => {
      assert.equal(error.status, 401);
      assert.equal(error.code, 20003);
      assert.equal(error.message, 'Authenticate');
      return true;
    });
    assert.deepEqual(await iceServersFor(twilio, 'member-1', silentLogger), {
      iceServers: [{ urls: DEFAULT_STUN_URLS }],
      degraded: true,
    });
    assert.equal(standIn.requests.length, 2, 'each call after a failure asks again');
    assert.ok(standIn.requests.every((seen) => seen.status === 401));

    standIn.mode = 'token';
    assert.deepEqual(await iceServersFor(twilio, 'member-1', silentLogger), { iceServers: expectedServers(3), ttl: 3600 });
    assert.equal(standIn.requests.length, 3, 'recovered with a new request');
    await twilio.getIceServers('member-2');
    assert.equal(standIn.requests.length, 3, 'the good token is cached');
  });

  it('keeps serving a still-valid token when its renewal fails', async () => {
    const start = 1_700_000_000_000;
    let clock = start;
    const twilio = provider({ ttlSeconds: 3600, now: () => clock });
    await twilio.getIceServers('member-1');
    standIn.mode = 'unauthorized';
    clock = start + 3000_000; // past the renew point (2880 s), before expiry (3600 s)
    assert.deepEqual(await twilio.getIceServers('member-2'), { iceServers: expectedServers(1), ttl: 600 });
    assert.equal(standIn.requests.length, 2, 'the renewal was tried');
    clock = start + 3600_000; // expired: now the failure shows
    await assert.rejects(twilio.getIceServers('member-3'));
  });

  it('reuses short-lived tokens too: renewed half-way at the latest', async () => {
    const start = 1_700_000_000_000;
    let clock = start;
    const twilio = provider({ ttlSeconds: 30, now: () => clock });
    await twilio.getIceServers('member-1');
    clock = start + 14_999;
    await twilio.getIceServers('member-2');
    assert.equal(standIn.requests.length, 1);
    clock = start + 15_000;
    await twilio.getIceServers('member-3');
    assert.equal(standIn.requests.length, 2);
  });

  it('concurrent callers share a failing request; the next call retries', async () => {
    standIn.mode = 'unauthorized';
    standIn.delayMs = 100;
    const twilio = provider();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => twilio.getIceServers('m')));
    assert.ok(results.every((result) => result.status === 'rejected'));
    assert.equal(standIn.requests.length, 1);
    standIn.mode = 'token';
    assert.deepEqual((await twilio.getIceServers('m')).iceServers, expectedServers(2));
    assert.equal(standIn.requests.length, 2);
  });

  it('rejects promptly when nothing listens (closed port) and falls back to STUN', async () => {
    const twilio = provider({ apiBaseUrl: `http://127.0.0.1:${await closedPort()}` });
    const started = Date.now();
    await assert.rejects(twilio.getIceServers('m'), (error: { code?: string }) => {
      assert.equal(error.code, 'ECONNREFUSED');
      return true;
    });
    assert.ok(Date.now() - started < 10_000, 'within the client timeout');
    assert.deepEqual(await iceServersFor(twilio, 'm', silentLogger, ['stun:fallback.example.org:3478']), {
      iceServers: [{ urls: ['stun:fallback.example.org:3478'] }],
      degraded: true,
    });
  });

  it('gives up after the client timeout when Twilio accepts but never answers', async () => {
    standIn.mode = 'hang';
    const twilio = provider({ timeoutMs: 300 });
    const started = Date.now();
    await assert.rejects(twilio.getIceServers('m'), (error: { code?: string; message?: string }) => {
      assert.equal(error.code, 'ECONNABORTED', String(error.message));
      return true;
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 250 && elapsed < 3000, `rejected after ${elapsed} ms`);
    assert.equal(standIn.requests.length, 1, 'the request did reach the stand-in');
    assert.deepEqual(await iceServersFor(twilio, 'm', silentLogger), { iceServers: [{ urls: DEFAULT_STUN_URLS }], degraded: true });
  });
});

describe('ice:servers through the socket service with Twilio configured', () => {
  const env = {
    PORT: '0',
    LOG_LEVEL: 'silent',
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: 'x',
    ICE_TTL_SECONDS: '7200',
    STUN_URLS: 'stun:fallback.example.org:3478',
  };
  let ctx: TestContext;
  let config: Config;
  let service: SignalService;

  before(() => {
    config = loadConfig(env);
    assert.equal(config.ice.kind, 'twilio');
  });

  beforeEach(async () => {
    standIn = new TwilioStandIn(ACCOUNT_SID, 'x');
    await standIn.start();
    ctx = new TestContext();
    service = await ctx.server({ ice: createIceProvider(config.ice, standIn.url) }, config);
  });
  afterEach(async () => {
    await ctx.close();
    await standIn.close();
  });
  it('6 members of 3 rooms asking at once cause one Twilio request and all get its servers', async () => {
    standIn.delayMs = 100;
    const clients = await ctx.clients(service.url, 6);
    await Promise.all(clients.map((client, i) => join(client, `room-${i % 3}`)));
    const answers = await Promise.all(clients.map((client) => request(client, 'ice:servers')));
    assert.equal(standIn.requests.length, 1, 'one request for six members');
    const [seen] = standIn.requests;
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.url, `/2010-04-01/Accounts/${ACCOUNT_SID}/Tokens.json`);
    assert.equal(seen?.headers.authorization, basicAuth(ACCOUNT_SID, 'x'));
    assert.equal(seen?.body, 'Ttl=7200', 'ICE_TTL_SECONDS reaches Twilio');
    for (const answer of answers) {
      assertOk(answer);
      const result: IceServersResult = answer;
      assert.deepEqual(result.iceServers, expectedServers(1));
      assert.ok(result.ttl !== undefined && result.ttl <= 7200 && result.ttl >= 7198, `ttl ${result.ttl}`);
      assert.equal(result.degraded, undefined);
    }
  });

  it('answers not-in-room to a socket that has not joined, without asking Twilio', async () => {
    const outsider: ClientSocket = await ctx.client(service.url);
    assertError(await request(outsider, 'ice:servers'), 'not-in-room');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(standIn.requests.length, 0);
    // The same socket after joining does get servers: the refusal was about membership.
    await join(outsider, 'room-x');
    assertOk(await request(outsider, 'ice:servers'));
    assert.equal(standIn.requests.length, 1);
  });

  it('answers the configured STUN fallback with degraded when Twilio refuses', async () => {
    standIn.mode = 'unauthorized';
    const member = await ctx.client(service.url);
    await join(member, 'room-1');
    assert.deepEqual(await request(member, 'ice:servers'), {
      ok: true,
      iceServers: [{ urls: ['stun:fallback.example.org:3478'] }],
      degraded: true,
    });
    assert.equal(standIn.requests.length, 1);
  });
});
