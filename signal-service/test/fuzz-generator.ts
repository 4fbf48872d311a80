/**
 * The fuzz test's random requests (fuzz.test.ts): a seeded random stream, room tickets, and a
 * generator of payloads, valid requests and mutations of valid requests for every client event,
 * including hostile keys (`__proto__`, `constructor`), huge and deep values, binary attachments and
 * unknown event names.
 */
import { SignJWT } from 'jose';
import { FORBIDDEN_NAME_CHARS, MAX_SDP_LENGTH, type Signal } from 'video-call-protocol';
import type { Rng } from './seeded-random.js';

/** The HS256 secret of the fuzzed service's room tickets. */
export const SECRET = 'fuzz-room-ticket-secret-0123456789abcdef';
/** The rooms the fuzzers join. */
export const FUZZ_ROOMS = ['fuzz-0', 'fuzz-1', 'fuzz-2', 'fuzz-3'];
/** The legitimate pair's room (capacity 2: full while they are in it). */
export const LEGIT_ROOM = 'legit-room';

/** The events a client may send (protocol.ts). */
export const CLIENT_EVENTS = ['room:join', 'room:leave', 'signal:relay', 'ice:servers'] as const;
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
/** A room ticket (HS256 JWT, RFC 7519) with `claims`, valid 10 minutes, signed with `secret`. */
export const mintTicket = (claims: Record<string, unknown>, secret = SECRET) =>
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
export class Generator {
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
