/**
 * What every RoomStore must do about rooms of several members, as node:test cases to run against
 * each store (rooms.test.ts: MemoryRoomStore; redis-room-capacity.test.ts: RedisRoomStore on a
 * real redis-server): the capacity fixed by the first member's join and kept for the room's life,
 * forgotten once the room is empty; `peers` and `members` in join order; concurrent joins that
 * never exceed the capacity.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JoinOutcome, Joiner, RoomStore } from '../src/rooms.js';

/** A joiner whose peer id is derived from its socket id (`p-<id>`). */
export const joiner = (id: string, name = ''): Joiner => ({ id, name, peerId: `p-${id}` });

/** `ok`, or the refusal's reason. */
const outcome = (o: JoinOutcome) => (o.ok ? 'ok' : o.reason);

/** Joins `ids` to `room` one after another, each passing `capacity`; resolves their outcomes. */
async function joinAll(store: RoomStore, room: string, ids: string[], capacity: number): Promise<JoinOutcome[]> {
  const outcomes: JoinOutcome[] = [];
  for (const id of ids) outcomes.push(await store.join(room, joiner(id), capacity));
  return outcomes;
}

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);

/** Defines the contract's tests for the stores `make` returns (a fresh, empty one per call). */
export function roomStoreCapacityContract(kind: string, make: () => Promise<RoomStore>): void {
  describe(`${kind}: rooms of several members`, () => {
    for (const capacity of [2, 4, 5, 6]) {
      it(`holds ${capacity} members in a room of capacity ${capacity} and refuses the next with room-full`, async () => {
        const store = await make();
        const outcomes = await joinAll(store, 'r1', ids('m', capacity + 1), capacity);
        assert.deepEqual(outcomes.map(outcome), [...Array<string>(capacity).fill('ok'), 'room-full']);
        assert.deepEqual(outcomes.at(-1), { ok: false, reason: 'room-full', capacity });
        for (const o of outcomes.slice(0, capacity)) assert.equal(o.ok && o.capacity, capacity);
        assert.equal(await store.roomOf(`m${capacity + 1}`), undefined, 'the refused joiner is in no room');
        assert.deepEqual(
          (await store.members('r1')).map((m) => m.id),
          ids('m', capacity),
        );
      });
    }

    it('answers every member present in join order, and members() in join order', async () => {
      const store = await make();
      const names = ['Ann', 'Bob', 'Cid', 'Dee'];
      const outcomes: JoinOutcome[] = [];
      for (const [i, name] of names.entries()) outcomes.push(await store.join('r1', joiner(`s${i}`, name), 4));
      const last = outcomes[3]!;
      assert.ok(last.ok);
      assert.deepEqual(last.member, { id: 's3', name: 'Dee', peerId: 'p-s3' });
      assert.deepEqual(last.peers, [
        { id: 's0', name: 'Ann', peerId: 'p-s0' },
        { id: 's1', name: 'Bob', peerId: 'p-s1' },
        { id: 's2', name: 'Cid', peerId: 'p-s2' },
      ]);
      // One leaves from the middle; the next joiner comes last.
      await store.leave('s1');
      const next = await store.join('r1', joiner('s4', 'Eve'), 4);
      assert.ok(next.ok);
      assert.deepEqual(
        next.peers.map((p) => p.id),
        ['s0', 's2', 's3'],
      );
      assert.deepEqual(
        (await store.members('r1')).map((m) => m.id),
        ['s0', 's2', 's3', 's4'],
      );
    });

    it("keeps the first member's capacity: a later join's capacity neither raises nor lowers it", async () => {
      const store = await make();
      assert.equal(outcome(await store.join('r1', joiner('a'), 3)), 'ok');
      // A later member claims 6: the room still holds 3.
      const b = await store.join('r1', joiner('b'), 6);
      assert.ok(b.ok);
      assert.equal(b.capacity, 3);
      assert.equal(outcome(await store.join('r1', joiner('c'), 6)), 'ok');
      assert.deepEqual(await store.join('r1', joiner('d'), 6), { ok: false, reason: 'room-full', capacity: 3 });
      // A room of 4 whose later joiner passes 2 still takes its third and fourth members.
      assert.deepEqual((await joinAll(store, 'r2', ['w', 'x', 'y', 'z', 'zz'], 4)).map(outcome), ['ok', 'ok', 'ok', 'ok', 'room-full']);
      const low = await joinAll(store, 'r3', ['p', 'q'], 4);
      assert.deepEqual([...low, ...(await joinAll(store, 'r3', ['r', 's', 't'], 2))].map(outcome), ['ok', 'ok', 'ok', 'ok', 'room-full']);
    });

    it('forgets the capacity once the room is empty: the next first member fixes it again', async () => {
      const store = await make();
      await joinAll(store, 'r1', ['a', 'b', 'c'], 5);
      for (const id of ['a', 'b', 'c']) await store.leave(id);
      assert.deepEqual(await store.members('r1'), []);
      assert.equal(await store.roomCount(), 0);
      const again = await joinAll(store, 'r1', ['d', 'e', 'f'], 2);
      assert.deepEqual(again.map(outcome), ['ok', 'ok', 'room-full']);
      assert.equal(again[0]!.ok && again[0]!.capacity, 2);
      // And up again: emptied, then a first member with 6.
      for (const id of ['d', 'e']) await store.leave(id);
      assert.deepEqual((await joinAll(store, 'r1', ids('g', 7), 6)).map(outcome), [...Array<string>(6).fill('ok'), 'room-full']);
    });

    it('keeps the capacity through a rejoin that replaces the only member (the room never emptied)', async () => {
      const store = await make();
      await store.join('r1', joiner('a'), 4);
      const back = await store.join('r1', { id: 'a2', name: '', peerId: 'p-a' }, 2);
      assert.ok(back.ok);
      assert.equal(back.replaced?.id, 'a');
      assert.equal(back.capacity, 4, 'the rejoin does not fix the capacity anew');
      assert.deepEqual((await joinAll(store, 'r1', ['b', 'c', 'd', 'e'], 2)).map(outcome), ['ok', 'ok', 'ok', 'room-full']);
    });

    it("lets a rejoin take its old connection's place in a full room; it then comes last in join order", async () => {
      const store = await make();
      await joinAll(store, 'r1', ['a', 'b', 'c'], 3);
      const back = await store.join('r1', { id: 'a2', name: '', peerId: 'p-a' }, 3);
      assert.ok(back.ok);
      assert.deepEqual(back.replaced, { id: 'a', name: '', peerId: 'p-a' });
      assert.deepEqual(
        back.peers.map((p) => p.id),
        ['b', 'c'],
      );
      assert.deepEqual(
        (await store.members('r1')).map((m) => m.id),
        ['b', 'c', 'a2'],
      );
      assert.equal(await store.roomOf('a'), undefined);
    });

    it('never exceeds the capacity under concurrent joins (20 rooms of capacity 2-6, 9 joins each at once)', async () => {
      const store = await make();
      const rooms = Array.from({ length: 20 }, (_, r) => ({ room: `c${r}`, capacity: 2 + (r % 5) }));
      await Promise.all(
        rooms.map(async ({ room, capacity }) => {
          const outcomes = await Promise.all(ids(`${room}-`, 9).map((id) => store.join(room, joiner(id), capacity)));
          assert.equal(outcomes.filter((o) => o.ok).length, capacity, `${room}: ${outcomes.map(outcome).join(',')}`);
          assert.ok(outcomes.every((o) => o.ok || o.reason === 'room-full'));
          assert.equal((await store.members(room)).length, capacity);
        }),
      );
      assert.equal(await store.roomCount(), 20);
    });

    it('under concurrent joins that pass different capacities, admits exactly the capacity one of them fixed', async () => {
      const store = await make();
      await Promise.all(
        Array.from({ length: 20 }, async (_, r) => {
          const room = `mixed${r}`;
          const outcomes = await Promise.all(ids(`${room}-`, 9).map((id, i) => store.join(room, joiner(id), 2 + ((i + r) % 5))));
          const fixed = new Set(outcomes.map((o) => o.capacity));
          assert.equal(fixed.size, 1, `${room}: one capacity for every answer, not ${[...fixed].join(' and ')}`);
          const [capacity] = fixed;
          assert.equal(outcomes.filter((o) => o.ok).length, capacity, `${room}: ${outcomes.map(outcome).join(',')}`);
          assert.equal((await store.members(room)).length, capacity);
        }),
      );
    });
  });
}
