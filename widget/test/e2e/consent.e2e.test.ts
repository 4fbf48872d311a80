/**
 * Consent, end to end: a call rings before any camera or microphone flows; the callee accepts,
 * declines or lets it ring out; the caller may cancel; and the camera is off once a call ends.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { callAndAccept, expectRemoteVideoPlaying, history, openDemo, startWidget, statusText, waitForState, useRig } from './harness.js';
import type { StatsView } from '../stats-entry.js';

/** Two started widgets in `room`, Alice and Bob, with Alice seeing Bob (`ready`). */
async function pairInRoom(browser: Browser, baseUrl: string, room: string, query = ''): Promise<[Page, Page]> {
  const alice = await openDemo(browser, `${baseUrl}/?room=${room}&name=Alice${query}`);
  const bob = await openDemo(browser, `${baseUrl}/?room=${room}&name=Bob${query}`);
  await startWidget(alice);
  await startWidget(bob);
  await waitForState(alice, 'ready');
  return [alice, bob];
}

const call = (page: Page) => page.evaluate(() => document.querySelector('video-call')!.call());
const closePages = (...pages: Page[]) => Promise.all(pages.map((page) => page.context().close()));

/**
 * RTP packets sent and received by kind, whether the transport is up, and whether any sender
 * carries one of the camera or microphone tracks of the widget's preview: all from getStats()
 * (a sender with a track has a `media-source` entry naming it, W3C webrtc-stats §8.2), so
 * connections made before the test looked (the spare one, made while the room was idle) count too.
 */
function rtp(page: Page) {
  return page.evaluate(async () => {
    const el = document.querySelector('video-call')!;
    const stats: StatsView | null = await el.getStats();
    const preview = el.shadowRoot!.querySelector<HTMLVideoElement>('[part~="local-video"]')!.srcObject as MediaStream | null;
    const captured = new Set(preview?.getTracks().map((t) => t.id));
    const totals = { audioSent: 0, videoSent: 0, received: 0, iceConnected: false, cameraOrMicAttached: false };
    stats?.forEach((s) => {
      if (s.type === 'outbound-rtp') totals[s.kind === 'audio' ? 'audioSent' : 'videoSent'] += s.packetsSent ?? 0;
      if (s.type === 'inbound-rtp') totals.received += s.packetsReceived ?? 0;
      if (s.type === 'transport' && s.dtlsState === 'connected') totals.iceConnected = true;
      if (s.type === 'media-source' && s.trackIdentifier && captured.has(s.trackIdentifier)) totals.cameraOrMicAttached = true;
    });
    return totals;
  });
}

/** The live local camera and microphone tracks as the widget's preview holds them, kept on `window`. */
function holdLocalTracks(page: Page) {
  return page.evaluate(() => {
    const video = document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLVideoElement>('[part~="local-video"]')!;
    const tracks = (video.srcObject as MediaStream).getTracks();
    (window as unknown as { __tracks: MediaStreamTrack[] }).__tracks = tracks;
    return tracks.map((t) => `${t.kind}:${t.readyState}`);
  });
}

const heldTrackStates = (page: Page) =>
  page.evaluate(() => (window as unknown as { __tracks: MediaStreamTrack[] }).__tracks.map((t) => `${t.kind}:${t.readyState}`));

describe('consent: ring first, media only after accept', () => {
  const rig = useRig();

  test('no camera or microphone RTP flows while it rings, although ICE and DTLS are done; accept() → frames within moments', async () => {
    const [alice, bob] = await pairInRoom(rig.browser, rig.service.url, 'consent-rtp');
    await call(alice);
    await waitForState(bob, 'incoming');
    await waitForState(alice, 'calling');
    // Connected while it rings: the transport is up on both sides before anyone accepted.
    await bob.waitForFunction(
      async () => {
        const stats: StatsView | null = await document.querySelector('video-call')!.getStats();
        return [...(stats?.values() ?? [])].some((s) => s.type === 'transport' && s.dtlsState === 'connected');
      },
      undefined,
      { timeout: 10_000, polling: 100 },
    );
    await bob.waitForTimeout(1000); // a camera would have sent ~30 frames by now
    for (const page of [alice, bob]) {
      const totals = await rtp(page);
      assert.equal(totals.iceConnected, true);
      assert.deepEqual(
        { audioSent: totals.audioSent, videoSent: totals.videoSent, received: totals.received, attached: totals.cameraOrMicAttached },
        { audioSent: 0, videoSent: 0, received: 0, attached: false },
      );
    }
    assert.match(await statusText(bob), /Alice is calling you/);
    assert.match(await statusText(alice), /Calling Bob/);

    const firstFrameMs = await bob.evaluate(async () => {
      const el = document.querySelector('video-call')!;
      const root = el.shadowRoot!;
      const t0 = performance.now();
      el.accept();
      // Alice's tile (and its video) comes with the accept.
      // (No named inner functions: the evaluated source must not need tsx's helpers.)
      const video = await new Promise<HTMLVideoElement>((resolve) => {
        const found = root.querySelector<HTMLVideoElement>('[part~="remote-video"]');
        if (found) return resolve(found);
        const observer = new MutationObserver(() => {
          const later = root.querySelector<HTMLVideoElement>('[part~="remote-video"]');
          if (later) {
            observer.disconnect();
            resolve(later);
          }
        });
        observer.observe(root, { childList: true, subtree: true });
      });
      return new Promise<number>((resolve) => video.requestVideoFrameCallback(() => resolve(performance.now() - t0)));
    });
    console.log(`# accept() → Bob's first remote frame, ICE and DTLS done while it rang: ${firstFrameMs.toFixed(0)} ms`);
    await waitForState(alice, 'connected');
    await waitForState(bob, 'connected');
    await expectRemoteVideoPlaying(alice);
    await expectRemoteVideoPlaying(bob);
    for (const page of [alice, bob]) {
      const totals = await rtp(page);
      assert.ok(totals.audioSent > 0 && totals.cameraOrMicAttached, JSON.stringify(totals));
    }
    await closePages(alice, bob);
  });

  test('decline: both sides end with "declined", the caller is told in words', async () => {
    const [alice, bob] = await pairInRoom(rig.browser, rig.service.url, 'consent-decline');
    await call(alice);
    await waitForState(bob, 'incoming');
    await bob.evaluate(() => document.querySelector('video-call')!.decline());
    await waitForState(alice, 'ended');
    await waitForState(bob, 'ended');
    assert.deepEqual((await history(alice)).calls, ['ended:declined']);
    assert.deepEqual((await history(bob)).calls, ['incoming:Alice', 'ended:declined']);
    assert.match(await statusText(alice), /Bob declined the call/);
    assert.deepEqual((await history(alice)).errors, []);
    await closePages(alice, bob);
  });

  test('cancel while it rings: the callee hears "cancelled" and sees a missed call', async () => {
    const [alice, bob] = await pairInRoom(rig.browser, rig.service.url, 'consent-cancel');
    await call(alice);
    await waitForState(bob, 'incoming');
    await alice.evaluate(() => document.querySelector('video-call')!.hangUp());
    await waitForState(bob, 'ended');
    assert.equal((await history(alice)).calls.at(-1), 'ended:hang-up');
    assert.equal((await history(bob)).calls.at(-1), 'ended:cancelled');
    assert.match(await statusText(bob), /missed a call from Alice/);
    await closePages(alice, bob);
  });

  test('nobody answers: after the ring timeout (ring-timeout="2") both end with "no-answer"', async () => {
    const [alice, bob] = await pairInRoom(rig.browser, rig.service.url, 'consent-no-answer', '&ring=2');
    const calledAt = Date.now();
    await call(alice);
    await waitForState(bob, 'incoming');
    await waitForState(alice, 'ended', 6000);
    await waitForState(bob, 'ended', 6000);
    const ms = Date.now() - calledAt;
    assert.ok(ms >= 1900, `ended after ${ms} ms`);
    assert.equal((await history(alice)).calls.at(-1), 'ended:no-answer');
    assert.equal((await history(bob)).calls.at(-1), 'ended:no-answer');
    assert.match(await statusText(alice), /Bob did not answer/);
    await closePages(alice, bob);
  });

  test('the camera is off once the call ends, and on again for the next call', async () => {
    const [alice, bob] = await pairInRoom(rig.browser, rig.service.url, 'consent-camera');
    await callAndAccept(alice, bob);
    assert.deepEqual(await holdLocalTracks(alice), ['audio:live', 'video:live']);
    assert.deepEqual(await holdLocalTracks(bob), ['audio:live', 'video:live']);
    await bob.evaluate(() => document.querySelector('video-call')!.hangUp());
    await waitForState(alice, 'ended');
    // Every captured track stopped on both sides: the camera light goes off.
    assert.deepEqual(await heldTrackStates(alice), ['audio:ended', 'video:ended']);
    assert.deepEqual(await heldTrackStates(bob), ['audio:ended', 'video:ended']);
    const previewShown = (page: Page) =>
      page.evaluate(
        () => !document.querySelector('video-call')!.shadowRoot!.querySelector('[part~="local-video"]')!.hasAttribute('hidden'),
      );
    assert.equal(await previewShown(alice), false);
    // The next call captures again, and media flows both ways.
    await callAndAccept(bob, alice);
    // Alice's leg was connected while it rang: she may be `connected` before her camera is back.
    await alice.waitForFunction(
      () => !document.querySelector('video-call')!.shadowRoot!.querySelector('[part~="local-video"]')!.hasAttribute('hidden'),
      undefined,
      { timeout: 10_000 },
    );
    await expectRemoteVideoPlaying(alice);
    await expectRemoteVideoPlaying(bob);
    await closePages(alice, bob);
  });

  test('auto-answer: the call connects without Accept', async () => {
    const [alice, bob] = await pairInRoom(rig.browser, rig.service.url, 'consent-auto', '&autoanswer');
    await call(alice);
    await waitForState(alice, 'connected');
    await waitForState(bob, 'connected');
    assert.deepEqual((await history(bob)).calls, ['incoming:Alice']);
    await expectRemoteVideoPlaying(bob);
    await closePages(alice, bob);
  });
});
