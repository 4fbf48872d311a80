/**
 * End-to-end harness: the real signal service as a child process (the built
 * signal-service/dist/main.js, as `npm start` runs it) and headless Chromium pages driven by
 * playwright-core, each page in its own browser context (own cookies, own camera permission).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ALLOW_MEDIA_FLAGS, BASE_FLAGS, chromePath, FAKE_MEDIA_FLAGS } from '../chromium.mjs';

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
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
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
    const record = { states: [] as string[], errors: [] as { code: string; message: string }[], peers: [] as string[] };
    (window as unknown as { __vc: typeof record }).__vc = record;
    document.addEventListener('vc-state-change', (e) => record.states.push((e as CustomEvent).detail.state));
    document.addEventListener('vc-error', (e) => record.errors.push((e as CustomEvent).detail));
    document.addEventListener('vc-peer-joined', (e) => record.peers.push(`joined:${(e as CustomEvent).detail.name}`));
    document.addEventListener('vc-peer-left', (e) => record.peers.push(`left:${(e as CustomEvent).detail.name}`));
  });
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('video-call') !== undefined);
  return page;
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

/** Asserts-by-throwing that the remote video plays: has a size and decodes new frames within ~2 s. */
export async function expectRemoteVideoPlaying(page: Page): Promise<{ width: number; framesDelta: number }> {
  await page.waitForFunction(
    () => {
      const video = document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLVideoElement>('[part~="remote-video"]')!;
      return video.videoWidth > 0 && video.getVideoPlaybackQuality().totalVideoFrames > 0;
    },
    undefined,
    { timeout: 15_000 },
  );
  const before = await remoteVideo(page);
  await page.waitForTimeout(1000);
  const after = await remoteVideo(page);
  if (after.frames <= before.frames) {
    throw new Error(`remote video is not decoding frames (${before.frames} → ${after.frames})`);
  }
  return { width: after.width, framesDelta: after.frames - before.frames };
}
