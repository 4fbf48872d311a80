/**
 * Makes the README's screenshots from the real demo: the built service (`npm run build` first)
 * serves it, headless Chromium with a fake camera opens it twice and the two pages call each other.
 *
 *   npm run screenshots                 # writes docs/screenshots/*.png
 *   npm run screenshots -- --all DIR    # every state at every size, into DIR (for reviewing the UI)
 *   npm run screenshots -- --group DIR  # group calls of three and four, desktop and phone, into DIR
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openDemo, startService, startWidget, waitForState } from '../widget/test/e2e/harness.js';

const args = process.argv.slice(2);
const all = args[0] === '--all';
const group = args[0] === '--group';
const outDir = (all || group ? args[1] : args[0]) ?? 'docs/screenshots';
mkdirSync(outDir, { recursive: true });

const DESKTOP = { width: 1100, height: 760 };
const PHONE = { width: 390, height: 844 };

/** Runs `script` with `el` = the page's `<video-call>`. */
const onElement = (page: Page, script: string) =>
  page.evaluate(`(async () => { const el = document.querySelector('video-call'); ${script} })()`);

async function shot(page: Page, name: string, waitMs = 600): Promise<void> {
  await page.waitForTimeout(waitMs); // let the fake camera's frames and the layout settle
  await page.screenshot({ path: `${outDir}/${name}.png` });
  console.log(`${outDir}/${name}.png`);
}

async function open(browser: Browser, serviceUrl: string, query: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await openDemo(browser, `${serviceUrl}/?${query}`);
  await page.setViewportSize(viewport);
  return page;
}

/** A connected call between two pages; `query` sets room, language and theme of both. */
async function connectedPair(browser: Browser, serviceUrl: string, query: string, viewport: typeof DESKTOP): Promise<[Page, Page]> {
  const alice = await open(browser, serviceUrl, `${query}&name=Alice`, viewport);
  const bob = await open(browser, serviceUrl, `${query}&name=Bob`, viewport);
  await startWidget(alice);
  await waitForState(alice, 'waiting');
  await startWidget(bob);
  await waitForState(alice, 'ready');
  await onElement(alice, 'await el.call();');
  await waitForState(bob, 'incoming');
  return [alice, bob];
}

/**
 * Group calls: Alice rings Bob, Carol and Dan; Bob and Carol accept, Dan declines, then joins;
 * each state shot from one of them, in the viewport and query of the set.
 */
async function groupShots(browser: Browser, serviceUrl: string, name: string, query: string, viewport: typeof DESKTOP): Promise<void> {
  const people = ['Alice', 'Bob', 'Carol', 'Dan'];
  const [alice, bob, carol, dan] = (await Promise.all(
    people.map((who) => open(browser, serviceUrl, `${query}&name=${who}`, viewport)),
  )) as [Page, Page, Page, Page];
  for (const page of [alice, bob, carol, dan]) await startWidget(page);
  await waitForState(alice, 'ready');
  await onElement(alice, 'await el.call();');
  for (const page of [bob, carol, dan]) await waitForState(page, 'incoming');
  await shot(alice, `${name}-01-calling-three`);
  await onElement(bob, 'el.accept();');
  await waitForState(alice, 'connected');
  await shot(carol, `${name}-02-incoming-bob-in-call`);
  await onElement(carol, 'el.accept();');
  await onElement(dan, 'el.decline();');
  await waitForState(carol, 'connected');
  await shot(alice, `${name}-03-three`, 3000);
  await shot(dan, `${name}-04-join`);
  await onElement(dan, 'await el.call();');
  await waitForState(dan, 'connected');
  await shot(alice, `${name}-05-four`, 4000);
  await onElement(alice, 'el.setMicrophoneEnabled(false);');
  await onElement(carol, 'el.setMicrophoneEnabled(false); el.setCameraEnabled(false);');
  await onElement(dan, 'el.setMicrophoneEnabled(false);');
  await shot(alice, `${name}-06-bob-speaks-carol-camera-off`, 2500);
  await onElement(bob, 'await el.shareScreen();');
  await shot(alice, `${name}-07-bob-shares`, 3000);
  await onElement(bob, 'el.stopScreenShare(); el.hangUp();');
  await shot(alice, `${name}-08-bob-left-call`, 2500);
  for (const page of [alice, bob, carol, dan]) await page.context().close();
}

const service = await startService(group ? { ROOM_CAPACITY: '4' } : {});
const browser = await launchBrowser();
let room = 0;
try {
  if (group) {
    for (const [name, query, viewport] of [
      ['group-desktop-light-en', 'lang=en', DESKTOP],
      ['group-phone-dark-fr', 'lang=fr&theme=dark', PHONE],
    ] as [string, string, typeof DESKTOP][]) {
      await groupShots(browser, service.url, name, `room=group-${Date.now().toString(36)}-${room++}&${query}`, viewport);
    }
  }
  // The README's set: desktop and phone, light and dark hosts, French and Chinese.
  const sets = group
    ? []
    : all
      ? [
          ['desktop-light-en', 'lang=en', DESKTOP],
          ['desktop-dark-en', 'lang=en&theme=dark', DESKTOP],
          ['phone-light-en', 'lang=en', PHONE],
          ['phone-dark-fr', 'lang=fr&theme=dark', PHONE],
          ['desktop-light-zh', 'lang=zh', DESKTOP],
        ]
      : [
          ['desktop-light-en', 'lang=en', DESKTOP],
          ['desktop-dark-fr', 'lang=fr&theme=dark', DESKTOP],
          ['phone-dark-en', 'lang=en&theme=dark', PHONE],
          ['phone-light-zh', 'lang=zh', PHONE],
        ];
  for (const [name, query, viewport] of sets as [string, string, typeof DESKTOP][]) {
    const q = `room=shots-${Date.now().toString(36)}-${room++}&${query}`;
    if (all) {
      const idle = await open(browser, service.url, q, viewport);
      await shot(idle, `${name}-01-idle`, 200);
      await idle.context().close();
    }
    const [alice, bob] = await connectedPair(browser, service.url, q, viewport);
    if (all) {
      await shot(alice, `${name}-02-calling`);
      await shot(bob, `${name}-03-incoming`);
    } else if (name.startsWith('desktop-dark')) {
      await shot(bob, `${name}-incoming`);
    }
    await onElement(bob, 'await el.accept();');
    await waitForState(alice, 'connected');
    await waitForState(bob, 'connected');
    await shot(bob, all ? `${name}-04-connected` : `${name}-connected`, 2500);
    if (all) {
      await onElement(alice, 'await el.setCameraEnabled(false); await el.setMicrophoneEnabled(false);');
      await shot(bob, `${name}-05-peer-camera-off`);
      await shot(alice, `${name}-06-own-camera-off`);
      await onElement(
        alice,
        'await el.setCameraEnabled(true); await el.setMicrophoneEnabled(true); el.sendMessage("Hello Bob! <b>plain text</b>");',
      );
      await bob.locator('video-call').locator('[part~="chat-button"]').click();
      await onElement(bob, 'el.sendMessage("Hi Alice 👋");');
      await shot(bob, `${name}-07-chat`);
      await bob.locator('video-call').locator('[part~="mic-button"]').hover();
      await shot(bob, `${name}-08-hover`, 200);
      await onElement(bob, 'el.hangUp();');
      await shot(bob, `${name}-09-ended`);
    }
    await alice.context().close();
    await bob.context().close();
  }
  if (all) {
    // Errors: a refused camera.
    const denied = await openDemo(await launchBrowser({ allowMedia: false }), `${service.url}/?room=denied&lang=en`);
    await startWidget(denied);
    await waitForState(denied, 'error');
    await shot(denied, 'desktop-light-en-10-camera-denied');
    await denied.context().browser()?.close();
    // The widget alone in a 320 × 240 box: the demo page with everything else hidden.
    const small = await open(browser, service.url, 'room=small&lang=en', { width: 360, height: 280 });
    await small.addStyleTag({
      content:
        'header, aside { display: none !important } main { display: block !important; margin: 20px !important; padding: 0 !important } video-call { width: 320px; height: 240px !important }',
    });
    await startWidget(small);
    await waitForState(small, 'waiting');
    await shot(small, 'compact-320x240-preview', 2000);
  }
} finally {
  await browser.close();
  await service.stop();
}
