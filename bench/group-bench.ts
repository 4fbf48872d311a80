/**
 * `npm run bench:group`: how fast `<video-call>` sets up a group call of 3 and 4 people, and what
 * the settled call costs each page in upload and CPU, against a minimal vanilla full mesh.
 * Prints figures; asserts nothing (exit status 0 unless the bench breaks).
 *
 * What runs: the real signal service (signal-service/dist/main.js, a child process on
 * 127.0.0.1, `ROOM_CAPACITY=4`), one headless Chromium (fake camera and microphone, media
 * allowed), and per flow one fresh browser context per person (Alice, Bob, Carol, Dave), in a
 * fresh room, pages served as for bench:call (bench/pages.ts). Two elements:
 *   widget `<video-call auto-answer>` on every page: Alice `call()`s, which rings everyone; every
 *          callee answers by itself at once and enters the call (offering to the others).
 *   floor  `<vanilla-mesh>` (bench/vanilla-mesh.js): the same number of plain RTCPeerConnections
 *          carrying the fake camera and microphone between the same pages over the same service,
 *          no consent, no state machine, no video cap.
 * One untimed warm-up flow of each element (3 people), then `--rounds` rounds (default 3); each
 * round runs both elements at both sizes, the order rotating from round to round so that drift in
 * machine load hits both alike.
 *
 * Timing (bench/group-instrument.js, the same init script in every page): the clock starts in
 * Alice's page right before `call()` (`performance.timeOrigin + performance.now()`, one clock for
 * every page of the machine); every page records when each tile's `<video>`
 * (`[part~="tile"] [part~="remote-video"]`) presents its first frame that shows something
 * (requestVideoFrameCallback, armed before the call and on every video a MutationObserver sees
 * added). Printed: call() → the first tile anywhere, → every tile of the caller's page, → every
 * tile of every page (the call is up for everyone), → every RTCPeerConnection of every page
 * `connected`; medians over the rounds, and widget/floor ratios.
 *
 * Load (group-load.ts), in the last round, for each size and element: after the tiles play, a
 * settle pause (4 s: bandwidth estimation ramps up, the widget caps its video), then a 10 s
 * window: each page's upload (outbound-rtp bytesSent deltas, video and audio, summed over its
 * legs) in kbit/s, and its renderer's CPU (CDP `Performance.getMetrics` `ProcessTime`) in % of
 * one core; the shared Chromium processes (browser, GPU, capture, network) beside them; and
 * whether the widget keeps each participant's video upload within about 2 Mbit/s.
 *
 * Run: `npm run bench:group` (builds first), `npm run bench:group -- --rounds 5`, or without the
 * build `node --import tsx bench/group-bench.ts`. On a shared machine wrap it in
 * `flock /tmp/cpu.lock …`: on two cores, other work shows in every figure.
 */
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchBrowser, startService, type ServiceProcess } from '../widget/test/e2e/harness.js';
import { runGroupFlow, type GroupElement, type LoadOptions } from './group-flow.js';
import { printLoads, printTimes, type Results } from './group-report.js';
import { startPageServer, type PageServer } from './pages.js';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const ROUNDS = Number(args.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('--rounds must be a positive integer');
/** Call sizes, in people. */
const SIZES = [3, 4];
const LOAD: LoadOptions = { settleMs: 4_000, windowMs: 10_000 };

let service: ServiceProcess | undefined;
let browser: Browser | undefined;
let pages: PageServer | undefined;
const stopAll = async () => {
  await browser?.close().catch(() => {});
  await pages?.close().catch(() => {});
  await service?.stop().catch(() => {});
};
let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  process.stderr.write('bench:group interrupted\n');
  void stopAll().finally(() => process.exit(130));
});

try {
  const began = performance.now();
  // LOG_LEVEL=info: the harness reads the port from the start-up line; the service logs nothing
  // per connection or per signal at info, so it adds no work during the rounds.
  service = await startService({ LOG_LEVEL: 'info', ROOM_CAPACITY: String(Math.max(...SIZES)) });
  browser = await launchBrowser();
  pages = await startPageServer(service.url);
  process.stdout.write(
    `group bench: service ${service.url} (ROOM_CAPACITY ${Math.max(...SIZES)}), Chromium ${browser.version()}, ${ROUNDS} rounds + warm-up\n`,
  );

  for (const element of ['widget', 'mesh'] as const) {
    const warm = await runGroupFlow(browser, pages, element, SIZES[0]!);
    if (warm.error) throw new Error(`warm-up ${element} flow broke: ${warm.error}`);
  }

  const results: Results = Object.fromEntries(SIZES.map((n) => [n, { widget: [], mesh: [] }]));
  const order: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const sizes = round % 2 ? [...SIZES].reverse() : SIZES;
    const cells: string[] = [];
    for (const [k, n] of sizes.entries()) {
      const elements: GroupElement[] = (round + k) % 2 ? ['mesh', 'widget'] : ['widget', 'mesh'];
      for (const element of elements) {
        const load = round === ROUNDS - 1 ? LOAD : undefined;
        results[n]![element][round] = await runGroupFlow(browser, pages, element, n, load);
        cells.push(`${element === 'widget' ? 'W' : 'F'}${n}`);
      }
    }
    order.push(cells.join(' '));
    process.stdout.write(`round ${round + 1}/${ROUNDS} done (${order[round]})\n`);
  }
  printTimes(results, SIZES, ROUNDS, order);
  printLoads(results, SIZES, ROUNDS - 1);
  process.stdout.write(`\nwhole run ${((performance.now() - began) / 1000).toFixed(0)} s\n`);
} catch (error) {
  if (!interrupted) {
    process.stderr.write(
      `bench:group broke: ${(error as Error).stack ?? String(error)}\n${service ? `service output:\n${service.output().slice(-2000)}\n` : ''}`,
    );
    process.exitCode = 1;
  }
} finally {
  await stopAll();
}
