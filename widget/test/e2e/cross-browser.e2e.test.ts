/**
 * Every call works across browsers: Firefox → Chromium, Chromium → Firefox and Firefox → Firefox,
 * and a group call of three with one Firefox participant, through the real service (built by
 * `npm run build`) and the demo page, with each browser's own fake camera and microphone. Only
 * the element's public API is used: methods, properties, events and CSS parts.
 *
 * One Firefox process per person: with two pages of one Firefox process each holding a fake
 * capture, `enumerateDevices()` never settles in Firefox ESR 153 (and the browser may exit).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser as PlaywrightBrowser } from 'playwright-core';
import type { Browser as PuppeteerBrowser } from 'puppeteer-core';
import {
  expectRemoteVideoPlaying,
  history,
  localCamera,
  messagesOf,
  negotiatedCodecs,
  openDemoInChromium,
  peerOf,
  recordMessages,
  ringAndAccept,
  sendsTrack,
  startWidget,
  waitForPart,
  waitForPeer,
  waitForState,
  type CallPage,
} from './call-page.js';
import { launchFirefox, openDemoInFirefox } from './firefox.js';
import { expectTilesPlaying } from './group-pages.js';
import { launchBrowser, startService, type ServiceProcess } from './harness.js';
import type { StatsView } from '../stats-entry.js';

type BrowserName = 'chromium' | 'firefox';

let service: ServiceProcess;
let chromium: PlaywrightBrowser;
/** Two Firefox processes: the first person's and, in Firefox → Firefox, the second's. */
let firefox: [PuppeteerBrowser, PuppeteerBrowser];

before(async () => {
  // Rooms of three: the group call below has a Firefox participant.
  service = await startService({ ROOM_CAPACITY: '3' });
  const [launched, first, second] = await Promise.all([launchBrowser(), launchFirefox(), launchFirefox()]);
  chromium = launched;
  firefox = [first, second];
});
after(async () => {
  await Promise.all([chromium?.close(), ...(firefox ?? []).map((browser) => browser?.close())]);
  await service?.stop();
});

/** Opens the demo in `browser` (the `nth` Firefox process when Firefox) in `room` as `name`. */
function open(browser: BrowserName, nth: 0 | 1, room: string, name: string): Promise<CallPage> {
  const url = `${service.url}/?room=${room}&name=${name}`;
  return browser === 'chromium' ? openDemoInChromium(chromium, url) : openDemoInFirefox(firefox[nth], url);
}

/** `page` turns its microphone, then its camera, off and on; `other` sees each change, as data and as parts. */
async function muteAndCameraSeen(page: CallPage, other: CallPage): Promise<void> {
  await page.evaluate(() => document.querySelector('video-call')!.setMicrophoneEnabled(false));
  await waitForPeer(other, 'microphoneEnabled', false);
  await waitForPart(other, 'remote-muted', true);
  await page.evaluate(() => document.querySelector('video-call')!.setCameraEnabled(false));
  await waitForPeer(other, 'cameraEnabled', false);
  await waitForPart(other, 'remote-placeholder', true);
  assert.deepEqual(
    await page.evaluate(() => [
      document.querySelector('video-call')!.microphoneEnabled,
      document.querySelector('video-call')!.cameraEnabled,
    ]),
    [false, false],
  );
  await page.evaluate(() => {
    document.querySelector('video-call')!.setMicrophoneEnabled(true);
    document.querySelector('video-call')!.setCameraEnabled(true);
  });
  await waitForPeer(other, 'microphoneEnabled', true);
  await waitForPeer(other, 'cameraEnabled', true);
  await waitForPart(other, 'remote-muted', false);
  await waitForPart(other, 'remote-placeholder', false);
  await expectRemoteVideoPlaying(other);
}

/**
 * A camera switch on `page` while `other` watches. Chromium (three fake cameras) switches from
 * fake_device_0 to fake_device_2. Firefox's fake engine offers one camera only: switching to it
 * keeps the call as it is, and switching to a camera that does not exist is refused with
 * `media-not-found` (Firefox's OverconstrainedError) and leaves the call playing.
 */
async function cameraSwitch(page: CallPage, other: CallPage): Promise<void> {
  const cameras = await page.evaluate(async () =>
    (await document.querySelector('video-call')!.getDevices()).videoinput.map((d) => ({ id: d.deviceId, label: d.label })),
  );
  assert.ok(cameras.length >= 1 && cameras.every((c) => c.id && c.label), JSON.stringify(cameras));
  const before = await localCamera(page);
  assert.equal(await sendsTrack(page, before.id), true, 'the call sends the preview camera');
  const next = cameras.find((c) => c.label === 'fake_device_2') ?? cameras.find((c) => c.id !== before.deviceId);
  if (next) {
    await page.evaluate((id) => document.querySelector('video-call')!.switchDevice('videoinput', id), next.id);
    const now = await localCamera(page);
    assert.equal(now.label, next.label);
    assert.notEqual(now.id, before.id);
    console.log(`# ${page.browserName}: camera switched from ${before.label} to ${now.label} (of ${cameras.length})`);
    await page.waitForFunction(
      async (id) => {
        const stats: StatsView | null = await document.querySelector('video-call')!.getStats();
        return [...(stats?.values() ?? [])].some((s) => s.type === 'media-source' && s.trackIdentifier === id);
      },
      now.id,
      { timeout: 5000, polling: 200 },
    );
  } else {
    assert.equal(page.browserName, 'firefox', 'only Firefox has a single fake camera');
    await page.evaluate((id) => document.querySelector('video-call')!.switchDevice('videoinput', id), before.deviceId);
    assert.deepEqual(await localCamera(page), before);
    const refused = await page.evaluate(() =>
      document
        .querySelector('video-call')!
        .switchDevice('videoinput', 'no-such-camera')
        .then(
          () => 'switched',
          (error: { code?: string }) => error.code,
        ),
    );
    assert.equal(refused, 'media-not-found');
    assert.equal((await localCamera(page)).readyState, 'live');
    console.log(
      `# ${page.browserName}: one camera (${before.label}): switching to it kept the call, an unknown one was refused (media-not-found)`,
    );
  }
  await expectRemoteVideoPlaying(other);
  assert.equal(await page.evaluate(() => document.querySelector('video-call')!.state), 'connected');
}

/** Registers the tests of one direction: `callerBrowser` calls, `calleeBrowser` answers. */
function crossBrowserCall(callerBrowser: BrowserName, calleeBrowser: BrowserName): void {
  const title = `${callerBrowser} → ${calleeBrowser}`;
  describe(title, () => {
    const room = `cross-${callerBrowser}-${calleeBrowser}`;
    const callerName = `${callerBrowser === 'firefox' ? 'Fox' : 'Chrome'}Caller`;
    const calleeName = `${calleeBrowser === 'firefox' ? 'Fox' : 'Chrome'}Callee`;
    let caller: CallPage | undefined;
    let callee: CallPage | undefined;
    let connected = false;
    /** The pair once connected; the later tests need it. */
    const pair = (): [CallPage, CallPage] => {
      assert.ok(connected && caller && callee, 'no call: the ring-and-accept test failed');
      return [caller, callee];
    };
    after(async () => {
      await Promise.all([caller?.close(), callee?.close()]);
    });

    test('rings, is accepted, and video plays both ways', async () => {
      const a = (caller = await open(callerBrowser, 0, room, callerName));
      const b = (callee = await open(calleeBrowser, 1, room, calleeName));
      await ringAndAccept(a, b, callerName);
      connected = true;
      const [toCallee, toCaller] = [await expectRemoteVideoPlaying(b), await expectRemoteVideoPlaying(a)];
      assert.equal((await peerOf(a))?.name, calleeName);
      assert.equal((await peerOf(b))?.name, callerName);
      const codecs = await negotiatedCodecs(a);
      console.log(
        `# ${title}: ${codecs.map((c) => `${c.direction} ${c.kind} ${c.mimeType}`).join(', ')}; ` +
          `${calleeBrowser} receives ${toCallee.width} px wide, ${callerBrowser} ${toCaller.width} px wide`,
      );
      assert.equal(codecs.length, 4, JSON.stringify(codecs));
      assert.ok(
        codecs.every((c) => (c.kind === 'audio' ? c.mimeType === 'audio/opus' : /^video\//.test(c.mimeType))),
        JSON.stringify(codecs),
      );
      // Both ends agree on the video codec in each direction.
      const other = await negotiatedCodecs(b);
      const codecOf = (list: typeof codecs, direction: string) =>
        list.find((c) => c.kind === 'video' && c.direction === direction)?.mimeType;
      assert.equal(codecOf(codecs, 'outbound-rtp'), codecOf(other, 'inbound-rtp'));
      assert.equal(codecOf(other, 'outbound-rtp'), codecOf(codecs, 'inbound-rtp'));
      // The quality indicator reads each browser's stats (Firefox has no availableOutgoingBitrate).
      for (const page of [a, b]) {
        await page.waitForFunction(() => document.querySelector('video-call')!.quality !== null, undefined, {
          timeout: 10_000,
          polling: 200,
        });
        assert.notEqual(await page.evaluate(() => document.querySelector('video-call')!.quality), 'lost');
      }
    });

    test("each side sees the other's microphone and camera state", async () => {
      const [a, b] = pair();
      await muteAndCameraSeen(a, b);
      await muteAndCameraSeen(b, a);
    });

    test('chat both ways', async () => {
      const [a, b] = pair();
      const hello = 'Hello, how are you? — ça va ? 你好';
      const count = (n: number) => (window as unknown as { __messages: unknown[] }).__messages.length === n;
      await Promise.all([recordMessages(a), recordMessages(b)]);
      await a.evaluate((text) => document.querySelector('video-call')!.sendMessage(text), hello);
      await b.waitForFunction(count, 1);
      await b.evaluate(() => document.querySelector('video-call')!.sendMessage('Fine, thanks'));
      await a.waitForFunction(count, 2);
      await b.waitForFunction(count, 2);
      // vc-message fires for each message sent and received, in order on both sides.
      const [onA, onB] = [await messagesOf(a), await messagesOf(b)];
      assert.deepEqual(
        onA.map(([, text]) => text),
        [hello, 'Fine, thanks'],
      );
      assert.deepEqual(
        onB.map(([, text]) => text),
        [hello, 'Fine, thanks'],
      );
      assert.deepEqual(onB[0], [callerName, hello]);
      assert.deepEqual(onA[1], [calleeName, 'Fine, thanks']);
    });

    test('a camera switch mid-call keeps the video playing on the other side', async () => {
      const [a, b] = pair();
      await cameraSwitch(a, b);
      if (calleeBrowser !== callerBrowser) await cameraSwitch(b, a);
    });

    test('hang-up reaches the other side', async () => {
      const [a, b] = pair();
      await b.evaluate(() => document.querySelector('video-call')!.hangUp());
      await waitForState(a, 'ended');
      await waitForState(b, 'ended');
      assert.deepEqual((await history(a)).calls, ['ended:remote-hang-up']);
      assert.deepEqual((await history(b)).calls, [`incoming:${callerName}`, 'ended:hang-up']);
      assert.deepEqual([...(await history(a)).errors, ...(await history(b)).errors], []);
    });
  });
}

crossBrowserCall('firefox', 'chromium');
crossBrowserCall('chromium', 'firefox');
crossBrowserCall('firefox', 'firefox');

describe('a group call of three with one Firefox participant', () => {
  const room = 'cross-group';
  const pages: CallPage[] = [];
  after(async () => {
    await Promise.all(pages.map((page) => page.close()));
  });

  test('Chromium rings Firefox and Chromium; both accept; everyone sees both others; chat reaches all; Firefox leaves, the call goes on', async () => {
    const alice = await open('chromium', 0, room, 'Alice');
    const fox = await open('firefox', 0, room, 'Fox');
    const carol = await open('chromium', 0, room, 'Carol');
    pages.push(alice, fox, carol);
    for (const page of [alice, fox, carol]) await startWidget(page);
    await waitForState(alice, 'ready');
    await alice.evaluate(() => document.querySelector('video-call')!.call());
    await waitForState(fox, 'incoming');
    await waitForState(carol, 'incoming');
    await fox.evaluate(() => document.querySelector('video-call')!.accept());
    await carol.evaluate(() => document.querySelector('video-call')!.accept());
    for (const page of [alice, fox, carol]) await waitForState(page, 'connected');
    await expectTilesPlaying(alice, ['Fox', 'Carol']);
    await expectTilesPlaying(fox, ['Alice', 'Carol']);
    await expectTilesPlaying(carol, ['Alice', 'Fox']);

    await Promise.all([recordMessages(alice), recordMessages(carol)]);
    await fox.evaluate(() => document.querySelector('video-call')!.sendMessage('Hello from Firefox'));
    for (const page of [alice, carol]) {
      await page.waitForFunction(() => (window as unknown as { __messages: unknown[] }).__messages.length === 1, undefined);
      assert.deepEqual(await messagesOf(page), [['Fox', 'Hello from Firefox']]);
    }

    await fox.evaluate(() => document.querySelector('video-call')!.hangUp());
    await waitForState(fox, 'ended');
    await expectTilesPlaying(alice, ['Carol']);
    await expectTilesPlaying(carol, ['Alice']);
    for (const page of [alice, carol]) assert.equal(await page.evaluate(() => document.querySelector('video-call')!.state), 'connected');
    assert.deepEqual([...(await history(alice)).errors, ...(await history(fox)).errors, ...(await history(carol)).errors], []);
  });
});
