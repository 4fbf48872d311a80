/**
 * Drives the call machine end to end as the element will: `reduce()` for every event, `Timers`
 * on a shared {@link FakeClock} for the timer effects, and a relay that carries `send` effects
 * to the other side as `signal` events (in order, like the socket). Every effect is logged with
 * the time it was asked for.
 */
import type { Signal } from 'video-call-protocol';
import {
  callState, initialContext, type CallContext, type CallEffect, type CallEvent, type Notice, type Peer, type TimerName,
} from '../../src/call/call-context.js';
import { reduce } from '../../src/call/call-machine.js';
import type { CallState } from '../../src/call/call-state.js';
import { Timers } from '../../src/call/timers.js';
import { FakeClock } from './fake-clock.js';

/** One effect and when (fake ms) it was asked for. */
export interface Logged {
  at: number;
  effect: CallEffect;
}

/** One `<video-call>` element: its context, its timers, everything it was asked to do. */
export class Side {
  ctx: CallContext = initialContext();
  readonly log: Logged[] = [];
  readonly timers: Timers<TimerName>;

  constructor(
    public peer: Peer,
    readonly clock: FakeClock,
    private readonly relay: Relay | null = null,
  ) {
    this.timers = new Timers<TimerName>((timer) => this.dispatch({ type: 'timer', timer }), clock);
  }

  get state(): CallState {
    return callState(this.ctx);
  }

  /** Runs one event and carries out its effects (timers and sends; the rest is only logged). */
  dispatch(event: CallEvent): this {
    const { context, effects } = reduce(this.ctx, event);
    this.ctx = context;
    for (const effect of effects) {
      this.log.push({ at: this.clock.now, effect });
      if (effect.type === 'start-timer') this.timers.start(effect.timer, effect.ms);
      else if (effect.type === 'cancel-timer') this.timers.cancel(effect.timer);
      else if (effect.type === 'send') this.relay?.post(this.peer.id, effect.to, effect.signal);
    }
    this.relay?.deliver();
    return this;
  }

  /** Dispatches each event in turn. */
  run(...events: CallEvent[]): this {
    for (const event of events) this.dispatch(event);
    return this;
  }

  /** Times (ms) at which effects of `type` were asked for. */
  times(type: CallEffect['type']): number[] {
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
}

/** The signal service's relay between two sides: ordered, room-scoped, sender stamped. */
export class Relay {
  readonly sides: Side[] = [];
  readonly #queue: { from: string; to: string; signal: Signal }[] = [];
  #delivering = false;
  /** While held, posted signals wait (to let both sides act "at once", as in glare). */
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
        const target = this.sides.find((s) => s.peer.id === m!.to);
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
}

export const ALICE: Peer = { id: 'alice-1', name: 'Alice', peerId: 'alice-peer-id-00000001' };
export const BOB: Peer = { id: 'bob-1', name: 'Bob', peerId: 'bob-peer-id-0000000001' };

/**
 * Alice (impolite, joined first) and Bob (polite) in room `room-1`, both ready, on one clock.
 * `settings` configures each side before it starts.
 */
export function pair(settings: { alice?: Partial<CallContext>; bob?: Partial<CallContext> } = {}) {
  const clock = new FakeClock();
  const relay = new Relay();
  const alice = new Side({ ...ALICE }, clock, relay);
  const bob = new Side({ ...BOB }, clock, relay);
  relay.sides.push(alice, bob);
  alice.ctx = initialContext(settings.alice);
  bob.ctx = initialContext(settings.bob);
  alice.run({ type: 'start', room: 'room-1' }, { type: 'media-ready' }, { type: 'joined', polite: false, peers: [] });
  bob.run({ type: 'start', room: 'room-1' }, { type: 'media-ready' }, { type: 'joined', polite: true, peers: [{ ...alice.peer }] });
  alice.dispatch({ type: 'peer-joined', peer: { ...bob.peer } });
  return { clock, relay, alice, bob };
}

/** Both peer connections report `state`. */
export function bothPc(a: Side, b: Side, state: RTCPeerConnectionState): void {
  a.dispatch({ type: 'pc-state', state });
  b.dispatch({ type: 'pc-state', state });
}
