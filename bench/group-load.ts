/**
 * What a settled group call costs, for `npm run bench:group`: each page's upload bitrate and CPU
 * over one window, plus Chromium's shared processes over the same window.
 *
 * Upload: in the page, `getStats(participantId)` of the element (the widget's, or
 * bench/vanilla-mesh.js's of the same shape) for every other member with a connection; the
 * `outbound-rtp` entries' `bytesSent` (RTP payload, retransmissions included, headers not) summed
 * by kind (camera video, microphone audio) per leg, read at the window's start and end: the
 * delta over the window's length in kbit/s (1 kbit = 1000 bits). The end reading also gives each
 * leg's sent frame size, frames per second and `qualityLimitationReason`, and the cap on its video
 * sender (`maxBitrate`, `scaleResolutionDownBy` of `RTCRtpSender.getParameters()`, found by the
 * RTP ssrc through bench/group-instrument.js `videoCaps()`).
 *
 * CPU per page: CDP `Performance.getMetrics` `ProcessTime` of the page, the CPU time (user +
 * system) of its renderer process (each page is in its own browser context, hence its own
 * renderer process; WebRTC's encoders, decoders and network threads run there), over the window,
 * as a percentage of one core (100 % = one core busy all the window; the machine has two).
 *
 * Shared: CDP `SystemInfo.getProcessInfo` on the browser session gives every Chromium process's
 * type and CPU time; the delta over the window for the browser, GPU and utility processes (the
 * fake camera's capture service, audio, network), which serve every page at once.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';

/** One leg's upload over the window. */
export interface LegUpload {
  /** The other participant's name. */
  to: string;
  videoKbps: number;
  audioKbps: number;
  /** Sent video frame size and rate at the window's end (0 when unknown). */
  width: number;
  height: number;
  fps: number;
  /** `qualityLimitationReason` of the video sender at the window's end (`none`, `cpu`, `bandwidth`, `other`). */
  limitation: string;
  /** The video sender's `maxBitrate` (bits/s) and `scaleResolutionDownBy` at the window's end; null: not set. */
  maxBitrate: number | null;
  scale: number | null;
}

/** One page over the window. */
export interface PageLoad {
  name: string;
  videoKbps: number;
  audioKbps: number;
  legs: LegUpload[];
  /** Its renderer's CPU time over the window, % of one core. */
  cpuPercent: number;
}

/** Every page, and Chromium's shared processes by type (% of one core), over one window. */
export interface CallLoad {
  windowSeconds: number;
  pages: PageLoad[];
  shared: Record<string, number>;
}

/** A reading of one page: bytes sent per leg and kind, and its renderer's CPU time. */
interface Reading {
  at: number;
  cpuSeconds: number;
  legs: (Omit<LegUpload, 'videoKbps' | 'audioKbps'> & { video: number; audio: number })[];
}

/** Reads what the page's element has sent on each leg so far (see the file comment). */
function readLegs(page: Page): Promise<Reading['legs']> {
  return page.evaluate(async () => {
    type Element = HTMLElement & {
      participants: readonly { id: string; name: string; inCall: boolean }[];
      getStats(id: string): Promise<RTCStatsReport | null>;
    };
    const el = document.querySelector<Element>('video-call, vanilla-mesh')!;
    const caps = await (
      window as unknown as { __group: { videoCaps(): Promise<Record<string, { maxBitrate: number | null; scale: number | null }>> } }
    ).__group.videoCaps();
    const legs = [];
    for (const p of el.participants.filter((m) => m.inCall)) {
      const stats = await el.getStats(p.id);
      if (!stats) continue;
      const leg = {
        to: p.name,
        video: 0,
        audio: 0,
        width: 0,
        height: 0,
        fps: 0,
        limitation: 'n/a',
        maxBitrate: null as number | null,
        scale: null as number | null,
      };
      stats.forEach((s: Record<string, unknown>) => {
        const kind = s.kind as 'video' | 'audio';
        if (s.type !== 'outbound-rtp' || (kind !== 'video' && kind !== 'audio')) return;
        leg[kind] += Number(s.bytesSent ?? 0);
        if (kind === 'video' && Number(s.bytesSent ?? 0) > 0) {
          leg.width = Number(s.frameWidth ?? 0);
          leg.height = Number(s.frameHeight ?? 0);
          leg.fps = Number(s.framesPerSecond ?? 0);
          leg.limitation = typeof s.qualityLimitationReason === 'string' ? s.qualityLimitationReason : 'n/a';
          const cap = caps[String(s.ssrc)];
          if (cap) Object.assign(leg, cap);
        }
      });
      legs.push(leg);
    }
    return legs;
  });
}

async function processTime(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'ProcessTime')?.value ?? Number.NaN;
}

/** CPU seconds of every Chromium process but the renderers, by pid, with its type. */
async function sharedProcesses(browserCdp: CDPSession): Promise<Map<number, { type: string; cpu: number }>> {
  const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
  return new Map(processInfo.filter((p) => p.type !== 'renderer').map((p) => [p.id, { type: p.type, cpu: p.cpuTime }]));
}

/**
 * Measures every page (`names[i]` for `pages[i]`) over `windowMs` of the call as it runs now.
 * Opens a CDP session per page (and one on the browser) for the window, and closes them.
 */
export async function measureLoad(browser: Browser, pages: Page[], names: string[], windowMs: number): Promise<CallLoad> {
  const sessions = await Promise.all(pages.map((page) => page.context().newCDPSession(page)));
  const browserCdp = await browser.newBrowserCDPSession();
  try {
    for (const cdp of sessions) await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    const read = async (i: number): Promise<Reading> => ({
      at: performance.now(),
      cpuSeconds: await processTime(sessions[i]!),
      legs: await readLegs(pages[i]!),
    });
    const started = performance.now();
    const sharedBefore = await sharedProcesses(browserCdp);
    const before: Reading[] = [];
    for (let i = 0; i < pages.length; i++) before.push(await read(i));
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after: Reading[] = [];
    for (let i = 0; i < pages.length; i++) after.push(await read(i));
    const sharedAfter = await sharedProcesses(browserCdp);
    const windowSeconds = (performance.now() - started) / 1000;

    const kbps = (bytes: number, seconds: number) => (bytes * 8) / seconds / 1000;
    const loads = pages.map((_, i): PageLoad => {
      const [b, a] = [before[i]!, after[i]!];
      const seconds = (a.at - b.at) / 1000;
      const legs = a.legs.map((leg): LegUpload => {
        const was = b.legs.find((l) => l.to === leg.to) ?? { video: 0, audio: 0 };
        const { to, width, height, fps, limitation, maxBitrate, scale } = leg;
        return {
          to,
          width,
          height,
          fps,
          limitation,
          maxBitrate,
          scale,
          videoKbps: kbps(leg.video - was.video, seconds),
          audioKbps: kbps(leg.audio - was.audio, seconds),
        };
      });
      return {
        name: names[i]!,
        legs,
        videoKbps: legs.reduce((sum, leg) => sum + leg.videoKbps, 0),
        audioKbps: legs.reduce((sum, leg) => sum + leg.audioKbps, 0),
        cpuPercent: ((a.cpuSeconds - b.cpuSeconds) / seconds) * 100,
      };
    });
    const shared: Record<string, number> = {};
    for (const [pid, { type, cpu }] of sharedAfter) {
      const was = sharedBefore.get(pid);
      if (was) shared[type] = (shared[type] ?? 0) + ((cpu - was.cpu) / windowSeconds) * 100;
    }
    return { windowSeconds, pages: loads, shared };
  } finally {
    await Promise.all([...sessions, browserCdp].map((cdp) => cdp.detach().catch(() => {})));
  }
}
