/**
 * One flow of the call bench (see call-bench.ts for what is measured and why it is fair): two
 * people, Alice and Bob, each in a fresh browser context, in a fresh room; Alice calls.
 *
 * Every measured interval starts inside a page (`__bench.invoke`) and ends at a time recorded in
 * a page (bench/instrument.js): DevTools round trips of the steps in between are not measured.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { INSTRUMENT_FILE, type PageOptions, type PageServer, type PageSummary } from './pages.js';

/** Pause between "both in the room" and `call()`, the same for every flow (capture and ICE servers settle). */
const SETTLE_MS = 300;
/** Longest wait for any one step of a flow. */
const STEP_TIMEOUT_MS = 15_000;
/** Longest wait, in the accept flow, for Bob's connection before he accepts anyway. */
const RINGING_CONNECT_CAP_MS = 3_000;
/**
 * In the accept flow, Bob accepts this long after his connection came up while ringing: a person
 * takes longer than that to see who calls and press Accept.
 */
const ACCEPT_AFTER_MS = 1_000;

export type Flow = 'widget' | 'vanilla' | 'accept';
/** One flow's figures in ms (absent when not measured); `error` when the flow broke. */
export interface Figures {
  connected?: number;
  frameCaller?: number;
  frameCallee?: number;
  acceptCallee?: number;
  acceptCaller?: number;
  /** accept flow: Bob's connection was up before he accepted. */
  connectedWhileRinging?: boolean;
  /** accept flow: Alice saw a remote frame before Bob accepted (should never happen). */
  earlyFrame?: boolean;
  error?: string;
}

const bench = (page: Page) => ({
  evaluate: <R>(fn: () => R) => page.evaluate(fn),
  summary: () => page.evaluate(() => window.__bench.summary()),
  waitFor: (fn: () => unknown, timeout = STEP_TIMEOUT_MS) => page.waitForFunction(fn, undefined, { timeout, polling: 10 }),
});

async function openPerson(browser: Browser, pages: PageServer, options: PageOptions) {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await context.newPage();
  await page.addInitScript({ path: INSTRUMENT_FILE });
  await page.goto(pages.url(options));
  const tag = options.element === 'widget' ? 'video-call' : 'vanilla-call';
  await page.waitForFunction((name) => customElements.get(name) !== undefined, tag, { timeout: STEP_TIMEOUT_MS });
  return { page, context, ...bench(page) };
}

/** Runs one flow in a fresh room with two fresh contexts; returns its figures. */
export async function runFlow(browser: Browser, pages: PageServer, flow: Flow): Promise<Figures & { hasAccept: boolean }> {
  const room = `bench-${flow}-${randomBytes(6).toString('hex')}`;
  const element = flow === 'vanilla' ? 'vanilla' : 'widget';
  const common = { element, room, autoAnswer: flow === 'widget' } as const;
  const alice = await openPerson(browser, pages, { ...common, name: 'Alice' });
  const bob = await openPerson(browser, pages, { ...common, name: 'Bob' }).catch(async (error) => {
    await alice.context.close();
    throw error;
  });
  let hasAccept = false;
  try {
    await alice.evaluate(() => window.__bench.element()!.start());
    await bob.evaluate(() => window.__bench.element()!.start());
    await alice.waitFor(() => window.__bench.element()!.state === 'ready');
    await bob.waitFor(() => window.__bench.element()!.state === 'ready');
    hasAccept = (await bob.summary()).hasAccept;
    if (flow === 'accept' && !hasAccept) return { hasAccept };
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    for (const person of [alice, bob]) await person.evaluate(() => window.__bench.watchFrame('call'));
    await alice.evaluate(() => window.__bench.invoke('call'));

    if (flow !== 'accept') {
      await alice.waitFor(() => window.__bench.connected.some((t) => t >= window.__bench.marks.call!) && window.__bench.frames.call !== undefined);
      await bob.waitFor(() => window.__bench.frames.call !== undefined);
      const [a, b] = [await alice.summary(), await bob.summary()];
      const t0 = a.marks.call!;
      const connected = a.connected.find((t) => t >= t0)! - t0;
      return { hasAccept, connected, frameCaller: a.frames.call! - t0, frameCallee: b.frames.call! - t0 };
    }

    await bob.waitFor(() => window.__bench.element()!.state === 'incoming');
    const connectedWhileRinging = await bob
      .waitFor(() => window.__bench.connected.length > 0, RINGING_CONNECT_CAP_MS)
      .then(() => true, () => false);
    await new Promise((resolve) => setTimeout(resolve, ACCEPT_AFTER_MS));
    await alice.evaluate(() => window.__bench.watchFrame('accept'));
    await bob.evaluate(() => {
      window.__bench.watchFrame('accept');
      window.__bench.invoke('accept');
    });
    await bob.waitFor(() => window.__bench.frames.accept !== undefined);
    await alice.waitFor(() => window.__bench.frames.accept !== undefined);
    const [a, b] = [await alice.summary(), await bob.summary()];
    const t1 = b.marks.accept!;
    return {
      hasAccept,
      connectedWhileRinging,
      earlyFrame: a.frames.call !== undefined && a.frames.call < t1,
      acceptCallee: b.frames.accept! - t1,
      acceptCaller: a.frames.accept! - t1,
    };
  } catch (error) {
    const [a, b] = await Promise.all([alice.summary().catch(() => null), bob.summary().catch(() => null)]);
    const said = (s: PageSummary | null) =>
      s
        ? `state ${s.state}, ${s.connected.length} connected, frames [${Object.keys(s.frames).join(',')}]` +
          (s.errors.length ? `, errors ${s.errors.join('; ')}` : '')
        : '?';
    return { hasAccept, error: `${(error as Error).message.split('\n')[0]} (Alice: ${said(a)}; Bob: ${said(b)})` };
  } finally {
    await Promise.all([alice.context.close(), bob.context.close()]);
  }
}
