/**
 * Rejoin tokens with real clients: a member comes back (and replaces its dead connection) only
 * with its own token; a former peer who knows everything it was shown cannot take a member's
 * place; a wrong token is refused with `rejoin-invalid` and changes nothing. Also the tokens
 * themselves (rejoin-tokens.ts): room binding, expiry, tampering.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REJOIN_TOKEN_TTL_SECONDS } from 'video-call-protocol';
import { createRejoinTokens } from '../src/rejoin-tokens.js';
import { assertError, assertOk, expectNoEvent, join, nextEvent, record, request, settle, type ClientSocket } from './helpers.js';
import { servicePerTest } from './service-per-test.js';

const rig = servicePerTest();

describe('a rejoin with the member’s token', () => {
  it('takes the old connection’s place, closes it, tells the other member peer-joined only', async () => {
    const [ann, oldBob, newBob] = (await rig.ctx.clients(rig.service.url, 3)) as [ClientSocket, ClientSocket, ClientSocket];
    await join(ann, 'r1');
    const first = await join(oldBob, 'r1', { name: 'Bob' });
    const annLeft = record(ann, 'room:peer-left');
    const annJoined = nextEvent(ann, 'room:peer-joined');
    const oldGone = new Promise<string>((resolve) => oldBob.once('disconnect', resolve));

    // The old connection still looks alive to the service, so the room is "full" but for this rule.
    const again = await join(newBob, 'r1', { name: 'Bob', rejoin: first.rejoinToken });
    assert.equal(again.self.peerId, first.self.peerId, 'keeps its peer id (and so the roles the pair derives from it)');
    assert.deepEqual(
      again.peers.map((p) => p.id),
      [ann.id],
    );
    assert.equal(await oldGone, 'io server disconnect');
    assert.deepEqual(await annJoined, { id: newBob.id, name: 'Bob', peerId: first.self.peerId });
    await settle(ann);
    assert.deepEqual(annLeft.received, [], 'no peer-left for the replaced connection');
    const delivered = nextEvent(newBob, 'signal:relay');
    assertOk(await request(ann, 'signal:relay', { to: newBob.id!, signal: { kind: 'hang-up', call: 'call-0001' } }));
    assert.equal((await delivered).from, ann.id);
  });

  it('still works with the token of the previous rejoin', async () => {
    const [a, b1, b2, b3] = (await rig.ctx.clients(rig.service.url, 4)) as [ClientSocket, ClientSocket, ClientSocket, ClientSocket];
    await join(a, 'r1');
    const first = await join(b1, 'r1');
    const second = await join(b2, 'r1', { rejoin: first.rejoinToken });
    const third = await join(b3, 'r1', { rejoin: second.rejoinToken });
    assert.equal(third.self.peerId, first.self.peerId);
  });
});

describe('a takeover attempt', () => {
  it('by a former peer, with everything it was shown, is refused with rejoin-invalid and changes nothing', async () => {
    const [ann, bob, carol] = (await rig.ctx.clients(rig.service.url, 3)) as [ClientSocket, ClientSocket, ClientSocket];
    const annJoin = await join(ann, 'r1', { name: 'Ann' });
    const bobJoin = await join(bob, 'r1', { name: 'Bob' });
    const shown = bobJoin.peers[0]!;
    assert.equal(shown.peerId, annJoin.self.peerId);
    assertOk(await request(bob, 'room:leave'));
    await join(carol, 'r1', { name: 'Carol' });

    // Bob, now outside, tries to come back as Ann with what he saw of her.
    const intruder = await rig.ctx.client(rig.service.url);
    const attempts = [
      shown.peerId,
      shown.id.padEnd(22, 'x'),
      `${bobJoin.rejoinToken.slice(0, -2)}AA`,
      bobJoin.rejoinToken.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
    ];
    const annGone = record(ann, 'room:peer-left');
    await expectNoEvent(ann, 'room:peer-joined', 100, async () => {
      for (const rejoin of attempts) {
        assertError(await request(intruder, 'room:join', { room: 'r1', name: 'Ann', rejoin }), 'rejoin-invalid', rejoin);
      }
    });
    assert.ok(ann.connected, 'the real member keeps its connection');
    assert.deepEqual(annGone.received, []);
    // Nothing changed: the room still has Ann and Carol, and Ann's connection still relays.
    const heard = nextEvent(carol, 'signal:relay');
    assertOk(await request(ann, 'signal:relay', { to: carol.id!, signal: { kind: 'ring', call: 'call-0001' } }));
    assert.equal((await heard).from, ann.id);
    // Bob's own token still brings back Bob (not Ann), and only into a room with a free place.
    assertError(await request(intruder, 'room:join', { room: 'r1', rejoin: bobJoin.rejoinToken }), 'room-full');
  });

  it('with a token of another room is refused with rejoin-invalid', async () => {
    const [a, b] = (await rig.ctx.clients(rig.service.url, 2)) as [ClientSocket, ClientSocket];
    const joined = await join(a, 'room-a');
    assertError(await request(b, 'room:join', { room: 'room-b', rejoin: joined.rejoinToken }), 'rejoin-invalid');
    assert.equal((await join(b, 'room-b')).peers.length, 0, 'b is in no room after the refusal');
  });
});

describe('rejoin tokens', () => {
  it('are bound to their room, expire after REJOIN_TOKEN_TTL_SECONDS, and detect any change', () => {
    let now = Date.UTC(2026, 0, 1);
    const tokens = createRejoinTokens('s'.repeat(32), { now: () => now });
    const peerId = tokens.newPeerId();
    const token = tokens.issue('r1', peerId);
    assert.match(token, /^[A-Za-z0-9_-]{48}$/);
    assert.equal(tokens.verify(token, 'r1'), peerId);
    assert.equal(tokens.verify(token, 'r2'), undefined);
    assert.equal(createRejoinTokens('t'.repeat(32)).verify(token, 'r1'), undefined, 'another secret');
    assert.equal(createRejoinTokens(undefined).verify(token, 'r1'), undefined, 'a random secret (a restart)');
    for (let i = 0; i < token.length; i++) {
      const changed = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      assert.equal(tokens.verify(changed, 'r1'), undefined, `changed at ${i}`);
    }
    now += (REJOIN_TOKEN_TTL_SECONDS - 1) * 1000;
    assert.equal(tokens.verify(token, 'r1'), peerId);
    now += 1000;
    assert.equal(tokens.verify(token, 'r1'), undefined, 'expired');
  });
});

describe('load shedding of joins', () => {
  it('refuses new joins with overloaded, but lets a rejoin with a valid token in', async () => {
    const [a, b, c, d] = (await rig.ctx.clients(rig.service.url, 4)) as [ClientSocket, ClientSocket, ClientSocket, ClientSocket];
    await join(a, 'r1');
    const bJoin = await join(b, 'r1');
    rig.service.load.force(true);
    try {
      assertError(await request(c, 'room:join', { room: 'r2' }), 'overloaded');
      assertOk(await request(d, 'room:join', { room: 'r1', rejoin: bJoin.rejoinToken }));
      assertOk(await request(a, 'signal:relay', { to: d.id!, signal: { kind: 'ring', call: 'call-0001' } }));
    } finally {
      rig.service.load.force(undefined);
    }
    assertOk(await request(c, 'room:join', { room: 'r2' }));
  });
});
