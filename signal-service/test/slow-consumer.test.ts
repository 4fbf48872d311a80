/**
 * Bounded memory per connection (connection-guard.ts), with raw clients that stop reading their
 * socket: the service never holds more than MAX_BUFFERED_BYTES (plus the packet being queued) for
 * one, closes it, and its partner is told the normal way; pongs that answer no ping end the
 * connection; a call in another room keeps relaying throughout.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import type { Socket as EngineSocket } from 'engine.io';
import { MAX_SDP_LENGTH, type Signal } from 'video-call-protocol';
import { SocketRateLimiter } from '../src/rate-limits.js';
import type { SignalService } from '../src/server.js';
import { TestContext, join, nextEvent, record, testConfig, waitFor, type ClientSocket } from './helpers.js';
import { RawClient } from './raw-client.js';

const CAP = 128 * 1024;
const plenty = { points: 1_000_000, duration: 60 };
const CANDIDATE: Signal = { kind: 'candidate', call: 'calm-call-1', candidate: { candidate: 'candidate:1 1 udp 1 192.0.2.1 9 typ host' } };
const BIG_SDP: Signal = { kind: 'description', call: 'big-call-1', description: { type: 'offer', sdp: 'a'.repeat(MAX_SDP_LENGTH) } };

let ctx: TestContext;
let service: SignalService;
const raws: RawClient[] = [];
/** What the service logged (pino JSON lines). */
let logged: Record<string, unknown>[];

beforeEach(async () => {
  ctx = new TestContext();
  logged = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logged.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  service = await ctx.server(
    {
      logger: pino({ level: 'info' }, sink),
      rateLimiter: new SocketRateLimiter({ events: plenty, relay: plenty, leave: plenty, violations: plenty }),
    },
    testConfig({ MAX_BUFFERED_BYTES: String(CAP), PING_INTERVAL_MS: '1000', PING_TIMEOUT_MS: '5000' }),
  );
});
afterEach(async () => {
  for (const raw of raws.splice(0)) raw.destroy();
  await ctx.close();
});

/** The most bytes the service held unsent for the engine.io connection `sid` at any packet (test-side measure). */
function watchHeld(sid: string): { max: number } {
  const conn = (service.io.engine as unknown as { clients: Record<string, EngineSocket> }).clients[sid]!;
  const seen = { max: 0 };
  conn.on('packetCreate', () => {
    const queued = (conn as unknown as { writeBuffer: { data?: string }[] }).writeBuffer.reduce(
      (sum, p) => sum + (p.data?.length ?? 0) + 1,
      0,
    );
    const ws = (conn.transport as unknown as { socket?: { bufferedAmount?: number } }).socket;
    seen.max = Math.max(seen.max, queued + (ws?.bufferedAmount ?? 0));
  });
  return seen;
}

/** A call in room `calm` relaying a candidate both ways every 5 ms; `check()` asserts every one arrived. */
async function calmCall() {
  const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
  await join(a, 'calm');
  await join(b, 'calm');
  const toB = record(b, 'signal:relay');
  let sent = 0;
  const timer = setInterval(() => {
    a.emit('signal:relay', { to: b.id!, signal: CANDIDATE });
    sent++;
  }, 5);
  return {
    async check() {
      await new Promise((resolve) => setTimeout(resolve, 200));
      clearInterval(timer);
      await waitFor('the calm call’s relays', () => toB.received.length === sent, 3000);
      assert.ok(sent > 20, `only ${sent} relays sent`);
      assert.ok(a.connected && b.connected);
    },
  };
}

/** A raw client joined to `room` with a socket.io partner; returns both. */
async function rawPair(room: string) {
  const raw = await RawClient.connect(service.port);
  raws.push(raw);
  const partner = await ctx.client(service.url);
  assert.deepEqual(((await raw.request('room:join', { room })) as { ok: boolean }).ok, true);
  await join(partner, room);
  return { raw, partner };
}

describe('a client that stops reading', () => {
  it('is closed before the service holds more than the cap for it; its partner gets peer-left; another call keeps relaying', async () => {
    const calm = await calmCall();
    const { raw, partner } = await rawPair('big');
    const held = watchHeld(raw.open.sid);
    raw.pause();
    // Keeps up with the pings it cannot read (a pong every 1.5 s; pings come 1 s after a pong:
    // never ahead), so only the cap can end it.
    const pongs = setInterval(() => raw.sendPacket('3'), 1500);
    const left = nextEvent(partner, 'room:peer-left', 15_000);
    // The partner relays 32 KiB offers to it: ~13 MB, more than the kernel's buffers take.
    for (let i = 0; i < 400 && raw.connected; i++) {
      partner.emit('signal:relay', { to: raw.id, signal: BIG_SDP });
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const message = await left;
    clearInterval(pongs);
    assert.equal(message.reason, 'disconnected');
    await raw.closed;
    assert.ok(held.max <= CAP + 40 * 1024, `held ${held.max} bytes for it (cap ${CAP} + one message)`);
    assert.ok(held.max > 0);
    await calm.check();
    await waitFor('the close to be logged', () => logged.some((line) => line.reason === 'slow-consumer'));
    const line = logged.find((entry) => entry.reason === 'slow-consumer')!;
    assert.equal(line.msg, 'closed a connection');
    assert.equal(line.level, 40);
    assert.match(String(line.address), /127\.0\.0\.1$/);
  });

  it('and sends pongs nobody asked for is closed at the first one, however it floods', async () => {
    const calm = await calmCall();
    const { raw, partner } = await rawPair('pongs');
    const held = watchHeld(raw.open.sid);
    raw.pause();
    const left = nextEvent(partner, 'room:peer-left');
    // Requests whose answers pile up in the service's buffers, then pongs for pings it never read.
    for (let i = 0; i < 2000; i++) raw.sendPacket(`421${i}["ice:servers"]`);
    raw.sendPacket('3');
    raw.sendPacket('3');
    assert.equal((await left).reason, 'disconnected');
    await raw.closed;
    assert.ok(held.max <= CAP, `held ${held.max} bytes`);
    await calm.check();
    await waitFor('the close to be logged', () => logged.some((line) => line.reason === 'unsolicited-pong'));
  });
});

describe('closes the service causes', () => {
  it('are logged with their reason: ping timeout, oversize, parse error; never with a token', async () => {
    const silent = await RawClient.connect(service.port, { autoPong: false });
    const big = await RawClient.connect(service.port);
    const garbled = await RawClient.connect(service.port);
    raws.push(silent, big, garbled);
    const joined = (await big.request('room:join', { room: 'logs' })) as { rejoinToken: string };
    big.emit('signal:relay', { to: 'x', signal: { kind: 'ring', call: 'x'.repeat(70 * 1024) } });
    garbled.sendPacket('x-not-an-engine-io-packet');
    await Promise.all([big.closed, garbled.closed]);
    await silent.closed; // no pong: closed after PING_INTERVAL_MS + PING_TIMEOUT_MS (1 s + 5 s)
    await waitFor(
      'three close lines',
      () => ['ping-timeout', 'oversize', 'parse-error'].every((reason) => logged.some((line) => line.reason === reason)),
      3000,
    );
    assert.ok(!JSON.stringify(logged).includes(joined.rejoinToken), 'no token in the logs');
  });
});

describe('pongs', () => {
  it('that answer pings keep a reading client connected', async () => {
    const { raw } = await rawPair('steady');
    await waitFor('three pings answered', () => raw.pings >= 3, 5000);
    assert.ok(raw.connected);
  });
});
