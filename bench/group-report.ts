/**
 * What `npm run bench:group` prints (group-bench.ts runs the flows): the medians of the set-up
 * times per call size, widget against floor with their ratios; each round's figures; and, for the
 * round that measured it, each page's upload and CPU in the settled call.
 */
import type { GroupElement, GroupFigures } from './group-flow.js';
import type { CallLoad } from './group-load.js';

/** How much video a participant of a group call should upload in all (kbit/s): widget/src/call/bandwidth.ts, "about 2 Mbit/s". */
export const VIDEO_UPLOAD_TARGET_KBPS = 2000;

/** Figures of every round, per call size and element. */
export type Results = Record<number, Record<GroupElement, GroupFigures[]>>;

const out = (line = '') => process.stdout.write(`${line}\n`);

/** The median, or undefined for no values. */
export const median = (xs: number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1]! + s[mid]!) / 2;
};
const fixed = (x: number | undefined, d = 0) => (x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
const times = (w: number | undefined, f: number | undefined) => (w === undefined || f === undefined ? 'n/a' : `${(w / f).toFixed(2)}×`);

const METRICS: [string, (f: GroupFigures) => number | undefined][] = [
  ['call() → first tile playing, any page', (f) => f.firstTile],
  ["call() → every tile playing, caller's page", (f) => f.callerTiles],
  ['call() → every tile playing, every page', (f) => f.allTiles],
  ['call() → every leg connected, every page', (f) => f.allConnected],
];

/** Prints the medians table, the per-round lines and the errors. */
export function printTimes(results: Results, sizes: number[], rounds: number, order: string[]): void {
  const col = (size: number, element: GroupElement, pick: (f: GroupFigures) => number | undefined) =>
    median(results[size]![element].map(pick).filter((x): x is number => x !== undefined));
  out();
  out(
    `medians over ${rounds} rounds, ms from call() (taken in the caller's page); widget = <video-call auto-answer>, floor = bench/vanilla-mesh.js`,
  );
  out(`${''.padEnd(44)}${sizes.map((n) => `${n} people`.padStart(24)).join('')}`);
  out(`${'metric'.padEnd(44)}${sizes.map(() => `${'widget'.padStart(8)}${'floor'.padStart(8)}${'ratio'.padStart(8)}`).join('')}`);
  for (const [name, pick] of METRICS) {
    const cells = sizes.map((n) => {
      const [w, f] = [col(n, 'widget', pick), col(n, 'mesh', pick)];
      return `${fixed(w, 0).padStart(8)}${fixed(f, 0).padStart(8)}${times(w, f).padStart(8)}`;
    });
    out(`${name.padEnd(44)}${cells.join('')}`);
  }
  out();
  out('per round: every tile on every page, ms (and per page: Alice, Bob, …); W widget, F floor');
  for (let round = 0; round < rounds; round++) {
    const cells = order[round]!.split(' ').map((cell) => {
      const [letter, n] = [cell[0] as 'W' | 'F', Number(cell.slice(1))];
      const f = results[n]![letter === 'W' ? 'widget' : 'mesh'][round]!;
      return f.error ? `${cell} error` : `${cell} ${fixed(f.allTiles)} (${f.perPage!.map((t) => fixed(t)).join('/')})`;
    });
    out(`  r${round + 1}: ${cells.join('  ')}`);
  }
  for (const n of sizes) {
    for (const element of ['widget', 'mesh'] as const) {
      results[n]![element].forEach((f, round) => f.error && out(`  r${round + 1} ${element} ${n} people broke: ${f.error}`));
    }
  }
}

/** Prints one settled call's load: a line per page, the total, the shared processes. */
function printLoad(title: string, load: CallLoad): void {
  out(`${title} (window ${load.windowSeconds.toFixed(1)} s):`);
  out(
    `  ${'page'.padEnd(7)}${'video'.padStart(8)}${'audio'.padStart(8)}${'upload'.padStart(8)}${'cpu %'.padStart(8)}   per leg: video kbit/s, sent size @ fps, limited by, cap`,
  );
  for (const p of load.pages) {
    const cap = (l: CallLoad['pages'][number]['legs'][number]) =>
      l.maxBitrate === null && l.scale === null
        ? 'no cap'
        : `cap ${l.maxBitrate === null ? '-' : fixed(l.maxBitrate / 1000)}k/${l.scale ?? 1}`;
    const legs = p.legs
      .map((l) => `${l.to.toLowerCase()} ${fixed(l.videoKbps)} ${l.width}×${l.height}@${fixed(l.fps)} ${l.limitation} ${cap(l)}`)
      .join('; ');
    out(
      `  ${p.name.toLowerCase().padEnd(7)}${fixed(p.videoKbps).padStart(8)}${fixed(p.audioKbps).padStart(8)}${fixed(p.videoKbps + p.audioKbps).padStart(8)}${fixed(p.cpuPercent, 1).padStart(8)}   ${legs}`,
    );
  }
  const sum = (pick: (p: CallLoad['pages'][number]) => number) => load.pages.reduce((s, p) => s + pick(p), 0);
  out(
    `  ${'total'.padEnd(7)}${fixed(sum((p) => p.videoKbps)).padStart(8)}${fixed(sum((p) => p.audioKbps)).padStart(8)}${fixed(sum((p) => p.videoKbps + p.audioKbps)).padStart(8)}${fixed(
      sum((p) => p.cpuPercent),
      1,
    ).padStart(8)}`,
  );
  const shared = Object.entries(load.shared).sort(([, a], [, b]) => b - a);
  out(
    `  shared Chromium processes, cpu % of one core: ${shared.map(([type, cpu]) => `${type} ${cpu.toFixed(1)}`).join(', ')}; in all ${fixed(
      shared.reduce((s, [, c]) => s + c, 0),
      1,
    )}`,
  );
}

/**
 * Prints the load of each call size, widget and floor, with the widget/floor ratios of the
 * averages per page, and whether the widget's video upload per participant stays within
 * {@link VIDEO_UPLOAD_TARGET_KBPS} in calls of 3 people and more.
 */
export function printLoads(results: Results, sizes: number[], round: number): void {
  out();
  out(`the settled call (round ${round + 1}): upload in kbit/s (outbound-rtp bytesSent, summed over a page's legs), CPU in % of one core`);
  out("(CDP Performance.getMetrics ProcessTime: the page's renderer process; shared: SystemInfo.getProcessInfo)");
  for (const n of sizes) {
    const [w, f] = [results[n]!.widget[round]?.load, results[n]!.mesh[round]?.load];
    out();
    if (w) printLoad(`${n} people, widget`, w);
    if (f) printLoad(`${n} people, floor (uncapped)`, f);
    if (!w || !f) {
      out(`  ${n} people: ${!w ? 'widget' : 'floor'} load not measured (the flow broke)`);
      continue;
    }
    const avg = (load: CallLoad, pick: (p: CallLoad['pages'][number]) => number) =>
      load.pages.reduce((s, p) => s + pick(p), 0) / load.pages.length;
    out(
      `  widget/floor per page: upload ${times(
        avg(w, (p) => p.videoKbps + p.audioKbps),
        avg(f, (p) => p.videoKbps + p.audioKbps),
      )}, ` +
        `video ${times(
          avg(w, (p) => p.videoKbps),
          avg(f, (p) => p.videoKbps),
        )}, cpu ${times(
          avg(w, (p) => p.cpuPercent),
          avg(f, (p) => p.cpuPercent),
        )}`,
    );
    const most = Math.max(...w.pages.map((p) => p.videoKbps));
    out(
      `  widget video upload per participant at most ~${VIDEO_UPLOAD_TARGET_KBPS} kbit/s in all: highest ${fixed(most)} kbit/s → ` +
        `${most <= VIDEO_UPLOAD_TARGET_KBPS ? 'yes' : 'NO'}`,
    );
  }
}
