/**
 * One page type for the cross-browser tests: a demo page in playwright's Chromium or in
 * puppeteer's Firefox, seen through what both drivers have (`evaluate`, `waitForFunction`), and
 * the helpers that drive `<video-call>` through its public API (properties, methods, events,
 * CSS parts) on either.
 */
import type { Browser as PlaywrightBrowser } from 'playwright-core';
import { openDemo } from './harness.js';
import type { StatsView } from '../stats-entry.js';

/** A demo page in either browser. Functions passed in run in the page (serialized). */
export interface CallPage {
  readonly browserName: 'chromium' | 'firefox';
  /** Runs `fn(arg)` in the page and resolves with its (awaited, JSON-like) result. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  /** Resolves once `fn(arg)` is truthy in the page, polled every `polling` ms (default 25); rejects after `timeout` ms (default 15 000). */
  waitForFunction<A>(fn: (arg: A) => unknown, arg: A, options?: { timeout?: number; polling?: number }): Promise<void>;
  /** Closes the page and its browser context. */
  close(): Promise<void>;
}

/** What the page's widget reported so far (see {@link recordWidgetEvents}). */
export interface WidgetHistory {
  states: string[];
  errors: { code: string; message: string }[];
  peers: string[];
  /** `incoming:<name>` for each vc-incoming-call, `ended:<reason>` for each vc-call-ended. */
  calls: string[];
}

/**
 * The page script that records the widget's events in `window.__vc` (as harness.ts `openDemo`
 * does): run before the page's own scripts.
 */
export function recordWidgetEvents(): void {
  const record = { states: [] as string[], errors: [] as unknown[], peers: [] as string[], calls: [] as string[] };
  (window as unknown as { __vc: typeof record }).__vc = record;
  document.addEventListener('vc-state-change', (e) => record.states.push(e.detail.state));
  document.addEventListener('vc-error', (e) => record.errors.push(e.detail));
  document.addEventListener('vc-peer-joined', (e) => record.peers.push(`joined:${e.detail.name}`));
  document.addEventListener('vc-peer-left', (e) => record.peers.push(`left:${e.detail.name}`));
  document.addEventListener('vc-incoming-call', (e) => record.calls.push(`incoming:${e.detail.name}`));
  document.addEventListener('vc-call-ended', (e) => record.calls.push(`ended:${e.detail.reason}`));
}

/** Opens the demo at `url` in a fresh Chromium context (harness.ts `openDemo`) as a {@link CallPage}. */
export async function openDemoInChromium(browser: PlaywrightBrowser, url: string): Promise<CallPage> {
  const page = await openDemo(browser, url);
  return {
    browserName: 'chromium',
    evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
    async waitForFunction(fn, arg, options = {}) {
      await page.waitForFunction(fn as never, arg, { timeout: options.timeout ?? 15_000, polling: options.polling ?? 25 });
    },
    close: () => page.context().close(),
  };
}

/** The events the widget fired so far. */
export function history(page: CallPage): Promise<WidgetHistory> {
  return page.evaluate(() => (window as unknown as { __vc: WidgetHistory }).__vc);
}

/** Waits until the widget is in one of `states`; fails with the recorded history. */
export async function waitForState(page: CallPage, states: string | string[], timeoutMs = 20_000): Promise<void> {
  const wanted = Array.isArray(states) ? states : [states];
  try {
    await page.waitForFunction((w) => w.includes(document.querySelector('video-call')!.state), wanted, { timeout: timeoutMs });
  } catch (error) {
    throw new Error(`${page.browserName}: expected state ${wanted.join('|')}; events so far: ${JSON.stringify(await history(page))}`, {
      cause: error,
    });
  }
}

/** `start()` on the page's widget. */
export function startWidget(page: CallPage): Promise<void> {
  return page.evaluate(() => document.querySelector('video-call')!.start());
}

/** Waits until an element with `part` in its `part` list is (`present`) or is not in the widget's shadow root. */
export async function waitForPart(page: CallPage, part: string, present: boolean): Promise<void> {
  try {
    await page.waitForFunction(
      ([p, want]) => (document.querySelector('video-call')!.shadowRoot!.querySelector(`[part~="${p}"]`) !== null) === want,
      [part, present] as const,
      { timeout: 5000 },
    );
  } catch (error) {
    throw new Error(`${page.browserName}: part ${part} ${present ? 'never shown' : 'still shown'}`, { cause: error });
  }
}

/** The widget's `peer` (the other person as it knows them), or null. */
export function peerOf(page: CallPage) {
  return page.evaluate(() => document.querySelector('video-call')!.peer);
}

/** Waits until the page's `peer[field]` is `value` (the other side's change arrived). */
export function waitForPeer(page: CallPage, field: 'microphoneEnabled' | 'cameraEnabled', value: boolean): Promise<void> {
  return page.waitForFunction(([f, v]) => document.querySelector('video-call')!.peer?.[f] === v, [field, value] as const, {
    timeout: 10_000,
  });
}

/** From now on, keeps every `vc-message` detail's `[from.name, text]` in `window.__messages`. */
export function recordMessages(page: CallPage): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as { __messages: [string, string][] };
    w.__messages = [];
    document.addEventListener('vc-message', (e) => w.__messages.push([e.detail.from.name, e.detail.text]));
  });
}

/** The `[from.name, text]` of each `vc-message` since {@link recordMessages}. */
export function messagesOf(page: CallPage): Promise<[string, string][]> {
  return page.evaluate(() => (window as unknown as { __messages: [string, string][] }).__messages);
}

/**
 * A snapshot of the remote `<video>`: its size, `currentTime` (s), and the frames it showed:
 * `totalVideoFrames` in Chromium; in Firefox, whose `getVideoPlaybackQuality()` counts 0 frames
 * for a MediaStream, `mozPaintedFrames`.
 */
export interface VideoProgress {
  width: number;
  height: number;
  frames: number;
  currentTime: number;
  paused: boolean;
}

/** The remote video's {@link VideoProgress}. */
export function remoteVideoProgress(page: CallPage): Promise<VideoProgress> {
  return page.evaluate(() => {
    const video = document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLVideoElement>('[part~="remote-video"]')!;
    const painted = (video as HTMLVideoElement & { mozPaintedFrames?: number }).mozPaintedFrames;
    return {
      width: video.videoWidth,
      height: video.videoHeight,
      frames: painted ?? video.getVideoPlaybackQuality().totalVideoFrames,
      currentTime: video.currentTime,
      paused: video.paused,
    };
  });
}

/**
 * Fails unless the remote video plays: it is shown with a size, not paused, and within 5 s shows
 * at least 5 new frames while `currentTime` advances by at least 0.15 s. Resolves with the gains.
 */
export async function expectRemoteVideoPlaying(page: CallPage): Promise<{ width: number; framesDelta: number; seconds: number }> {
  await page.waitForFunction(
    () => {
      const video = document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLVideoElement>('[part~="remote-video"]')!;
      return !video.hidden && video.videoWidth > 0 && !video.paused;
    },
    undefined,
    { timeout: 15_000 },
  );
  const before = await remoteVideoProgress(page);
  let after = before;
  for (let waited = 0; waited < 5000; waited += 100) {
    if (after.frames >= before.frames + 5 && after.currentTime >= before.currentTime + 0.15) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
    after = await remoteVideoProgress(page);
  }
  const gains = { width: after.width, framesDelta: after.frames - before.frames, seconds: after.currentTime - before.currentTime };
  if (gains.framesDelta < 5 || gains.seconds < 0.15) {
    throw new Error(`${page.browserName}: remote video does not play: ${JSON.stringify({ before, after })}`);
  }
  return gains;
}

/** The codec (`mimeType`) of each inbound and outbound RTP stream of the call, from the widget's `getStats()`. */
export function negotiatedCodecs(page: CallPage): Promise<{ direction: string; kind: string; mimeType: string }[]> {
  return page.evaluate(async () => {
    const stats: StatsView | null = await document.querySelector('video-call')!.getStats();
    const all = [...(stats?.values() ?? [])];
    return all
      .filter((s) => s.type === 'inbound-rtp' || s.type === 'outbound-rtp')
      .flatMap((s) =>
        s.codecId ? [{ direction: s.type, kind: s.kind as string, mimeType: stats!.get(s.codecId)?.mimeType as string }] : [],
      )
      .sort((a, b) => `${a.direction}${a.kind}`.localeCompare(`${b.direction}${b.kind}`));
  });
}

/**
 * Opens the demo for `caller` and `callee` in one room (`?room=<room>&name=<name>`), starts both
 * widgets, the caller calls, the callee rings (`vc-incoming-call` with the caller's name) and
 * accepts; resolves once both are `connected`.
 */
export async function ringAndAccept(caller: CallPage, callee: CallPage, callerName: string): Promise<void> {
  await startWidget(caller);
  await waitForState(caller, 'waiting');
  await startWidget(callee);
  await waitForState(caller, 'ready');
  await waitForState(callee, 'ready');
  await caller.evaluate(() => document.querySelector('video-call')!.call());
  await waitForState(callee, 'incoming');
  const rang = (await history(callee)).calls;
  if (!rang.includes(`incoming:${callerName}`))
    throw new Error(`${callee.browserName} did not ring for ${callerName}: ${JSON.stringify(rang)}`);
  await callee.evaluate(() => document.querySelector('video-call')!.accept());
  await waitForState(caller, 'connected');
  await waitForState(callee, 'connected');
}

/** The local preview's (`local-video` part) camera track: its id, label, device id and state. */
export function localCamera(page: CallPage): Promise<{ id: string; label: string; deviceId: string; readyState: string }> {
  return page.evaluate(() => {
    const preview = document.querySelector('video-call')!.shadowRoot!.querySelector<HTMLVideoElement>('[part~="local-video"]')!;
    const track = (preview.srcObject as MediaStream).getVideoTracks()[0]!;
    return { id: track.id, label: track.label, deviceId: track.getSettings().deviceId ?? '', readyState: track.readyState };
  });
}

/** Whether the call sends `trackId`: a `media-source` stat of the widget's `getStats()` names it (both browsers report these). */
export function sendsTrack(page: CallPage, trackId: string): Promise<boolean> {
  return page.evaluate(async (id) => {
    const stats: StatsView | null = await document.querySelector('video-call')!.getStats();
    return [...(stats?.values() ?? [])].some((s) => s.type === 'media-source' && s.trackIdentifier === id);
  }, trackId);
}
