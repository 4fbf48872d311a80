/**
 * What the soak bench (bench/soak.ts) reads, once a sample: a page's figures through the Chrome
 * DevTools Protocol and the page itself, and the service process's figures from /proc (Linux).
 *
 * Page figures ({@link PageProbe}), in this order so the heap figure is the live heap:
 *   1. `HeapProfiler.collectGarbage` (a full, major GC);
 *   2. `Performance.getMetrics`: `JSHeapUsedSize` (bytes → MB), `Nodes` (DOM nodes alive in the
 *      renderer, attached or not), `JSEventListeners`;
 *   3. `Runtime.queryObjects(RTCPeerConnection.prototype)`: RTCPeerConnection objects still in the
 *      heap after the GC, and how many of them are not `closed` (a leaked connection shows here
 *      even when the widget dropped its reference but never closed it);
 *   4. the widget: `state`, `quality`, the last `vc-quality-change` detail, and for each tile
 *      (`[part~="tile"]`, one per other participant) its `<video>`'s
 *      `getVideoPlaybackQuality().totalVideoFrames` (frames decoded so far; group-pages.ts
 *      `tileFrames`), and their sum.
 * Service figures ({@link readServiceFigures}): `VmRSS` of /proc/<pid>/status (kB → MB); open TCP
 * sockets (entries of /proc/<pid>/fd that link to `socket:[inode]` with that inode listed in
 * /proc/<pid>/net/tcp or tcp6: the listening socket plus one per connection; the stdout and stderr
 * pipes to the bench are Unix sockets and are left out) and all open descriptors; CPU time (utime +
 * stime of /proc/<pid>/stat, clock ticks → seconds). And the service's live heap
 * ({@link readServiceHeap}): the service runs with bench/soak-service-gc.mjs preloaded
 * ({@link serviceHeapEnv}), which on SIGUSR2 runs a full GC and writes `process.memoryUsage()` to
 * stderr; RSS alone cannot tell a leak from a heap that simply has not been collected yet.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';
import { tileFrames } from '../widget/test/e2e/group-pages.js';

const MB = 1024 * 1024;
/** Linux USER_HZ: /proc/<pid>/stat times are in 1/100 s on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** The last `vc-quality-change` detail (widget/src/call/quality.ts `Quality`). */
export interface QualityFigures {
  level: string;
  roundTripTimeMs: number | null;
  packetLossPercent: number;
  availableOutgoingKbps: number | null;
  framesPerSecond: number;
}

/** One sample of one page. */
export interface PageFigures {
  /** Live JS heap after a full GC, MB (2^20 bytes). */
  heapMB: number;
  /** DOM nodes alive in the page's renderer (CDP `Nodes`). */
  domNodes: number;
  /** Event listeners alive (CDP `JSEventListeners`). */
  listeners: number;
  /** RTCPeerConnection objects in the heap after the GC, and those of them not `closed`. */
  peerConnections: number;
  openPeerConnections: number;
  /** The widget's `state` and `quality` (null outside a connected call). */
  state: string;
  quality: string | null;
  /** The last `vc-quality-change` detail since the probe started, or null. */
  lastQuality: QualityFigures | null;
  /** `vc-quality-change` events since the probe started. */
  qualityChanges: number;
  /** Frames decoded so far by the tiles' videos, summed (`totalVideoFrames`). */
  framesDecoded: number;
  /** Frames decoded so far by each tile's video, by the participant's name. */
  tileFrames: Record<string, number>;
}

/** Reads a page's figures; one per page, made once the page's call is connected. */
export class PageProbe {
  readonly #page: Page;
  readonly #cdp: CDPSession;

  private constructor(page: Page, cdp: CDPSession) {
    this.#page = page;
    this.#cdp = cdp;
  }

  /** Opens a CDP session on `page`, enables `Performance`, and starts recording `vc-quality-change`. */
  static async attach(page: Page): Promise<PageProbe> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    await page.evaluate(() => {
      const record = { last: null as unknown, changes: 0 };
      (window as unknown as { __soak: typeof record }).__soak = record;
      document.addEventListener('vc-quality-change', (e) => {
        record.last = (e as CustomEvent).detail;
        record.changes += 1;
      });
    });
    return new PageProbe(page, cdp);
  }

  /** Takes one sample (runs a full GC first). */
  async sample(): Promise<PageFigures> {
    await this.#cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await this.#cdp.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
    const connections = await this.#peerConnections();
    const widget = await this.#page.evaluate(() => {
      const el = document.querySelector('video-call')!;
      const soak = (window as unknown as { __soak: { last: unknown; changes: number } }).__soak;
      return {
        state: el.state,
        quality: el.quality as string | null,
        lastQuality: soak.last,
        qualityChanges: soak.changes,
      };
    });
    const tiles = await tileFrames(this.#page);
    return {
      heapMB: metric('JSHeapUsedSize') / MB,
      domNodes: metric('Nodes'),
      listeners: metric('JSEventListeners'),
      peerConnections: connections.all,
      openPeerConnections: connections.open,
      state: widget.state,
      quality: widget.quality,
      lastQuality: widget.lastQuality as QualityFigures | null,
      qualityChanges: widget.qualityChanges,
      framesDecoded: Object.values(tiles).reduce((sum, frames) => sum + frames, 0),
      tileFrames: tiles,
    };
  }

  /** RTCPeerConnection objects in the page's heap (DevTools' `queryObjects`), released afterwards. */
  async #peerConnections(): Promise<{ all: number; open: number }> {
    const objectGroup = 'soak-probe';
    try {
      const { result: prototype } = await this.#cdp.send('Runtime.evaluate', {
        expression: 'RTCPeerConnection.prototype',
        objectGroup,
      });
      const { objects } = await this.#cdp.send('Runtime.queryObjects', { prototypeObjectId: prototype.objectId!, objectGroup });
      const { result } = await this.#cdp.send('Runtime.callFunctionOn', {
        objectId: objects.objectId!,
        functionDeclaration: 'function () { return [this.length, this.filter((pc) => pc.connectionState !== "closed").length]; }',
        returnByValue: true,
        objectGroup,
      });
      const [all, open] = result.value as [number, number];
      return { all, open };
    } finally {
      // Without this the DevTools session would hold the connections alive itself.
      await this.#cdp.send('Runtime.releaseObjectGroup', { objectGroup });
    }
  }
}

/** One sample of the service process. */
export interface ServiceFigures {
  /** Resident set size, MB (VmRSS). */
  rssMB: number;
  /** Open TCP sockets (the listening one, socket.io and HTTP connections) and all open descriptors. */
  sockets: number;
  fds: number;
  /** CPU time used since the process started (user + system), seconds. */
  cpuSeconds: number;
  /** Live V8 heap after a full GC, MB (NaN when the service did not answer, see {@link readServiceHeap}). */
  heapMB: number;
}

/** Environment for `startService` that preloads bench/soak-service-gc.mjs (and exposes gc) in the service. */
export function serviceHeapEnv(): Record<string, string> {
  const preload = pathToFileURL(new URL('./soak-service-gc.mjs', import.meta.url).pathname).href;
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc --import ${preload}`.trim() };
}

/**
 * Asks the service (started with {@link serviceHeapEnv}) for its live heap: sends SIGUSR2 and
 * waits up to 5 s for a new `soak-heap` line in its output (`output()`: everything it wrote so
 * far). Returns the heap used in MB, or NaN without an answer.
 */
export async function readServiceHeap(pid: number, output: () => string): Promise<number> {
  const count = () => output().split('\nsoak-heap ').length;
  const before = count();
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < 5000; waited += 20) {
    if (count() > before) {
      const line = output()
        .slice(output().lastIndexOf('\nsoak-heap ') + '\nsoak-heap '.length)
        .split('\n')[0]!;
      return (JSON.parse(line) as { heapUsed: number }).heapUsed / MB;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Number.NaN;
}

/**
 * Reads the service process's figures from /proc/<pid> (Linux only; throws elsewhere or once it
 * exited), after its live heap ({@link readServiceHeap}) so the GC comes first.
 */
export async function readServiceFigures(pid: number, output: () => string): Promise<ServiceFigures> {
  const heapMB = await readServiceHeap(pid, output);
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  const entries = await readdir(`/proc/${pid}/fd`);
  const links = await Promise.all(entries.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  const tcpInodes = new Set<string>();
  for (const table of ['tcp', 'tcp6']) {
    const text = await readFile(`/proc/${pid}/net/${table}`, 'utf8').catch(() => '');
    // Columns: sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
    for (const row of text.split('\n').slice(1)) {
      const inode = row.trim().split(/\s+/)[9];
      if (inode && inode !== '0') tcpInodes.add(inode);
    }
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return {
    rssMB: rssKb / 1024,
    sockets: links.filter((link) => tcpInodes.has(/^socket:\[(\d+)\]$/.exec(link)?.[1] ?? '')).length,
    fds: links.length,
    cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND,
    heapMB,
  };
}
