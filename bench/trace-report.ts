/**
 * Prints the set-up profile of `bench:call --trace`: each page's main thread from `call()` to
 * both first frames, for the widget and for vanilla, then where the widget's extra main-thread
 * time goes (widget minus vanilla, both pages summed).
 */
import type { Figures } from './flows.js';
import type { PageProfile, Row, TraceSummary } from './trace-summary.js';

interface Traced {
  flow: 'widget' | 'vanilla';
  figures: Figures;
  summary: TraceSummary;
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const f1 = (x: number) => x.toFixed(1);
const KINDS = ['scripting', 'style', 'layout', 'paint', 'HTML parse', 'GC', 'other'];

/** Sum of a figure over a flow's two pages. */
const both = (t: Traced, pick: (p: PageProfile) => number) => t.summary.pages.reduce((s, p) => s + pick(p), 0);

/** Prints one line per figure: the four pages side by side. */
function printPages(widget: Traced, vanilla: Traced) {
  const pages = [
    ...widget.summary.pages.map((p) => ['widget ' + p.role, p] as const),
    ...vanilla.summary.pages.map((p) => ['vanilla ' + p.role, p] as const),
  ];
  const line = (name: string, cell: (p: PageProfile) => string) =>
    out(`${name.padEnd(34)}${pages.map(([, p]) => cell(p).padStart(16)).join('')}`);
  out(`${'per page (main thread, ms)'.padEnd(34)}${pages.map(([n]) => n.padStart(16)).join('')}`);
  line('window: call() → both first frames', (p) => f1(p.windowMs));
  line('top-level tasks', (p) => String(p.tasks.count));
  line('busy, wall (cpu)', (p) => `${f1(p.tasks.wallMs)} (${f1(p.tasks.cpuMs)})`);
  line('longest task, wall', (p) => f1(p.tasks.longestWallMs));
  for (const kind of KINDS) line(`  self, cpu: ${kind}`, (p) => f1(p.categories[kind]?.cpuMs ?? 0));
  line('style recalcs (in layout)', (p) => `${p.styleRecalc.count} (${p.styleRecalc.inLayout})`);
  line('style recalc cpu (in layout)', (p) => `${f1(p.styleRecalc.cpuMs)} (${f1(p.styleRecalc.inLayoutCpuMs)})`);
  line('elements restyled', (p) => String(p.styleRecalc.elements));
  line('layouts, cpu (longest)', (p) => `${p.layout.count}, ${f1(p.layout.cpuMs)} (${f1(p.layout.longestCpuMs)})`);
  line('Lit updates: n, wall (≈cpu)', (p) => `${p.litUpdates.count}, ${f1(p.litUpdates.ms)} (${f1(p.litUpdates.cpuMs)})`);
  line('timers fired, cpu', (p) => `${p.timers.fired}, ${f1(p.timers.cpuMs)}`);
  line('timers installed', (p) => String(p.timers.installed.reduce((s, r) => s + r.count, 0)));
  line('animation frames, cpu', (p) => `${p.animationFrames.fired}, ${f1(p.animationFrames.cpuMs)}`);
  line('events dispatched, cpu', (p) => `${p.events.reduce((s, r) => s + r.count, 0)}, ${f1(p.events.reduce((s, r) => s + r.ms, 0))}`);
  line('JS self (≈cpu, samples)', (p) => f1(p.jsConcerns.filter((r) => !/^\(/.test(r.label)).reduce((s, r) => s + r.ms, 0)));
}

/** Widget minus vanilla, both pages summed, per concern of sampled JS time. */
function printAttribution(widget: Traced, vanilla: Traced) {
  const sumRows = (t: Traced, pick: (p: PageProfile) => Row[]) => {
    const sum = new Map<string, Row>();
    for (const page of t.summary.pages) {
      for (const r of pick(page)) {
        const row = sum.get(r.label) ?? { label: r.label, count: 0, ms: 0 };
        row.count += r.count;
        row.ms += r.ms;
        sum.set(r.label, row);
      }
    }
    return sum;
  };
  const busy = both(widget, (p) => p.tasks.cpuMs) - both(vanilla, (p) => p.tasks.cpuMs);
  out();
  out(
    `widget's extra main-thread time over vanilla, both pages summed: ${f1(busy)} ms cpu ` +
      `(${f1(both(widget, (p) => p.tasks.cpuMs))} against ${f1(both(vanilla, (p) => p.tasks.cpuMs))}; wall ${f1(both(widget, (p) => p.tasks.wallMs))} against ${f1(both(vanilla, (p) => p.tasks.wallMs))})`,
  );
  out('  by kind (self cpu ms, widget − vanilla):');
  for (const kind of KINDS) {
    const d = both(widget, (p) => p.categories[kind]?.cpuMs ?? 0) - both(vanilla, (p) => p.categories[kind]?.cpuMs ?? 0);
    out(`    ${kind.padEnd(14)}${f1(d).padStart(8)}`);
  }
  const w = sumRows(widget, (p) => p.jsConcerns);
  const v = sumRows(vanilla, (p) => p.jsConcerns);
  out('  JavaScript by concern (self time, ≈ cpu ms from the samples; widget | vanilla):');
  const labels = [...new Set([...w.keys(), ...v.keys()])].sort((a, b) => (w.get(b)?.ms ?? 0) - (w.get(a)?.ms ?? 0));
  for (const label of labels)
    out(`    ${label.padEnd(42)}${f1(w.get(label)?.ms ?? 0).padStart(8)}${f1(v.get(label)?.ms ?? 0).padStart(8)}`);
  out(
    `  Lit updates: ${both(widget, (p) => p.litUpdates.count)}, ${f1(both(widget, (p) => p.litUpdates.ms))} ms wall inside update() (render + commit), ≈ ${f1(both(widget, (p) => p.litUpdates.cpuMs))} ms cpu`,
  );
  out(
    `  style recalcs: ${both(widget, (p) => p.styleRecalc.count)} against ${both(vanilla, (p) => p.styleRecalc.count)} ` +
      `(${both(widget, (p) => p.styleRecalc.inLayout)} inside a layout: container queries), ${f1(both(widget, (p) => p.styleRecalc.cpuMs))} against ${f1(both(vanilla, (p) => p.styleRecalc.cpuMs))} ms cpu`,
  );
  out(
    `  timers fired: ${both(widget, (p) => p.timers.fired)} against ${both(vanilla, (p) => p.timers.fired)}; animation frames: ` +
      `${both(widget, (p) => p.animationFrames.fired)} against ${both(vanilla, (p) => p.animationFrames.fired)}`,
  );
}

function printPageDetail(t: Traced) {
  for (const page of t.summary.pages) {
    out();
    out(`${t.flow} ${page.role}:`);
    const list = (title: string, rows: Row[], top = 10) => {
      if (!rows.length) return;
      out(`  ${title}`);
      for (const r of rows.slice(0, top)) out(`    ${f1(r.ms).padStart(7)} ms ×${String(r.count).padEnd(4)} ${r.label}`);
    };
    list('Lit updates asked for by (requestUpdate callers, count):', page.litUpdates.requesters);
    list('timers fired, by function (cpu ms, count):', page.timers.byFunction);
    list('timers installed, by caller:', page.timers.installed);
    list('animation frames, by function:', page.animationFrames.byFunction, 5);
    list('events dispatched, by type:', page.events, 8);
    list('JavaScript self time by function (≈ cpu ms from the samples):', page.jsFunctions, 15);
  }
}

/** Prints the whole set-up profile. */
export function printTraceReport(widget: Traced, vanilla: Traced): void {
  out();
  out('set-up profile (one traced flow each; tracing slows the pages, so these flows are not in the medians):');
  out(
    `  widget call() → connected ${f1(widget.figures.connected ?? NaN)} ms, → both frames ${f1(Math.max(widget.figures.frameCaller ?? NaN, widget.figures.frameCallee ?? NaN))} ms; ` +
      `vanilla ${f1(vanilla.figures.connected ?? NaN)} ms, ${f1(Math.max(vanilla.figures.frameCaller ?? NaN, vanilla.figures.frameCallee ?? NaN))} ms`,
  );
  out();
  printPages(widget, vanilla);
  printAttribution(widget, vanilla);
  printPageDetail(widget);
  printPageDetail(vanilla);
}
