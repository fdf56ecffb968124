/**
 * The ideal floor of an alert: how soon a notification could follow the
 * fault if the alert's own expression were evaluated continuously on the
 * series the fault produced — the first moment it has held for its `for` —
 * plus the route's group_wait, which Alertmanager always waits for a new
 * group (Prometheus sends an alert's firing time as its start, so the group
 * is never "old enough" to skip it). A rate or burn-rate window filling up
 * is part of it; the evaluation interval's phase, delivery to Alertmanager,
 * its cluster and the sinks are not.
 *
 * Worked out by the real `promtool test rules` on a grid of a tenth of a
 * scrape interval: the alert's rule chain (drill/rule-chain.ts) with its
 * inputs as input series — the scraped series it reads, exported raw from
 * the drill's Prometheus, and the recording rules on scraped series
 * evaluated by that Prometheus at every grid point — and one test per grid
 * point from the injection on that expects no alert, so promtool's failures
 * list every time the alert fires. The functions here are pure;
 * drill/floor-live.ts asks Prometheus and runs promtool.
 */
import { stringify } from "yaml";
import type { ExpectedAlert } from "./expectations";
import type { ScenarioResult } from "./report";

/** One exported series: its labels (with `__name__`), its raw samples and the staleness markers Prometheus wrote for it. */
export interface RawSeries {
  labels: Record<string, string>;
  /** Unix ms and the value as Prometheus' API writes it ("12.5", "NaN", "+Inf"), oldest first. */
  samples: Array<[number, string]>;
  /** Unix ms of staleness markers (the API drops them: see `withStaleness`). */
  stale?: number[];
}

/**
 * The offline evaluation's time grid. Index 0 is `originMs`, every index
 * `stepMs` later; the injection falls exactly on `injectedIndex`.
 */
export interface FloorGrid {
  originMs: number;
  stepMs: number;
  injectedIndex: number;
  endIndex: number;
}

/**
 * The grid for one scenario: a tenth of a scrape interval per step, from far
 * enough before the injection that every window the chain reads is full of
 * real samples at the injection (`reachSeconds`, plus two scrapes so an
 * instant selector has a sample), to the end of the fault.
 */
export function floorGrid(injectedAtMs: number, healedAtMs: number, reachSeconds: number, scrapeSeconds: number): FloorGrid {
  const stepMs = Math.max(1, Math.round((scrapeSeconds * 1000) / 10));
  const injectedIndex = Math.ceil(((reachSeconds + 2 * scrapeSeconds) * 1000) / stepMs);
  const endIndex = injectedIndex + Math.max(1, Math.ceil((healedAtMs - injectedAtMs) / stepMs));
  return { originMs: injectedAtMs - injectedIndex * stepMs, stepMs, injectedIndex, endIndex };
}

/**
 * Prometheus writes a staleness marker for a series at the first scrape of
 * its target that did not return it (a failed scrape returns nothing), and
 * its API leaves markers out. All samples of one scrape share the scrape's
 * timestamp, which `up` of the same job and instance carries; so a series
 * that had a sample at one `up` timestamp and none at the next went stale
 * there. During a Prometheus outage there are no `up` samples, and no
 * markers, as in Prometheus itself. Series without a job and instance, or
 * whose samples are not on their target's scrape timestamps (exporter-given
 * timestamps), are left as they are.
 */
export function withStaleness(series: RawSeries[], up: RawSeries[]): RawSeries[] {
  const scrapes = new Map<string, number[]>();
  for (const u of up)
    scrapes.set(
      `${u.labels.job}\u0000${u.labels.instance}`,
      u.samples.map(([t]) => t),
    );
  return series.map((s) => {
    const times = s.labels.job === undefined ? undefined : scrapes.get(`${s.labels.job}\u0000${s.labels.instance}`);
    if (times === undefined || s.labels.__name__ === "up") return s;
    const own = new Set(s.samples.map(([t]) => t));
    const onScrape = times.filter((t) => own.has(t)).length;
    if (onScrape < 0.9 * s.samples.filter(([t]) => t >= times[0]).length) return s;
    const stale: number[] = [];
    let present = false;
    for (const t of times) {
      if (own.has(t)) present = true;
      else if (present) {
        stale.push(t);
        present = false;
      }
    }
    return stale.length === 0 ? s : { ...s, stale };
  });
}

/**
 * A series' values on the grid, in promtool's input notation: each sample at
 * the first grid point at or after it (never seen before it was scraped),
 * `stale` for a staleness marker, `_` where nothing was written (an instant
 * selector still finds the last sample within Prometheus' 5m lookback, as
 * live). The last sample before the grid starts is kept at index 0, so the
 * lookback has it.
 */
export function gridValues(series: RawSeries, grid: FloorGrid): string {
  const cells: string[] = new Array(grid.endIndex + 1).fill("_");
  const events = [...series.samples.map(([t, v]) => [t, v] as const), ...(series.stale ?? []).map((t) => [t, "stale"] as const)].sort((a, b) => a[0] - b[0]);
  for (const [t, v] of events) {
    const index = Math.max(0, Math.ceil((t - grid.originMs) / grid.stepMs));
    if (index > grid.endIndex) break;
    if (!/^(?:[+-]?(?:\d+(?:\.\d*)?(?:e[+-]?\d+)?|Inf)|NaN|stale)$/i.test(v))
      throw new Error(`series ${seriesText(series.labels)}: '${v}' is not a value promtool can load (native histograms are not supported)`);
    cells[index] = v;
  }
  const out: string[] = [];
  for (let i = 0; i < cells.length; ) {
    if (cells[i] !== "_") {
      out.push(cells[i++]);
      continue;
    }
    let j = i;
    while (j < cells.length && cells[j] === "_") j++;
    out.push(j - i === 1 ? "_" : `_x${j - i}`);
    i = j;
  }
  return out.join(" ");
}

/** `name{label="value",…}`, as promtool's input_series reads it. */
export function seriesText(labels: Record<string, string>): string {
  const { __name__: name = "", ...rest } = labels;
  const pairs = Object.entries(rest)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${name}{${pairs.join(",")}}`;
}

export interface FloorTestInput {
  /** Test name, e.g. the scenario's. */
  name: string;
  /** The rule file (chainRuleFile), relative to the test file. */
  ruleFile: string;
  grid: FloorGrid;
  series: RawSeries[];
  alertnames: string[];
}

/** The promtool unit-test file: the series on the grid, one no-alert expectation per alert and grid point from the injection to the end. */
export function floorTestFile(input: FloorTestInput): string {
  const { grid } = input;
  const tests = [];
  for (let i = grid.injectedIndex; i <= grid.endIndex; i++) for (const alertname of input.alertnames) tests.push({ eval_time: `${i * grid.stepMs}ms`, alertname, exp_alerts: [] });
  const doc = {
    rule_files: [input.ruleFile],
    evaluation_interval: `${grid.stepMs}ms`,
    tests: [
      {
        name: input.name,
        interval: `${grid.stepMs}ms`,
        // Real time, so time() in a rule reads what it read live.
        start_timestamp: (grid.originMs / 1000).toFixed(3),
        input_series: input.series.map((s) => ({ series: seriesText(s.labels), values: gridValues(s, grid) })),
        alert_rule_test: tests,
      },
    ],
  };
  return `# The ideal floor of ${input.alertnames.join(", ")} (${input.name}): written by the Watchpost fire drill (drill/floor.ts).\n${stringify(doc, { lineWidth: 0 })}`;
}

const durationUnitsMs: Record<string, number> = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** A duration as promtool prints it (`1m2s300ms`), in ms. */
export function printedDurationMs(text: string): number {
  const parts = [...text.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) throw new Error(`'${text}' is not a duration promtool prints`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * durationUnitsMs[p[2]], 0);
}

export interface Firing {
  alertname: string;
  /** Time after the grid's origin, ms. */
  atMs: number;
  labels: Record<string, string>;
}

/**
 * Every firing alert promtool reports in the failures of a floor test:
 * `alertname: X, time: 1m2s300ms,` then the `got:` list's `Labels:{…}` lines.
 */
export function firingsOf(output: string): Firing[] {
  const firings: Firing[] = [];
  let current: { alertname: string; atMs: number } | undefined;
  for (const line of output.split("\n")) {
    const head = /^\s*alertname: (\S+), time: (\S+),/.exec(line);
    if (head) {
      current = { alertname: head[1], atMs: printedDurationMs(head[2]) };
      continue;
    }
    const labels = /^\s*Labels:\{(.*)\}\s*$/.exec(line);
    if (labels && current) {
      const parsed: Record<string, string> = {};
      for (const m of labels[1].matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) parsed[m[1]] = JSON.parse(`"${m[2]}"`) as string;
      firings.push({ ...current, labels: parsed });
    }
  }
  return firings;
}

export interface IdealFloor {
  /** Fault → the expression has held for the rule's `for` on the fault's series, ms. */
  holdsMs: number;
  groupWaitMs: number;
  totalMs: number;
}

/**
 * The ideal floor of one expected alert from promtool's firings: the first
 * firing with the alert's labels at or after the injection, plus group_wait.
 * Undefined when the expression never held for its `for` within the fault.
 */
export function idealFloorOf(firings: Firing[], alert: ExpectedAlert, grid: FloorGrid, groupWaitSeconds: number): IdealFloor | undefined {
  const injectedMs = grid.injectedIndex * grid.stepMs;
  const matching = firings.filter((f) => f.alertname === alert.alertname && f.atMs >= injectedMs && Object.entries(alert.labels ?? {}).every(([k, v]) => f.labels[k] === v));
  if (matching.length === 0) return undefined;
  const holdsMs = Math.min(...matching.map((f) => f.atMs)) - injectedMs;
  const groupWaitMs = groupWaitSeconds * 1000;
  return { holdsMs, groupWaitMs, totalMs: holdsMs + groupWaitMs };
}

/** Why an alert has no ideal floor, in words, when it has none. */
export type IdealFloorOutcome = IdealFloor | { missing: string };

// `|| 0`: a rounded -0.0s reads 0.0s.
const secondsText = (ms: number) => `${(Math.round(ms / 100) / 10 || 0).toFixed(1)}s`;

/** The ratio the drill reports: latency ÷ ideal floor. */
export const ratioGoal = 1.1;

/**
 * Puts the ideal floors (one per expected alert, in the result's order) into
 * a scenario's result: per alert and for the scenario's primary alert, with
 * the ratio latency ÷ ideal floor; and in the notes, how each floor is made
 * up and, above the 1.1× goal, where the rest of the latency went — before
 * the alert reached Alertmanager (evaluation phase, a Prometheus outage) or
 * after (group_wait, a cluster's failover) — and whether the scenario's
 * disruption fell there.
 */
export function withIdealFloors(result: ScenarioResult, floors: IdealFloorOutcome[], context: { evaluationSeconds: number; disruptedAtMs?: number }): ScenarioResult {
  const alerts = result.alerts.map((a, i) => {
    const floor = floors[i];
    if (floor === undefined || "missing" in floor) return a;
    const ratio = a.latencyMs === undefined ? undefined : Number((a.latencyMs / floor.totalMs).toFixed(2));
    return { ...a, idealFloorMs: floor.totalMs, idealFloor: { holdsMs: floor.holdsMs, groupWaitMs: floor.groupWaitMs }, ratio };
  });
  const notes = [...result.notes];
  alerts.forEach((a, i) => {
    const floor = floors[i];
    if (floor === undefined || "missing" in floor) {
      notes.push(`no ideal floor for ${a.alertname}: ${floor?.missing ?? "not computed"}`);
      return;
    }
    const ratio = a.ratio === undefined ? "" : `; latency ${secondsText(a.latencyMs as number)}, ${a.ratio.toFixed(2)}×`;
    notes.push(
      `ideal floor of ${a.alertname}: its expression held for its for ${secondsText(floor.holdsMs)} after the injection + group_wait ${secondsText(floor.groupWaitMs)} = ${secondsText(floor.totalMs)}${ratio}`,
    );
    if (a.ratio !== undefined && a.ratio > ratioGoal) notes.push(`${a.alertname} over ${ratioGoal}×: ${excess(a.latencyMs as number, floor, a.reachedAlertmanagerMs, context)}`);
  });
  const primary = alerts[0];
  return { ...result, alerts, idealFloorMs: primary?.idealFloorMs, ratio: primary?.ratio, notes };
}

function excess(latencyMs: number, floor: IdealFloor, arrivedMs: number | undefined, context: { evaluationSeconds: number; disruptedAtMs?: number }): string {
  const d = context.disruptedAtMs;
  if (arrivedMs === undefined) return `${secondsText(latencyMs - floor.totalMs)} more than the ideal floor (the alert was not seen in Alertmanager's API)`;
  const disruption = (where: string) => `; the scenario's disruption, at +${secondsText(d as number)}, came ${where}`;
  return [
    `its rule could fire at +${secondsText(floor.holdsMs)}; the alert reached Alertmanager at +${secondsText(arrivedMs)}, ${secondsText(arrivedMs - floor.holdsMs)} later (rules are evaluated every ${context.evaluationSeconds}s, a chain of rule groups once per group${d !== undefined && d <= arrivedMs ? disruption("before it") : ""})`,
    `the first notification came ${secondsText(latencyMs - arrivedMs)} after that (group_wait ${secondsText(floor.groupWaitMs)}; Alertmanager's API is polled every 200ms${d !== undefined && d > arrivedMs && d <= latencyMs ? disruption("in between") : ""})`,
  ].join("; ");
}
