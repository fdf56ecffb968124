/**
 * The bench's pure half: each measurement against its goal, the verdict with
 * by how much a goal is missed, and the table and JSON the bench prints.
 * No I/O, no timing: unit-tested in test/bench/.
 */

/** `max`: the value must not exceed the goal; the unit says how to print both. */
export interface Goal {
  max: number;
  unit: Unit;
}

export type Unit = "ms" | "s" | "ratio" | "MiB" | "series" | "count";

export interface Measurement {
  /** Section of the table, e.g. "drill", "synth", "rules". */
  section: string;
  name: string;
  value: number | undefined;
  unit: Unit;
  goal?: Goal;
  /** How the value was obtained (median of N, max over cycles, …) or why it is missing. */
  note?: string;
}

export type Verdict = "ok" | "missed" | "no goal" | "not measured";

export interface Assessed extends Measurement {
  verdict: Verdict;
  /** For a missed goal: by how much, in the goal's unit and as a factor, e.g. "+12.0 ms (1.24× the goal)". */
  missedBy?: string;
}

export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case "ms":
      return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
    case "s":
      return `${value.toFixed(2)} s`;
    case "ratio":
      return `${value.toFixed(2)}×`;
    case "MiB":
      return value >= 1024 ? `${value.toFixed(0)} MiB (${(value / 1024).toFixed(2)} GiB)` : `${value.toFixed(0)} MiB`;
    case "series":
    case "count":
      return Math.round(value).toLocaleString("en-US");
  }
}

function formatDelta(delta: number, unit: Unit): string {
  switch (unit) {
    case "ratio":
      return `+${delta.toFixed(2)}`;
    case "series":
    case "count":
      return `+${Math.round(delta).toLocaleString("en-US")}`;
    default:
      return `+${formatValue(delta, unit)}`;
  }
}

export function assess(m: Measurement): Assessed {
  if (m.value === undefined || Number.isNaN(m.value)) return { ...m, verdict: "not measured" };
  if (m.goal === undefined) return { ...m, verdict: "no goal" };
  if (m.goal.unit !== m.unit) throw new Error(`${m.section}/${m.name}: goal in ${m.goal.unit} for a value in ${m.unit}`);
  if (m.value <= m.goal.max) return { ...m, verdict: "ok" };
  const factor = m.goal.max > 0 ? ` (${(m.value / m.goal.max).toFixed(2)}× the goal)` : "";
  return { ...m, verdict: "missed", missedBy: `${formatDelta(m.value - m.goal.max, m.unit)}${factor}` };
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The goals of issue 6, in one place. */
export const goals = {
  drillRatio: { max: 1.1, unit: "ratio" },
  synth: { max: 1000, unit: "ms" },
  programUnderMocks: { max: 3000, unit: "ms" },
  panelQuery: { max: 50, unit: "ms" },
  ruleGroup: { max: 100, unit: "ms" },
  devMemory: { max: 3 * 1024, unit: "MiB" },
  ruleFailures: { max: 0, unit: "count" },
  /** The synthetic data is a healthy system: an alert pending on it times alert bookkeeping, not rules (the Watchdog excepted). */
  alertsOnHealthyData: { max: 0, unit: "count" },
  /** `npm run up` from nothing to healthy, over the containers' own create-to-healthy time. */
  upOverhead: { max: 1.5, unit: "ratio" },
  /** A `npm run up` with nothing to change: the program runs and the providers diff. */
  noopUp: { max: 60, unit: "s" },
} as const satisfies Record<string, Goal>;

function pad(s: string, width: number): string {
  return s.length >= width ? s : s + " ".repeat(width - s.length);
}

/** A plain-text table: section, name, value, goal, verdict (with the miss), note. */
export function renderTable(rows: Assessed[]): string {
  const header = ["section", "measurement", "value", "goal", "verdict", "note"];
  const cells = rows.map((r) => [
    r.section,
    r.name,
    r.value === undefined ? "—" : formatValue(r.value, r.unit),
    r.goal ? `≤ ${formatValue(r.goal.max, r.goal.unit)}` : "",
    r.verdict === "missed" ? `MISSED by ${r.missedBy}` : r.verdict,
    r.note ?? "",
  ]);
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...cells.map((c) => c[i].length))));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === c.length - 1 ? v : pad(v, widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

export interface BenchSummary {
  rows: Assessed[];
  met: number;
  missed: number;
  notMeasured: number;
}

export function summarize(measurements: Measurement[]): BenchSummary {
  const rows = measurements.map(assess);
  return {
    rows,
    met: rows.filter((r) => r.verdict === "ok").length,
    missed: rows.filter((r) => r.verdict === "missed").length,
    notMeasured: rows.filter((r) => r.verdict === "not measured").length,
  };
}
