/**
 * Firefox for the end-to-end tests: headless Firefox (Debian's firefox-esr) driven by
 * puppeteer-core over WebDriver BiDi, with Firefox's fake camera and microphone and no permission
 * prompt. Opens the demo page with the same event recording as `openDemo` in harness.ts.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { recordWidgetEvents, type CallPage } from './call-page.js';

const CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/Applications/Firefox.app/Contents/MacOS/firefox'];

/** FIREFOX_PATH, or the first Firefox found at the usual paths. Throws with a hint if none. */
export function firefoxPath(): string {
  const found = [process.env.FIREFOX_PATH, ...CANDIDATES].find((path) => path && existsSync(path));
  if (!found) throw new Error('No Firefox found: install one (apt-get install firefox-esr) or set FIREFOX_PATH.');
  return found;
}

/**
 * Preferences for real WebRTC without a person: Firefox's fake devices (one camera, "Default
 * Video Device", a moving picture; one microphone, a sine tone), camera and microphone allowed
 * without a prompt, and media that may play without a user gesture.
 */
export const FIREFOX_PREFS: Record<string, unknown> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.autoplay.default': 0,
};

/** Launches headless Firefox over WebDriver BiDi with {@link FIREFOX_PREFS}; `dumpio` pipes its output to this process's. */
export function launchFirefox(options: { dumpio?: boolean } = {}): Promise<Browser> {
  return puppeteer.launch({
    dumpio: options.dumpio ?? false,
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    extraPrefsFirefox: FIREFOX_PREFS,
    defaultViewport: { width: 1100, height: 800 },
  });
}

/**
 * Opens the demo at `url` in a fresh Firefox browser context (own cookies and storage), records
 * the widget's events in `window.__vc` as `openDemo` does, and resolves once `<video-call>` is
 * defined. Closing the returned page closes its context.
 */
export async function openDemoInFirefox(browser: Browser, url: string): Promise<CallPage> {
  const context = await browser.createBrowserContext();
  // A window of its own: Firefox paints only the selected tab of a window, and a page that is not
  // painted counts no mozPaintedFrames.
  const page = await context.newPage({ type: 'window' });
  await page.evaluateOnNewDocument(recordWidgetEvents);
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('video-call') !== undefined, { timeout: 15_000 });
  return {
    browserName: 'firefox',
    // tsc needs `fn as never`: puppeteer's parameter type (EvaluateFunc<[A]>) stays a deferred conditional type for a generic A.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- a false positive of the rule here (tsc rejects the call without it)
    evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
    async waitForFunction(fn, arg, options = {}) {
      await page.waitForFunction(fn as never, { timeout: options.timeout ?? 15_000, polling: options.polling ?? 25 }, arg);
    },
    close: () => context.close(),
  };
}
