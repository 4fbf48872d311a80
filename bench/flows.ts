/**
 * One flow of the call bench (see call-bench.ts for what is measured and why it is fair): two
 * people, Alice and Bob, each in a fresh browser context, in a fresh room; Alice calls. The
 * connect floor is one page instead.
 *
 * Every measured interval starts inside a page (`__bench.invoke`) and ends at a time recorded in
 * a page (bench/instrument.js): DevTools round trips of the steps in between are not measured.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { browserCpuRate } from './browser-cpu.js';
import { INSTRUMENT_FILE, type PageOptions, type PageServer, type PageSummary } from './pages.js';

/** Pause between "both in the room" and `call()`, the same for every flow (capture and ICE servers settle). */
const SETTLE_MS = 300;
/** Longest wait for any one step of a flow. */
const STEP_TIMEOUT_MS = 15_000;
/**
 * How often a wait checks the page, ms. Times are taken inside the pages, so this only sets how
 * soon the bench notices; each check is a small task in the page, so not too often.
 */
const POLL_MS = 50;
/** Longest wait, in the accept flows, for Bob's connection before he accepts anyway. */
const RINGING_CONNECT_CAP_MS = 3_000;
/**
 * In the accept flows, Bob accepts this long after his connection came up while ringing: a person
 * takes longer than that to see who calls and press Accept.
 */
const ACCEPT_AFTER_MS = 1_000;
/** In the call flows, the in-call CPU is read over this window, ms, starting this long after both first frames. */
const IN_CALL_WINDOW_MS = 1_000;
const IN_CALL_AFTER_MS = 500;

/**
 * `widget`: `<video-call auto-answer>`; `vanilla`: `<vanilla-call>`; `peerjs`: `<peerjs-call>`;
 * `accept`: `<video-call>`, Bob rings, then `accept()`s; `accept-floor`: `<vanilla-call
 * hold-media>`, Bob `accept()`s (replaceTrack) on a connection already up; `connect-floor`: two
 * RTCPeerConnections in one page (`<connect-floor>`); `widget-b` and `accept-b`: as `widget` and
 * `accept`, with the other widget build of call-bench's `--widget-b` (an A/B comparison of a change).
 */
export type Flow = 'widget' | 'widget-b' | 'vanilla' | 'peerjs' | 'accept' | 'accept-b' | 'accept-floor' | 'connect-floor';

/** One flow's figures in ms (absent when not measured); `error` when the flow broke. */
export interface Figures {
  connected?: number;
  frameCaller?: number;
  frameCallee?: number;
  acceptCallee?: number;
  acceptCaller?: number;
  /** accept flows: Bob's connection was up before he accepted. */
  connectedWhileRinging?: boolean;
  /** accept flows: Alice saw a remote frame before Bob accepted (should never happen). */
  earlyFrame?: boolean;
  /**
   * Call flows of two pages: when each set-up step first happened after `call()`, ms, keyed
   * `caller <step>` / `callee <step>` (steps of instrument.js: `pc`, `local-offer`, …).
   */
  path?: Record<string, number>;
  /**
   * Call flows: CPU used by the whole browser (every process: pages, GPU, audio, network; both
   * people) in ms per second of the call, from 0.5 s after both first frames, over 1 s.
   */
  inCallCpu?: number;
  error?: string;
}

/** Steps a caller may hook into a call flow (the trace recorder): both outside the measured interval's clock. */
export interface FlowHooks {
  /** After the frames are armed, right before `call()`, with the caller's and the callee's pages. */
  beforeInvoke?(pages: Page[]): Promise<void>;
  /** Once both first frames were seen. */
  afterFrames?(): Promise<void>;
}

const bench = (page: Page) => ({
  evaluate: <R>(fn: () => R) => page.evaluate(fn),
  summary: () => page.evaluate(() => window.__bench.summary()),
  waitFor: (fn: () => unknown, timeout = STEP_TIMEOUT_MS) => page.waitForFunction(fn, undefined, { timeout, polling: POLL_MS }),
});
type Person = Awaited<ReturnType<typeof openPerson>>;

const TAGS = { widget: 'video-call', vanilla: 'vanilla-call', peerjs: 'peerjs-call', floor: 'connect-floor', mesh: 'vanilla-mesh' };

async function openPerson(browser: Browser, pages: PageServer, options: PageOptions) {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await context.newPage();
  await page.addInitScript({ path: INSTRUMENT_FILE });
  await page.goto(pages.url(options));
  await page.waitForFunction((name) => customElements.get(name) !== undefined, TAGS[options.element], { timeout: STEP_TIMEOUT_MS });
  return { page, context, ...bench(page) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const said = (s: PageSummary | null) =>
  s
    ? `state ${s.state}, ${s.connected.length} connected, frames [${Object.keys(s.frames).join(',')}]` +
      (s.errors.length ? `, errors ${s.errors.join('; ')}` : '')
    : '?';

/** The page options of Alice and Bob for `flow`. */
function people(flow: Exclude<Flow, 'connect-floor'>, room: string): [PageOptions, PageOptions] {
  const element =
    flow.startsWith('widget') || flow === 'accept' || flow === 'accept-b' ? 'widget' : flow === 'peerjs' ? 'peerjs' : 'vanilla';
  const common = {
    element,
    room,
    autoAnswer: flow === 'widget' || flow === 'widget-b',
    holdMedia: flow === 'accept-floor',
    buildB: flow === 'widget-b' || flow === 'accept-b',
  } as const;
  return [
    { ...common, name: 'Alice', peer: 'Bob' },
    { ...common, name: 'Bob', peer: 'Alice' },
  ];
}

/** Runs one flow in a fresh room with fresh contexts; returns its figures (`hasAccept`: the element has `accept()`). */
export async function runFlow(
  browser: Browser,
  pages: PageServer,
  flow: Flow,
  hooks: FlowHooks = {},
): Promise<Figures & { hasAccept: boolean }> {
  const room = `bench-${flow}-${randomBytes(6).toString('hex')}`;
  if (flow === 'connect-floor') return { hasAccept: false, ...(await connectFloor(browser, pages, room, hooks)) };
  const [aliceOptions, bobOptions] = people(flow, room);
  const alice = await openPerson(browser, pages, aliceOptions);
  const bob = await openPerson(browser, pages, bobOptions).catch(async (error) => {
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
    const accepting = flow === 'accept' || flow === 'accept-b';
    if (accepting && !hasAccept) return { hasAccept };
    await sleep(SETTLE_MS);
    for (const person of [alice, bob]) await person.evaluate(() => window.__bench.watchFrame('call'));
    if (accepting || flow === 'accept-floor') return { hasAccept, ...(await acceptSteps(flow, alice, bob)) };

    await hooks.beforeInvoke?.([alice.page, bob.page]);
    await alice.evaluate(() => window.__bench.invoke('call'));
    await alice.waitFor(
      () => window.__bench.connected.some((t) => t >= window.__bench.marks.call!) && window.__bench.frames.call !== undefined,
    );
    await bob.waitFor(() => window.__bench.frames.call !== undefined);
    await hooks.afterFrames?.();
    await sleep(IN_CALL_AFTER_MS);
    const inCallCpu = await browserCpuRate(IN_CALL_WINDOW_MS);
    const [a, b] = [await alice.summary(), await bob.summary()];
    const t0 = a.marks.call!;
    const connected = a.connected.find((t) => t >= t0)! - t0;
    const path: Record<string, number> = {};
    for (const [side, s] of [
      ['caller', a],
      ['callee', b],
    ] as const) {
      for (const [label, t] of s.steps) if (t >= t0) path[`${side} ${label}`] ??= t - t0;
    }
    return { hasAccept, connected, frameCaller: a.frames.call! - t0, frameCallee: b.frames.call! - t0, path, inCallCpu };
  } catch (error) {
    const [a, b] = await Promise.all([alice.summary().catch(() => null), bob.summary().catch(() => null)]);
    return { hasAccept, error: `${(error as Error).message.split('\n')[0]} (Alice: ${said(a)}; Bob: ${said(b)})` };
  } finally {
    await Promise.all([alice.context.close(), bob.context.close()]);
  }
}

/**
 * The accept flows, from `call()` on: Alice calls; Bob's connection comes up while he rings (the
 * widget) or holds its media (the accept floor); 1 s later Bob `accept()`s. Timed from `accept()`.
 */
async function acceptSteps(flow: 'accept' | 'accept-b' | 'accept-floor', alice: Person, bob: Person): Promise<Figures> {
  await alice.evaluate(() => window.__bench.invoke('call'));
  if (flow !== 'accept-floor') await bob.waitFor(() => window.__bench.element()!.state === 'incoming');
  const connectedWhileRinging = await bob
    .waitFor(() => window.__bench.connected.length > 0, RINGING_CONNECT_CAP_MS)
    .then(
      () => true,
      () => false,
    );
  await sleep(ACCEPT_AFTER_MS);
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
    connectedWhileRinging,
    earlyFrame: a.frames.call !== undefined && a.frames.call < t1,
    acceptCallee: b.frames.accept! - t1,
    acceptCaller: a.frames.accept! - t1,
  };
}

/** The connect floor: one page, two RTCPeerConnections; `call()` → connected and → each side's first frame. */
async function connectFloor(browser: Browser, pages: PageServer, room: string, hooks: FlowHooks): Promise<Figures> {
  const floor = await openPerson(browser, pages, { element: 'floor', room, name: 'Floor' });
  try {
    await floor.evaluate(() => window.__bench.element()!.start());
    await floor.waitFor(() => window.__bench.element()!.state === 'ready');
    await sleep(SETTLE_MS);
    await floor.evaluate(() => {
      window.__bench.watchFrame('call');
      window.__bench.watchFrame('call-caller', 'caller-remote-video');
    });
    await hooks.beforeInvoke?.([floor.page]);
    await floor.evaluate(() => window.__bench.invoke('call'));
    await floor.waitFor(() => {
      const b = window.__bench;
      return b.connected.some((t) => t >= b.marks.call!) && b.frames.call !== undefined && b.frames['call-caller'] !== undefined;
    });
    await hooks.afterFrames?.();
    const f = await floor.summary();
    const t0 = f.marks.call!;
    return {
      connected: f.connected.find((t) => t >= t0)! - t0,
      frameCaller: f.frames['call-caller']! - t0,
      frameCallee: f.frames.call! - t0,
    };
  } catch (error) {
    return { error: `${(error as Error).message.split('\n')[0]} (floor: ${said(await floor.summary().catch(() => null))})` };
  } finally {
    await floor.context.close();
  }
}
