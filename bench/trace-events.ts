/** The trace event format as bench:call's trace summary reads it, and a breakdown row. */

/** A trace event, as far as this summary reads it. */
export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: { data?: Record<string, unknown> & { type?: string }; [key: string]: unknown };
}

/** A JavaScript position in a trace (a profile node's call frame, a stack frame, a FunctionCall's data). */
export type Frame = { functionName?: string; url?: string; lineNumber?: number; columnNumber?: number };

/** A row of a breakdown: what, how often, and how long (ms). */
export interface Row {
  label: string;
  count: number;
  ms: number;
}

/** Adds `ms` (and `count`) to the row `label` of `rows`. */
export const add = (rows: Map<string, Row>, label: string, ms: number, count = 1): void => {
  const row = rows.get(label) ?? { label, count: 0, ms: 0 };
  row.count += count;
  row.ms += ms;
  rows.set(label, row);
};
