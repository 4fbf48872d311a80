/**
 * Graceful drain (drain.ts through server.ts): two members of a room are told `server:draining`
 * and lose their connection with `transport close` (so socket.io clients reconnect by themselves,
 * to another node behind a load balancer), `/readyz` answers 503 while `/healthz` stays 200, new
 * connections are refused 503 `draining` over both transports, and the drain ends at once when
 * every client has gone, or after its timeout with a connection that would not close.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { SignalService } from '../src/server.js';
import { TestContext, connectClient, join, nextEvent, testConfig, waitFor, type ClientSocket } from './helpers.js';
import { HandshakeRefused, RawClient } from './raw-client.js';

let ctx: TestContext;
const extra: ClientSocket[] = [];
beforeEach(() => {
  ctx = new TestContext();
});
afterEach(async () => {
  for (const socket of extra.splice(0)) socket.close();
  await ctx.close();
});

const get = async (service: SignalService, path: string) => {
  const response = await fetch(`${service.url}${path}`);
  return { status: response.status, body: (await response.json()) as unknown };
};

/** A raw polling handshake: GET /socket.io/?EIO=4&transport=polling. */
const pollingHandshake = (service: SignalService) => fetch(`${service.url}/socket.io/?EIO=4&transport=polling`);

describe('drain', () => {
  it('tells both members, closes their connections so that they reconnect, refuses new ones, and ends when they are gone', async () => {
    const service = await ctx.server();
    assert.deepEqual(await get(service, '/readyz'), { status: 200, body: { status: 'ready' } });

    const alice = await ctx.client(service.url);
    // Bob reconnects by himself, as the widget does after a lost connection.
    const bob = await connectClient(service.url, {
      reconnection: true,
      reconnectionDelay: 50,
      reconnectionDelayMax: 50,
      randomizationFactor: 0,
    });
    extra.push(bob);
    await join(alice, 'drain-room', 'Alice');
    await join(bob, 'drain-room', 'Bob');

    const told = Promise.all([nextEvent(alice, 'server:draining'), nextEvent(bob, 'server:draining')]);
    const reasons = Promise.all([alice, bob].map((socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve))));
    const retried = new Promise<void>((resolve) => bob.io.once('reconnect_attempt', () => resolve()));
    const refusedAgain = new Promise<Error>((resolve) => bob.once('connect_error', resolve));

    const result = await service.drain(5000);
    await told;
    // Not a socket.io goodbye ('io server disconnect'), after which clients would not reconnect.
    assert.deepEqual(await reasons, ['transport close', 'transport close']);
    assert.equal(result.drained, true);
    assert.equal(result.remaining, 0);
    assert.ok(result.ms < 2000, `drained in ${result.ms} ms`);
    assert.equal(service.draining, true);
    assert.equal(service.io.engine.clientsCount, 0);

    // Bob tries again and is refused while the node drains.
    await retried;
    await refusedAgain;
    assert.equal(bob.connected, false);

    assert.deepEqual(await get(service, '/readyz'), { status: 503, body: { status: 'draining' } });
    assert.equal((await get(service, '/healthz')).status, 200);
    const polling = await pollingHandshake(service);
    assert.equal(polling.status, 503);
    assert.equal(((await polling.json()) as { error: { code: string } }).error.code, 'draining');
    await assert.rejects(RawClient.connect(service.port), (error: unknown) => {
      assert.ok(error instanceof HandshakeRefused);
      assert.equal(error.status, 503);
      assert.equal(error.errorCode, 'draining');
      return true;
    });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    assert.match(metrics, /^video_call_draining 1$/m);
    assert.match(metrics, /^video_call_handshakes_refused_total\{code="draining"\} [1-9]/m);

    // A second drain is the same drain.
    assert.equal(service.drain(5000), service.drain(1));
    bob.io.reconnection(false);
  });

  it('ends after its timeout when a connection will not close, and counts it', async () => {
    const service = await ctx.server({}, testConfig({ PING_INTERVAL_MS: '20000', PING_TIMEOUT_MS: '20000' }));
    // A long-polling client that connects to the namespace and then never polls again: what the
    // service sends it waits for a poll that never comes, so its connection cannot close cleanly.
    const open = await pollingHandshake(service);
    const sid = /"sid":"([^"]+)"/.exec(await open.text())?.[1];
    assert.ok(sid);
    const post = await fetch(`${service.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '40' });
    assert.equal(post.status, 200);
    await waitFor('the namespace connection', () => service.io.of('/').sockets.size === 1);

    const started = Date.now();
    const result = await service.drain(300);
    assert.equal(result.drained, false);
    assert.equal(result.remaining, 1);
    assert.ok(Date.now() - started >= 290 && Date.now() - started < 1500, `ended after ${Date.now() - started} ms`);
    // close() ends what is left.
    await service.close();
  });
});
