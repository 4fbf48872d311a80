/**
 * Group calls with real pages: the service with ROOM_CAPACITY=4, four demo pages in headless
 * Chromium (one context each, fake camera and microphone), a fifth refused. One scenario, in
 * steps that build on each other (each page's camera, encoders and legs are expensive to set up
 * on two cores):
 * Alice calls, Bob accepts, Carol declines, no RTP reaches Carol meanwhile, Carol joins, Dan
 * enters the room and joins, Erin finds the room full, everyone sees everyone's video, chat
 * reaches all, the speaking ring follows the one unmuted microphone, Alice hangs up and the
 * others go on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { history, launchBrowser, openDemo, startService, startWidget, waitForState, type ServiceProcess } from './harness.js';
import { videoSendingCap } from '../../src/call/bandwidth.js';
import { expectTilesPlaying, participantsOf, rtpSentTo, tileParts } from './group-pages.js';

const ROOM = 'group-e2e';

/**
 * The first video encoding's `maxBitrate` (bits/s, null without) of every open RTCPeerConnection
 * in `page` (CDP `Runtime.queryObjects`: the widget keeps its connections to itself).
 */
async function videoCapsOf(page: Page): Promise<(number | null)[]> {
  const cdp = await page.context().newCDPSession(page);
  const objectGroup = 'caps';
  try {
    const { result: prototype } = await cdp.send('Runtime.evaluate', { expression: 'RTCPeerConnection.prototype', objectGroup });
    const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: prototype.objectId!, objectGroup });
    const { result } = await cdp.send('Runtime.callFunctionOn', {
      objectId: objects.objectId!,
      functionDeclaration: `function () {
        return this.filter((pc) => pc.connectionState !== 'closed').map((pc) => {
          const sender = pc.getTransceivers()[1]?.sender;
          return sender?.getParameters().encodings?.[0]?.maxBitrate ?? null;
        });
      }`,
      returnByValue: true,
      objectGroup,
    });
    return result.value as (number | null)[];
  } finally {
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup });
    await cdp.detach();
  }
}

describe('a group call of four', () => {
  let service: ServiceProcess;
  let browser: Browser;
  const pages: Record<'alice' | 'bob' | 'carol' | 'dan' | 'erin', Page> = {} as never;
  before(async () => {
    service = await startService({ ROOM_CAPACITY: '4' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await service?.stop();
  });

  const open = async (name: keyof typeof pages) => {
    pages[name] = await openDemo(browser, `${service.url}/?room=${ROOM}&name=${name[0]!.toUpperCase()}${name.slice(1)}`);
    await startWidget(pages[name]);
    return pages[name];
  };
  const run = (page: Page, method: 'call' | 'accept' | 'decline' | 'hangUp') =>
    page.evaluate((m) => (document.querySelector('video-call') as unknown as Record<string, () => unknown>)[m]!(), method);

  test("Alice rings Bob and Carol; Bob accepts, Carol declines; nothing of Carol's or to Carol flows", async () => {
    const [alice, bob, carol] = [await open('alice'), await open('bob'), await open('carol')];
    await waitForState(alice, 'ready');
    await run(alice, 'call');
    await waitForState(bob, 'incoming');
    await waitForState(carol, 'incoming');
    // Consent: while it rings, Alice's legs to Bob and Carol carry no camera or microphone RTP.
    await alice.waitForTimeout(1000);
    assert.deepEqual(await rtpSentTo(alice, 'Carol'), { audio: 0, video: 0 }, 'nothing to Carol while it rings');
    await run(bob, 'accept');
    await waitForState(alice, 'connected');
    await waitForState(bob, 'connected');
    await run(carol, 'decline');
    await waitForState(carol, 'ended');
    await expectTilesPlaying(alice, ['Bob']);
    await expectTilesPlaying(bob, ['Alice']);
    assert.deepEqual(await rtpSentTo(alice, 'Carol'), null, 'no leg to Carol after her decline');
    assert.deepEqual((await history(carol)).calls, ['incoming:Alice', 'ended:declined']);
    assert.deepEqual((await history(alice)).calls, [], 'the call goes on for Alice');
    // Carol sees who is in the call and may join it.
    assert.equal(await carol.locator('video-call').locator('[part~="call-button"]').innerText(), 'Join');
    assert.deepEqual(
      (await participantsOf(carol))
        .filter((p) => p.inCall)
        .map((p) => p.name)
        .sort(),
      ['Alice', 'Bob'],
    );
  });

  test('Carol joins the running call: nobody rings, everyone sees everyone', async () => {
    const { alice, bob, carol } = pages;
    await run(carol, 'call');
    await waitForState(carol, 'connected');
    for (const page of [alice, bob]) assert.ok(!(await history(page)).calls.includes('incoming:Carol'), 'joining rings nobody');
    await expectTilesPlaying(alice, ['Bob', 'Carol']);
    await expectTilesPlaying(bob, ['Alice', 'Carol']);
    await expectTilesPlaying(carol, ['Alice', 'Bob']);
  });

  test('Dan enters the room and joins; Erin finds it full', async () => {
    const dan = await open('dan');
    await waitForState(dan, 'ready');
    assert.equal(await dan.locator('video-call').locator('[part~="call-button"]').innerText(), 'Join');
    await run(dan, 'call');
    await waitForState(dan, 'connected');
    await expectTilesPlaying(dan, ['Alice', 'Bob', 'Carol']);
    for (const [name, others] of [
      ['alice', ['Bob', 'Carol', 'Dan']],
      ['bob', ['Alice', 'Carol', 'Dan']],
      ['carol', ['Alice', 'Bob', 'Dan']],
    ] as const) {
      await expectTilesPlaying(pages[name], [...others]);
    }
    // Four in the call: every leg of every page caps its video for a call of four (the callee's
    // legs too, whose senders the other side's offer created).
    const cap = videoSendingCap(3).maxBitrateBps;
    for (const name of ['alice', 'bob', 'carol', 'dan'] as const) {
      assert.deepEqual(await videoCapsOf(pages[name]), [cap, cap, cap], `${name}'s legs cap their video at ${cap} bit/s`);
    }
    const erin = await openDemo(browser, `${service.url}/?room=${ROOM}&name=Erin`);
    pages.erin = erin;
    await startWidget(erin);
    await waitForState(erin, 'full');
    assert.ok((await history(erin)).errors.some((e) => e.code === 'room-full'));
  });

  test('chat reaches every participant', async () => {
    const { alice, bob, carol, dan } = pages;
    for (const page of [bob, carol, dan]) {
      await page.evaluate(() => {
        const w = window as unknown as { __messages: string[] };
        w.__messages = [];
        document.addEventListener('vc-message', (e) => w.__messages.push(`${e.detail.from.name}: ${e.detail.text}`));
      });
    }
    await alice.evaluate(() => document.querySelector('video-call')!.sendMessage('Hello all'));
    for (const page of [bob, carol, dan]) {
      await page.waitForFunction(() => (window as unknown as { __messages: string[] }).__messages.includes('Alice: Hello all'), undefined, {
        timeout: 5000,
      });
    }
  });

  test('the speaking ring follows the one unmuted microphone', async () => {
    const { alice, bob, carol, dan } = pages;
    for (const page of [alice, carol, dan]) await page.evaluate(() => document.querySelector('video-call')!.setMicrophoneEnabled(false));
    // Chromium's fake microphone beeps: Bob's level rises and falls; the others send silence.
    for (const page of [alice, carol, dan]) {
      await page.waitForFunction(
        () => document.querySelector('video-call')!.participants.some((p) => p.name === 'Bob' && p.speaking),
        undefined,
        { timeout: 10_000, polling: 100 },
      );
      const parts = await tileParts(page);
      assert.ok(
        parts.Bob?.includes('speaking'),
        `Bob's tile rings on ${await page.evaluate(() => document.querySelector('video-call')!.name)}'s page: ${JSON.stringify(parts)}`,
      );
    }
    // Only Bob: nobody else is heard.
    await alice.waitForTimeout(1500);
    const speaking = (await participantsOf(alice)).filter((p) => p.speaking).map((p) => p.name);
    assert.deepEqual(
      speaking.filter((n) => n !== 'Bob'),
      [],
      'muted participants do not ring',
    );
    await bob.evaluate(() => document.querySelector('video-call')!.setMicrophoneEnabled(false));
    await alice.waitForFunction(() => !document.querySelector('video-call')!.participants.some((p) => p.speaking), undefined, {
      timeout: 10_000,
      polling: 100,
    });
  });

  test('Alice hangs up: the others go on', async () => {
    const { alice, bob, carol, dan } = pages;
    const endings = async (page: Page) => (await history(page)).calls.filter((c) => c.startsWith('ended')).length;
    const before = await Promise.all([bob, carol, dan].map(endings));
    await run(alice, 'hangUp');
    await waitForState(alice, 'ended');
    for (const [i, [page, others]] of (
      [
        [bob, ['Carol', 'Dan']],
        [carol, ['Bob', 'Dan']],
        [dan, ['Bob', 'Carol']],
      ] as const
    ).entries()) {
      await page.waitForFunction(
        (n) => document.querySelector('video-call')!.shadowRoot!.querySelectorAll('[part~="tile"]').length === n,
        others.length,
        { timeout: 10_000 },
      );
      await expectTilesPlaying(page, [...others]);
      assert.equal(await page.evaluate(() => document.querySelector('video-call')!.state), 'connected');
      assert.equal(await endings(page), before[i], 'no vc-call-ended for those who go on');
    }
    assert.deepEqual(
      (await history(alice)).calls.filter((c) => c.startsWith('ended')),
      ['ended:hang-up'],
    );
  });
});
