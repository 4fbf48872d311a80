/**
 * The product's main job, end to end: the real service serves the demo; two pages in headless
 * Chromium with a fake camera join one room, one calls, the other accepts, both play each other's video.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  errorCodes,
  expectRemoteVideoPlaying,
  history,
  launchBrowser,
  openDemo,
  stateOf,
  statusText,
  waitForState,
  useRig,
  callAndAccept,
} from './harness.js';

describe('one-to-one call through the demo page', () => {
  const rig = useRig();

  test('ring → accept → connected: both remote videos play, hang-up reasons, a third page gets "full"', async () => {
    const url = `${rig.service.url}/?room=e2e-call`;
    const alice = await openDemo(rig.browser, `${url}&name=Alice`);
    const bob = await openDemo(rig.browser, `${url}&name=Bob`);

    assert.equal(await stateOf(alice), 'idle');
    await alice.evaluate(() => document.querySelector('video-call')!.start());
    await waitForState(alice, 'waiting');
    await bob.evaluate(() => document.querySelector('video-call')!.start());
    await waitForState(bob, 'ready');
    await waitForState(alice, 'ready');

    // Bob accepts as soon as his widget rings.
    await bob.evaluate(() => {
      const el = document.querySelector('video-call')!;
      el.addEventListener('vc-incoming-call', () => el.accept(), { once: true });
    });
    // The call button is enabled now that a peer is present.
    const callButtonDisabled = await alice.evaluate(
      () => document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLButtonElement>('[part~="call-button"]')!.disabled,
    );
    assert.equal(callButtonDisabled, false);
    // The built bundle's icons are drawn: every shape is a direct child of its <svg> (the template
    // minifier once dropped the "/>" of self-closing tags, nesting each path in the one before).
    const icons = await alice.evaluate(() =>
      [...document.querySelector('video-call')!.shadowRoot!.querySelectorAll('svg.icon')]
        .filter((svg) => svg.closest('button')!.checkVisibility())
        .map((svg) => ({
          shapes: svg.querySelectorAll('path, rect, circle').length,
          direct: svg.querySelectorAll(':scope > path, :scope > rect, :scope > circle').length,
          width: svg.getBoundingClientRect().width,
        })),
    );
    assert.ok(icons.length >= 3, `icons on the buttons (${icons.length})`);
    for (const icon of icons) {
      assert.ok(icon.shapes > 0 && icon.shapes === icon.direct, `an icon's shapes are all drawn: ${JSON.stringify(icon)}`);
      assert.ok(icon.width > 0, 'an icon has a size');
    }

    const elapsedMs = await alice.evaluate(async () => {
      const el = document.querySelector('video-call')!;
      const t0 = performance.now();
      const connected = new Promise<number>((resolve) =>
        el.addEventListener('vc-state-change', (e) => {
          if (e.detail.state === 'connected') resolve(performance.now() - t0);
        }),
      );
      await el.call();
      return connected;
    });
    console.log(`# call() → connected, Bob accepting as soon as it rings (host candidates, loopback): ${elapsedMs.toFixed(0)} ms`);
    await waitForState(bob, 'connected');

    const aliceSees = await expectRemoteVideoPlaying(alice);
    const bobSees = await expectRemoteVideoPlaying(bob);
    console.log(`# remote video: Alice sees ${aliceSees.width}px wide, Bob ${bobSees.width}px; both decoding new frames`);

    const aliceHistory = await history(alice);
    assert.deepEqual(aliceHistory.states.slice(0, 5), ['acquiring-media', 'joining', 'waiting', 'ready', 'calling']);
    assert.equal(aliceHistory.states.at(-1), 'connected');
    assert.deepEqual(aliceHistory.peers, ['joined:Bob']);
    const bobHistory = await history(bob);
    assert.deepEqual(bobHistory.states.slice(0, 4), ['acquiring-media', 'joining', 'ready', 'incoming']);
    assert.equal(bobHistory.states.at(-1), 'connected');
    assert.deepEqual(bobHistory.peers, ['joined:Alice']);
    assert.deepEqual(bobHistory.calls, ['incoming:Alice']);

    // A third person is refused, and told so in words.
    const carol = await openDemo(rig.browser, url);
    await carol.evaluate(() => document.querySelector('video-call')!.start());
    await waitForState(carol, 'full');
    assert.match(await statusText(carol), /full/);
    assert.deepEqual(await errorCodes(carol), ['room-full']);
    // … and the call goes on.
    assert.equal(await stateOf(alice), 'connected');
    await expectRemoteVideoPlaying(bob);

    // Hang up: both sides end, with their reasons, and a new call works on the same elements.
    await alice.evaluate(() => document.querySelector('video-call')!.hangUp());
    await waitForState(alice, 'ended');
    await waitForState(bob, 'ended');
    assert.equal((await history(alice)).calls.at(-1), 'ended:hang-up');
    assert.equal((await history(bob)).calls.at(-1), 'ended:remote-hang-up');
    assert.match(await statusText(bob), /Alice ended the call/);
    await callAndAccept(bob, alice);
    await expectRemoteVideoPlaying(alice);

    // Leaving tells the other side, which waits again.
    await bob.evaluate(() => document.querySelector('video-call')!.leave());
    await waitForState(alice, 'waiting');
    assert.equal(await stateOf(bob), 'idle');
  });

  test('a denied camera ends in "error" with media-permission-denied and a readable status', async () => {
    const denying = await launchBrowser({ allowMedia: false });
    try {
      const page = await openDemo(denying, `${rig.service.url}/?room=e2e-denied`);
      await page.evaluate(() => document.querySelector('video-call')!.start());
      await waitForState(page, 'error');
      assert.deepEqual(await errorCodes(page), ['media-permission-denied']);
      assert.match(await statusText(page), /denied/);
    } finally {
      await denying.close();
    }
  });

  test('an unreachable service ends in "error" with signaling-unreachable', async () => {
    const page = await openDemo(rig.browser, `${rig.service.url}/?room=e2e-unreachable`);
    // Port 9 (discard) on loopback: nothing listens there.
    await page.evaluate(() => document.querySelector('video-call')!.setAttribute('signaling-url', 'http://127.0.0.1:9'));
    await page.evaluate(() => document.querySelector('video-call')!.start());
    await waitForState(page, 'error');
    assert.deepEqual(await errorCodes(page), ['signaling-unreachable']);
  });
});
