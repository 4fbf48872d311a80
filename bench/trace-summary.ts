/**
 * Summary of one traced call flow (trace.ts), per page: what its renderer's main thread did from
 * `call()` to the later of the two first frames.
 *
 * Input: Chrome's trace event format (`{ traceEvents: [...] }`). Each page is found by its
 * `bench:who:caller` / `bench:who:callee` user-timing mark (its process and main thread); the
 * window runs from the `bench:call` mark to the latest `bench:frame:call` mark.
 *
 * Figures (ms; "wall" from an event's `dur`, "cpu" from its `tdur`, the thread's own CPU time,
 * which on a loaded machine is much less than wall):
 * - tasks: the main thread's top-level tasks (`RunTask`) in the window, clipped to it.
 * - categories: self time of every complete (`X`) event under them, by kind, as DevTools sorts
 *   them: scripting, style (UpdateLayoutTree), layout, paint (PrePaint, Paint, Layerize, Commit,
 *   UpdateLayer), HTML parse (Lit template elements), GC, other (the scheduler, mojo, IPC).
 * - style recalculations, and those run inside a layout (container queries: style depends on
 *   the container's size, so Blink recalculates styles during layout).
 * - timers fired (TimerFire) and animation frames (FireAnimationFrame), by the function they
 *   ran (source-mapped), with their CPU time; timers installed (TimerInstall) by who installed
 *   them and their delay; events dispatched (EventDispatch) by type.
 * - JavaScript self time by function and by concern (trace-sources.ts), from the V8 CPU
 *   profiler's samples: each sample weighs the time to the next one, at most 1 ms (a longer gap
 *   is mostly the thread waiting for a core), and the weights are scaled so that all samples of
 *   the window add up to the main thread's CPU time in its tasks: "≈ cpu ms". A built-in (no
 *   URL: `addTransceiver`, `setAttribute`, …) counts for its nearest JavaScript caller, skipping
 *   instrument.js's RTCPeerConnection subclass and Lit `update` wrapper (the bench's, which add
 *   nothing but a call).
 * - Lit updates in the window (counted in the page by instrument.js).
 */
import { add, type Frame, type Row, type TraceEvent } from './trace-events.js';
import { sampleJs } from './trace-samples.js';
import { SourceMapper, type Place } from './trace-sources.js';

export type { Row };

/** One page's main thread in the window. */
export interface PageProfile {
  role: 'caller' | 'callee';
  windowMs: number;
  tasks: { count: number; wallMs: number; cpuMs: number; longestWallMs: number };
  /** Self time by kind: wall and CPU ms. */
  categories: Record<string, { wallMs: number; cpuMs: number }>;
  styleRecalc: { count: number; cpuMs: number; elements: number; inLayout: number; inLayoutCpuMs: number };
  /** Layouts: how many, their cpu ms, and the longest one's. */
  layout: { count: number; cpuMs: number; longestCpuMs: number };
  /**
   * Lit updates: how many, ms inside `update()` on the page's clock (wall), ≈ cpu ms of the
   * samples under it (render + commit), and who asked for them (`requestUpdate` callers).
   */
  litUpdates: { count: number; ms: number; cpuMs: number; requesters: Row[] };
  timers: { fired: number; cpuMs: number; byFunction: Row[]; installed: Row[] };
  animationFrames: { fired: number; cpuMs: number; byFunction: Row[] };
  events: Row[];
  /** Sampled JavaScript self time (ms, capped samples), by concern and by function. */
  jsConcerns: Row[];
  jsFunctions: Row[];
}

export interface TraceSummary {
  windowMs: number;
  pages: PageProfile[];
}

/** Kind of an event, for the categories. */
function kindOf(name: string): string {
  if (/GC|Weakness|scavenge/i.test(name)) return 'GC';
  if (name === 'UpdateLayoutTree' || name === 'RecalculateStyles' || name === 'ParseAuthorStyleSheet') return 'style';
  if (name === 'Layout' || name === 'IntersectionObserverController::computeIntersections' || name === 'HitTest') return 'layout';
  if (/^(PrePaint|Paint|Layerize|Commit|UpdateLayer|PaintImage|CompositeLayers|Decode Image)$/.test(name)) return 'paint';
  if (name === 'ParseHTML') return 'HTML parse';
  if (
    /^(FunctionCall|EvaluateScript|TimerFire|EventDispatch|FireAnimationFrame|FireIdleCallback|RunMicrotasks|XHRReadyStateChange)$/.test(
      name,
    ) ||
    /^v8[.:]/i.test(name)
  ) {
    return 'scripting';
  }
  return 'other';
}

const overlap = (a: number, b: number, w0: number, w1: number) => Math.max(0, Math.min(b, w1) - Math.max(a, w0));
const sorted = (rows: Map<string, Row>, top = Infinity) => [...rows.values()].sort((a, b) => b.ms - a.ms).slice(0, top);

/**
 * Summarises a trace. `litUpdates[i]` are page i's (caller, then callee) Lit updates [start, ms]
 * and `litRequests[i]` its `requestUpdate` calls [time, stack], both on the page clock and
 * already in the window.
 */
export function summarizeTrace(
  trace: { traceEvents: TraceEvent[] },
  options: { litUpdates: [number, number][][]; litRequests: [number, string][][] },
): TraceSummary {
  const events = trace.traceEvents;
  const mark = (name: string) => events.filter((e) => e.name === name);
  const w0 = mark('bench:call')[0]?.ts;
  const w1 = Math.max(...mark('bench:frame:call').map((e) => e.ts));
  if (w0 === undefined || !Number.isFinite(w1)) throw new Error('trace without the bench:call and bench:frame:call marks');
  const mapper = new SourceMapper();
  const pages = (['caller', 'callee'] as const).map((role, i): PageProfile => {
    const who = mark(`bench:who:${role}`)[0];
    if (!who) throw new Error(`trace without the bench:who:${role} mark`);
    const updates = options.litUpdates[i] ?? [];
    const { litCpuMs, ...page } = profilePage(events, who.pid, who.tid, w0, w1, mapper);
    return {
      ...page,
      role,
      litUpdates: {
        count: updates.length,
        ms: updates.reduce((s, [, ms]) => s + ms, 0),
        cpuMs: litCpuMs,
        requesters: requesters(options.litRequests[i] ?? [], mapper),
      },
    };
  });
  return { windowMs: (w1 - w0) / 1000, pages };
}

/** Who asked for Lit updates: the first frame of each stack outside Lit and the bench. */
function requesters(requests: [number, string][], mapper: SourceMapper): Row[] {
  const rows = new Map<string, Row>();
  for (const [, stack] of requests) {
    let who = '(unknown)';
    for (const line of stack.split('\n').slice(1)) {
      const match = /\(?([^\s()]+):(\d+):(\d+)\)?$/.exec(line.trim());
      if (!match || /instrument\.js$/.test(match[1]!)) continue;
      const fn = /^at (?:async )?([^\s(]+) \(/.exec(line.trim())?.[1] ?? '';
      const place = mapper.place(match[1]!, Number(match[2]), Number(match[3]) - 1, fn);
      if (place.concern === 'Lit (render, commit)') continue;
      who = `${place.label} [${place.concern}]`;
      break;
    }
    add(rows, who, 0);
  }
  return [...rows.values()].sort((a, b) => b.count - a.count);
}

function profilePage(
  all: TraceEvent[],
  pid: number,
  tid: number,
  w0: number,
  w1: number,
  mapper: SourceMapper,
): Omit<PageProfile, 'role' | 'litUpdates'> & { litCpuMs: number } {
  const thread = all.filter((e) => e.pid === pid && e.tid === tid);
  const complete = thread
    .filter((e) => e.ph === 'X' && e.dur !== undefined && e.ts < w1 && e.ts + e.dur > w0)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const wall = (e: TraceEvent) => overlap(e.ts, e.ts + e.dur!, w0, w1);
  const cpu = (e: TraceEvent) => (e.dur! > 0 ? ((e.tdur ?? e.dur!) * wall(e)) / e.dur! : 0);
  const place = (f: Frame | undefined, oneBased: boolean): Place | undefined =>
    f?.url === undefined
      ? undefined
      : mapper.place(f.url, (f.lineNumber ?? 0) + (oneBased ? 0 : 1), (f.columnNumber ?? 0) - (oneBased ? 1 : 0), f.functionName);

  const tasks = { count: 0, wallMs: 0, cpuMs: 0, longestWallMs: 0 };
  const categories: PageProfile['categories'] = {};
  const styleRecalc = { count: 0, cpuMs: 0, elements: 0, inLayout: 0, inLayoutCpuMs: 0 };
  const layout = { count: 0, cpuMs: 0, longestCpuMs: 0 };
  const timerRows = new Map<string, Row>();
  const frameRows = new Map<string, Row>();
  const eventRows = new Map<string, Row>();
  const timers = { fired: 0, cpuMs: 0 };
  const frames = { fired: 0, cpuMs: 0 };
  // Nesting: a stack of open events; self time = own clipped time minus the children's.
  const stack: { e: TraceEvent; selfWall: number; selfCpu: number; fn?: Place }[] = [];
  const close = () => {
    const top = stack.pop()!;
    const kind = kindOf(top.e.name);
    const c = (categories[kind] ??= { wallMs: 0, cpuMs: 0 });
    c.wallMs += Math.max(0, top.selfWall) / 1000;
    c.cpuMs += Math.max(0, top.selfCpu) / 1000;
    const ms = cpu(top.e) / 1000;
    const where = top.fn?.label ?? '(no function)';
    if (top.e.name === 'TimerFire') add(timerRows, where, ms);
    if (top.e.name === 'FireAnimationFrame') add(frameRows, where, ms);
  };
  for (const e of complete) {
    while (stack.length && e.ts >= stack.at(-1)!.e.ts + stack.at(-1)!.e.dur!) close();
    const parent = stack.at(-1);
    if (parent) {
      parent.selfWall -= wall(e);
      parent.selfCpu -= cpu(e);
    } else if (/RunTask$/.test(e.name)) {
      tasks.count++;
      tasks.wallMs += wall(e) / 1000;
      tasks.cpuMs += cpu(e) / 1000;
      tasks.longestWallMs = Math.max(tasks.longestWallMs, e.dur! / 1000);
    }
    if (e.name === 'UpdateLayoutTree') {
      styleRecalc.count++;
      styleRecalc.cpuMs += cpu(e) / 1000;
      styleRecalc.elements += Number(e.args?.elementCount ?? 0);
      if (stack.some((s) => s.e.name === 'Layout')) {
        styleRecalc.inLayout++;
        styleRecalc.inLayoutCpuMs += cpu(e) / 1000;
      }
    } else if (e.name === 'Layout') {
      layout.count++;
      layout.cpuMs += cpu(e) / 1000;
      layout.longestCpuMs = Math.max(layout.longestCpuMs, cpu(e) / 1000);
    } else if (e.name === 'TimerFire') {
      timers.fired++;
      timers.cpuMs += cpu(e) / 1000;
    } else if (e.name === 'FireAnimationFrame') {
      frames.fired++;
      frames.cpuMs += cpu(e) / 1000;
    } else if (e.name === 'EventDispatch') {
      add(eventRows, String(e.args?.data?.type ?? '?'), cpu(e) / 1000);
    } else if (e.name === 'FunctionCall') {
      // The first function a timer or an animation frame runs names it.
      const owner = [...stack].reverse().find((s) => s.e.name === 'TimerFire' || s.e.name === 'FireAnimationFrame');
      if (owner && !owner.fn) owner.fn = place(e.args?.data as Frame, true);
    }
    stack.push({ e, selfWall: wall(e), selfCpu: cpu(e) });
  }
  while (stack.length) close();

  const installed = new Map<string, Row>();
  for (const e of thread) {
    if (e.name !== 'TimerInstall' || e.ts < w0 || e.ts >= w1) continue;
    const data = e.args?.data as { timeout?: number; singleShot?: boolean; stackTrace?: Frame[] } | undefined;
    const caller = data?.stackTrace?.find((f) => !/^set(Timeout|Interval)$/.test(f.functionName ?? ''));
    const who = place(caller, true)?.label ?? '(no stack)';
    add(installed, `${who}, ${data?.singleShot ? 'once after' : 'every'} ${data?.timeout ?? '?'} ms`, 0);
  }

  const { concerns, functions, litCpuMs } = sampleJs(all, pid, tid, w0, w1, mapper, tasks.cpuMs);
  return {
    windowMs: (w1 - w0) / 1000,
    tasks,
    categories,
    styleRecalc,
    layout,
    timers: { ...timers, byFunction: sorted(timerRows), installed: [...installed.values()].sort((a, b) => b.count - a.count) },
    animationFrames: { ...frames, byFunction: sorted(frameRows) },
    events: sorted(eventRows),
    jsConcerns: sorted(concerns),
    jsFunctions: sorted(functions, 25),
    litCpuMs,
  };
}
