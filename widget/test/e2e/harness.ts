/**
 * End-to-end harness: the real signal service as a child process (the built
 * signal-service/dist/main.js, as `npm start` runs it) and headless Chromium pages driven by
 * playwright-core, each page in its own browser context (own cookies, own camera permission).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ALLOW_MEDIA_FLAGS, BASE_FLAGS, chromePath, FAKE_MEDIA_FLAGS } from '../chromium.mjs';
import { startCoturn, type TurnServerProcess } from './coturn.js';
import type { StatsView } from '../stats-entry.js';

export { startCoturn, type TurnServerProcess };

const MAIN = fileURLToPath(new URL('../../../signal-service/dist/main.js', import.meta.url));

export interface ServiceProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the service logged, for assertions and for failure output. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts the service on a free port (PORT=0) and resolves once it logged that it listens. */
export async function startService(env: Record<string, string> = {}): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output}`)), 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Launches headless Chromium with a fake camera; `allowMedia: false` leaves the prompt unanswered (denied headless). */
export function launchBrowser(options: { allowMedia?: boolean } = {}): Promise<Browser> {
  const allow = options.allowMedia ?? true;
  return chromium.launch({
    executablePath: chromePath(),
    headless: true,
    args: [...BASE_FLAGS, ...FAKE_MEDIA_FLAGS, ...(allow ? ALLOW_MEDIA_FLAGS : [])],
  });
}

/**
 * Opens the demo page in a fresh context and records the widget's events in `window.__vc`
 * (`states`, `errors`, `peers`) for the test to read.
 */
export async function openDemo(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const record = {
      states: [] as string[],
      errors: [] as { code: string; message: string }[],
      peers: [] as string[],
      calls: [] as string[],
    };
    (window as unknown as { __vc: typeof record }).__vc = record;
    document.addEventListener('vc-state-change', (e) => record.states.push(e.detail.state));
    document.addEventListener('vc-error', (e) => record.errors.push(e.detail));
    document.addEventListener('vc-peer-joined', (e) => record.peers.push(`joined:${e.detail.name}`));
    document.addEventListener('vc-peer-left', (e) => record.peers.push(`left:${e.detail.name}`));
    document.addEventListener('vc-incoming-call', (e) => record.calls.push(`incoming:${e.detail.name}`));
    document.addEventListener('vc-call-ended', (e) => record.calls.push(`ended:${e.detail.reason}`));
  });
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('video-call') !== undefined);
  return page;
}

/** What the page's widget reported so far (recorded by openDemo's init script). */
export interface WidgetHistory {
  states: string[];
  errors: { code: string; message: string }[];
  peers: string[];
  /** `incoming:<name>` for each vc-incoming-call, `ended:<reason>` for each vc-call-ended. */
  calls: string[];
}

/** The events the widget fired so far. */
export function history(page: Page): Promise<WidgetHistory> {
  return page.evaluate(() => (window as unknown as { __vc: WidgetHistory }).__vc);
}

/** The `vc-error` codes the widget fired so far. */
export async function errorCodes(page: Page): Promise<string[]> {
  return (await history(page)).errors.map((e) => e.code);
}

/** Calls `start()` on the page's widget and waits for it to settle. */
export function startWidget(page: Page): Promise<void> {
  return page.evaluate(() => document.querySelector('video-call')!.start());
}

/** `caller` calls, `callee` rings and accepts; resolves once both are `connected`. */
export async function callAndAccept(caller: Page, callee: Page): Promise<void> {
  await caller.evaluate(() => document.querySelector('video-call')!.call());
  await waitForState(callee, 'incoming');
  await callee.evaluate(() => document.querySelector('video-call')!.accept());
  await waitForState(caller, 'connected');
  await waitForState(callee, 'connected');
}

/**
 * Opens the demo twice at `url` (a room URL; `&name=Alice` / `&name=Bob` are added), starts both
 * widgets, Alice calls, Bob accepts, and resolves once both are `connected`.
 */
export async function openConnectedPair(browser: Browser, url: string): Promise<[Page, Page]> {
  const alice = await openDemo(browser, `${url}&name=Alice`);
  const bob = await openDemo(browser, `${url}&name=Bob`);
  await startWidget(alice);
  await startWidget(bob);
  await waitForState(alice, 'ready');
  await callAndAccept(alice, bob);
  return [alice, bob];
}

/** The widget's status line, as the person reads it. */
export async function statusText(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector('video-call')!.shadowRoot!.querySelector('[part~="status"]')!.textContent ?? '');
}

/** The widget's current state. */
export function stateOf(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector('video-call')!.state);
}

/** Waits until the widget is in `state` (or one of `states`); fails with the recorded history. */
export async function waitForState(page: Page, states: string | string[], timeoutMs = 20_000): Promise<void> {
  const wanted = Array.isArray(states) ? states : [states];
  try {
    await page.waitForFunction((w) => w.includes(document.querySelector('video-call')!.state), wanted, {
      timeout: timeoutMs,
      polling: 25,
    });
  } catch (error) {
    const history = await page.evaluate(() => JSON.stringify((window as unknown as { __vc: unknown }).__vc));
    throw new Error(`expected state ${wanted.join('|')}; events so far: ${history}`, { cause: error });
  }
}

/** Size and decoded-frame count of the remote `<video>` inside the widget's shadow root. */
export function remoteVideo(page: Page): Promise<{ width: number; frames: number; paused: boolean }> {
  return page.evaluate(() => {
    const video = document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLVideoElement>('[part~="remote-video"]')!;
    return { width: video.videoWidth, frames: video.getVideoPlaybackQuality().totalVideoFrames, paused: video.paused };
  });
}

/** Asserts-by-throwing that the remote video plays: has a size and decodes new frames. */
export async function expectRemoteVideoPlaying(page: Page): Promise<{ width: number; framesDelta: number }> {
  await page.waitForFunction(
    () => {
      const video = document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLVideoElement>('[part~="remote-video"]')!;
      return video.videoWidth > 0 && video.getVideoPlaybackQuality().totalVideoFrames > 0;
    },
    undefined,
    { timeout: 15_000 },
  );
  // New frames must be decoded: at least 5 within 5 s (a decoder that lost packets may first wait
  // for a key frame; a live 30 fps stream gives 5 frames in ~0.2 s).
  const before = await remoteVideo(page);
  let after = before;
  for (let waited = 0; waited < 5000 && after.frames < before.frames + 5; waited += 100) {
    await page.waitForTimeout(100);
    after = await remoteVideo(page);
  }
  if (after.frames < before.frames + 5) {
    const rtp = await page.evaluate(async () => {
      const stats: StatsView | null = await document.querySelector('video-call')!.getStats();
      const video = document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLVideoElement>('[part~="remote-video"]')!;
      const pick = (type: string) =>
        [...(stats?.values() ?? [])]
          .filter((s) => s.type === type && s.kind === 'video')
          .map((s) => ({
            packets: s.packetsReceived ?? s.packetsSent,
            frames: s.framesDecoded ?? s.framesEncoded,
            pli: s.pliCount,
            keyFrames: s.keyFramesDecoded ?? s.keyFramesEncoded,
          }));
      return {
        inbound: pick('inbound-rtp'),
        outbound: pick('outbound-rtp'),
        readyState: video.readyState,
        paused: video.paused,
        tracks: (video.srcObject as MediaStream | null)?.getTracks().map((t) => `${t.kind}:${t.readyState}:${t.muted}`),
      };
    });
    throw new Error(`remote video is not decoding frames (${before.frames} → ${after.frames}): ${JSON.stringify(rtp)}`);
  }
  return { width: after.width, framesDelta: after.frames - before.frames };
}

/** A free TCP port on loopback (bound, read, released), for a service whose URL must be known first. */
export async function freeTcpPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Waits until the selected candidate pair's local candidate differs from `previousLocalId` (an
 * ICE restart took effect) and the pair has succeeded.
 */
export async function waitForNewSelectedPair(page: Page, previousLocalId: string | undefined, timeoutMs = 15_000): Promise<void> {
  await page.waitForFunction(
    async (previous) => {
      const stats: StatsView | null = await document.querySelector('video-call')!.getStats();
      const pairId = [...(stats?.values() ?? [])].find((s) => s.type === 'transport' && s.selectedCandidatePairId)?.selectedCandidatePairId;
      const pair = pairId === undefined ? undefined : stats?.get(pairId);
      const local = pair?.localCandidateId === undefined ? undefined : stats?.get(pair.localCandidateId);
      return pair?.state === 'succeeded' && local !== undefined && `${local.address}:${local.port}` !== previous;
    },
    previousLocalId,
    { timeout: timeoutMs, polling: 200 },
  );
}

/** Types of the candidates of the selected candidate pair, from the widget's getStats(). */
export function selectedPair(page: Page): Promise<{ local?: RTCIceCandidateType; remote?: RTCIceCandidateType; localId: string } | null> {
  return page.evaluate(async () => {
    const stats: StatsView | null = await document.querySelector('video-call')!.getStats();
    if (!stats) return null;
    const pairId = [...stats.values()].find((s) => s.type === 'transport' && s.selectedCandidatePairId)?.selectedCandidatePairId;
    const pair = pairId === undefined ? undefined : stats.get(pairId);
    if (!pair) return null;
    const local = pair.localCandidateId === undefined ? undefined : stats.get(pair.localCandidateId);
    const remote = pair.remoteCandidateId === undefined ? undefined : stats.get(pair.remoteCandidateId);
    return { local: local?.candidateType, remote: remote?.candidateType, localId: `${local?.address}:${local?.port}` };
  });
}

/** What a suite runs against: the service, a browser, and coturn when asked for. */
export interface Rig {
  service: ServiceProcess;
  browser: Browser;
  turn?: TurnServerProcess;
}

/**
 * Starts, before the suite, coturn (when `turnSecret` is given), the service (with `env`, which
 * may use coturn's URL) and a browser; stops them after it. Tests may replace `rig.service` or
 * `rig.turn` (a restart); whatever is there at the end is stopped.
 */
export function useRig(options: { turnSecret?: string; env?: (turn?: TurnServerProcess) => Record<string, string> } = {}): Rig {
  const rig = {} as Rig;
  before(async () => {
    if (options.turnSecret) rig.turn = await startCoturn(options.turnSecret);
    rig.service = await startService(options.env?.(rig.turn) ?? {});
    rig.browser = await launchBrowser();
  });
  after(async () => {
    await rig.browser?.close();
    await rig.service?.stop();
    await rig.turn?.stop();
  });
  return rig;
}
