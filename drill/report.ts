/**
 * The drill's verdict: one result per scenario, the shape the benchmark
 * reads (`runDrill` in drill/run.ts), and the table the CLI prints.
 */

export interface AlertTiming {
  alertname: string;
  /** Fault injected → first firing notification on any channel; undefined if none came. */
  latencyMs?: number;
  /** Fault injected → the alert first listed by Alertmanager's API (polled every 200ms). */
  reachedAlertmanagerMs?: number;
  /** The pipeline floor: scrape + evaluation + for + group_wait, every clock in its worst phase (drill/expectations.ts). */
  pipelineFloorMs: number;
  /** How the pipeline floor is made up, in seconds. */
  pipelineFloor: { scrape: number; evaluation: number; for: number; groupWait: number };
  /** The ideal floor (drill/floor.ts): the expression held for its `for` on the fault's series, plus group_wait; absent when it could not be worked out (the notes say why). */
  idealFloorMs?: number;
  idealFloor?: { holdsMs: number; groupWaitMs: number };
  /** latencyMs / idealFloorMs. */
  ratio?: number;
}

export interface ScenarioResult {
  name: string;
  title: string;
  /** Channels the route tree sends the scenario's alerts to, e.g. `pagerduty`, `slack:#critical-alerts`. */
  expectedReceivers: string[];
  /** Channels that received a firing notification for them. */
  actualReceivers: string[];
  /** No alert the scenario's alerts inhibit was notified after its source reached Alertmanager. */
  inhibitionRespected: boolean;
  /** Every expected channel received the resolved notification after healing. */
  resolvedArrived: boolean;
  /** Of the primary (first) alert; see `alerts` for each. */
  latencyMs?: number;
  pipelineFloorMs: number;
  idealFloorMs?: number;
  /** latencyMs / idealFloorMs: 1 is as fast as the fault's own series let the alert's rule fire, plus group_wait. */
  ratio?: number;
  ok: boolean;
  notes: string[];
  alerts: AlertTiming[];
  /** Inhibited alerts that did become active in Alertmanager (so the inhibition was exercised, not vacuous). */
  inhibitionExercised: string[];
  /** Scenario-specific checks (exactly-once delivery, restored `for` state...). */
  checks: Array<{ name: string; ok: boolean; detail: string }>;
  /** Every notification from the injection until the scenario settled (heartbeats left out), ms after the injection. */
  timeline: Array<{ atMs: number; channel: string; alertname: string; status: "firing" | "resolved" }>;
  durationMs: number;
}

export interface DrillReport {
  stack: string;
  timeScale: number;
  startedAt: string;
  durationMs: number;
  /** Tool versions, where they differ from the pinned images. */
  versions: Record<string, string>;
  /** What the drill changed in the stack's rendering, in words. */
  rewrites: string[];
  scenarios: ScenarioResult[];
  /** Every process the drill started, by pid; all stopped when runDrill returns. */
  processes: Array<{ name: string; pid?: number }>;
  ok: boolean;
}

const seconds = (ms: number | undefined) => (ms === undefined ? "—" : `${(ms / 1000).toFixed(1)}s`);

function pad(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(rows[0]), line(widths.map((w) => "-".repeat(w))), ...rows.slice(1).map(line)];
}

/** A fixed-width table, one row per scenario, then each scenario's misses and notes. */
export function formatTable(report: DrillReport): string {
  const head = ["scenario", "receivers (actual/expected)", "inhibition", "resolved", "latency", "pipeline floor", "ideal floor", "ratio", "result"];
  const rows = report.scenarios.map((s) => {
    const matched = s.expectedReceivers.filter((r) => s.actualReceivers.includes(r)).length;
    const extra = s.actualReceivers.filter((r) => !s.expectedReceivers.includes(r)).length;
    return [
      s.name,
      `${matched}/${s.expectedReceivers.length}${extra > 0 ? ` +${extra} unexpected` : ""}`,
      s.inhibitionRespected ? (s.inhibitionExercised.length > 0 ? "respected" : "n/a") : "VIOLATED",
      s.resolvedArrived ? "yes" : "NO",
      seconds(s.latencyMs),
      seconds(s.pipelineFloorMs),
      seconds(s.idealFloorMs),
      s.ratio === undefined ? "—" : `${s.ratio.toFixed(2)}×`,
      s.ok ? "ok" : "MISS",
    ];
  });
  const lines = pad([head, ...rows]);
  const details: string[] = [];
  for (const s of report.scenarios) {
    const misses = [
      ...s.expectedReceivers.filter((r) => !s.actualReceivers.includes(r)).map((r) => `missing ${r}`),
      ...s.actualReceivers.filter((r) => !s.expectedReceivers.includes(r)).map((r) => `unexpected ${r}`),
      ...s.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`),
    ];
    const lines2 = [...misses.map((m) => `MISS ${m}`), ...s.checks.filter((c) => c.ok).map((c) => `${c.name}: ${c.detail}`), ...s.notes];
    if (lines2.length > 0) details.push(`${s.name} — ${s.title}`, ...lines2.map((l) => `  ${l}`));
  }
  const verdict = `${report.scenarios.filter((s) => s.ok).length}/${report.scenarios.length} scenarios ok in ${seconds(report.durationMs)} (stack ${report.stack}, timings × ${report.timeScale.toPrecision(3)})`;
  return [...lines, "", ...details, "", verdict, ""].join("\n");
}
