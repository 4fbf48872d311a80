/**
 * One flow of the group bench (see group-bench.ts for what is measured and why it is fair):
 * `size` people (Alice, Bob, Carol, Dave), each in a fresh browser context, in a fresh room;
 * everyone starts, Alice calls, everyone else answers at once.
 *
 * Every measured interval starts inside Alice's page (`__group.invoke('call')`) and ends at
 * times recorded in the pages (bench/group-instrument.js): DevTools round trips of the steps in
 * between are not measured.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { measureLoad, type CallLoad } from './group-load.js';
import { GROUP_INSTRUMENT_FILE, type PageServer } from './pages.js';

/** Pause between "everyone in the room" and `call()`, the same for both elements (capture and ICE servers settle). */
const SETTLE_MS = 300;
/** Longest wait for any one step of a flow. */
const STEP_TIMEOUT_MS = 15_000;
const NAMES = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank'];

/** `widget`: `<video-call auto-answer>` on every page; `mesh`: bench/vanilla-mesh.js, the floor. */
export type GroupElement = 'widget' | 'mesh';

/** What a flow does besides the timing: measure the settled call's load (after `settleMs`, over `windowMs`). */
export interface LoadOptions {
  settleMs: number;
  windowMs: number;
}

/** One flow's figures, in ms from `call()`; `error` when the flow broke. */
export interface GroupFigures {
  /** The first tile anywhere shows a frame. */
  firstTile?: number;
  /** Every tile of Alice's (the caller's) page shows a frame. */
  callerTiles?: number;
  /** Every tile of every page shows a frame: the call is up for everyone. */
  allTiles?: number;
  /** Per page (in NAMES order): when its last tile showed a frame. */
  perPage?: number[];
  /** Every page's RTCPeerConnections are all `connected` (size - 1 of them each). */
  allConnected?: number;
  load?: CallLoad;
  error?: string;
}

/** `window.__group` of bench/group-instrument.js, for page.evaluate callbacks. */
interface GroupApi {
  connected: number[];
  frames: Record<string, number>;
  marks: Record<string, number>;
  errors: string[];
  element(): (HTMLElement & { state: string; start(): Promise<void>; participants: readonly unknown[] }) | null;
  watchTiles(): void;
  invoke(method: 'call'): void;
  summary(): {
    connected: number[];
    frames: Record<string, number>;
    marks: Record<string, number>;
    errors: string[];
    legs: string[];
    state?: string;
  };
}
declare global {
  interface Window {
    __group: GroupApi;
  }
}

interface Person {
  name: string;
  context: BrowserContext;
  page: Page;
}

async function openPerson(browser: Browser, pages: PageServer, element: GroupElement, room: string, name: string): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await context.newPage();
  await page.addInitScript({ path: GROUP_INSTRUMENT_FILE });
  await page.goto(pages.url({ element, room, name, autoAnswer: element === 'widget' }));
  const tag = element === 'widget' ? 'video-call' : 'vanilla-mesh';
  await page.waitForFunction((t) => customElements.get(t) !== undefined, tag, { timeout: STEP_TIMEOUT_MS });
  return { name, context, page };
}

/** Waits until `fn(n)` holds in `page` (polling every 10 ms). */
const waitFor = (page: Page, fn: (n: number) => unknown, n: number) =>
  page.waitForFunction(fn, n, { timeout: STEP_TIMEOUT_MS, polling: 10 });

/** Runs one flow of `size` people with `element` in a fresh room; returns its figures (and the load, when asked). */
export async function runGroupFlow(
  browser: Browser,
  pages: PageServer,
  element: GroupElement,
  size: number,
  load?: LoadOptions,
): Promise<GroupFigures> {
  const room = `group-${element}-${size}-${randomBytes(6).toString('hex')}`;
  const people: Person[] = [];
  try {
    for (const name of NAMES.slice(0, size)) people.push(await openPerson(browser, pages, element, room, name));
    // Join one after the other (a deterministic order), then wait until everyone sees everyone.
    for (const { page } of people) await page.evaluate(() => window.__group.element()!.start());
    for (const { name, page } of people) {
      const ready = (n: number) => {
        const el = window.__group.element()!;
        return el.state === 'full' || (el.state === 'ready' && el.participants.length === n);
      };
      await waitFor(page, ready, size - 1);
      if ((await page.evaluate(() => window.__group.element()!.state)) === 'full') {
        throw new Error(`${name} found the room full: the service holds fewer than ${size} people a room (ROOM_CAPACITY)`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    for (const { page } of people) await page.evaluate(() => window.__group.watchTiles());
    await people[0]!.page.evaluate(() => window.__group.invoke('call'));
    for (const { page } of people) {
      await waitFor(page, (n) => Object.keys(window.__group.frames).length >= n && window.__group.connected.length >= n, size - 1);
    }
    const summaries = await Promise.all(people.map(({ page }) => page.evaluate(() => window.__group.summary())));
    const t0 = summaries[0]!.marks.call!;
    const tiles = summaries.map((s) => Object.values(s.frames).map((t) => t - t0));
    const perPage = tiles.map((ts) => Math.max(...ts));
    const figures: GroupFigures = {
      firstTile: Math.min(...tiles.flat()),
      callerTiles: perPage[0],
      allTiles: Math.max(...perPage),
      perPage,
      allConnected: Math.max(...summaries.map((s) => Math.max(...s.connected) - t0)),
    };
    if (load) {
      await new Promise((resolve) => setTimeout(resolve, load.settleMs));
      figures.load = await measureLoad(
        browser,
        people.map((p) => p.page),
        people.map((p) => p.name),
        load.windowMs,
      );
    }
    return figures;
  } catch (error) {
    const said = await Promise.all(
      people.map(async ({ name, page }) => {
        const s = await page.evaluate(() => window.__group.summary()).catch(() => null);
        return s
          ? `${name}: state ${s.state}, connections [${s.legs.join(', ')}], tiles playing ${Object.keys(s.frames).length}${s.errors.length ? `, errors ${s.errors.join('; ')}` : ''}`
          : `${name}: ?`;
      }),
    );
    return { error: `${(error as Error).message.split('\n')[0]} (${said.join('; ')})` };
  } finally {
    await Promise.all(people.map(({ context }) => context.close().catch(() => {})));
  }
}
