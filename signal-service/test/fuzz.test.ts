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
import { SignJWT } from 'jose';
import { ERROR_CODES, FORBIDDEN_NAME_CHARS, MAX_SDP_LENGTH, type ErrorCode, type Signal } from 'video-call-protocol';
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

const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const FUZZ_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 5000);
const FUZZERS = 6;
/** Requests one fuzzer keeps in flight. */
const WINDOW = 16;
const SECRET = 'fuzz-room-ticket-secret-0123456789abcdef';
const FUZZ_ROOMS = ['fuzz-0', 'fuzz-1', 'fuzz-2', 'fuzz-3'];
const LEGIT_ROOM = 'legit-room';
const MAX_HEAP_GROWTH_BYTES = 30 * 1024 * 1024;

/** Every code protocol.ts declares; a fuzzer must only ever see these (and never internal-error). */
const KNOWN_CODES: readonly ErrorCode[] = ERROR_CODES;
const CLIENT_EVENTS = ['room:join', 'room:leave', 'signal:relay', 'ice:servers'] as const;
const EVENT_WEIGHTS = [
  ...Array<'room:join'>(4).fill('room:join'),
  'room:leave',
  ...Array<'signal:relay'>(11).fill('signal:relay'),
  ...Array<'ice:servers'>(4).fill('ice:servers'),
] as const;
const UNKNOWN_EVENTS = [
  'room:joinx',
  'ROOM:JOIN',
  'signal:relay ',
  'admin:kick',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  'x'.repeat(300),
  'signal:relay\u0000',
  'ice:servers/..',
];
const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'from',
  'id',
  'polite',
  '$where',
  '__defineGetter__',
];
/** What a message must never contain: stack frames, file names and paths of the service. */
const LEAK = /\n\s*at |node_modules|file:\/\/|\/work\/|\/src\/|\.ts:\d|\.js:\d|Error:/;

type Rng = () => number;

/** mulberry32: a small seeded PRNG (uniform in [0, 1)). */
function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const mintTicket = (claims: Record<string, unknown>, secret = SECRET) =>
  new SignJWT({ exp: Math.floor(Date.now() / 1000) + 600, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));

/** The `room` claim of a ticket made here (read without verifying). */
const ticketRoom = (ticket: string): unknown =>
  (JSON.parse(Buffer.from(ticket.split('.')[1]!, 'base64url').toString()) as { room?: unknown }).room;

/** An own, enumerable property even for `__proto__` (so JSON carries it as a key). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Random payloads, valid requests and mutations of valid requests. */
class Generator {
  constructor(
    readonly rng: Rng,
    /** Ids to address relays to: fuzzers, the legit pair, made-up ones. */
    readonly ids: () => string[],
    readonly tickets: string[],
  ) {}

  int(n: number): number {
    return Math.floor(this.rng() * n);
  }
  chance(p: number): boolean {
    return this.rng() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  string(max = 40): string {
    const alphabets = [
      () => String.fromCharCode(97 + this.int(26)),
      () => String.fromCharCode(this.int(0x10000)), // any UTF-16 unit, lone surrogates included
      () => String.fromCharCode(this.int(0x20)), // control characters
      () => this.pick(['\u202e', '\u2066', '\u0000', '\ufeff', '\u0085', '"', '\\', '/', '..', '%00', '<script>', '${x}', '\n']),
      () => this.pick(['A', 'z', '0', '_', '-', '.']),
    ];
    const alphabet = this.pick(alphabets);
    let text = '';
    const length = this.int(max);
    for (let i = 0; i < length; i++) text += alphabet();
    return text;
  }

  /** Long strings (up to some 30 KB once JSON-encoded), well past every field limit. */
  hugeString(): string {
    const char = this.pick(['a', 'é', '\u0000', '€', 'x', '\ud83d\ude00']);
    const jsonBytes = Buffer.byteLength(JSON.stringify(char)) - 2;
    return char.repeat(Math.floor((1000 + this.int(this.pick([4000, 12_000, 29_000]))) / jsonBytes));
  }

  number(): number {
    return this.pick([0, -0, -1, 1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity, 1023, 1024, this.rng() * 1e6]);
  }

  value(depth = 0): unknown {
    const kinds = depth > 3 ? 5 : 9;
    switch (this.int(kinds)) {
      case 0:
        return this.pick([null, true, false, undefined]);
      case 1:
        return this.number();
      case 2:
      case 3:
        return this.string();
      case 4:
        return this.chance(0.1) ? this.hugeString() : this.string(200);
      case 5: {
        const items: unknown[] = [];
        for (let i = this.int(5); i > 0; i--) items.push(this.value(depth + 1));
        return items;
      }
      case 6:
      case 7:
        return this.object(depth + 1);
      default:
        return this.chance(0.5) ? this.deep(50 + this.int(900)) : Buffer.from(this.string(20));
    }
  }

  object(depth = 0): Record<string, unknown> {
    const target: Record<string, unknown> = {};
    for (let i = this.int(5); i > 0; i--) {
      const key = this.chance(0.4)
        ? this.pick([...HOSTILE_KEYS, 'room', 'name', 'to', 'signal', 'kind', 'call', 'ticket', 'rejoin'])
        : this.string(12);
      setOwn(target, key, this.chance(0.3) ? { polluted: 'yes' } : this.value(depth + 1));
    }
    return target;
  }

  /** Arrays and objects nested `levels` deep. */
  deep(levels: number): unknown {
    let inner: unknown = this.chance(0.5) ? 'bottom' : { room: 'fuzz-0' };
    for (let i = 0; i < levels; i++) inner = this.chance(0.5) ? [inner] : { signal: inner };
    return inner;
  }

  /** A call id: mostly one of a few, sometimes fresh. */
  callId(): string {
    return `fuzz-call-${this.chance(0.8) ? this.int(4) : this.int(1e9)}`;
  }

  validSignal(): Signal {
    const call = this.callId();
    switch (this.int(8)) {
      case 0:
        return {
          kind: 'description',
          call,
          description: { type: this.pick(['offer', 'answer', 'pranswer'] as const), sdp: 'v=0\r\n'.repeat(this.int(50)) },
        };
      case 1:
        return {
          kind: 'candidate',
          call,
          candidate: { candidate: 'candidate:1 1 udp 1 192.0.2.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 },
        };
      case 2:
        return { kind: 'candidate', call, candidate: null };
      case 3:
        return { kind: 'ring', call };
      case 4:
        return { kind: 'accept', call };
      case 5:
        return { kind: 'decline', call };
      case 6:
        return { kind: 'hang-up', call, reason: 'no-answer' };
      default:
        return { kind: 'hang-up', call };
    }
  }

  validRequest(event: (typeof CLIENT_EVENTS)[number]): unknown[] {
    switch (event) {
      case 'room:join': {
        // Sometimes the legit pair's room: full (capacity 2), so room-full whatever rooms of
        // several the fuzz rooms have become (tickets' capacity claims).
        const room = this.chance(0.2) ? LEGIT_ROOM : this.pick(FUZZ_ROOMS);
        const request: Record<string, unknown> = { room };
        // Mostly a ticket for that room; else any (another room, forged, expired) or none.
        const own = this.tickets.filter((ticket) => ticketRoom(ticket) === room);
        if (this.chance(0.9)) request.ticket = this.chance(0.7) && own.length ? this.pick(own) : this.pick(this.tickets);
        if (this.chance(0.5)) request.name = this.string(20).replace(new RegExp(FORBIDDEN_NAME_CHARS.source, 'g'), '');
        // A forged rejoin token: always rejoin-invalid.
        if (this.chance(0.3)) request.rejoin = 'fuzz-rejoin-token-' + this.string(30).replace(/[^A-Za-z0-9_-]/g, 'x');
        return [request];
      }
      case 'signal:relay':
        return [{ to: this.pick(this.ids()), signal: this.validSignal() }];
      default:
        return [];
    }
  }

  /** A valid request with one thing wrong: a field replaced, removed, added, or too long. */
  mutate(args: unknown[]): unknown[] {
    const payload = structuredClone(args[0] ?? {}) as Record<string, unknown>;
    const containers: Record<string, unknown>[] = [payload];
    for (let i = 0; i < containers.length; i++) {
      for (const value of Object.values(containers[i]!)) {
        if (value && typeof value === 'object' && !Array.isArray(value)) containers.push(value as Record<string, unknown>);
      }
    }
    const target = this.pick(containers);
    const keys = Object.keys(target);
    switch (this.int(6)) {
      case 0:
        if (keys.length) target[this.pick(keys)] = this.value();
        break;
      case 1:
        if (keys.length) delete target[this.pick(keys)];
        break;
      case 2:
        setOwn(target, this.pick(HOSTILE_KEYS), this.chance(0.5) ? { polluted: 'yes' } : this.value());
        break;
      case 3:
        if (keys.length) target[this.pick(keys)] = this.hugeString();
        break;
      case 4: {
        const [field, text] = this.pick([
          ['sdp', 'a'.repeat(MAX_SDP_LENGTH + 1 + this.int(5000))],
          ['ticket', `${this.pick(this.tickets)}${'A'.repeat(4097)}`],
          ['ticket', this.pick(this.tickets).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))], // a flipped signature bit
          ['ticket', this.pick(this.tickets).split('.').slice(0, 2).join('.') + '.'], // signature dropped
          ['name', 'n'.repeat(65 + this.int(500))],
          ['room', 'r'.repeat(65)],
          ['rejoin', 't'.repeat(this.pick([15, 129]))],
          ['call', this.pick(['c'.repeat(7), 'c'.repeat(65), 'call id with spaces', 'call.with.dots'])],
        ] as const);
        target[field] = text;
        break;
      }
      default:
        return this.chance(0.5) ? [JSON.stringify(payload)] : [[payload]];
    }
    return [payload, ...args.slice(1)];
  }

  /**
   * One request: which event, which arguments, and whether it carries an acknowledgement. Stays
   * under the 64 KiB message limit (what is over it closes the connection: see the throwaways).
   */
  request(): { event: string; args: unknown[]; ack: boolean } {
    for (;;) {
      const candidate = this.#request();
      if (Buffer.byteLength(JSON.stringify(candidate.args)) < 60_000) return candidate;
    }
  }

  #request(): { event: string; args: unknown[]; ack: boolean } {
    const roll = this.rng();
    if (roll < 0.05) return { event: this.pick(UNKNOWN_EVENTS), args: [this.value()], ack: false };
    // Mostly relays (the hot path), rarely leaves (so fuzzers spend most of their time in a room).
    const event = this.pick(EVENT_WEIGHTS);
    let args: unknown[];
    if (roll < 0.25) args = this.validRequest(event);
    else if (roll < 0.7) args = this.mutate(this.validRequest(event));
    else args = Array.from({ length: this.int(4) }, () => this.value());
    // room:join is only answered with an acknowledgement; without one it is ignored.
    return { event, args, ack: this.chance(0.85) };
  }
}

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

/** Answer statistics, and the check every acknowledged answer must pass. */
class Answers {
  readonly counts = new Map<string, number>();
  readonly problems: string[] = [];

  check(event: string, answer: unknown): void {
    const fail = (why: string) =>
      this.problems.length < 20 && this.problems.push(`${event}: ${why}: ${JSON.stringify(answer)?.slice(0, 300)}`);
    if (answer === null || typeof answer !== 'object') return void fail('not an object');
    const { ok, error } = answer as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
    if (ok === true) return void this.#count('ok');
    if (ok !== false || !error || typeof error !== 'object') return void fail('neither ok nor an error');
    if (!KNOWN_CODES.includes(error.code as ErrorCode)) return void fail('unknown code');
    if (error.code === 'internal-error') fail('internal-error');
    if (typeof error.message !== 'string' || error.message.length === 0) fail('no message');
    else if (LEAK.test(error.message)) fail('message leaks internals');
    this.#count(error.code as string);
  }

  #count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
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

    // Throwaway connections: messages over 64 KiB and raw malformed socket.io packets.
    const throwaways = async () => {
      const oversized: unknown[][] = [
        ['signal:relay', { to: a.id, signal: { kind: 'description', description: { type: 'offer', sdp: 'a'.repeat(70 * 1024) } } }],
        ['room:join', { room: 'fuzz-0', name: 'n'.repeat(100 * 1024) }],
        ['room:join', { room: LEGIT_ROOM, ticket: 't'.repeat(1024 * 1024) }],
      ];
      for (const [event, payload] of oversized) {
        const socket = await fuzzCtx.client(service.url);
        const gone = disconnected(socket, 3000);
        rawEmit(socket, event as string, payload);
        assert.equal(await gone, 'transport close', `${String(event)} over 64 KiB`);
      }
      // socket.io packets as the engine carries them (type digit, optional ack id, JSON), and raw
      // engine.io frames; the ones with ack ids 999001… are answered through the raw packet stream.
      const rawPackets: [kind: 'socket.io' | 'engine.io', text: string][] = [
        ['socket.io', '2['],
        ['socket.io', '{'],
        ['socket.io', '2["disconnect"]'],
        ['socket.io', '2["connect"]'],
        ['socket.io', '2["newListener","room:join"]'],
        ['socket.io', '2[1,2]'],
        ['socket.io', '2{}'],
        ['socket.io', '2"room:join"'],
        ['socket.io', '51-["room:join",{"_placeholder":true,"num":0}]'],
        ['socket.io', '52-["room:join",{"_placeholder":true,"num":7}]'],
        ['socket.io', '0/admin,{}'],
        ['socket.io', '3999["forged ack"]'],
        ['socket.io', '9'],
        ['socket.io', `2999001["room:join",${'['.repeat(20_000)}${']'.repeat(20_000)}]`],
        ['socket.io', `2999002["signal:relay",${'{"signal":'.repeat(5000)}null${'}'.repeat(5000)}]`],
        ['socket.io', `2999003["room:join",${JSON.stringify(JSON.parse('{"room":"fuzz-0","__proto__":{"polluted":"yes"}}'))}]`],
        [
          'socket.io',
          `2999004["room:join",${JSON.stringify(JSON.parse('{"room":"fuzz-0","constructor":{"prototype":{"polluted":"yes"}}}'))}]`,
        ],
        ['engine.io', '9'],
        ['engine.io', ''],
        ['engine.io', '4'],
        ['engine.io', '6'],
        ['engine.io', 'x'.repeat(1000)],
      ];
      const outcomes: Record<string, string> = {};
      for (const [kind, packet] of rawPackets) {
        const socket = await fuzzCtx.client(service.url);
        const rawAnswers: string[] = [];
        socket.io.engine.on('packet', (p: { type: string; data?: unknown }) => {
          if (p.type === 'message' && typeof p.data === 'string' && p.data.startsWith('3999')) rawAnswers.push(p.data);
        });
        const gone = disconnected(socket, 5000).then((reason) => `closed (${reason})`);
        if (kind === 'socket.io') socket.io.engine.write(packet);
        else (socket.io.engine.transport as unknown as { ws: { send(data: string): void } }).ws.send(packet);
        // Either the service closes the connection (a packet it cannot parse), or it goes on
        // serving it: one more request on the same connection is answered.
        // (socket.timeout() fails the request at once when the connection closes.)
        const served = socket
          .timeout(5000)
          .emitWithAck('ice:servers')
          .then(
            () => 'served',
            () => gone,
          );
        const outcome = await Promise.race([gone, served]);
        outcomes[`${kind} ${packet.slice(0, 24)}`] = outcome;
        if (packet.startsWith('2999')) {
          assert.equal(outcome, 'served', `connection after ${packet.slice(0, 30)}`);
          assert.equal(rawAnswers.length, 1, `one answer to ${packet.slice(0, 30)}`);
          const answer = (JSON.parse(rawAnswers[0]!.replace(/^3\d+/, '')) as unknown[])[0];
          answers.check(`raw ${packet.slice(0, 20)}`, answer);
          assert.equal((answer as { error?: { code?: string } }).error?.code, 'invalid-payload', packet.slice(0, 30));
        }
        socket.disconnect();
      }
      return outcomes;
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
      throwaways(),
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
