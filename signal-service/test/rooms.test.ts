/** Unit tests of MemoryRoomStore: capacity, complementary polite roles, empty rooms deleted. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOM_CAPACITY } from 'video-call-protocol';
import { MemoryRoomStore, type Joiner } from '../src/rooms.js';

/** A joiner whose peer id is derived from its socket id (`p-<id>`). */
const joiner = (id: string, name: string, extra: Partial<Joiner> = {}): Joiner => ({ id, name, peerId: `p-${id}`, ...extra });

describe('MemoryRoomStore', () => {
  it('holds two members per room and refuses a third with room-full', async () => {
    const store = new MemoryRoomStore();
    assert.equal(ROOM_CAPACITY, 2);
    const first = await store.join('r1', joiner('a', 'Ann'));
    const second = await store.join('r1', joiner('b', 'Bob'));
    const third = await store.join('r1', joiner('c', 'Cid'));
    assert.equal(first.ok, true);
    assert.equal(second.ok, true);
    assert.deepEqual(third, { ok: false, reason: 'room-full' });
    assert.equal(await store.roomOf('c'), undefined, 'refused member is not recorded');
    assert.deepEqual((await store.members('r1')).map((m) => m.id), ['a', 'b']);
  });

  it('answers the members already present and the joiner itself', async () => {
    const store = new MemoryRoomStore();
    const first = await store.join('r1', joiner('a', 'Ann'));
    assert.ok(first.ok);
    assert.deepEqual(first.peers, []);
    assert.deepEqual(first.member, { id: 'a', name: 'Ann', peerId: 'p-a', polite: false });
    const second = await store.join('r1', joiner('b', 'Bob'));
    assert.ok(second.ok);
    assert.deepEqual(second.peers, [{ id: 'a', name: 'Ann', peerId: 'p-a', polite: false }]);
    assert.deepEqual(second.member, { id: 'b', name: 'Bob', peerId: 'p-b', polite: true });
  });

  it('refuses a second join of the same id with already-in-room, in the same or another room', async () => {
    const store = new MemoryRoomStore();
    await store.join('r1', joiner('a', ''));
    assert.deepEqual(await store.join('r1', joiner('a', '')), { ok: false, reason: 'already-in-room' });
    assert.deepEqual(await store.join('r2', joiner('a', '')), { ok: false, reason: 'already-in-room' });
    assert.equal(await store.roomOf('a'), 'r1');
    assert.equal(await store.roomCount(), 1);
  });

  it('keeps roles complementary when a member leaves and another joins', async () => {
    const store = new MemoryRoomStore();
    await store.join('r1', joiner('a', ''));
    await store.join('r1', joiner('b', ''));
    // The impolite first member leaves: the polite one stays, the newcomer must be impolite.
    await store.leave('a');
    const c = await store.join('r1', joiner('c', ''));
    assert.ok(c.ok);
    assert.equal(c.member.polite, false);
    assert.deepEqual(c.peers.map((p) => [p.id, p.polite]), [['b', true]]);
    // Now the polite one leaves: the newcomer must be polite.
    await store.leave('b');
    const d = await store.join('r1', joiner('d', ''));
    assert.ok(d.ok);
    assert.equal(d.member.polite, true);
    const roles = (await store.members('r1')).map((m) => m.polite).sort();
    assert.deepEqual(roles, [false, true]);
  });

  it('gives every joiner the role opposite to the member present, over many comings and goings', async () => {
    const store = new MemoryRoomStore();
    await store.join('r1', joiner('m0', ''));
    for (let i = 1; i <= 10; i += 1) {
      const joined = await store.join('r1', joiner(`m${i}`, ''));
      assert.ok(joined.ok);
      const [a, b] = await store.members('r1');
      assert.ok(a && b);
      assert.notEqual(a.polite, b.polite, `roles equal after join ${i}`);
      // Alternate which member leaves.
      await store.leave(i % 2 === 0 ? `m${i}` : (a.id === `m${i}` ? b.id : a.id));
    }
  });

  it('deletes a room when its last member leaves', async () => {
    const store = new MemoryRoomStore();
    await store.join('r1', joiner('a', ''));
    await store.join('r1', joiner('b', ''));
    await store.join('r2', joiner('c', ''));
    assert.equal(await store.roomCount(), 2);
    await store.leave('a');
    assert.equal(await store.roomCount(), 2);
    await store.leave('b');
    assert.equal(await store.roomCount(), 1);
    assert.deepEqual(await store.members('r1'), []);
    // The room starts afresh: the next first member is impolite again.
    const again = await store.join('r1', joiner('e', ''));
    assert.ok(again.ok);
    assert.equal(again.member.polite, false);
    assert.deepEqual(again.peers, []);
  });

  it('answers leave with the room and member removed, and undefined for an unknown id', async () => {
    const store = new MemoryRoomStore();
    await store.join('r1', joiner('a', 'Ann'));
    assert.deepEqual(await store.leave('a'), { room: 'r1', member: { id: 'a', name: 'Ann', peerId: 'p-a', polite: false } });
    assert.equal(await store.leave('a'), undefined);
    assert.equal(await store.leave('nobody'), undefined);
    assert.equal(await store.roomOf('a'), undefined);
    assert.equal(await store.roomCount(), 0);
  });

  it('lets an id join another room after leaving', async () => {
    const store = new MemoryRoomStore();
    await store.join('r1', joiner('a', ''));
    await store.leave('a');
    const joined = await store.join('r2', joiner('a', ''));
    assert.ok(joined.ok);
    assert.equal(await store.roomOf('a'), 'r2');
  });

  it('lets only one of two concurrent joins take the last place', async () => {
    const store = new MemoryRoomStore();
    await store.join('r1', joiner('a', ''));
    const outcomes = await Promise.all([store.join('r1', joiner('b', '')), store.join('r1', joiner('c', ''))]);
    assert.deepEqual(outcomes.map((o) => o.ok).sort(), [false, true]);
    assert.equal((await store.members('r1')).length, 2);
  });

  it('grants the asked-for role in an empty room, and the opposite one to a joiner', async () => {
    const store = new MemoryRoomStore();
    const first = await store.join('r1', joiner('b2', 'Bob', { polite: true }));
    assert.ok(first.ok);
    assert.deepEqual(first.member, { id: 'b2', name: 'Bob', peerId: 'p-b2', polite: true });
    // The other one asks for polite too (say, a stale preference): it gets the opposite role.
    const second = await store.join('r1', joiner('a2', 'Ann', { polite: true }));
    assert.ok(second.ok);
    assert.equal(second.member.polite, false);
  });

  it('lets a joiner with a member’s peerId take its place and role (a rejoin)', async () => {
    const store = new MemoryRoomStore();
    await store.join('r1', joiner('a', 'Ann'));
    await store.join('r1', joiner('b', 'Bob'));
    const back = await store.join('r1', { id: 'b2', name: 'Bob', peerId: 'p-b' });
    assert.ok(back.ok);
    assert.equal(back.replaced?.id, 'b');
    assert.equal(back.member.polite, true);
    assert.equal(await store.roomOf('b'), undefined);
    assert.deepEqual((await store.members('r1')).map((m) => m.id).sort(), ['a', 'b2']);
  });
});
