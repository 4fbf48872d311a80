/**
 * A call that survives the real world: the signal service restarts mid-call, the network of one
 * page drops, both people press Call at once, a tab closes or crashes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  expectRemoteVideoPlaying,
  history,
  openConnectedPair,
  selectedPair,
  openDemo,
  remoteVideo,
  startService,
  startWidget,
  stateOf,
  waitForNewSelectedPair,
  waitForState,
  useRig,
  callAndAccept,
} from './harness.js';

describe('resilience', () => {
  // An explicit REJOIN_SECRET outlives a restart, so members take their places back (README:
  // REJOIN_SECRET). The default, a secret kept in STATE_DIR, is restart.e2e.test.ts's.
  const env = { REJOIN_SECRET: 'a-rejoin-secret-of-at-least-32-characters!' };
  const rig = useRig({ env: () => env });

  test('the signal service restarts mid-call: media keeps playing, both rejoin, hang-up still reaches the peer', async () => {
    const [alice, bob] = await openConnectedPair(rig.browser, `${rig.service.url}/?room=restart`);
    const port = rig.service.port;

    await rig.service.stop();
    await waitForState(alice, 'reconnecting');
    await waitForState(bob, 'reconnecting');
    // While the service is down the call's media keeps flowing, peer to peer.
    const before = await remoteVideo(alice);
    await alice.waitForTimeout(1500);
    const during = await remoteVideo(alice);
    assert.ok(during.frames > before.frames, `frames while the service is down: ${before.frames} → ${during.frames}`);

    const restartedAt = Date.now();
    rig.service = await startService({ ...env, PORT: String(port) });
    await waitForState(alice, 'connected', 20_000);
    await waitForState(bob, 'connected', 20_000);
    console.log(`# service restart: both back to connected ${Date.now() - restartedAt} ms after it listened again`);
    await expectRemoteVideoPlaying(alice);
    await expectRemoteVideoPlaying(bob);
    // No one left in the meantime, as far as the pages are concerned.
    assert.deepEqual((await history(alice)).peers, ['joined:Bob']);
    assert.deepEqual((await history(alice)).errors, []);

    // Signaling works again: a hang-up reaches the other side, and a new call connects.
    await bob.evaluate(() => document.querySelector('video-call')!.hangUp());
    await waitForState(alice, 'ended');
    await callAndAccept(alice, bob);
    await expectRemoteVideoPlaying(bob);
    await alice.context().close();
    await bob.context().close();
  });

  test('one page loses its network for a few seconds: it shows reconnecting, then the call goes on', async () => {
    const [alice, bob] = await openConnectedPair(rig.browser, `${rig.service.url}/?room=offline`);
    await bob.context().setOffline(true);
    await waitForState(bob, 'reconnecting', 10_000);
    await bob.waitForTimeout(1000);
    await bob.context().setOffline(false);
    await waitForState(bob, 'connected', 20_000);
    await waitForState(alice, 'connected', 20_000);
    await expectRemoteVideoPlaying(alice);
    await expectRemoteVideoPlaying(bob);
    // An ICE restart forced on one side goes through the rejoined signaling: new candidates are
    // negotiated and selected, and the call stays up.
    const before = await selectedPair(bob);
    await bob.evaluate(() => document.querySelector('video-call')!.restartIce());
    await waitForNewSelectedPair(bob, before?.localId);
    assert.equal(await stateOf(bob), 'connected');
    assert.equal(await stateOf(alice), 'connected');
    await expectRemoteVideoPlaying(alice);
    assert.deepEqual((await history(bob)).errors, []);
    await alice.context().close();
    await bob.context().close();
  });

  test('hanging up while the peer is away ends the call on both sides once it is back', async () => {
    const [alice, bob] = await openConnectedPair(rig.browser, `${rig.service.url}/?room=away-hang-up`);
    await bob.context().setOffline(true);
    // The service notices Bob's silence (ping timeout); Alice keeps the call while media flows.
    await waitForState(alice, 'reconnecting', 10_000);
    await alice.evaluate(() => document.querySelector('video-call')!.hangUp());
    await waitForState(alice, 'waiting');
    await bob.context().setOffline(false);
    // Bob is back: Alice tells him about the hang-up, and does not answer his call's old offers.
    await waitForState(bob, 'ended', 20_000);
    await waitForState(alice, 'ready');
    await alice.waitForTimeout(2000);
    assert.equal(await stateOf(alice), 'ready');
    assert.equal(await stateOf(bob), 'ended');
    const aliceStates = (await history(alice)).states;
    assert.deepEqual(aliceStates.slice(aliceStates.lastIndexOf('connected') + 1), ['reconnecting', 'waiting', 'ready']);
    assert.equal((await history(bob)).calls.at(-1), 'ended:remote-hang-up');
    // And a new call works.
    await callAndAccept(bob, alice);
    await expectRemoteVideoPlaying(alice);
    await alice.context().close();
    await bob.context().close();
  });

  test('glare: both press Call in the same instant, 8 times; both asked, so it connects without Accept, over one connection', async () => {
    const alice = await openDemo(rig.browser, `${rig.service.url}/?room=glare&name=Alice`);
    const bob = await openDemo(rig.browser, `${rig.service.url}/?room=glare&name=Bob`);
    // Count the peer connections that reach `connected` on each page: one per call. Counted from
    // before start(): a connection may be made ahead while the room is idle (spare-connection.ts).
    const countConnections = (page: Page) =>
      page.evaluate(() => {
        const Native = window.RTCPeerConnection;
        const counter = { connected: 0 };
        (window as unknown as { __pcs: typeof counter }).__pcs = counter;
        window.RTCPeerConnection = class extends Native {
          constructor(config?: RTCConfiguration) {
            super(config);
            this.addEventListener('connectionstatechange', () => {
              if (this.connectionState === 'connected') counter.connected++;
            });
          }
        };
      });
    await countConnections(alice);
    await countConnections(bob);
    await startWidget(alice);
    await startWidget(bob);
    await waitForState(alice, 'ready');
    for (let run = 0; run < 8; run++) {
      // Both pages call at the same wall-clock millisecond. What they send is held back 150 ms
      // meanwhile (in order), so each has called before the other's ring can arrive, however
      // the two pages' timers drift on a loaded machine: a true glare every time.
      const at = Date.now() + 300;
      const callAt = (page: Page) =>
        page.evaluate((when) => {
          // eslint-disable-next-line @typescript-eslint/unbound-method -- the page's own method, called below with .call(this), then put back
          const send = WebSocket.prototype.send;
          WebSocket.prototype.send = function (this: WebSocket, data: Parameters<typeof send>[0]) {
            setTimeout(() => send.call(this, data), 150);
          };
          setTimeout(() => (WebSocket.prototype.send = send), Math.max(0, when - Date.now()) + 200);
          return new Promise<string>((resolve) =>
            setTimeout(
              () =>
                void document
                  .querySelector('video-call')!
                  .call()
                  .then(
                    () => resolve('called'),
                    (error: Error) => resolve(error.name),
                  ),
              Math.max(0, when - Date.now()),
            ),
          );
        }, at);
      assert.deepEqual(await Promise.all([callAt(alice), callAt(bob)]), ['called', 'called']);
      await waitForState(alice, 'connected', 15_000);
      await waitForState(bob, 'connected', 15_000);
      await expectRemoteVideoPlaying(alice);
      await expectRemoteVideoPlaying(bob);
      const hanger = run % 2 === 0 ? alice : bob;
      await hanger.evaluate(() => document.querySelector('video-call')!.hangUp());
      await waitForState(alice, 'ended');
      await waitForState(bob, 'ended');
    }
    assert.deepEqual((await history(alice)).errors, []);
    assert.deepEqual((await history(bob)).errors, []);
    for (const page of [alice, bob]) {
      assert.equal(await page.evaluate(() => (window as unknown as { __pcs: { connected: number } }).__pcs.connected), 8);
    }
    // Nobody was asked: no call rang for anyone.
    assert.ok(!(await history(alice)).calls.some((c) => c.startsWith('incoming')));
    assert.ok(!(await history(bob)).states.includes('incoming'));
    await alice.context().close();
    await bob.context().close();
  });

  test('the peer closes its tab: the other side is back to waiting within 5 s', async () => {
    const [alice, bob] = await openConnectedPair(rig.browser, `${rig.service.url}/?room=tab-close`);
    const closedAt = Date.now();
    await bob.close();
    await waitForState(alice, 'waiting', 5000);
    const ms = Date.now() - closedAt;
    console.log(`# tab closed → peer back to waiting in ${ms} ms`);
    assert.deepEqual((await history(alice)).peers, ['joined:Bob', 'left:Bob']);
    await alice.context().close();
  });

  test('the peer’s tab crashes (no goodbye): the other side is back to waiting within 5 s', async () => {
    const [alice, bob] = await openConnectedPair(rig.browser, `${rig.service.url}/?room=tab-crash`);
    const cdp = await bob.context().newCDPSession(bob);
    const crashedAt = Date.now();
    // The command never answers (the renderer is gone): do not wait for it.
    void cdp.send('Page.crash').catch(() => {});
    await waitForState(alice, 'waiting', 5000);
    const ms = Date.now() - crashedAt;
    console.log(`# tab crashed → peer back to waiting in ${ms} ms`);
    assert.deepEqual((await history(alice)).peers, ['joined:Bob', 'left:Bob']);
    await alice.context().close();
    await Promise.race([
      bob
        .context()
        .close()
        .catch(() => {}),
      alice.waitForTimeout(2000).catch(() => {}),
    ]);
  });
});
