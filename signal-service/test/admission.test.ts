/**
 * Admission of new connections (admission.ts, fd-limit.ts) with raw clients: the per-address cap,
 * the global cap, the per-address budget of new connections and load shedding each refuse the
 * handshake cleanly (HTTP status, Retry-After, JSON code) over both transports, log it, and leave
 * /healthz and the connections already made working.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import { connectionCaps, readOpenFileLimit, reserveFor } from '../src/fd-limit.js';
import type { SignalService } from '../src/server.js';
import { TestContext, testConfig, waitFor } from './helpers.js';
import { HandshakeRefused, RawClient } from './raw-client.js';

let ctx: TestContext;
const raws: RawClient[] = [];
/** A line the service logged (pino's JSON), the fields the tests read. */
interface LogLine {
  msg: string;
  kind?: string;
  code?: string;
  address?: string;
  status?: number;
}
let logLines: LogLine[];

/** A service with `env`, logging to `logLines`. */
function start(env: Record<string, string>, openFileLimit?: number): Promise<SignalService> {
  logLines = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return ctx.server({ logger: pino({ level: 'info' }, sink), ...(openFileLimit && { openFileLimit }) }, testConfig(env));
}

async function open(service: SignalService, localAddress = '127.0.0.1'): Promise<RawClient> {
  const raw = await RawClient.connect(service.port, { localAddress });
  raws.push(raw);
  return raw;
}

async function refusal(service: SignalService, localAddress = '127.0.0.1'): Promise<HandshakeRefused> {
  try {
    raws.push(await RawClient.connect(service.port, { localAddress }));
  } catch (error) {
    if (error instanceof HandshakeRefused) return error;
    throw error;
  }
  assert.fail('the handshake was admitted');
}

async function healthOk(service: SignalService): Promise<void> {
  const response = await fetch(`${service.url}/healthz`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
}

beforeEach(() => {
  ctx = new TestContext();
});
afterEach(async () => {
  for (const raw of raws.splice(0)) raw.destroy();
  await ctx.close();
});

describe('the per-address connection cap', () => {
  it('answers 503 too-many-connections with Retry-After, while /healthz answers and other addresses connect', async () => {
    const service = await start({ MAX_CONNECTIONS_PER_IP: '3', NEW_CONNECTIONS_PER_IP: '100' });
    const held = [await open(service), await open(service), await open(service)];
    const refused = await refusal(service);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['retry-after'], '30');
    assert.equal(refused.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(refused.errorCode, 'too-many-connections');
    await healthOk(service);
    // Long-polling handshakes are refused the same way.
    const polling = await fetch(`${service.url}/socket.io/?EIO=4&transport=polling`);
    assert.equal(polling.status, 503);
    assert.equal(((await polling.json()) as { error: { code: string } }).error.code, 'too-many-connections');
    // Another address is not affected, and the held connections still work.
    await open(service, '127.0.0.2');
    assert.deepEqual(await held[0]!.request('room:join', { room: 'r1' }).then((a) => (a as { ok: boolean }).ok), true);
    // A place freed is a place again.
    held[1]!.destroy();
    await waitFor(
      'the closed connection to be counted out',
      async () =>
        await RawClient.connect(service.port).then(
          (raw) => (raws.push(raw), true),
          () => false,
        ),
    );
    const line = logLines.find((entry) => entry.kind === 'refused-too-many-connections');
    assert.ok(line, JSON.stringify(logLines));
    assert.equal(line.msg, 'refused a connection');
    assert.equal(line.status, 503);
  });
});

describe('the global connection cap', () => {
  it('answers 503 service-full over MAX_CONNECTIONS, whatever the address', async () => {
    const service = await start({ MAX_CONNECTIONS: '2' });
    await open(service, '127.0.0.2');
    await open(service, '127.0.0.3');
    const refused = await refusal(service, '127.0.0.4');
    assert.equal(refused.status, 503);
    assert.equal(refused.errorCode, 'service-full');
    assert.equal(refused.headers['retry-after'], '10');
    await healthOk(service);
  });

  it('defaults to the open-file limit minus a reserve', async () => {
    const service = await start({}, 1000);
    assert.equal(service.maxConnections, 1000 - reserveFor(1000));
  });
});

describe('the per-address budget of new connections', () => {
  it('answers 429 rate-limited with the seconds left in the window', async () => {
    const service = await start({ NEW_CONNECTIONS_PER_IP: '3' });
    for (let i = 0; i < 3; i++) (await open(service)).destroy();
    const refused = await refusal(service);
    assert.equal(refused.status, 429);
    assert.equal(refused.errorCode, 'rate-limited');
    const seconds = Number(refused.headers['retry-after']);
    assert.ok(seconds >= 1 && seconds <= 10, `Retry-After ${seconds}`);
    await open(service, '127.0.0.2');
  });
});

describe('load shedding', () => {
  it('refuses new connections with 503 overloaded while existing ones keep working', async () => {
    const service = await start({});
    const [a, b] = [await open(service), await open(service)];
    await a.request('room:join', { room: 'r1' });
    await b.request('room:join', { room: 'r1' });
    service.load.force(true);
    const refused = await refusal(service);
    assert.equal(refused.status, 503);
    assert.equal(refused.errorCode, 'overloaded');
    await healthOk(service);
    const heard = new Promise((resolve) => (b.onEvent = (event, payload) => event === 'signal:relay' && resolve(payload)));
    assert.equal(
      ((await a.request('signal:relay', { to: b.id, signal: { kind: 'ring', call: 'call-0001' } })) as { ok: boolean }).ok,
      true,
    );
    await heard;
    service.load.force(undefined);
    await open(service);
  });
});

describe('the open-file limit', () => {
  it('is read from the process', () => {
    const limit = readOpenFileLimit();
    assert.ok(limit === undefined || limit > 0);
  });

  it('caps connections below it, and warns when it is low or MAX_CONNECTIONS does not fit', () => {
    const warnings: string[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({ write: (chunk: Buffer, _e, done) => (warnings.push((JSON.parse(chunk.toString()) as { msg: string }).msg), done()) }),
    );
    assert.deepEqual(connectionCaps(undefined, 100_000, logger), { maxConnections: 100_000 - 1024, maxTcp: 100_000 - 32 });
    assert.deepEqual(warnings, []);
    assert.deepEqual(connectionCaps(5000, 1024, logger), { maxConnections: 1024 - 102, maxTcp: 1024 - 32 });
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /open-file limit is low/);
    assert.match(warnings[1]!, /MAX_CONNECTIONS \(5000\) leaves too few/);
  });
});
