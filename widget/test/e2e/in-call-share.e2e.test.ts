/**
 * In the call, what goes beyond camera and microphone: a shared screen shown large on the other
 * side, the connection-quality indicator under a simulated loss, and the device pickers, with a
 * camera switched mid-call without renegotiation.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectRemoteVideoPlaying, openConnectedPair, useRig } from './harness.js';
import type { StatsView } from '../stats-entry.js';
import { hasPart, partText } from './widget-parts.js';

/** From now on, counts the page's setLocalDescription calls: every negotiation makes one. */
const countNegotiations = (page: Page) =>
  page.evaluate(() => {
    const proto = RTCPeerConnection.prototype;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the page's own method, called below with .call(this)
    const native: (this: RTCPeerConnection, description?: RTCLocalSessionDescriptionInit) => Promise<void> = proto.setLocalDescription;
    (window as unknown as { __negotiations: number }).__negotiations = 0;
    proto.setLocalDescription = function (this: RTCPeerConnection, description?: RTCLocalSessionDescriptionInit) {
      (window as unknown as { __negotiations: number }).__negotiations++;
      return native.call(this, description);
    };
  });
const negotiations = (page: Page) => page.evaluate(() => (window as unknown as { __negotiations: number }).__negotiations);

describe('in the call: screen, quality, devices', () => {
  const rig = useRig();

  test('screen share: the other side shows the screen large at its full size; stopping (or the browser bar) flips back', async () => {
    const [alice, bob] = await openConnectedPair(rig.browser, `${rig.service.url}/?room=in-call-screen`);
    const waitForSharing = (value: boolean) =>
      bob.waitForFunction((v) => document.querySelector('video-call')!.peer?.screenSharing === v, value, { timeout: 5000, polling: 20 });
    await bob.evaluate(() => {
      const el = document.querySelector('video-call')!;
      (window as unknown as { __shareSeen: Promise<number> }).__shareSeen = new Promise((resolve) => {
        // The first frame of the screen video, as soon as the element shows it.
        const timer = setInterval(() => {
          const video = el.shadowRoot!.querySelector<HTMLVideoElement>('[part~="remote-screen"]');
          if (!video?.srcObject) return;
          clearInterval(timer);
          video.requestVideoFrameCallback(() => resolve(performance.timeOrigin + performance.now()));
        }, 5);
      });
    });
    const startedAt = await alice.evaluate(async () => {
      const t0 = performance.timeOrigin + performance.now();
      await document.querySelector('video-call')!.shareScreen();
      return t0;
    });
    await waitForSharing(true);
    const firstFrameAt = await bob.evaluate(() => (window as unknown as { __shareSeen: Promise<number> }).__shareSeen);
    console.log(
      `# shareScreen() → first frame of the screen on the other side: ${(firstFrameAt - startedAt).toFixed(0)} ms (the call's first share: one renegotiation)`,
    );
    assert.equal(await alice.evaluate(() => document.querySelector('video-call')!.screenSharing), true);
    // The capture's full size arrives (headless Chromium captures its window), kept under a
    // tight bitrate by contentHint 'detail'.
    const captured = await alice.evaluate(async () => {
      const stats: StatsView | null = await document.querySelector('video-call')!.getStats();
      // The camera's video is m-line 1; the screen's came with the first share.
      const screenOut = [...(stats?.values() ?? [])].find((s) => s.type === 'outbound-rtp' && s.kind === 'video' && s.mid !== '1');
      return { width: screenOut?.frameWidth as number, height: screenOut?.frameHeight as number };
    });
    assert.ok(captured.width >= 640, JSON.stringify(captured));
    await bob.waitForFunction(
      (w) => document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLVideoElement>('[part~="remote-screen"]')!.videoWidth === w,
      captured.width,
      { timeout: 10_000 },
    );
    const screen = await bob.evaluate(() => {
      const video = document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLVideoElement>('[part~="remote-screen"]')!;
      return { width: video.videoWidth, height: video.videoHeight, fit: getComputedStyle(video).objectFit, hidden: video.hidden };
    });
    console.log(`# screen share received at ${screen.width}×${screen.height}`);
    assert.deepEqual(screen, { ...captured, fit: 'contain', hidden: false });
    // The camera still plays, small, beside it.
    const cameraBox = await bob.evaluate(
      () => document.querySelector('video-call')!.shadowRoot!.querySelector('[part~="remote-video"]')!.getBoundingClientRect().width,
    );
    const stageBox = await bob.evaluate(
      () => document.querySelector('video-call')!.shadowRoot!.querySelector('[part~="stage"]')!.getBoundingClientRect().width,
    );
    assert.ok(cameraBox < stageBox / 2, `camera ${cameraBox}px in a ${stageBox}px stage`);

    await alice.evaluate(() => document.querySelector('video-call')!.stopScreenShare());
    await waitForSharing(false);
    // Sharing again in the same call reuses the screen's transceivers: no renegotiation.
    await countNegotiations(alice);
    const again = Date.now();
    await alice.evaluate(() => document.querySelector('video-call')!.shareScreen());
    await waitForSharing(true);
    console.log(`# second share in the same call → the peer shows it: ${Date.now() - again} ms, no renegotiation`);
    assert.equal(await negotiations(alice), 0);
    await alice.evaluate(() => document.querySelector('video-call')!.stopScreenShare());
    await waitForSharing(false);
    // Sharing again, then stopped from the browser's own bar: the capture's video track ends.
    await alice.evaluate(() => {
      const devices = navigator.mediaDevices;
      const capture = devices.getDisplayMedia.bind(devices);
      devices.getDisplayMedia = async (options) => {
        const stream = await capture(options);
        (window as unknown as { __screen: MediaStream }).__screen = stream;
        return stream;
      };
    });
    await alice.evaluate(() => document.querySelector('video-call')!.shareScreen());
    await waitForSharing(true);
    await alice.evaluate(() => {
      const track = (window as unknown as { __screen: MediaStream }).__screen.getVideoTracks()[0]!;
      track.stop(); // what the browser's "Stop sharing" does; stop() itself fires no 'ended'
      track.dispatchEvent(new Event('ended'));
    });
    await waitForSharing(false);
    assert.equal(await alice.evaluate(() => document.querySelector('video-call')!.screenSharing), false);
    await alice.context().close();
    await bob.context().close();
  });

  test('connection quality: good, then poor under a simulated loss, and good again; the indicator shows the figures', async () => {
    const [alice, bob] = await openConnectedPair(rig.browser, `${rig.service.url}/?room=in-call-quality`);
    const waitForQuality = (level: string) =>
      bob.waitForFunction((l) => document.querySelector('video-call')!.quality === l, level, { timeout: 15_000, polling: 100 });
    await waitForQuality('good');
    assert.match((await partText(bob, 'quality'))!, /^Good connection/);
    // Simulated loss: Bob's stats report a quarter of what he receives as lost.
    await bob.evaluate(() => {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- the page's own method, called below with .apply(this)
      const native = RTCPeerConnection.prototype.getStats;
      (window as unknown as { __nativeGetStats: typeof native }).__nativeGetStats = native;
      RTCPeerConnection.prototype.getStats = async function (this: RTCPeerConnection, ...args: [MediaStreamTrack?]) {
        const report = await native.apply(this, args);
        const copy = new Map<string, Record<string, unknown>>();
        report.forEach((stat: Record<string, unknown>) => {
          if (stat.type === 'inbound-rtp' && typeof stat.packetsReceived === 'number') {
            const received = stat.packetsReceived;
            copy.set(stat.id as string, {
              ...stat,
              packetsReceived: Math.round(received * 0.75),
              packetsLost: Math.round(received * 0.25),
            });
          } else copy.set(stat.id as string, stat);
        });
        return copy;
      };
    });
    await waitForQuality('poor');
    const details = await bob.evaluate(() =>
      document.querySelector('video-call')!.shadowRoot!.querySelector('[part~="quality"]')!.getAttribute('aria-label'),
    );
    assert.match(details!, /^Poor connection: .*loss \d+(\.\d)? %/);
    await bob.evaluate(() => {
      RTCPeerConnection.prototype.getStats = (
        window as unknown as { __nativeGetStats: typeof RTCPeerConnection.prototype.getStats }
      ).__nativeGetStats;
    });
    await waitForQuality('good');
    await alice.context().close();
    await bob.context().close();
  });

  test('devices: pickers with the preview; switching the camera mid-call keeps the call, with no renegotiation', async () => {
    const [alice, bob] = await openConnectedPair(rig.browser, `${rig.service.url}/?room=in-call-devices`);
    const devices = await alice.evaluate(async () => {
      const lists = await document.querySelector('video-call')!.getDevices();
      return { cameras: lists.videoinput.map((d) => d.label), microphones: lists.audioinput.length };
    });
    assert.ok(devices.cameras.includes('fake_device_2'), JSON.stringify(devices));
    // During the call the pickers open from the Devices button.
    await alice.locator('video-call').locator('[part~="devices-button"]').click();
    assert.equal(await hasPart(alice, 'camera-picker'), true);
    assert.equal(await hasPart(alice, 'mic-level'), true);

    // Count negotiations from now on: a switch must not make one.
    await countNegotiations(alice);
    const outgoingCamera = () =>
      alice.evaluate(async () => {
        const stats: StatsView | null = await document.querySelector('video-call')!.getStats();
        const all = [...(stats?.values() ?? [])];
        const out = all.find((s) => s.type === 'outbound-rtp' && s.kind === 'video' && s.mid === '1');
        const source = out && all.find((s) => s.id === out.mediaSourceId);
        const preview = document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLVideoElement>('[part~="local-video"]')!;
        const track = (preview.srcObject as MediaStream).getVideoTracks()[0]!;
        return { label: track.label, sourceTrack: source?.trackIdentifier === track.id };
      });
    assert.deepEqual(await outgoingCamera(), { label: 'fake_device_0', sourceTrack: true });
    const startedAt = Date.now();
    await alice.evaluate(async () => {
      const lists = await document.querySelector('video-call')!.getDevices();
      const second = lists.videoinput.find((d) => d.label === 'fake_device_2')!;
      await document.querySelector('video-call')!.switchDevice('videoinput', second.deviceId);
    });
    console.log(`# camera switch mid-call (capture + replaceTrack): ${Date.now() - startedAt} ms`);
    await alice.waitForFunction(
      async () => {
        const stats: StatsView | null = await document.querySelector('video-call')!.getStats();
        const all = [...(stats?.values() ?? [])];
        const out = all.find((s) => s.type === 'outbound-rtp' && s.kind === 'video' && s.mid === '1');
        const source = out && all.find((s) => s.id === out.mediaSourceId);
        const preview = document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLVideoElement>('[part~="local-video"]')!;
        return source?.trackIdentifier === (preview.srcObject as MediaStream).getVideoTracks()[0]!.id;
      },
      undefined,
      { timeout: 5000 },
    );
    assert.equal((await outgoingCamera()).label, 'fake_device_2');
    await expectRemoteVideoPlaying(bob);
    assert.equal(await negotiations(alice), 0);
    assert.equal(await alice.evaluate(() => document.querySelector('video-call')!.state), 'connected');
    await alice.context().close();
    await bob.context().close();
  });
});
