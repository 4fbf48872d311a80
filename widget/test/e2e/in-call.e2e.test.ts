/**
 * In the call: what the other person does is visible (microphone, camera), and the two chat,
 * over the call's own data channel.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectRemoteVideoPlaying, openConnectedPair, useRig, waitForState } from './harness.js';
import type { StatsView } from '../stats-entry.js';

const peerOf = (page: Page) => page.evaluate(() => document.querySelector('video-call')!.peer);
const hasPart = (page: Page, part: string) =>
  page.evaluate((p) => document.querySelector('video-call')!.shadowRoot!.querySelector(`[part~="${p}"]`) !== null, part);
const partText = (page: Page, part: string) =>
  page.evaluate(
    (p) => document.querySelector('video-call')!.shadowRoot!.querySelector(`[part~="${p}"]`)?.textContent?.trim() ?? null,
    part,
  );

/** Waits until `page`'s `peer` has `field` equal to `value`. */
const waitForPeer = (page: Page, field: 'microphoneEnabled' | 'cameraEnabled', value: boolean) =>
  page.waitForFunction(([f, v]) => document.querySelector('video-call')!.peer?.[f as 'cameraEnabled'] === v, [field, value] as const, {
    timeout: 5000,
    polling: 20,
  });

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

/** Records every `vc-peer-change` and `vc-message` detail on the page. */
const recordDetails = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __changes: unknown[]; __messages: { from: { name: string }; text: string }[] };
    w.__changes = [];
    w.__messages = [];
    document.addEventListener('vc-peer-change', (e) => w.__changes.push(e.detail.peer));
    document.addEventListener('vc-message', (e) => w.__messages.push(e.detail));
  });
const messagesOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { __messages: { from: { name: string }; text: string }[] }).__messages);

describe('in the call', () => {
  const rig = useRig();

  test('camera off and mute show on the other side, and back; vc-peer-change reports each change', async () => {
    const [alice, bob] = await openConnectedPair(rig.browser, `${rig.service.url}/?room=in-call-media`);
    await recordDetails(bob);
    assert.deepEqual(await peerOf(bob), {
      id: (await peerOf(bob))!.id,
      name: 'Alice',
      microphoneEnabled: true,
      cameraEnabled: true,
      screenSharing: false,
    });
    assert.equal(await partText(bob, 'remote-name'), 'Alice');

    await alice.evaluate(() => document.querySelector('video-call')!.setCameraEnabled(false));
    await waitForPeer(bob, 'cameraEnabled', false);
    assert.equal(await hasPart(bob, 'remote-placeholder'), true);
    assert.match((await partText(bob, 'remote-placeholder'))!, /^A\s+Alice turned the camera off$/);
    assert.equal(await alice.evaluate(() => document.querySelector('video-call')!.cameraEnabled), false);
    assert.equal(await hasPart(alice, 'local-off'), true, 'Alice is told her own camera is off');

    await alice.evaluate(() => document.querySelector('video-call')!.setMicrophoneEnabled(false));
    await waitForPeer(bob, 'microphoneEnabled', false);
    assert.equal(await hasPart(bob, 'remote-muted'), true);

    // The built-in buttons do the same.
    await alice.locator('video-call').locator('[part~="camera-button"]').click();
    await alice.locator('video-call').locator('[part~="mic-button"]').click();
    await waitForPeer(bob, 'cameraEnabled', true);
    await waitForPeer(bob, 'microphoneEnabled', true);
    assert.equal(await hasPart(bob, 'remote-placeholder'), false);
    assert.equal(await hasPart(bob, 'remote-muted'), false);
    const changes = await bob.evaluate(
      () => (window as unknown as { __changes: { cameraEnabled: boolean; microphoneEnabled: boolean }[] }).__changes,
    );
    assert.deepEqual(
      changes.map((p) => [p.cameraEnabled, p.microphoneEnabled]),
      [
        [false, true],
        [false, false],
        [true, false],
        [true, true],
      ],
    );
    await alice.context().close();
    await bob.context().close();
  });

  test('chat both ways over the data channel during the call, through the service after it; a hostile string is shown as text', async () => {
    const [alice, bob] = await openConnectedPair(rig.browser, `${rig.service.url}/?room=in-call-chat`);
    await recordDetails(alice);
    await recordDetails(bob);
    const hostile = '<img src=x onerror="window.__pwned=1"><b>hi</b>';
    await alice.evaluate((text) => document.querySelector('video-call')!.sendMessage(text), hostile);
    await bob.waitForFunction(() => (window as unknown as { __messages: unknown[] }).__messages.length === 1);
    assert.deepEqual(
      (await messagesOf(bob)).map((m) => [m.from.name, m.text]),
      [['Alice', hostile]],
    );
    assert.deepEqual(
      (await messagesOf(alice)).map((m) => m.text),
      [hostile],
      'vc-message fires for a sent message too',
    );

    // Bob sees an unread count, opens the panel, reads it as text, and answers through the form.
    assert.equal(await partText(bob, 'chat-unread'), '1');
    const chat = bob.locator('video-call');
    await chat.locator('[part~="chat-button"]').click();
    assert.equal(await hasPart(bob, 'chat-unread'), false);
    assert.match((await partText(bob, 'chat'))!, /Alice.*<img src=x onerror="window.__pwned=1"><b>hi<\/b>/s);
    assert.equal(
      await bob.evaluate(() => document.querySelector('video-call')!.shadowRoot!.querySelector('[part~="chat"] img, [part~="chat"] b')),
      null,
    );
    await chat.locator('[part~="chat-input"]').fill('Hello Alice');
    await chat.locator('[part~="chat-send-button"]').click();
    await alice.waitForFunction(() => (window as unknown as { __messages: unknown[] }).__messages.length === 2);
    assert.deepEqual(
      (await messagesOf(alice)).map((m) => [m.from.name, m.text]),
      [
        ['', hostile],
        ['Bob', 'Hello Alice'],
      ],
    );
    assert.equal(await bob.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);

    // It went peer to peer: the data channel carried it.
    const channel = await alice.evaluate(async () => {
      const stats: StatsView | null = await document.querySelector('video-call')!.getStats();
      const dc = [...(stats?.values() ?? [])].find((s) => s.type === 'data-channel');
      return { sent: dc?.messagesSent ?? 0, received: dc?.messagesReceived ?? 0 };
    });
    assert.ok(channel.sent >= 1 && channel.received >= 1, JSON.stringify(channel));

    // Bad messages are refused with a clear error and send nothing.
    const refused = await alice.evaluate(() => {
      const el = document.querySelector('video-call')!;
      const names: string[] = [];
      for (const text of ['', '   ', 'x'.repeat(2001)]) {
        try {
          el.sendMessage(text);
        } catch (error) {
          names.push((error as DOMException).name);
        }
      }
      return names;
    });
    assert.deepEqual(refused, ['SyntaxError', 'SyntaxError', 'SyntaxError']);
    // After the call, chat goes on through the service's room relay (no data channel any more).
    await alice.evaluate(() => document.querySelector('video-call')!.hangUp());
    await waitForState(bob, 'ended');
    await alice.evaluate(() => document.querySelector('video-call')!.sendMessage('still there?'));
    await bob.waitForFunction(() => (window as unknown as { __messages: unknown[] }).__messages.length === 3);
    assert.deepEqual((await messagesOf(bob)).at(-1)!.text, 'still there?');
    // Nobody in the room: refused.
    await bob.evaluate(() => document.querySelector('video-call')!.leave());
    await waitForState(alice, 'waiting');
    const alone = await alice.evaluate(() => {
      try {
        document.querySelector('video-call')!.sendMessage('anyone?');
        return 'sent';
      } catch (error) {
        return (error as DOMException).name;
      }
    });
    assert.equal(alone, 'InvalidStateError');
    await alice.context().close();
    await bob.context().close();
  });

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
