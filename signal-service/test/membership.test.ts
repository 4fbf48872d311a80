/**
 * Membership and presence when requests overlap, against a store that answers slowly (like a
 * remote one): a leave and a join sent back to back, a disconnection while a join is still being
 * processed, another member leaving meanwhile, and a random mix of all of them.
 *
 * The invariants: the service's own state (the room store) and what each member was told
 * (`peers`, `room:peer-joined`, `room:peer-left`) never drift apart; a member is told that someone
 * left only about someone it was told about; a socket the store holds is a member for every
 * request (`ice:servers`, `signal:relay`, `room:leave`).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Ack, JoinResult, PeerInfo, PeerLeft } from 'video-call-protocol';
import type { SignalService } from '../src/server.js';
import {
  ANSWER_TIMEOUT_MS,
  TestContext,
  assertOk,
  disconnected,
  health,
  join,
  request,
  settle,
  waitFor,
  type ClientSocket,
  generousRateLimiter,
} from './helpers.js';
import { SlowRoomStore } from './slow-room-store.js';
import { mulberry32 } from './seeded-random.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let ctx: TestContext;
let store: SlowRoomStore;
let service: SignalService;

beforeEach(async () => {
  ctx = new TestContext();
  store = new SlowRoomStore();
  service = await ctx.server({
    rooms: store,
    rateLimiter: generousRateLimiter(1_000_000),
  });
});

afterEach(() => ctx.close());

/** Presence events of `socket` in arrival order, as `joined <id>` / `left <id> <reason>`. */
function presence(socket: ClientSocket): string[] {
  const seen: string[] = [];
  socket.on('room:peer-joined', (peer) => seen.push(`joined ${peer.id}`));
  socket.on('room:peer-left', (peer) => seen.push(`left ${peer.id} ${peer.reason}`));
  return seen;
}

/** Sends a join whose answer nobody waits for (the service ignores joins without one). */
function joinInBackground(socket: ClientSocket, room: string, extra: { rejoin?: string } = {}): Promise<Ack<JoinResult>> {
  return new Promise((resolve) => socket.emit('room:join', { room, ...extra }, resolve));
}

/** Ids of the other members of `room` according to the store itself. */
async function othersInStore(room: string, self: string): Promise<string[]> {
  return (await store.inner.members(room)).map((m) => m.id).filter((id) => id !== self);
}

describe('overlapping room requests of one socket', () => {
  it('a room:leave followed at once by a room:join leaves the socket a member, in step with the store', async () => {
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await join(a, 'r1', 'Ann');
    await join(b, 'r1', 'Bob');
    const bSees = presence(b);
    store.delays.leave = 60; // the store removes at once but answers late
    const leave = request(a, 'room:leave');
    const rejoin = request(a, 'room:join', { room: 'r1', name: 'Ann' });
    assertOk(await leave);
    assertOk(await rejoin);
    store.delays.leave = 0;
    await sleep(100);
    await settle(b);
    assert.deepEqual(bSees, [`left ${a.id} left`, `joined ${a.id}`], 'the other member saw the leave, then the join');
    assert.equal(await store.inner.roomOf(a.id!), 'r1');
    assertOk(await request(a, 'ice:servers'));
    // Still a full member: presence reaches it, its leave works and frees the place.
    const aSees = presence(a);
    assertOk(await request(b, 'room:leave'));
    assertOk(await request(a, 'room:leave'));
    assert.deepEqual(aSees, [`left ${b.id} left`]);
    assert.deepEqual(await health(service), { status: 'ok', rooms: 0 });
  });

  it('a disconnection while the join is in the store tells the others nothing (the half-done join is undone)', async () => {
    const a = await ctx.client(service.url);
    await join(a, 'r1', 'Ann');
    const aSees = presence(a);
    store.delays.join = 150;
    const b = await ctx.client(service.url);
    const bId = b.id!;
    void joinInBackground(b, 'r1');
    await waitFor('the store to hold b', async () => (await store.inner.roomOf(bId)) === 'r1');
    b.disconnect(); // before the service announced b to a
    await sleep(250);
    store.delays.join = 0;
    await settle(a);
    assert.deepEqual(aSees, [], 'no room:peer-left about a member a was never told about');
    assert.deepEqual(await othersInStore('r1', a.id!), []);
    const c = await ctx.client(service.url);
    assert.deepEqual(
      (await join(c, 'r1')).peers.map((p) => p.id),
      [a.id],
    );
    assert.deepEqual(aSees, [`joined ${c.id}`]);
  });

  it('a rejoin that replaced a member and then disconnects before it was announced: the others learn the replaced member left', async () => {
    const [ann, oldBob, newBob] = (await ctx.clients(service.url, 3)) as [ClientSocket, ClientSocket, ClientSocket];
    await join(ann, 'r1');
    const bob = await join(oldBob, 'r1');
    const oldBobId = oldBob.id!;
    const newBobId = newBob.id!;
    const annSees = presence(ann);
    const oldGone = disconnected(oldBob);
    store.delays.join = 150;
    void joinInBackground(newBob, 'r1', { rejoin: bob.rejoinToken });
    await waitFor('the store to hold the new connection', async () => (await store.inner.roomOf(newBobId)) === 'r1');
    newBob.disconnect();
    await oldGone;
    await sleep(50);
    store.delays.join = 0;
    await settle(ann);
    assert.deepEqual(annSees, [`left ${oldBobId} disconnected`]);
    assert.deepEqual(await othersInStore('r1', ann.id!), []);
  });
});

describe('overlapping room requests of two sockets', () => {
  it("a member leaving while a joiner's join is in the store: the joiner, told of it in peers, is told it left", async () => {
    const [a, b] = (await ctx.clients(service.url, 2)) as [ClientSocket, ClientSocket];
    await join(b, 'r1', 'Bob');
    const aSees = presence(a);
    store.delays.join = 150;
    const answer = joinInBackground(a, 'r1');
    await waitFor('the store to hold a', async () => (await store.inner.roomOf(a.id!)) === 'r1');
    assertOk(await request(b, 'room:leave'));
    const joined = await answer;
    assertOk(joined);
    store.delays.join = 0;
    await settle(a);
    const view = new Set(joined.peers.map((p) => p.id));
    for (const event of aSees) {
      const [what, id] = event.split(' ') as [string, string];
      if (what === 'joined') view.add(id);
      else view.delete(id);
    }
    assert.deepEqual([...view], await othersInStore('r1', a.id!), `peers ${JSON.stringify(joined.peers)}, then ${JSON.stringify(aSees)}`);
  });
});

/**
 * One client and what it believes about its room, updated in the order answers and events
 * arrive on its connection (callbacks, not promise continuations, so nothing is reordered).
 * Records every contradiction in `problems`.
 */
class Tracker {
  /** The other members as this client was told; `undefined` outside a room. */
  view: Map<string, PeerInfo> | undefined;
  room: string | undefined;
  readonly id: string;

  constructor(
    readonly socket: ClientSocket,
    readonly problems: string[],
  ) {
    this.id = socket.id!;
    socket.on('room:peer-joined', (peer) => this.#joined(peer));
    socket.on('room:peer-left', (peer) => this.#left(peer));
  }

  #problem(what: string) {
    this.problems.push(`${this.id}: ${what}`);
  }

  #joined(peer: PeerInfo) {
    if (!this.view) return this.#problem(`room:peer-joined ${peer.id} outside a room`);
    if (peer.id === this.id) return this.#problem('room:peer-joined about itself');
    if (this.view.has(peer.id)) this.#problem(`room:peer-joined ${peer.id} twice`);
    this.view.set(peer.id, peer);
    if (this.view.size > 1) this.#problem(`told of ${this.view.size} peers`);
  }

  #left(peer: PeerLeft) {
    if (!this.view?.has(peer.id)) return this.#problem(`room:peer-left about ${peer.id}, never announced`);
    this.view.delete(peer.id);
  }

  join(room: string): Promise<void> {
    return new Promise((resolve) => {
      this.socket.timeout(ANSWER_TIMEOUT_MS).emit('room:join', { room }, (error: Error | null, answer: Ack<JoinResult>) => {
        if (error) this.#problem(`no answer to room:join ${room}`);
        else if (answer.ok) {
          if (this.view) this.#problem(`joined ${room} while in ${this.room}`);
          this.view = new Map(answer.peers.map((p) => [p.id, p]));
          this.room = room;
        } else if (answer.error.code === 'already-in-room' && !this.view) {
          this.#problem('already-in-room while in no room');
        } else if (!['already-in-room', 'room-full'].includes(answer.error.code)) {
          this.#problem(`room:join answered ${answer.error.code}`);
        }
        resolve();
      });
    });
  }

  leave(): Promise<void> {
    return new Promise((resolve) => {
      // `room:leave` declares its acknowledgement optional, which timeout().emit() cannot type.
      const timed = this.socket.timeout(ANSWER_TIMEOUT_MS) as unknown as {
        emit(event: 'room:leave', ack: (error: Error | null, answer: Ack) => void): void;
      };
      timed.emit('room:leave', (error, answer) => {
        if (error) this.#problem('no answer to room:leave');
        else if (answer.ok !== Boolean(this.view)) this.#problem(`room:leave answered ${JSON.stringify(answer)} while in ${this.room}`);
        this.view = undefined;
        this.room = undefined;
        resolve();
      });
    });
  }
}

describe('random overlapping joins, leaves and disconnections (seeded)', () => {
  for (const seed of [1, 2, 3]) {
    it(`keeps every member's view equal to the store (seed ${seed})`, async () => {
      const random = mulberry32(seed);
      store.delays = { join: () => random() * 4, leave: () => random() * 4, roomOf: () => random() * 2 };
      const problems: string[] = [];
      const rooms = ['p0', 'p1'];
      const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
      const connect = async () => new Tracker(await ctx.client(service.url), problems);
      const trackers = await Promise.all(Array.from({ length: 6 }, connect));

      await Promise.all(
        trackers.map(async (_, slot) => {
          for (let step = 0; step < 30; step++) {
            const t = trackers[slot]!;
            const roll = random();
            if (roll < 0.4) await t.join(pick(rooms));
            else if (roll < 0.6) await t.leave();
            else if (roll < 0.85) await Promise.all([t.leave(), t.join(pick(rooms))]);
            else {
              t.socket.disconnect();
              trackers[slot] = await connect();
            }
            await sleep(random() * 4);
          }
        }),
      );

      store.delays = {};
      await sleep(100);
      for (const t of trackers) await settle(t.socket);
      for (const t of trackers) {
        const room = await store.inner.roomOf(t.id);
        assert.equal(room, t.room, `${t.id}: the store says ${room}, the client ${t.room}`);
        if (room === undefined) continue;
        assert.deepEqual([...t.view!.keys()], await othersInStore(room, t.id), `${t.id}: view of ${room}`);
        assertOk(await request(t.socket, 'ice:servers'));
      }
      assert.deepEqual(problems, []);
    });
  }
});
