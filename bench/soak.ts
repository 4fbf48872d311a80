/**
 * `npm run soak`: a long call, to see whether anything grows or degrades with time. A benchmark
 * that prints figures; it asserts only that the call is still up at the end (exit status 1 if not
 * or if the bench broke, 2 for bad arguments, 130 after Ctrl-C).
 *
 * What runs: the real signal service (signal-service/dist/main.js, a child process on 127.0.0.1,
 * started by the e2e harness; for a group, with `ROOM_CAPACITY` set to the call's size), one
 * headless Chromium (fake camera and microphone), one demo page per person (`--people`, 2–4:
 * Alice, Bob, Carol, Dave), each in its own browser context, in a fresh room. Everyone joins,
 * Alice calls, the others accept; once every page is `connected` and shows a tile playing for
 * each other participant, the soak starts and lasts `--minutes` (default 10).
 *
 * Every `--interval` seconds (default 60), and once at the start (minute 0), it prints one line
 * per page and one for the service (bench/soak-probes.ts tells how each figure is read):
 *   page     live JS heap after a forced full GC (MB), DOM nodes, event listeners,
 *            RTCPeerConnections in the heap (and how many are not closed), remote video frames
 *            decoded so far by its tiles and per second over the interval (in a group, also per
 *            tile), the widget's state and quality
 *            level with the last `vc-quality-change` figures (RTT, loss, outgoing kbps, fps);
 *   service  live heap after a full GC (MB; bench/soak-service-gc.mjs, preloaded into the
 *            service, answers SIGUSR2), RSS (MB), open TCP sockets and all descriptors, CPU % (of
 *            one core) over the interval.
 * At the end: each figure's growth from the first interval's sample to the last (the minute-0
 * sample, taken right after set-up, is left out when there are later ones), absolute and per
 * hour, a least-squares slope and its r², and "GROWS STEADILY" where a figure rises steadily
 * (bench/soak-trend.ts gives the rule); then whether the call is still up: every page
 * `connected`, and each of its tiles decoding new frames.
 *
 * Run: `npm run soak` (builds first), `npm run soak -- --minutes 3`, or without the build
 * `node --import tsx bench/soak.ts --minutes 3 [--interval 60] [--people 2]`. Ctrl-C ends the soak
 * early and still prints the summary of the samples taken. On a shared machine wrap it in
 * `flock /tmp/cpu.lock …`: other CPU-heavy work shows in the frame rates.
 * Files: soak-probes.ts (how each figure is read), soak-service-gc.mjs (the service's heap probe),
 * soak-report.ts (what is printed),
 * soak-trend.ts (growth, least squares, the "grows steadily" rule).
 */
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import {
  history,
  launchBrowser,
  openConnectedPair,
  openDemo,
  startService,
  startWidget,
  stateOf,
  waitForState,
  type ServiceProcess,
} from '../widget/test/e2e/harness.js';
import { expectTilesPlaying, tileFrames } from '../widget/test/e2e/group-pages.js';
import { PageProbe, readServiceFigures, serviceHeapEnv, type PageFigures } from './soak-probes.js';
import { fixed, printSample, printSummary, tileFpsBetween, type Sample } from './soak-report.js';

// ---- arguments ------------------------------------------------------------------------------

/** Call sizes this bench runs: one to one, and groups up to 4 (see {@link joinCall}). */
const SUPPORTED_PEOPLE = [2, 3, 4];
const NAMES = ['Alice', 'Bob', 'Carol', 'Dave'];

const out = (line = '') => process.stdout.write(`${line}\n`);
function usage(message: string): never {
  process.stderr.write(`soak: ${message}\nusage: npm run soak -- [--minutes 10] [--interval 60] [--people 2]\n`);
  process.exit(2);
}

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    interval: { type: 'string', default: '60' },
    people: { type: 'string', default: '2' },
  },
});
const MINUTES = Number(args.minutes);
const INTERVAL_S = Number(args.interval);
const PEOPLE = Number(args.people);
if (!(MINUTES > 0)) usage(`--minutes must be a positive number (got ${args.minutes})`);
if (!(INTERVAL_S >= 5)) usage(`--interval must be at least 5 seconds (got ${args.interval})`);
if (!SUPPORTED_PEOPLE.includes(PEOPLE)) {
  usage(`--people must be one of ${SUPPORTED_PEOPLE.join(', ')} (got ${args.people})`);
}

// ---- the call -------------------------------------------------------------------------------

/** One person in the call: their name and their demo page. */
interface Person {
  name: string;
  page: Page;
}

/**
 * Opens one demo page per person in a fresh room of the service at `serviceUrl`, sets up the call,
 * and resolves once every page is `connected` (in a group: with a tile playing for each other
 * participant). The service must hold `people` a room (ROOM_CAPACITY).
 */
async function joinCall(browser: Browser, serviceUrl: string, people: number): Promise<Person[]> {
  const room = `${serviceUrl}/?room=soak-${Date.now().toString(36)}`;
  if (people === 2) {
    // One to one: Alice and Bob join, Alice calls, Bob accepts.
    const pages = await openConnectedPair(browser, room);
    return pages.map((page, i) => ({ name: NAMES[i]!, page }));
  }
  // A group: everyone joins, one after the other (a deterministic join order), and waits until
  // the room holds everyone; Alice calls, which rings every other member; each accepts in turn
  // (the first accept starts the call; each later one enters the running call and offers to
  // every participant already in it).
  const persons: Person[] = [];
  for (const name of NAMES.slice(0, people)) {
    const page = await openDemo(browser, `${room}&name=${name}`);
    await startWidget(page);
    persons.push({ name, page });
  }
  for (const { page } of persons) {
    await waitForState(page, 'ready');
    await page.waitForFunction((n) => document.querySelector('video-call')!.participants.length === n, people - 1, { timeout: 20_000 });
  }
  const [caller, ...callees] = persons;
  await caller!.page.evaluate(() => document.querySelector('video-call')!.call());
  for (const { page } of callees) {
    await waitForState(page, 'incoming');
    await page.evaluate(() => document.querySelector('video-call')!.accept());
  }
  for (const { page } of persons) await waitForState(page, 'connected');
  return persons;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

// ---- end check ----------------------------------------------------------------------------

/**
 * Whether the call is still up, printed per page and per tile: the widget is `connected`, shows
 * exactly one tile per other participant, and each tile's video decoded frames during the last
 * interval and decodes new ones now (at least 5 within 8 s: group-pages.ts `expectTilesPlaying`).
 * Also prints the state changes and `vc-error`s since the soak began (`stateCounts[i]`: how many
 * states page i had recorded then), and the RTCPeerConnections still open at the last sample
 * (one per other participant expected; printed, not judged).
 */
async function checkCallUp(people: Person[], samples: Sample[], stateCounts: number[]): Promise<boolean> {
  let up = true;
  for (const [i, person] of people.entries()) {
    const others = people.filter((p) => p !== person).map((p) => p.name);
    const recorded = await history(person.page);
    const newStates = recorded.states.slice(stateCounts[i]);
    const errors = recorded.errors.map((e) => e.code);
    const state = await stateOf(person.page);
    const lastFps = (who: string) => (samples.length > 1 ? tileFpsBetween(samples.at(-2), samples.at(-1)!, i, who) : Number.NaN);
    let playing = 'no';
    let tilesOk = false;
    if (state === 'connected') {
      const before = await tileFrames(person.page);
      try {
        await expectTilesPlaying(person.page, others, 10_000);
        const after = await tileFrames(person.page);
        playing = `yes (${others.map((who) => `${who.toLowerCase()} +${(after[who] ?? 0) - (before[who] ?? 0)}`).join(', ')} frames)`;
        tilesOk = true;
      } catch (error) {
        playing = `no: ${(error as Error).message.slice(0, 300)}`;
      }
    }
    const ok = state === 'connected' && tilesOk && others.every((who) => !(lastFps(who) <= 0));
    up &&= ok;
    const open = samples.at(-1)?.pages[i]?.openPeerConnections;
    out(
      `  ${person.name.toLowerCase()}: state changes during the soak: ${newStates.length ? newStates.join(' → ') : 'none'}; errors: ${errors.length ? errors.join(', ') : 'none'}`,
    );
    out(
      `    now: state ${state}; frames/s in the last interval: ${others.map((who) => `${who.toLowerCase()} ${fixed(lastFps(who), 1)}`).join(', ')}; ` +
        `tiles decoding new frames: ${playing}; RTCPeerConnections open ${open ?? 'n/a'} (legs expected ${others.length})`,
    );
  }
  out();
  out(`call still up: ${up ? 'yes' : 'NO'}`);
  return up;
}

// ---- main -----------------------------------------------------------------------------------

let service: ServiceProcess | undefined;
let browser: Browser | undefined;
const stopAll = async () => {
  await browser?.close().catch(() => {});
  await service?.stop().catch(() => {});
};
// If this process dies without its finally (an uncaught error, a closed stdout), the service goes
// with it: SIGKILL, as a service whose stdout reader is gone may hang in its exit-time log flush.
process.on('exit', () => service?.child.kill('SIGKILL'));
// Ctrl-C in a terminal reaches the service and Chromium too (one process group): stop sampling,
// summarize the samples taken, skip the end check. A second Ctrl-C quits at once.
const stopEarly = new AbortController();
process.on('SIGINT', () => {
  if (stopEarly.signal.aborted) void stopAll().finally(() => process.exit(130));
  process.stderr.write('soak: interrupted; summarizing the samples taken (Ctrl-C again to quit at once)\n');
  stopEarly.abort();
});

try {
  // A group needs a room that holds everyone (the service's default is two).
  const capacity: Record<string, string> = PEOPLE > 2 ? { ROOM_CAPACITY: String(PEOPLE) } : {};
  service = await startService({ LOG_LEVEL: 'info', ...capacity, ...serviceHeapEnv() });
  browser = await launchBrowser();
  out(
    `soak: ${PEOPLE} people, ${MINUTES} min, a sample every ${INTERVAL_S} s; service ${service.url} (pid ${service.child.pid}), Chromium ${browser.version()}`,
  );
  const people = await joinCall(browser, service.url, PEOPLE);
  for (const person of people)
    await expectTilesPlaying(
      person.page,
      people.filter((p) => p !== person).map((p) => p.name),
    );
  const probes = await Promise.all(people.map((person) => PageProbe.attach(person.page)));
  const stateCounts = await Promise.all(people.map(async (person) => (await history(person.page)).states.length));
  const names = people.map((person) => person.name);
  out(`call connected, every page with ${PEOPLE - 1} tile${PEOPLE > 2 ? 's' : ''} playing; sampling`);

  const started = performance.now();
  const samples: Sample[] = [];
  const take = async () => {
    const at = (performance.now() - started) / 60_000;
    const pages: PageFigures[] = [];
    for (const probe of probes) pages.push(await probe.sample()); // one GC at a time
    const sample: Sample = { at, pages, service: await readServiceFigures(service!.child.pid!, () => service!.output()) };
    printSample(names, sample, samples.at(-1));
    samples.push(sample);
  };
  await take();
  const durationMs = MINUTES * 60_000;
  try {
    for (let k = 1; ; k++) {
      const due = Math.min(k * INTERVAL_S * 1000, durationMs);
      await sleep(started + due - performance.now(), stopEarly.signal);
      if (stopEarly.signal.aborted) break;
      await take();
      if (due >= durationMs) break;
    }
  } catch (error) {
    if (!stopEarly.signal.aborted) throw error; // else: a sample cut short by Ctrl-C
  }
  printSummary(names, samples);
  out();
  if (stopEarly.signal.aborted) {
    out('interrupted: the end check is skipped');
    process.exitCode = 130;
  } else if (!(await checkCallUp(people, samples, stateCounts))) {
    process.exitCode = 1;
  }
} catch (error) {
  process.stderr.write(
    `soak broke: ${(error as Error).stack ?? String(error)}\n${service ? `service output:\n${service.output().slice(-2000)}\n` : ''}`,
  );
  process.exitCode = 1;
} finally {
  await stopAll();
}
