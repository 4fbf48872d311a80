/**
 * `node --import tsx bench/candidate-delay.ts [--rounds N]`: how work on a page's main thread
 * right after `setLocalDescription()` delays that connection's first local ICE candidate.
 *
 * One page, no signalling: per round and per variant, a new RTCPeerConnection (no ICE servers)
 * with a fake camera's and microphone's tracks, `createOffer()`, `setLocalDescription()`, then the
 * variant's work (a 15 ms busy loop, queued one way or another), and the time from the
 * description set to the first `icecandidate` event, ms. A connection made beforehand has
 * fetched the network list, as the widget's spare does. Prints medians and every round.
 *
 * Why: in headless Chromium the first host candidates need the page's main thread before they
 * exist (a task that creates the candidates' sockets runs there), so whatever is queued on the
 * main thread when the description is set comes first, whatever its priority. bench/README.md,
 * "The first candidate waits for the main thread", has the figures and what they mean for the
 * widget.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../widget/test/e2e/harness.js';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '10' } } });
const ROUNDS = Number(args.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('--rounds must be a positive integer');

/** What runs after `setLocalDescription()` resolved, by variant (page code; `busy(ms)` spins). */
const VARIANTS: Record<string, string> = {
  nothing: '() => {}',
  '15 ms in the same task (a microtask)': '() => busy(15)',
  '15 ms in a task, setTimeout 0': '() => setTimeout(() => busy(15), 0)',
  "15 ms in a task, scheduler.postTask 'background'": "() => scheduler.postTask(() => busy(15), { priority: 'background' })",
  '15 ms in a task, setTimeout 5': '() => setTimeout(() => busy(15), 5)',
  '15 ms once the first candidate came': "(pc) => pc.addEventListener('icecandidate', () => busy(15), { once: true })",
};

// The page code is a string: the bench's TypeScript loader would otherwise add helpers the page lacks.
const PAGE_CODE = `(async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  const busy = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
  const warm = new RTCPeerConnection();
  warm.addTransceiver('audio');
  await warm.setLocalDescription();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const variants = { ${Object.entries(VARIANTS)
    .map(([name, code]) => `${JSON.stringify(name)}: ${code}`)
    .join(', ')} };
  const out = {};
  for (let round = 0; round < ${ROUNDS}; round++) {
    for (const [name, after] of Object.entries(variants)) {
      const pc = new RTCPeerConnection({ iceServers: [] });
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
      let first = 0;
      const candidate = new Promise((resolve) =>
        pc.addEventListener('icecandidate', (event) => { if (event.candidate && !first) { first = performance.now(); resolve(); } }));
      await pc.setLocalDescription(await pc.createOffer());
      const set = performance.now();
      after(pc);
      await candidate;
      (out[name] ??= []).push(first - set);
      pc.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return out;
})()`;

const server = createServer((_request, response) => response.end('<!doctype html><title>candidate delay</title>'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await launchBrowser();
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  const results = await page.evaluate<Record<string, number[]>>(PAGE_CODE);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  process.stdout.write(`Chromium ${browser.version()}, ${ROUNDS} rounds: description set → first local candidate, ms\n`);
  for (const [name, values] of Object.entries(results)) {
    process.stdout.write(`${name.padEnd(52)} ${median(values).toFixed(1).padStart(6)}   [${values.map((v) => v.toFixed(0)).join(' ')}]\n`);
  }
} finally {
  await browser.close();
  server.close();
}
