/**
 * Trends of the soak bench's figures (bench/soak.ts): growth from the first sample to the last,
 * a least-squares line through all samples, and whether the figure grows steadily. Pure
 * arithmetic, no I/O.
 *
 * "Grows steadily" (a leak suspect) means all three of:
 *   - the least-squares slope is positive,
 *   - the line explains the samples well: coefficient of determination r² ≥ {@link STEADY_R2}
 *     (a saw-tooth heap or a noisy RSS has a low r²),
 *   - the line's rise over the window is above the figure's noise floor (`floor`, in the figure's
 *     unit; e.g. 0.5 MB of heap) and, for figures whose first value is not 0, at least
 *     {@link MIN_RELATIVE_RISE} of that value.
 * With fewer than 3 samples nothing is flagged (a line through two points always fits).
 */

/** r² from which a rising line counts as steady. */
export const STEADY_R2 = 0.8;
/** Smallest rise over the window, relative to the first sample, that counts (2 %). */
export const MIN_RELATIVE_RISE = 0.02;

/** One figure sampled over time: `at` in minutes since the call connected, `value` in the figure's unit. */
export interface Series {
  /** What it is, e.g. "alice heap MB". */
  name: string;
  /** Rise (in the figure's unit) below which a steady rise is still noise. */
  floor: number;
  /** Decimals to print. */
  decimals: number;
  points: { at: number; value: number }[];
}

/** The trend of one {@link Series}. Units: the figure's own, per hour for the rates. */
export interface Trend {
  name: string;
  first: number;
  last: number;
  /** `last - first`. */
  growth: number;
  /** `growth` over the elapsed time, per hour (NaN with one sample). */
  growthPerHour: number;
  /** Least-squares slope, per hour (NaN with fewer than 2 samples). */
  slopePerHour: number;
  /** Coefficient of determination of the line (1 when every sample is equal: a flat line fits). */
  r2: number;
  /** True when the figure grows steadily (see the file comment). */
  growsSteadily: boolean;
  decimals: number;
}

/** Least-squares line `value = intercept + slope · at` through the points, and its r². */
export function leastSquares(points: { at: number; value: number }[]): { slope: number; intercept: number; r2: number } {
  const n = points.length;
  if (n < 2) return { slope: Number.NaN, intercept: points[0]?.value ?? Number.NaN, r2: Number.NaN };
  const meanX = points.reduce((s, p) => s + p.at, 0) / n;
  const meanY = points.reduce((s, p) => s + p.value, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.at - meanX) ** 2;
    sxy += (p.at - meanX) * (p.value - meanY);
    syy += (p.value - meanY) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: meanY - slope * meanX, r2 };
}

/** The trend of a series (its points in time order; `at` in minutes). */
export function trendOf(series: Series): Trend {
  const { points } = series;
  const first = points[0]?.value ?? Number.NaN;
  const last = points.at(-1)?.value ?? Number.NaN;
  const hours = ((points.at(-1)?.at ?? 0) - (points[0]?.at ?? 0)) / 60;
  const fit = leastSquares(points);
  const slopePerHour = fit.slope * 60;
  const rise = fit.slope * hours * 60; // the line's rise over the window, in the figure's unit
  const growsSteadily =
    points.length >= 3 &&
    fit.slope > 0 &&
    fit.r2 >= STEADY_R2 &&
    rise > series.floor &&
    (first === 0 || rise >= Math.abs(first) * MIN_RELATIVE_RISE);
  return {
    name: series.name,
    first,
    last,
    growth: last - first,
    growthPerHour: hours > 0 ? (last - first) / hours : Number.NaN,
    slopePerHour,
    r2: fit.r2,
    growsSteadily,
    decimals: series.decimals,
  };
}

/** The summary table: one line per trend, with a header. */
export function formatTrends(trends: Trend[]): string[] {
  // Rounded to `d` decimals; a value that rounds to zero prints as plain 0 (no sign, no "-0.00").
  const num = (x: number, d: number, signed = false) => {
    if (!Number.isFinite(x)) return 'n/a';
    const rounded = Number(x.toFixed(d));
    return rounded === 0 ? (0).toFixed(d) : `${signed && rounded > 0 ? '+' : ''}${rounded.toFixed(d)}`;
  };
  const width = Math.max(24, ...trends.map((t) => t.name.length + 2));
  const lines = [
    `${'figure'.padEnd(width)}${'first'.padStart(10)}${'last'.padStart(10)}${'growth'.padStart(10)}${'growth/h'.padStart(11)}` +
      `${'slope/h'.padStart(11)}${'r²'.padStart(6)}  verdict`,
  ];
  for (const t of trends) {
    const d = t.decimals;
    lines.push(
      `${t.name.padEnd(width)}${num(t.first, d).padStart(10)}${num(t.last, d).padStart(10)}${num(t.growth, d, true).padStart(10)}` +
        `${num(t.growthPerHour, d, true).padStart(11)}${num(t.slopePerHour, d, true).padStart(11)}${num(t.r2, 2).padStart(6)}  ` +
        `${t.growsSteadily ? 'GROWS STEADILY' : 'ok'}`,
    );
  }
  return lines;
}
