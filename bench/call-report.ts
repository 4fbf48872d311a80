/**
 * bench:call's printed report: medians of each flow's figures over the rounds, ratios of the
 * medians and medians of the per-round ratios (flows of one round share its machine load), the
 * floors, the targets (printed with PASS/MISS, never asserted) and every round's raw figures.
 */
import type { Figures, Flow } from './flows.js';

/** Per flow, one entry per round (index = round). */
export type Results = Record<Flow, Figures[]>;

/** One letter per flow in the per-round lines and the `order` strings. */
export const LETTER: Record<Flow, string> = {
  widget: 'W',
  'widget-b': 'B',
  vanilla: 'V',
  peerjs: 'P',
  accept: 'A',
  'accept-b': 'Y',
  'accept-floor': 'F',
  'connect-floor': 'C',
};

export const median = (xs: number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1]! + s[mid]!) / 2;
};
const ms = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(0));
const ratio = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined ? undefined : x / y);
const times = (r: number | undefined) => (r === undefined ? 'n/a' : `${r.toFixed(2)}×`);
const verdict = (r: number | undefined, limit: number, strict = false) =>
  r === undefined ? 'n/a' : (strict ? r < limit : r <= limit) ? 'PASS' : 'MISS';

type Pick = (f: Figures) => number | undefined;
const pick = {
  connected: (f: Figures) => f.connected,
  frameCaller: (f: Figures) => f.frameCaller,
  frameCallee: (f: Figures) => f.frameCallee,
  frameBoth: (f: Figures) =>
    f.frameCaller === undefined || f.frameCallee === undefined ? undefined : Math.max(f.frameCaller, f.frameCallee),
  acceptCallee: (f: Figures) => f.acceptCallee,
  acceptCaller: (f: Figures) => f.acceptCaller,
  inCallCpu: (f: Figures) => f.inCallCpu,
  acceptBoth: (f: Figures) =>
    f.acceptCaller === undefined || f.acceptCallee === undefined ? undefined : Math.max(f.acceptCaller, f.acceptCallee),
} satisfies Record<string, Pick>;

/** Prints the report to stdout. `order[round]` is that round's flow letters in the order they ran. */
export function printReport(
  results: Results,
  order: string[],
  meta: { rounds: number; chromium: string; load: string; sizes: string[] },
): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const col = (flow: Flow, p: Pick) => median(results[flow].map(p).filter((x): x is number => x !== undefined));
  /** Median over the rounds of flow a's figure divided by flow b's figure of the same round. */
  const paired = (a: Flow, pa: Pick, b: Flow, pb: Pick) =>
    median(results[a].map((f, i) => ratio(pa(f), results[b][i] && pb(results[b][i]))).filter((r): r is number => r !== undefined));
  const pad = (cells: string[], widths: number[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : c.padStart(widths[i]!)))
      .join('')
      .trimEnd();

  out();
  out(`call bench: ${meta.rounds} rounds + 1 warm-up, ${meta.chromium}; ${meta.load}`);
  out('medians in ms from call() (from accept() in the accept rows); ratio = ratio of the medians, (r) = median of the per-round ratios');
  out('in the call: CPU of every browser process (both pages, GPU, audio, network) per s, over 1 s from 0.5 s after both first frames');
  out();
  const w1 = [44, 9, 9, 9, 17, 17];
  out(pad(['call set-up', 'widget', 'vanilla', 'PeerJS', 'widget/vanilla', 'widget/PeerJS'], w1));
  const callRows: [string, Pick][] = [
    ['call() → caller connected', pick.connected],
    ['call() → first remote frame, caller', pick.frameCaller],
    ['call() → first remote frame, callee', pick.frameCallee],
    ['call() → first remote frame, both', pick.frameBoth],
    ['in the call: browser CPU, ms per s', pick.inCallCpu],
  ];
  for (const [name, p] of callRows) {
    const [w, v, j] = [col('widget', p), col('vanilla', p), col('peerjs', p)];
    const wv = `${times(ratio(w, v))} (${times(paired('widget', p, 'vanilla', p))})`;
    const wj = `${times(ratio(w, j))} (${times(paired('widget', p, 'peerjs', p))})`;
    out(pad([name, ms(w), ms(v), ms(j), wv, wj], w1));
  }

  /** The B build's flow `b` against `a` (the same flow, this build) and a reference flow, row by row. */
  const abTable = (title: string, rows: [string, Pick][], [b, a, ref]: [Flow, Flow, Flow], heads: [string, string, string]) => {
    if (results[b].length === 0) return;
    out();
    out(pad([title, b, a, heads[0], heads[1], heads[2]], w1));
    for (const [name, p] of rows) {
      const [vb, va, vr] = [col(b, p), col(a, p), col(ref, p)];
      const ba = `${times(ratio(vb, va))} (${times(paired(b, p, a, p))})`;
      const br = `${times(ratio(vb, vr))} (${times(paired(b, p, ref, p))})`;
      out(pad([name, ms(vb), ms(va), ms(vr), ba, br], w1));
    }
  };
  abTable('A/B: --widget-b build against widget', callRows, ['widget-b', 'widget', 'vanilla'], ['vanilla', 'b/widget', 'b/vanilla']);

  out();
  const withB = results['widget-b'].length > 0;
  out(pad(['set-up path (first time after call())', 'widget', 'vanilla', 'PeerJS', withB ? 'widget-b' : '', ''], w1));
  const steps = [
    'caller pc',
    'caller local-offer',
    'caller local-candidate',
    'callee pc',
    'callee remote-offer',
    'callee local-answer',
    'callee local-candidate',
    'callee add-candidate',
    'callee ice-checking',
    'caller remote-answer',
    'caller add-candidate',
    'caller ice-checking',
    'callee ice-connected',
    'caller ice-connected',
    'callee connected',
    'caller connected',
  ];
  for (const step of steps) {
    const p: Pick = (f) => f.path?.[step];
    out(pad([`  ${step}`, ms(col('widget', p)), ms(col('vanilla', p)), ms(col('peerjs', p)), withB ? ms(col('widget-b', p)) : '', ''], w1));
  }
  for (const [name, p] of callRows.slice(1, 3))
    out(
      pad(
        [
          `  ${name.replace('call() → ', '')}`,
          ms(col('widget', p)),
          ms(col('vanilla', p)),
          ms(col('peerjs', p)),
          withB ? ms(col('widget-b', p)) : '',
          '',
        ],
        w1,
      ),
    );

  out();
  const w2 = [44, 9, 9, 9, 17, 17];
  out(pad(['connect floor (2 connections, 1 page)', 'floor', 'vanilla', 'widget', 'vanilla/floor', 'widget/floor'], w2));
  for (const [name, p] of callRows) {
    const [c, v, w] = [col('connect-floor', p), col('vanilla', p), col('widget', p)];
    out(pad([name, ms(c), ms(v), ms(w), times(ratio(v, c)), times(ratio(w, c))], w2));
  }

  out();
  out(pad(['accept (connection up, then media)', 'floor', 'widget', '', 'widget/floor', ''], w2));
  const acceptRows: [string, Pick][] = [
    ['accept() → first frame, caller (far side)', pick.acceptCaller],
    ['accept() → first frame, callee', pick.acceptCallee],
    ['accept() → first frame, both', pick.acceptBoth],
  ];
  for (const [name, p] of acceptRows) {
    const [f, a] = [col('accept-floor', p), col('accept', p)];
    out(pad([name, ms(f), ms(a), '', `${times(ratio(a, f))} (${times(paired('accept', p, 'accept-floor', p))})`, ''], w2));
  }
  abTable('A/B: --widget-b build, accept()', acceptRows, ['accept-b', 'accept', 'accept-floor'], ['floor', 'b/accept', 'b/floor']);
  const vanillaFrame = col('vanilla', pick.frameBoth);
  const acceptBoth = col('accept', pick.acceptBoth);
  const floorBoth = col('accept-floor', pick.acceptBoth);
  out(
    `  vanilla call() → first frame, both: ${ms(vanillaFrame)} ms; accept floor (both) is ${times(ratio(floorBoth, vanillaFrame))} of it ` +
      `(r ${times(paired('accept-floor', pick.acceptBoth, 'vanilla', pick.frameBoth))}), widget accept() (both) ${times(ratio(acceptBoth, vanillaFrame))} ` +
      `(r ${times(paired('accept', pick.acceptBoth, 'vanilla', pick.frameBoth))})`,
  );
  const floorShare = ratio(floorBoth, vanillaFrame);
  if (floorShare !== undefined && floorShare > 0.5) {
    out(
      `  NOTE: the accept floor itself is above 0.5× of vanilla call() → frame (${times(floorShare)}): ≤ 0.5× cannot be met on this machine by any element`,
    );
  }
  for (const flow of ['accept', 'accept-floor'] as const) {
    const done = results[flow].filter((f) => f.acceptCallee !== undefined);
    if (done.length === 0) continue;
    out(
      `  ${flow}: Bob connected before accept() in ${done.filter((f) => f.connectedWhileRinging).length}/${done.length} rounds; ` +
        `Alice saw Bob's video before accept() in ${done.filter((f) => f.earlyFrame).length}/${done.length}`,
    );
  }

  const target = (text: string, r: number | undefined, perRound: number | undefined, limit: number, strict = false) =>
    out(
      `  ${text.padEnd(62)}${times(r).padStart(7)}  ${verdict(r, limit, strict)}  (per-round ${times(perRound)} ${verdict(perRound, limit, strict)})`,
    );
  out();
  out('targets (printed, not asserted):');
  target(
    'widget call() → connected ≤ 1.05× vanilla',
    ratio(col('widget', pick.connected), col('vanilla', pick.connected)),
    paired('widget', pick.connected, 'vanilla', pick.connected),
    1.05,
  );
  target(
    'widget call() → frame (both) ≤ 1.05× vanilla',
    ratio(col('widget', pick.frameBoth), vanillaFrame),
    paired('widget', pick.frameBoth, 'vanilla', pick.frameBoth),
    1.05,
  );
  target(
    'widget call() → connected < PeerJS',
    ratio(col('widget', pick.connected), col('peerjs', pick.connected)),
    paired('widget', pick.connected, 'peerjs', pick.connected),
    1,
    true,
  );
  target(
    'widget call() → frame (both) < PeerJS',
    ratio(col('widget', pick.frameBoth), col('peerjs', pick.frameBoth)),
    paired('widget', pick.frameBoth, 'peerjs', pick.frameBoth),
    1,
    true,
  );
  target(
    'widget accept() → frame (both) ≤ 1.1× accept floor',
    ratio(acceptBoth, floorBoth),
    paired('accept', pick.acceptBoth, 'accept-floor', pick.acceptBoth),
    1.1,
  );
  target(
    'widget accept() → frame (both) ≤ 0.5× vanilla call() → frame',
    ratio(acceptBoth, vanillaFrame),
    paired('accept', pick.acceptBoth, 'vanilla', pick.frameBoth),
    0.5,
  );
  for (const line of meta.sizes) out(`  ${line}`);

  out();
  out(
    'per round, ms (W widget, B widget-b, V vanilla, P PeerJS, C connect floor: connected / frame caller / frame callee; A accept, Y accept-b, F accept floor: frame callee / frame caller):',
  );
  const flowOf = Object.fromEntries(Object.entries(LETTER).map(([flow, letter]) => [letter, flow as Flow]));
  order.forEach((letters, round) => {
    const cells = letters.split('').map((letter) => {
      const f = results[flowOf[letter]!][round];
      if (!f) return `${letter} -`;
      if (f.error) return `${letter} error`;
      if (letter === 'A' || letter === 'Y' || letter === 'F') return `${letter} ${ms(f.acceptCallee)}/${ms(f.acceptCaller)}`;
      return `${letter} ${ms(f.connected)}/${ms(f.frameCaller)}/${ms(f.frameCallee)}`;
    });
    out(`  r${round + 1}: ${cells.join('  ')}`);
  });
  for (const [flow, figures] of Object.entries(results)) {
    figures.forEach((f, round) => f.error && out(`  r${round + 1} ${flow} broke: ${f.error}`));
  }
}
