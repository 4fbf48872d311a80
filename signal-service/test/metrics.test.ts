/**
 * `/metrics` (metrics.ts through app.ts) on real services with real socket.io clients: the text
 * parses as Prometheus exposition format, the counters move with what the clients do (joins by
 * outcome, relays by kind, refusals by code, rate limits, ICE requests by provider and outcome,
 * refused handshakes), the gauges follow sockets, rooms and members, two services in one process
 * keep separate registries, and METRICS_TOKEN is required when set.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { IceProvider } from '../src/ice/index.js';
import { SocketRateLimiter } from '../src/rate-limits.js';
import type { SignalService } from '../src/server.js';
import { TestContext, assertError, connectClient, join, rawRequest, request, testConfig, waitFor } from './helpers.js';

/** One sample: metric name, labels, value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses Prometheus text exposition format 0.0.4 strictly: every line is a `# HELP`, a `# TYPE`
 * (before the metric's samples, with a known type) or a sample `name{labels} value`; throws on
 * anything else.
 */
function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let match = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$/.exec(line);
    if (match) continue;
    match = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (match) {
      assert.ok(!types.has(match[1]!), `TYPE of ${match[1]} given twice`);
      types.set(match[1]!, match[2]!);
      continue;
    }
    match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\})? (\S+)$/.exec(line);
    assert.ok(match, `not a Prometheus line: ${JSON.stringify(line)}`);
    const [, name, rawLabels, value] = match;
    // Go's ParseFloat, as Prometheus reads values: a number, or NaN / ±Inf in any case.
    assert.ok(/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$|^nan$|^[+-]?inf$/i.test(value!), `not a value: ${JSON.stringify(line)}`);
    const family = name!.replace(/_(bucket|sum|count)$/, '');
    assert.ok(types.has(name!) || types.has(family), `${name} has no TYPE line before it`);
    const labels: Record<string, string> = {};
    for (const [, key, labelValue] of (rawLabels ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[key!] = labelValue!;
    samples.push({ name: name!, labels, value: /^nan$/i.test(value!) ? NaN : Number(value) });
  }
  return samples;
}

/** The value of `name` with exactly `labels` (0 when absent). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.find(
    (s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === JSON.stringify(Object.entries(labels).sort()),
  );
  return found?.value ?? 0;
}

async function scrape(service: SignalService, headers: Record<string, string> = {}): Promise<Sample[]> {
  const response = await fetch(`${service.url}/metrics`, { headers });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  return parsePrometheus(await response.text());
}

let ctx: TestContext;
beforeEach(() => {
  ctx = new TestContext();
});
afterEach(() => ctx.close());

describe('/metrics', () => {
  it('parses as Prometheus text and moves with a call: joins by outcome, relays by kind, refusals, ICE, gauges', async () => {
    const service = await ctx.server();
    const empty = await scrape(service);
    for (const name of [
      'video_call_sockets',
      'video_call_rooms',
      'video_call_members',
      'video_call_event_loop_lag_seconds',
      'video_call_draining',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      assert.ok(
        empty.some((s) => s.name === name),
        `${name} is missing`,
      );
    }
    assert.equal(valueOf(empty, 'video_call_sockets'), 0);

    const [alice, bob, carol] = await ctx.clients(service.url, 3);
    const a = await join(alice!, 'metrics-room', 'Alice');
    const b = await join(bob!, 'metrics-room', 'Bob');
    assertError(await request(carol!, 'room:join', { room: 'metrics-room' }), 'room-full');
    assertError(await rawRequest(carol!, 'room:join', [{ room: 'bad room name!' }]), 'invalid-payload');
    assertError(await rawRequest(carol!, 'signal:relay', [{ to: a.self.id, signal: { kind: 'ring', call: 'call-0001' } }]), 'not-in-room');
    const call = 'call-metrics-1';
    for (const signal of [
      { kind: 'ring', call },
      { kind: 'description', call, description: { type: 'offer', sdp: 'v=0\r\n' } },
      { kind: 'candidate', call, candidate: { candidate: '', sdpMid: '0' } },
      { kind: 'candidate', call, candidate: null },
    ]) {
      assert.deepEqual(await rawRequest(alice!, 'signal:relay', [{ to: b.self.id, signal }]), { ok: true });
    }
    // Without an acknowledgement (as the widget relays) it is counted too.
    (bob as unknown as { emit(event: string, payload: unknown): void }).emit('signal:relay', {
      to: a.self.id,
      signal: { kind: 'accept', call },
    });
    assert.equal((await request(alice!, 'ice:servers')).ok, true);

    let after: Sample[] = [];
    await waitFor('the accept relay to be counted', async () => {
      after = await scrape(service);
      return valueOf(after, 'video_call_relayed_messages_total', { kind: 'accept' }) === 1;
    });
    assert.equal(valueOf(after, 'video_call_joins_total', { outcome: 'ok' }), 2);
    assert.equal(valueOf(after, 'video_call_joins_total', { outcome: 'room-full' }), 1);
    assert.equal(valueOf(after, 'video_call_joins_total', { outcome: 'invalid-payload' }), 1);
    assert.equal(valueOf(after, 'video_call_relayed_messages_total', { kind: 'ring' }), 1);
    assert.equal(valueOf(after, 'video_call_relayed_messages_total', { kind: 'description' }), 1);
    assert.equal(valueOf(after, 'video_call_relayed_messages_total', { kind: 'candidate' }), 2);
    assert.equal(valueOf(after, 'video_call_refused_requests_total', { event: 'room:join', code: 'room-full' }), 1);
    assert.equal(valueOf(after, 'video_call_refused_requests_total', { event: 'signal:relay', code: 'not-in-room' }), 1);
    assert.equal(valueOf(after, 'video_call_ice_server_requests_total', { provider: 'static', outcome: 'ok' }), 1);
    assert.equal(valueOf(after, 'video_call_sockets'), 3);
    assert.equal(valueOf(after, 'video_call_rooms'), 1);
    assert.equal(valueOf(after, 'video_call_members'), 2);

    bob!.disconnect();
    await waitFor('bob to leave', async () => valueOf(await scrape(service), 'video_call_members') === 1);
  });

  it('counts rate-limited requests by event, unknown event names under one label, and degraded ICE answers', async () => {
    const failing: IceProvider = { kind: 'twilio', getIceServers: () => Promise.reject(new Error('upstream down')) };
    const many = { points: 1000, duration: 60 };
    const service = await ctx.server({
      ice: failing,
      rateLimiter: new SocketRateLimiter({
        events: many,
        join: many,
        leave: many,
        relay: many,
        ice: { points: 1, duration: 60 },
        watch: many,
        violations: many,
      }),
    });
    const client = await ctx.client(service.url);
    await join(client, 'metrics-ice');
    const first = await request(client, 'ice:servers');
    assert.equal(first.ok && first.degraded, true);
    assertError(await request(client, 'ice:servers'), 'rate-limited');
    await rawRequest(client, 'no:such-event-1', [{}], 300).catch(() => {});
    await rawRequest(client, 'no:such-event-2', [{}], 300).catch(() => {});
    const samples = await scrape(service);
    assert.equal(valueOf(samples, 'video_call_ice_server_requests_total', { provider: 'twilio', outcome: 'degraded' }), 1);
    assert.equal(valueOf(samples, 'video_call_ice_server_requests_total', { provider: 'twilio', outcome: 'rate-limited' }), 1);
    assert.equal(valueOf(samples, 'video_call_rate_limited_total', { event: 'ice:servers' }), 1);
    // Unknown events are never answered, and never become label values.
    assert.ok(!samples.some((s) => Object.values(s.labels).some((v) => v.startsWith('no:such'))));
  });

  it('counts refused handshakes by code', async () => {
    const service = await ctx.server({}, testConfig({ ALLOWED_ORIGINS: 'https://shop.example.com' }));
    await assert.rejects(connectClient(service.url, { extraHeaders: { Origin: 'https://evil.example' } }));
    service.load.force(true);
    await assert.rejects(connectClient(service.url, { extraHeaders: { Origin: 'https://shop.example.com' } }));
    service.load.force(undefined);
    const samples = await scrape(service);
    assert.equal(valueOf(samples, 'video_call_handshakes_refused_total', { code: 'origin-not-allowed' }), 1);
    assert.equal(valueOf(samples, 'video_call_handshakes_refused_total', { code: 'overloaded' }), 1);
  });

  it('keeps one registry per service: two services in one process count apart', async () => {
    const one = await ctx.server();
    const two = await ctx.server();
    const client = await ctx.client(one.url);
    await join(client, 'only-on-one');
    assert.equal(valueOf(await scrape(one), 'video_call_joins_total', { outcome: 'ok' }), 1);
    assert.equal(valueOf(await scrape(two), 'video_call_joins_total', { outcome: 'ok' }), 0);
  });

  it('with METRICS_TOKEN, answers 401 without the bearer token and says nothing else', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const service = await ctx.server({}, testConfig({ METRICS_TOKEN: token }));
    for (const authorization of [
      undefined,
      'Bearer wrong-token',
      `Basic ${token}`,
      `Bearer ${token}x`,
      'Bearer ',
      `Bearer ${token.slice(0, -1)}`,
    ]) {
      const response = await fetch(`${service.url}/metrics`, { headers: authorization ? { Authorization: authorization } : {} });
      assert.equal(response.status, 401, String(authorization));
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
      const body = await response.text();
      assert.doesNotMatch(body, /video_call|process_|nodejs_|metrics-token/);
      assert.deepEqual(JSON.parse(body), { error: { code: 'unauthorized', message: 'A valid bearer token is required.' } });
    }
    assert.ok((await scrape(service, { Authorization: `Bearer ${token}` })).length > 0);
    assert.ok((await scrape(service, { Authorization: `bearer  ${token}` })).length > 0);
  });
});
