/**
 * Unit tests of MemoryRoomStore: the capacity contract of every store (room-store-contract.ts),
 * then this store's own answers: already-in-room, leaves, empty rooms deleted, rejoins.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ROOM_CAPACITY } from 'video-call-protocol';
import { MemoryRoomStore } from '../src/rooms.js';
import { joiner, roomStoreCapacityContract } from './room-store-contract.js';

roomStoreCapacityContract('MemoryRoomStore', () => Promise.resolve(new MemoryRoomStore()));

describe('MemoryRoomStore', () => {
  const TWO = DEFAULT_ROOM_CAPACITY;

  it('answers the members already present, the joiner itself and the capacity, with no role', async () => {
    const store = new MemoryRoomStore();
    const first = await store.join('r1', joiner('a', 'Ann'), TWO);
    assert.deepEqual(first, { ok: true, member: { id: 'a', name: 'Ann', peerId: 'p-a' }, peers: [], capacity: 2 });
    const second = await store.join('r1', joiner('b', 'Bob'), TWO);
    assert.deepEqual(second, {
      ok: true,
      member: { id: 'b', name: 'Bob', peerId: 'p-b' },
      peers: [{ id: 'a', name: 'Ann', peerId: 'p-a' }],
      capacity: 2,
    });
    assert.deepEqual(await store.join('r1', joiner('c'), TWO), { ok: false, reason: 'room-full', capacity: 2 });
  });

  it('refuses a second join of the same id with already-in-room, in the same or another room', async () => {
    const store = new MemoryRoomStore();
    await store.join('r1', joiner('a'), TWO);
    assert.deepEqual(await store.join('r1', joiner('a'), TWO), { ok: false, reason: 'already-in-room' });
    assert.deepEqual(await store.join('r2', joiner('a'), TWO), { ok: false, reason: 'already-in-room' });
    assert.equal(await store.roomOf('a'), 'r1');
    assert.equal(await store.roomCount(), 1);
  });

  it('deletes a room when its last member leaves', async () => {
    const store = new MemoryRoomStore();
    await store.join('r1', joiner('a'), TWO);
    await store.join('r1', joiner('b'), TWO);
    await store.join('r2', joiner('c'), TWO);
    assert.equal(await store.roomCount(), 2);
    await store.leave('a');
    assert.equal(await store.roomCount(), 2);
    await store.leave('b');
    assert.equal(await store.roomCount(), 1);
    assert.deepEqual(await store.members('r1'), []);
    const again = await store.join('r1', joiner('e'), TWO);
    assert.ok(again.ok);
    assert.deepEqual(again.peers, []);
  });

  it('answers leave with the room and member removed, and undefined for an unknown id', async () => {
    const store = new MemoryRoomStore();
    await store.join('r1', joiner('a', 'Ann'), TWO);
    assert.deepEqual(await store.leave('a'), { room: 'r1', member: { id: 'a', name: 'Ann', peerId: 'p-a' } });
    assert.equal(await store.leave('a'), undefined);
    assert.equal(await store.leave('nobody'), undefined);
    assert.equal(await store.roomOf('a'), undefined);
    assert.equal(await store.roomCount(), 0);
  });

  it('lets an id join another room after leaving', async () => {
    const store = new MemoryRoomStore();
    await store.join('r1', joiner('a'), TWO);
    await store.leave('a');
    const joined = await store.join('r2', joiner('a'), TWO);
    assert.ok(joined.ok);
    assert.equal(await store.roomOf('a'), 'r2');
  });

  it('lets only one of two concurrent joins take the last place', async () => {
    const store = new MemoryRoomStore();
    await store.join('r1', joiner('a'), 3);
    await store.join('r1', joiner('b'), 3);
    const outcomes = await Promise.all([store.join('r1', joiner('c'), 3), store.join('r1', joiner('d'), 3)]);
    assert.deepEqual(outcomes.map((o) => o.ok).sort(), [false, true]);
    assert.equal((await store.members('r1')).length, 3);
  });

  it('lets a joiner with a member’s peerId take its place (a rejoin)', async () => {
    const store = new MemoryRoomStore();
    await store.join('r1', joiner('a', 'Ann'), TWO);
    await store.join('r1', joiner('b', 'Bob'), TWO);
    const back = await store.join('r1', { id: 'b2', name: 'Bob', peerId: 'p-b' }, TWO);
    assert.ok(back.ok);
    assert.equal(back.replaced?.id, 'b');
    assert.equal(await store.roomOf('b'), undefined);
    assert.deepEqual(
      (await store.members('r1')).map((m) => m.id),
      ['a', 'b2'],
    );
  });
});
