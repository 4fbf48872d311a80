/**
 * bench:call `--trace DIR`: one widget flow and one vanilla flow, each with a Chrome trace of the
 * whole browser (every renderer, so both pages) from right before `call()` to both first frames.
 *
 * Recording: Playwright's `browser.startTracing()` (CDP `Tracing.start`) with the categories the
 * DevTools Performance panel uses (devtools.timeline and its disabled-by-default parts, toplevel,
 * v8 and the V8 CPU profiler's samples, user timing). Started after the frames are armed, stopped
 * once both pages presented their first frame; the window the summary reads is narrower, from
 * the `bench:call` user-timing mark (instrument.js, in the caller's page, at `call()`) to the
 * later `bench:frame:call` mark. Each page also gets a `bench:who:caller` or `bench:who:callee`
 * mark after tracing started, which tells its renderer's process and main thread in the trace.
 *
 * Writes DIR/widget.json and DIR/vanilla.json (the trace event format: open them in DevTools'
 * Performance panel or https://ui.perfetto.dev) and DIR/summary.json; prints the summary
 * (trace-report.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runFlow, type Figures } from './flows.js';
import type { PageServer } from './pages.js';
import { summarizeTrace, type TraceSummary } from './trace-summary.js';
import { printTraceReport } from './trace-report.js';

/** Trace categories (Chrome's trace event categories; `disabled-by-default-*` ones must be named). */
export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'disabled-by-default-devtools.timeline.stack',
  'toplevel',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
  'disabled-by-default-v8.cpu_profiler.hires',
  'blink.user_timing',
];

/** What one traced flow left: its figures and the summary of its trace. */
export interface TracedFlow {
  flow: 'widget' | 'vanilla';
  figures: Figures;
  summary: TraceSummary;
}

/** Runs one flow with tracing on; writes DIR/<flow>.json. */
async function traceOne(browser: Browser, pages: PageServer, flow: 'widget' | 'vanilla', dir: string): Promise<TracedFlow> {
  let traced: Page[] = [];
  let trace: Buffer | undefined;
  const updates: [number, number][][] = [];
  const requests: [number, string][][] = [];
  const figures = await runFlow(browser, pages, flow, {
    async beforeInvoke(flowPages) {
      traced = flowPages;
      await browser.startTracing(undefined, { categories: TRACE_CATEGORIES, screenshots: false });
      await Promise.all(
        flowPages.map((page, i) =>
          page.evaluate(
            (who) => {
              performance.mark(`bench:who:${who}`);
              window.__bench.tracing = true;
            },
            i === 0 ? 'caller' : 'callee',
          ),
        ),
      );
      // Let the tracing agents of every process settle before the measured interval.
      await new Promise((resolve) => setTimeout(resolve, 200));
    },
    async afterFrames() {
      // The last frames' tasks end a little after the marks: keep them in the trace.
      await new Promise((resolve) => setTimeout(resolve, 100));
      trace = await browser.stopTracing();
      // The Lit updates from call() to the later first frame (the page clock is every page's).
      const summaries = await Promise.all(traced.map((page) => page.evaluate(() => window.__bench.summary())));
      const from = summaries[0]!.marks.call!;
      const to = Math.max(...summaries.map((s) => s.frames.call!));
      for (const s of summaries) {
        updates.push(s.updates.filter(([start]) => start >= from && start <= to));
        requests.push(s.requests.filter(([at]) => at >= from && at <= to));
      }
    },
  });
  if (figures.error || !trace) throw new Error(`traced ${flow} flow broke: ${figures.error ?? 'no trace'}`);
  const file = join(dir, `${flow}.json`);
  writeFileSync(file, trace);
  const summary = summarizeTrace(JSON.parse(trace.toString('utf8')) as Parameters<typeof summarizeTrace>[0], {
    litUpdates: updates,
    litRequests: requests,
  });
  process.stdout.write(`trace of the ${flow} flow: ${file} (${(trace.length / 1e6).toFixed(1)} MB)\n`);
  return { flow, figures, summary };
}

/** The `--trace DIR` step: traces a widget flow, then a vanilla flow, and prints what they show. */
export async function traceFlows(browser: Browser, pages: PageServer, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const widget = await traceOne(browser, pages, 'widget', dir);
  const vanilla = await traceOne(browser, pages, 'vanilla', dir);
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ widget, vanilla }, null, 1));
  printTraceReport(widget, vanilla);
}
