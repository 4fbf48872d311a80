/**
 * What the soak bench (bench/soak.ts) prints from its samples: one line per page and one for the
 * service at each sample, and at the end the trends (bench/soak-trend.ts) and the frame rates and
 * quality levels seen. Reads only the samples (no page, no process), so it also serves a soak cut
 * short by Ctrl-C, when the pages may already be gone.
 */
import type { PageFigures, ServiceFigures } from './soak-probes.js';
import { formatTrends, trendOf, type Series, type Trend } from './soak-trend.js';

/** One sample: minutes since the soak began, every page's figures (in the order of `names`), the service's. */
export interface Sample {
  at: number;
  pages: PageFigures[];
  service: ServiceFigures;
}

const out = (line = '') => process.stdout.write(`${line}\n`);

/** `x` with `d` decimals, or "n/a" for null, undefined, NaN and ±Infinity. */
export const fixed = (x: number | null | undefined, d = 0) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));

/** Minutes as `m:ss`, right-aligned to 3 digits of minutes. */
export const clock = (minutes: number) => {
  const s = Math.round(minutes * 60);
  return `${String(Math.floor(s / 60)).padStart(3)}:${String(s % 60).padStart(2, '0')}`;
};

/** Frames per second decoded by page `i` (all its tiles) between two samples (NaN without a previous one). */
export const fpsBetween = (previous: Sample | undefined, sample: Sample, i: number) =>
  previous ? (sample.pages[i]!.framesDecoded - previous.pages[i]!.framesDecoded) / ((sample.at - previous.at) * 60) : Number.NaN;

/**
 * Frames per second decoded by the tile of `who` on page `i` between two samples (NaN without a
 * previous one, or when the tile is missing from either sample).
 */
export const tileFpsBetween = (previous: Sample | undefined, sample: Sample, i: number, who: string) => {
  const [was, now] = [previous?.pages[i]!.tileFrames[who], sample.pages[i]!.tileFrames[who]];
  return previous && was !== undefined && now !== undefined ? (now - was) / ((sample.at - previous.at) * 60) : Number.NaN;
};

/** The tiles of page `i` in the sample, by name, in order. */
const tilesOf = (sample: Sample, i: number) => Object.keys(sample.pages[i]!.tileFrames).sort();

/** The service's CPU use between two samples, percent of one core (NaN without a previous one). */
export const cpuPercentBetween = (previous: Sample | undefined, sample: Sample) =>
  previous ? ((sample.service.cpuSeconds - previous.service.cpuSeconds) / ((sample.at - previous.at) * 60)) * 100 : Number.NaN;

/** Prints one sample: a line per page (`names[i]` for page i) and one for the service. */
export function printSample(names: string[], sample: Sample, previous: Sample | undefined): void {
  const t = `[${clock(sample.at)}]`;
  names.forEach((name, i) => {
    const p = sample.pages[i]!;
    const q = p.lastQuality;
    const figures = q
      ? ` (rtt ${fixed(q.roundTripTimeMs)} ms, loss ${fixed(q.packetLossPercent, 1)} %, out ${fixed(q.availableOutgoingKbps)} kbps, ${q.framesPerSecond} fps)`
      : '';
    // One tile: its rate; several: their sum, then each tile's.
    const tiles = tilesOf(sample, i);
    const perTile =
      tiles.length > 1
        ? `: ${tiles.map((who) => `${who.toLowerCase()} ${fixed(tileFpsBetween(previous, sample, i, who), 1)}`).join(', ')}`
        : '';
    const rate = previous ? ` (${fixed(fpsBetween(previous, sample, i), 1)}/s${perTile})` : '';
    out(
      `${t} ${name.toLowerCase().padEnd(7)} heap ${fixed(p.heapMB, 2)} MB, nodes ${p.domNodes}, listeners ${p.listeners}, ` +
        `RTCPeerConnections ${p.peerConnections} (${p.openPeerConnections} open), frames ${p.framesDecoded}${rate}, ` +
        `${p.state}, quality ${p.quality ?? 'n/a'}${figures}`,
    );
  });
  const s = sample.service;
  const cpu = previous ? `, cpu ${fixed(cpuPercentBetween(previous, sample), 1)} %` : '';
  out(`${t} service heap ${fixed(s.heapMB, 2)} MB, rss ${fixed(s.rssMB, 1)} MB, tcp sockets ${s.sockets} (fds ${s.fds})${cpu}`);
}

/**
 * Prints the trends of every figure over the samples from the first interval on (the minute-0
 * sample, taken right after set-up while caches warm, is left out when at least two others
 * exist), then per page the frame rates and quality levels. Returns the trends.
 */
export function printSummary(names: string[], samples: Sample[]): Trend[] {
  const span = samples.length > 2 ? samples.slice(1) : samples;
  const series = (name: string, floor: number, decimals: number, pick: (s: Sample) => number): Series => ({
    name,
    floor,
    decimals,
    points: span.map((s) => ({ at: s.at, value: pick(s) })),
  });
  const all: Series[] = [];
  names.forEach((name, i) => {
    const who = name.toLowerCase();
    all.push(
      series(`${who} heap MB`, 0.5, 2, (s) => s.pages[i]!.heapMB),
      series(`${who} DOM nodes`, 20, 0, (s) => s.pages[i]!.domNodes),
      series(`${who} listeners`, 20, 0, (s) => s.pages[i]!.listeners),
      series(`${who} RTCPeerConnections`, 0.5, 0, (s) => s.pages[i]!.peerConnections),
    );
  });
  all.push(
    series('service heap MB', 0.5, 2, (s) => s.service.heapMB),
    series('service RSS MB', 2, 1, (s) => s.service.rssMB),
    series('service tcp sockets', 0.5, 0, (s) => s.service.sockets),
    series('service fds', 0.5, 0, (s) => s.service.fds),
  );
  const trends = all.map(trendOf);
  out();
  out(
    `summary: ${names.length} people, ${clock(samples.at(-1)!.at).trim()} of call, ${samples.length} samples; ` +
      `trends over ${clock(span[0]!.at).trim()} → ${clock(span.at(-1)!.at).trim()} (${span.length} samples)`,
  );
  for (const line of formatTrends(trends)) out(`  ${line}`);
  const growing = trends.filter((t) => t.growsSteadily).map((t) => t.name);
  out(`  steady growth: ${growing.length ? growing.join(', ') : 'none'}`);

  out();
  names.forEach((name, i) => {
    const fps = samples.slice(1).map((s, k) => fpsBetween(samples[k], s, i));
    const first = samples[0]!.pages[i]!;
    const last = samples.at(-1)!.pages[i]!;
    const levels = samples.map((s) => s.pages[i]!.quality ?? 'none');
    const levelCounts = [...new Set(levels)].map((l) => `${l} ${levels.filter((x) => x === l).length}/${levels.length}`).join(', ');
    out(
      `  ${name.toLowerCase()}: ${last.framesDecoded - first.framesDecoded} frames decoded during the soak (all tiles); fps per interval ` +
        `first ${fixed(fps[0], 1)}, last ${fixed(fps.at(-1), 1)}, min ${fixed(Math.min(...fps), 1)}, max ${fixed(Math.max(...fps), 1)}`,
    );
    const tiles = tilesOf(samples.at(-1)!, i);
    if (tiles.length > 1) {
      for (const who of tiles) {
        const rates = samples.slice(1).map((s, k) => tileFpsBetween(samples[k], s, i, who));
        const decoded = (last.tileFrames[who] ?? 0) - (first.tileFrames[who] ?? 0);
        out(
          `    tile ${who.toLowerCase()}: ${decoded} frames; fps per interval first ${fixed(rates[0], 1)}, last ${fixed(rates.at(-1), 1)}, min ${fixed(Math.min(...rates), 1)}, max ${fixed(Math.max(...rates), 1)}`,
        );
      }
    }
    out(`    quality level per sample: ${levelCounts}; vc-quality-change events: ${last.qualityChanges}`);
  });
  const cpu = samples.slice(1).map((s, k) => cpuPercentBetween(samples[k], s));
  out(`  service: cpu per interval first ${fixed(cpu[0], 1)} %, last ${fixed(cpu.at(-1), 1)} %, max ${fixed(Math.max(...cpu), 1)} %`);
  return trends;
}
