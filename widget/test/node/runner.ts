/**
 * Drives room machines end to end as the elements will: `reduce()` for every event, per-leg
 * timers on a shared {@link FakeClock}, and a relay that carries `send` effects to the addressed
 * side as `signal` events (in order, like the socket, sender stamped). Every effect is logged
 * with the time it was asked for. Two sides make a one-to-one call; more make a mesh.
 */
import type { Signal } from 'video-call-protocol';
import type { CallState } from '../../src/call/call-state.js';
import {
  initialContext,
  type Member,
  type Notice,
  type RoomContext,
  type RoomEffect,
  type RoomEvent,
  type TimerName,
} from '../../src/call/room-context.js';
import { reduce } from '../../src/call/room-machine.js';
import { callState } from '../../src/call/room-state.js';
import { LegTimers } from '../../src/call/timers.js';
import { FakeClock } from './fake-clock.js';

/** One effect and when (fake ms) it was asked for. */
export interface Logged {
  at: number;
  effect: RoomEffect;
}

/** One `<video-call>` element: its context, its timers, everything it was asked to do. */
export class Side {
  ctx: RoomContext = initialContext();
  readonly log: Logged[] = [];
  readonly timers: LegTimers<TimerName>;

  constructor(
    public member: Member,
    readonly clock: FakeClock,
    private readonly relay: Relay | null = null,
  ) {
    this.timers = new LegTimers<TimerName>((timer, peerId) => this.dispatch({ type: 'timer', timer, peerId }), clock);
  }

  get state(): CallState {
    return callState(this.ctx);
  }

  /** Runs one event and carries out its effects (timers and sends; the rest is only logged). */
  dispatch(event: RoomEvent): this {
    const { context, effects } = reduce(this.ctx, event);
    this.ctx = context;
    for (const effect of effects) {
      this.log.push({ at: this.clock.now, effect });
      if (effect.type === 'start-timer') this.timers.start(effect.timer, effect.peerId, effect.ms);
      else if (effect.type === 'cancel-timer') this.timers.cancel(effect.timer, effect.peerId);
      else if (effect.type === 'send') this.relay?.post(this.member.id, effect.to, effect.signal);
    }
    this.relay?.deliver();
    return this;
  }

  /** Dispatches each event in turn. */
  run(...events: RoomEvent[]): this {
    for (const event of events) this.dispatch(event);
    return this;
  }

  /** Our leg to `other` reports `connectionState` `state`. */
  legState(other: Side, state: RTCPeerConnectionState): this {
    return this.dispatch({ type: 'leg-state', peerId: other.member.peerId, state });
  }

  /** Times (ms) at which effects of `type` were asked for. */
  times(type: RoomEffect['type']): number[] {
    return this.log.filter((l) => l.effect.type === type).map((l) => l.at);
  }

  /** The notices, in order. */
  notices(): Notice[] {
    return this.log.flatMap((l) => (l.effect.type === 'notify' ? [l.effect.notice] : []));
  }

  /** The reasons of every `call-ended` notice. */
  endings(): string[] {
    return this.notices().flatMap((n) => (n.type === 'call-ended' ? [n.reason] : []));
  }

  /** The peerIds of the members we have a leg to, sorted. */
  legs(): string[] {
    return Object.keys(this.ctx.legs).sort();
  }

  /** The legs both ends accepted, by member name, sorted. */
  participants(): string[] {
    return Object.entries(this.ctx.legs)
      .filter(([, leg]) => leg.accepted)
      .map(([peerId]) => this.ctx.members[peerId]?.name ?? peerId)
      .sort();
  }
}

/** The signal service's relay between the sides: ordered, room-scoped, sender stamped. */
export class Relay {
  readonly sides: Side[] = [];
  readonly #queue: { from: string; to: string; signal: Signal }[] = [];
  #delivering = false;
  /** While held, posted signals wait (to let sides act "at once", as in glare). */
  held = false;

  post(from: string, to: string, signal: Signal): void {
    this.#queue.push({ from, to, signal });
  }

  /** Delivers queued signals in order until none is left (unless held). */
  deliver(): void {
    if (this.#delivering || this.held) return;
    this.#delivering = true;
    try {
      for (let m = this.#queue.shift(); m; m = this.#queue.shift()) {
        const target = this.sides.find((s) => s.member.id === m.to);
        target?.dispatch({ type: 'signal', from: m.from, signal: m.signal });
      }
    } finally {
      this.#delivering = false;
    }
  }

  /** Lets held signals go. */
  release(): void {
    this.held = false;
    this.deliver();
  }

  /** Signals still queued (while held). */
  get queued(): number {
    return this.#queue.length;
  }
}

/** People of the tests, in `peerId` order: each is polite toward those before it. */
export const ALICE: Member = { id: 'alice-1', name: 'Alice', peerId: 'alice-peer-id-00000001' };
export const BOB: Member = { id: 'bob-1', name: 'Bob', peerId: 'bob-peer-id-0000000001' };
export const CAROL: Member = { id: 'carol-1', name: 'Carol', peerId: 'carol-peer-id-000000001' };
export const DAN: Member = { id: 'dan-1', name: 'Dan', peerId: 'dan-peer-id-00000000001' };
export const ERIN: Member = { id: 'erin-1', name: 'Erin', peerId: 'erin-peer-id-0000000001' };

/**
 * `people` join room `room-1` in order (each sees those before it in its join answer, and they
 * hear of it), all on one clock and one relay; `settings` configure each before it starts.
 */
export function room(people: Member[], settings: Partial<RoomContext>[] = [], capacity = people.length) {
  const r = { clock: new FakeClock(), relay: new Relay(), sides: [] as Side[], capacity };
  people.forEach((person, i) => enter(r, person, settings[i]));
  return r;
}

/** `person` joins the room of `r` (from {@link room}): its answer lists everyone, they hear of it. */
export function enter(
  r: { clock: FakeClock; relay: Relay; sides: Side[]; capacity: number },
  person: Member,
  settings: Partial<RoomContext> = {},
): Side {
  const side = new Side({ ...person }, r.clock, r.relay);
  side.ctx = initialContext(settings);
  side.run(
    { type: 'start', room: 'room-1' },
    { type: 'media-ready' },
    { type: 'joined', self: person.peerId, members: r.sides.map((s) => ({ ...s.member })), capacity: r.capacity },
  );
  r.sides.push(side);
  r.relay.sides.push(side);
  for (const earlier of r.sides) if (earlier !== side) earlier.dispatch({ type: 'member-joined', member: { ...side.member } });
  return side;
}

/**
 * Alice (impolite toward Bob, joined first) and Bob (polite) in room `room-1`, both ready, on one
 * clock. `settings` configures each side before it starts.
 */
export function pair(settings: { alice?: Partial<RoomContext>; bob?: Partial<RoomContext> } = {}) {
  const { clock, relay, sides } = room([ALICE, BOB], [settings.alice ?? {}, settings.bob ?? {}], 2);
  return { clock, relay, alice: sides[0]!, bob: sides[1]! };
}

/** Both legs between `a` and `b` report `state`. */
export function bothPc(a: Side, b: Side, state: RTCPeerConnectionState): void {
  a.legState(b, state);
  b.legState(a, state);
}

/** Every leg of every side in `sides` reports `state` (a mesh that connects). */
export function meshPc(sides: Side[], state: RTCPeerConnectionState): void {
  for (const side of sides)
    for (const peerId of side.legs()) {
      const other = sides.find((s) => s.member.peerId === peerId);
      if (other) side.legState(other, state);
    }
}
