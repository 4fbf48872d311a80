/**
 * Room scoping under load, with real clients: 20 rooms of two members all relaying at once, among
 * spy sockets alone in other rooms (some with names one letter off the real ones, some named after
 * member ids) and spy sockets in no room. Every message must arrive exactly once, in order, at the
 * addressed member only, with the real sender in `from`; spies must receive nothing at all.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { RelayedSignal, Signal } from 'video-call-protocol';
import { SocketRateLimiter } from '../src/rate-limits.js';
import type { SignalService } from '../src/server.js';
import { TestContext, assertOk, join, nextEvent, record, request, settle, waitFor, type ClientSocket } from './helpers.js';

const ROOMS = 20;
const MESSAGES_PER_MEMBER = 30;

let ctx: TestContext;
let service: SignalService;

beforeEach(async () => {
  ctx = new TestContext();
  service = await ctx.server({
    // Each socket stays far below the relay budget; the spies' refusals must not end them.
    rateLimiter: new SocketRateLimiter({
      events: { points: 2000, duration: 10 },
      join: { points: 100, duration: 60 },
      leave: { points: 100, duration: 60 },
      relay: { points: 1000, duration: 10 },
      ice: { points: 100, duration: 60 },
      violations: { points: 100, duration: 60 },
    }),
  });
});
afterEach(() => ctx.close());

/** The i-th signal from `label`: a candidate whose text says who sent it and which one it is. */
const signalFrom = (label: string, i: number): Signal => ({
  kind: 'candidate',
  call: `call-of-${label.replace(/[^A-Za-z0-9_-]/g, '_')}`,
  candidate: { candidate: `candidate:${i} 1 udp 2122260223 192.0.2.1 ${10_000 + i} typ host ${label}`, sdpMid: '0', sdpMLineIndex: 0 },
});

describe(`${ROOMS} rooms relaying at once among spies`, () => {
  it('delivers every message exactly once, in order, to the right member with the right from; spies get nothing', async () => {
    const members: { socket: ClientSocket; room: string; label: string; peer?: ClientSocket; peerLabel?: string }[] = [];
    for (let r = 0; r < ROOMS; r++) {
      const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
      const room = `room-${r}`;
      await join(a, room, `A${r}`);
      const joined = nextEvent(a, 'room:peer-joined');
      await join(b, room, `B${r}`);
      await joined;
      members.push({ socket: a, room, label: `${room}/a`, peer: b, peerLabel: `${room}/b` });
      members.push({ socket: b, room, label: `${room}/b`, peer: a, peerLabel: `${room}/a` });
    }

    // Spies: alone in look-alike rooms (other case, a suffix), in rooms named after member ids
    // (socket.io keeps each socket in a room named after its id), in "room", and in no room.
    const spyRooms = [
      ...Array.from({ length: 5 }, (_, r) => `Room-${r}`),
      ...Array.from({ length: 5 }, (_, r) => `room-${r}-`),
      ...members.slice(0, 5).map((m) => m.socket.id!),
      'room',
    ];
    const spies: ClientSocket[] = [];
    for (const room of spyRooms) {
      const spy = await ctx.client(service.url);
      await join(spy, room, 'spy');
      spies.push(spy);
    }
    spies.push(...(await ctx.clients(service.url, 10)));
    const spyRecords = spies.map((spy) => [record(spy, 'signal:relay'), record(spy, 'room:peer-joined'), record(spy, 'room:peer-left')]);
    const received = new Map(members.map((m) => [m.socket, record(m.socket, 'signal:relay')]));

    // Everyone sends at once; half of the messages with an acknowledgement, half without.
    const acks: Promise<unknown>[] = [];
    for (let i = 0; i < MESSAGES_PER_MEMBER; i++) {
      for (const m of members) {
        const payload = { to: m.peer!.id!, signal: signalFrom(m.label, i) };
        if (i % 2 === 0) acks.push(request(m.socket, 'signal:relay', payload));
        else m.socket.emit('signal:relay', payload);
      }
    }
    for (const answer of await Promise.all(acks)) assertOk(answer as { ok: true });

    await waitFor('every message', () => members.every((m) => received.get(m.socket)!.received.length >= MESSAGES_PER_MEMBER), 10_000);
    // Anything extra would have arrived by now: one more round trip on each member's connection.
    await Promise.all(members.map((m) => settle(m.socket, 50)));
    await Promise.all(spies.map((spy) => settle(spy, 0)));

    for (const m of members) {
      const expected: RelayedSignal[] = Array.from({ length: MESSAGES_PER_MEMBER }, (_, i) => ({
        from: m.peer!.id!,
        signal: signalFrom(m.peerLabel!, i),
      }));
      assert.deepEqual(received.get(m.socket)!.received, expected, `what ${m.label} received`);
    }
    spyRecords.forEach((records, i) => {
      for (const recorder of records) assert.deepEqual(recorder.received, [], `spy ${i} received something`);
    });
    const total = members.length * MESSAGES_PER_MEMBER;
    console.log(`${total} relays among ${members.length} members and ${spies.length} spies: all delivered once, none leaked`);
  });
});
