/**
 * Calls through a real TURN relay: coturn on loopback with TURN REST credentials issued by the
 * signal service, both pages in relay-only mode (`ice-transport-policy="relay"`).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { turnRestCredential } from '../../../signal-service/src/ice/turn-rest.js';
import {
  errorCodes,
  expectRemoteVideoPlaying,
  history,
  openConnectedPair,
  openDemo,
  selectedPair,
  startCoturn,
  startWidget,
  statusText,
  waitForNewSelectedPair,
  waitForState,
  useRig,
} from './harness.js';

const secret = randomBytes(16).toString('hex');
/** Short credential lifetime so that the test sees them expire and get refreshed. */
const TTL_SECONDS = 10;

/** Gathers candidates in `page` with the given ICE servers and relay-only policy; returns their types. */
function gatherRelayCandidates(page: Page, iceServers: RTCIceServer[]): Promise<string[]> {
  return page.evaluate(async (servers) => {
    const pc = new RTCPeerConnection({ iceServers: servers, iceTransportPolicy: 'relay' });
    const types: string[] = [];
    const done = new Promise<void>((resolve) => {
      pc.onicecandidate = ({ candidate }) => (candidate ? types.push(candidate.type ?? '?') : resolve());
    });
    pc.createDataChannel('probe');
    await pc.setLocalDescription();
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 8000))]);
    pc.close();
    return types;
  }, iceServers);
}

describe('relay-only calls through coturn', () => {
  const rig = useRig({
    turnSecret: secret,
    env: (turn) => ({ TURN_URLS: turn!.url, TURN_SECRET: secret, STUN_URLS: 'none', ICE_TTL_SECONDS: String(TTL_SECONDS) }),
  });

  test('two relay-only pages connect through coturn, and keep working past the credentials’ lifetime', async () => {
    const url = `${rig.service.url}/?room=relay-call&policy=relay`;
    const alice = await openDemo(rig.browser, `${url}&name=Alice`);
    const bob = await openDemo(rig.browser, `${url}&name=Bob`);
    const joinedAt = Date.now();
    await startWidget(alice);
    await startWidget(bob);
    await waitForState(alice, 'ready');

    await bob.evaluate(() => {
      const el = document.querySelector('video-call')!;
      el.addEventListener('vc-incoming-call', () => el.accept(), { once: true });
    });
    const elapsedMs = await alice.evaluate(async () => {
      const el = document.querySelector('video-call')!;
      const t0 = performance.now();
      const connected = new Promise<number>((resolve) =>
        el.addEventListener('vc-state-change', (e) => e.detail.state === 'connected' && resolve(performance.now() - t0)),
      );
      await el.call();
      return connected;
    });
    await waitForState(bob, 'connected');
    console.log(`# call() → connected, accepted at the ring (relay-only through coturn, loopback): ${elapsedMs.toFixed(0)} ms`);

    for (const page of [alice, bob]) {
      const pair = await selectedPair(page);
      assert.deepEqual({ local: pair?.local, remote: pair?.remote }, { local: 'relay', remote: 'relay' });
    }
    await expectRemoteVideoPlaying(alice);
    await expectRemoteVideoPlaying(bob);

    // Wait until the credentials handed out at join have expired (the widget refreshed them at
    // 80 % of their life), then restart ICE: gathering a new relay candidate needs valid ones.
    const before = await selectedPair(alice);
    const waitMs = joinedAt + (TTL_SECONDS + 2) * 1000 - Date.now();
    if (waitMs > 0) await alice.waitForTimeout(waitMs);
    await alice.evaluate(() => document.querySelector('video-call')!.restartIce());
    await waitForNewSelectedPair(alice, before?.localId);
    assert.equal(await alice.evaluate(() => document.querySelector('video-call')!.state), 'connected');
    assert.deepEqual(await errorCodes(alice), []);
    await expectRemoteVideoPlaying(bob);
  });

  test('the relay goes away mid-call: reconnecting, an ICE restart through the restarted relay, connected again', async () => {
    const [alice, bob] = await openConnectedPair(rig.browser, `${rig.service.url}/?room=relay-restart&policy=relay`);

    // Every packet of a relay-only call goes through coturn: stopping it cuts the call's media.
    const port = rig.turn!.port;
    await rig.turn!.stop();
    rig.turn = await startCoturn(secret, port);
    const cutAt = Date.now();
    await waitForState(alice, 'reconnecting', 15_000);
    await waitForState(alice, 'connected', 30_000);
    await waitForState(bob, 'connected', 30_000);
    console.log(`# relay restarted: call back to connected after ${Date.now() - cutAt} ms (ICE restart)`);
    await expectRemoteVideoPlaying(alice);
    await expectRemoteVideoPlaying(bob);
    for (const page of [alice, bob]) {
      const pair = await selectedPair(page);
      assert.deepEqual({ local: pair?.local, remote: pair?.remote }, { local: 'relay', remote: 'relay' }, JSON.stringify(pair));
    }
    assert.deepEqual(await errorCodes(alice), []);
    const { states } = await history(alice);
    assert.deepEqual(states.slice(-2), ['reconnecting', 'connected'], states.join(' → '));
  });

  test('coturn refuses expired TURN REST credentials and accepts fresh ones', async () => {
    const page = await openDemo(rig.browser, `${rig.service.url}/?room=probe`);
    const now = Math.floor(Date.now() / 1000);
    const fresh = turnRestCredential(secret, 'probe', now + 600);
    const expired = turnRestCredential(secret, 'probe', now - 60);
    assert.deepEqual(await gatherRelayCandidates(page, [{ urls: rig.turn!.url, ...fresh }]), ['relay']);
    assert.deepEqual(await gatherRelayCandidates(page, [{ urls: rig.turn!.url, ...expired }]), []);
  });
});

describe('relay-only call with a wrong TURN secret', () => {
  const rig = useRig({
    turnSecret: secret,
    env: (turn) => ({ TURN_URLS: turn!.url, TURN_SECRET: 'not-the-secret', STUN_URLS: 'none' }),
  });

  test('does not connect, and ends in a clear error instead of hanging', async () => {
    // Only Alice asks for relay only: her gathering ends without a candidate, and she is the one
    // who finds out. (Were both relay-only, whichever side's gathering ended first would fail the
    // call for both, and the other would only hear that it failed.)
    const alice = await openDemo(rig.browser, `${rig.service.url}/?room=relay-wrong-secret&policy=relay`);
    const bob = await openDemo(rig.browser, `${rig.service.url}/?room=relay-wrong-secret`);
    await startWidget(alice);
    await startWidget(bob);
    await waitForState(alice, 'ready');
    await alice.evaluate(() => document.querySelector('video-call')!.call());
    // The call fails; both stay in the room, and may try again.
    await waitForState(alice, 'ended', 15_000);
    assert.deepEqual(await errorCodes(alice), ['relay-unavailable']);
    assert.equal((await history(alice)).calls.at(-1), 'ended:failed');
    assert.match(await statusText(alice), /relay server/);
    assert.notEqual(await bob.evaluate(() => document.querySelector('video-call')!.state), 'connected');
  });
});
