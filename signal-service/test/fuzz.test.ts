/**
 * Fuzzing every client event of a real service (with room tickets required) from several real
 * socket.io clients: thousands of random, malformed, mutated, oversized-but-allowed and hostile
 * payloads (deep nesting, huge strings, `__proto__`/`constructor` keys, binary attachments, wrong
 * types, unknown event names), with and without acknowledgements; raw malformed socket.io packets
 * and over-limit messages on throwaway connections; one more fuzzer on DEFAULT rate limits against
 * a second service. Meanwhile a legitimate pair on each service keeps relaying numbered signals.
 *
 * Asserts: every acknowledged request is answered once with `{ ok: true, … }` or
 * `{ ok: false, error: { code, message } }` with a known code, never `internal-error`, and no
 * stack, path or file name in the message; the fuzzers stay connected (bad payloads do not cost
 * the connection); the service still answers /healthz and new joins; no room is left behind; the
 * legitimate pairs received all their signals in order and nothing else; `Object.prototype` is
 * untouched; heap growth after `global.gc()` stays bounded (run with `node --expose-gc`). The
 * default-limits fuzzer gets `rate-limited` and is disconnected without disturbing its service's pair.
 *
 * The random stream is seeded (FUZZ_SEED, printed) so a failure can be replayed.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Signal } from 'video-call-protocol';
import type { SignalService } from '../src/server.js';
import {
  TestContext,
  assertOk,
  disconnected,
  health,
  join,
  rawEmit,
  rawRequest,
  record,
  request,
  settle,
  testConfig,
  waitFor,
  type ClientSocket,
  generousRateLimiter,
} from './helpers.js';
import { Answers } from './fuzz-answers.js';
import { CLIENT_EVENTS, FUZZ_ROOMS, Generator, LEGIT_ROOM, SECRET, mintTicket } from './fuzz-generator.js';
import { mulberry32 } from './seeded-random.js';
import { throwaways } from './fuzz-throwaways.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const FUZZ_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 5000);
const FUZZERS = 6;
/** Requests one fuzzer keeps in flight. */
const WINDOW = 16;
const MAX_HEAP_GROWTH_BYTES = 30 * 1024 * 1024;

/** A legitimate pair relaying numbered candidates both ways every `intervalMs` until stopped. */
function legitTraffic(a: ClientSocket, b: ClientSocket, intervalMs: number) {
  const toB = record(b, 'signal:relay');
  const toA = record(a, 'signal:relay');
  const numbered = (i: number): Signal => ({
    kind: 'candidate',
    call: 'legit-call-1',
    candidate: { candidate: `candidate:${i} 1 udp 1 192.0.2.1 ${i} typ host`, sdpMid: '0' },
  });
  let sent = 0;
  const timer = setInterval(() => {
    a.emit('signal:relay', { to: b.id!, signal: numbered(sent) });
    b.emit('signal:relay', { to: a.id!, signal: numbered(sent) });
    sent++;
  }, intervalMs);
  return {
    /** Stops sending, waits for the last signals and checks both got exactly 0…n-1 in order from the other. */
    async stopAndCheck(): Promise<number> {
      clearInterval(timer);
      await waitFor('the last legit signals', () => toA.received.length >= sent && toB.received.length >= sent, 5000);
      await settle(a, 20);
      await settle(b, 20);
      const expected = (from: string) => Array.from({ length: sent }, (_, i) => ({ from, signal: numbered(i) }));
      assert.deepEqual(toB.received, expected(a.id!), 'what the legit b received');
      assert.deepEqual(toA.received, expected(b.id!), 'what the legit a received');
      return sent;
    },
  };
}

const heapUsed = () => process.memoryUsage().heapUsed;
async function collectGarbage(): Promise<boolean> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return true;
}
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('fuzzing every client event', () => {
  let ctx: TestContext;
  let service: SignalService;
  let strict: SignalService;

  beforeEach(async () => {
    ctx = new TestContext();

    service = await ctx.server(
      {
        rateLimiter: generousRateLimiter(1_000_000),
      },
      testConfig({ ROOM_TICKET_SECRET: SECRET }),
    );
    strict = await ctx.server({}, testConfig({ ROOM_TICKET_SECRET: SECRET })); // DEFAULT_RATE_LIMITS
  });
  afterEach(() => ctx.close());

  it(`answers ${FUZZ_REQUESTS} hostile requests correctly while a legit pair keeps talking`, { timeout: 60_000 }, async () => {
    const started = Date.now();
    const rng = mulberry32(SEED);
    const tickets = await Promise.all([
      ...FUZZ_ROOMS.map((room) => mintTicket({ room })),
      ...FUZZ_ROOMS.map((room) => mintTicket({ room, name: 'Fuzz' })),
      // Capacity claims: a room of 3 or 2 when the holder is first in (small, so rooms still fill
      // up and answer room-full); 7 and 2.5 are ticket-invalid.
      mintTicket({ room: 'fuzz-0', capacity: 3 }),
      mintTicket({ room: 'fuzz-1', capacity: 2 }),
      mintTicket({ room: 'fuzz-1', capacity: 7 }),
      mintTicket({ room: 'fuzz-2', capacity: 2.5 }),
      mintTicket({ room: LEGIT_ROOM }), // a valid ticket for a room that is full: room-full
      mintTicket({ room: 'fuzz-0' }, 'another-secret-that-is-long-enough-000'),
      mintTicket({ room: 'fuzz-0', exp: 1 }),
    ]);

    // The legit pairs, and a baseline of the heap with everything warmed up.
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await join(a, LEGIT_ROOM, { name: 'Ann', ticket: await mintTicket({ room: LEGIT_ROOM }) });
    await join(b, LEGIT_ROOM, { name: 'Bob', ticket: await mintTicket({ room: LEGIT_ROOM }) });
    const [sa, sb] = (await ctx.clients(strict.url, 2)) as [ClientSocket, ClientSocket];
    await join(sa, LEGIT_ROOM, { ticket: await mintTicket({ room: LEGIT_ROOM }) });
    await join(sb, LEGIT_ROOM, { ticket: await mintTicket({ room: LEGIT_ROOM }) });
    const legitIds = [a.id!, b.id!];
    const hasGc = await collectGarbage();
    const heapBefore = heapUsed();

    const legit = legitTraffic(a, b, 5);
    const legitStrict = legitTraffic(sa, sb, 50); // 20/s a side: well inside 300 per 10 s

    // Fuzzers: separate sockets (their own TestContext, closed before the heap is measured again).
    const fuzzCtx = new TestContext();
    const fuzzers = await fuzzCtx.clients(service.url, FUZZERS);
    const lost: string[] = [];
    fuzzers.forEach((socket, i) => socket.on('disconnect', (reason) => lost.push(`fuzzer ${i}: ${reason}`)));
    // Fuzzers start in pairs in the fuzz rooms, and address their roommate half of the time.
    for (const [i, socket] of fuzzers.entries()) {
      const room = FUZZ_ROOMS[Math.floor(i / 2) % FUZZ_ROOMS.length]!;
      await join(socket, room, { ticket: await mintTicket({ room }) });
    }
    const others = () => [...legitIds, ...fuzzers.map((socket) => socket.id ?? 'gone'), 'no-such-id', LEGIT_ROOM, ''];
    const generatorFor = (i: number) =>
      new Generator(rng, () => [...others(), ...Array<string>(others().length).fill(fuzzers[i ^ 1]!.id ?? 'gone')], tickets);
    const answers = new Answers();
    const strictAnswers = new Answers();
    const unansweredUnknown: string[] = [];
    let sent = 0;
    let acked = 0;

    const runFuzzer = async (socket: ClientSocket, generator: Generator, count: number) => {
      for (let done = 0; done < count;) {
        const batch: Promise<void>[] = [];
        for (; batch.length < WINDOW && done < count; done++) {
          const { event, args, ack } = generator.request();
          sent++;
          if (!(CLIENT_EVENTS as readonly string[]).includes(event)) {
            // Unknown events have no handler: an acknowledgement must never be answered.
            if (ack) (socket as unknown as { emit(...x: unknown[]): void }).emit(event, ...args, () => unansweredUnknown.push(event));
            else rawEmit(socket, event, ...args);
          } else if (ack) {
            acked++;
            batch.push(
              rawRequest(socket, event, args, 5000).then(
                (answer) => answers.check(event, answer),
                (error: Error) => void answers.problems.push(`${event} ${JSON.stringify(args)?.slice(0, 200)}: ${error.message}`),
              ),
            );
          } else {
            rawEmit(socket, event, ...args);
          }
        }
        await Promise.all(batch);
      }
    };

    // The fuzzer on default limits, against the second service.
    const strictFuzz = async () => {
      const socket = await fuzzCtx.client(strict.url);
      const strictGenerator = new Generator(mulberry32(SEED + 1), () => [sa.id!, sb.id!, 'x'], tickets);
      const gone = disconnected(socket, 30_000);
      const codes = new Map<string, number>();
      let requests = 0;
      while (socket.connected && requests < 2000) {
        const event = strictGenerator.pick(CLIENT_EVENTS);
        const args = strictGenerator.chance(0.5)
          ? strictGenerator.validRequest(event)
          : strictGenerator.mutate(strictGenerator.validRequest(event));
        requests++;
        const answer = await (socket.timeout(1000) as unknown as { emitWithAck(...x: unknown[]): Promise<unknown> })
          .emitWithAck(event, ...args)
          .catch(() => undefined);
        if (answer === undefined) continue; // the answer lost with the connection
        const code = (answer as { ok: boolean; error?: { code: string } }).error?.code ?? 'ok';
        codes.set(code, (codes.get(code) ?? 0) + 1);
        strictAnswers.check(event, answer);
      }
      assert.equal(await gone, 'io server disconnect', 'the service ended the abusive connection');
      assert.ok((codes.get('rate-limited') ?? 0) > 0, `rate-limited answers: ${JSON.stringify([...codes])}`);
      return { requests, codes };
    };

    const perFuzzer = Math.ceil(FUZZ_REQUESTS / FUZZERS);
    const [strictResult, rawOutcomes] = await Promise.all([
      strictFuzz(),
      throwaways(fuzzCtx, service.url, a.id!, answers),
      ...fuzzers.map((socket, i) => runFuzzer(socket, generatorFor(i), perFuzzer)),
    ]);
    const fuzzSeconds = (Date.now() - started) / 1000;

    assert.deepEqual(answers.problems, [], 'every acknowledged answer is well-formed, with a known code and no internals');
    assert.deepEqual(strictAnswers.problems, [], 'the same for the default-limits fuzzer');
    // The fuzz reached every layer: validation, tickets, room state, and successes.
    for (const code of [
      'ok',
      'invalid-payload',
      'not-in-room',
      'peer-not-found',
      'already-in-room',
      'room-full',
      'ticket-invalid',
      'ticket-wrong-room',
      'ticket-required',
      'ticket-expired',
    ]) {
      assert.ok((answers.counts.get(code) ?? 0) > 0, `no ${code} answer: ${JSON.stringify([...answers.counts])}`);
    }
    assert.deepEqual(lost, [], 'no fuzzer lost its connection over a payload under the size limit');
    assert.deepEqual(unansweredUnknown, [], 'unknown events are never answered');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is not polluted');
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);

    const legitSent = await legit.stopAndCheck();
    const strictLegitSent = await legitStrict.stopAndCheck();
    assert.ok(a.connected && b.connected && sa.connected && sb.connected, 'the legit pairs are still connected');

    // The services still work: health, and a new pair can join and talk.
    await fuzzCtx.close();
    await waitFor('only the legit rooms left', async () => (await health(service)).rooms === 1 && (await health(strict)).rooms === 1, 5000);
    const [c, d] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await join(c, 'after-fuzz', { ticket: await mintTicket({ room: 'after-fuzz' }) });
    await join(d, 'after-fuzz', { ticket: await mintTicket({ room: 'after-fuzz' }) });
    assertOk(await request(c, 'signal:relay', { to: d.id!, signal: { kind: 'hang-up', call: 'after-the-fuzz' } }));
    const [e] = (await ctx.clients(strict.url, 1)) as [ClientSocket];
    await join(e, 'after-fuzz', { ticket: await mintTicket({ room: 'after-fuzz' }) });
    for (const socket of [c, d, e]) socket.disconnect();
    await waitFor('the new rooms gone', async () => (await health(service)).rooms === 1 && (await health(strict)).rooms === 1);

    await collectGarbage();
    const heapAfter = heapUsed();
    const growth = heapAfter - heapBefore;
    console.log(
      `fuzz seed ${SEED}: ${sent} requests (${acked} acknowledged) from ${FUZZERS} fuzzers + throwaways in ${fuzzSeconds.toFixed(1)} s; ` +
        `answers ${JSON.stringify(Object.fromEntries(answers.counts))}; ` +
        `default-limits fuzzer: ${strictResult.requests} requests ${JSON.stringify(Object.fromEntries(strictResult.codes))}, then disconnected; ` +
        `legit relays delivered in order: ${legitSent * 2} + ${strictLegitSent * 2}; ` +
        `raw packets: ${JSON.stringify(rawOutcomes)}`,
    );
    if (!hasGc) {
      console.log('heap check skipped: run node with --expose-gc');
      return;
    }
    console.log(
      `heap: ${mb(heapBefore)} before, ${mb(heapAfter)} after the fuzz and gc: growth ${mb(growth)} (limit ${mb(MAX_HEAP_GROWTH_BYTES)})`,
    );
    assert.ok(growth < MAX_HEAP_GROWTH_BYTES, `heap grew by ${mb(growth)}`);
  });
});
