/**
 * The ideal floors of one played scenario, from the running drill. Of its
 * alerts' rule chains (drill/rule-chain.ts), the leaves — recording rules on
 * scraped series — are evaluated by the drill's Prometheus at every grid
 * point (one range query each); the scraped series the other rules read are
 * exported raw (a range-vector instant query returns exact samples); both go
 * into a promtool unit-test file with the other rules (drill/floor.ts), which
 * the real `promtool test rules` evaluates. Leaves are left to Prometheus for
 * cost: promtool evaluates every rule at every grid point from the start of
 * its data, so a 1h burn window (4m × 1/15) read from raw samples would cost
 * minutes of CPU per scenario; a range query evaluates only the points needed.
 * Run after every scenario has played, so that CPU does not slow the
 * latencies the floors are compared with.
 */
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ExpectedAlert } from "./expectations";
import {
  type FloorGrid,
  type Firing,
  type IdealFloorOutcome,
  type RawSeries,
  firingsOf,
  floorGrid,
  floorTestFile,
  idealFloorOf,
  seriesText,
  withIdealFloors,
  withStaleness,
} from "./floor";
import type { AlertExpectation } from "./play";
import type { ScenarioResult } from "./report";
import { type ChainRule, chainRuleFile, ruleChain } from "./rule-chain";

/** Prometheus' default lookback for an instant selector (`--query.lookback-delta`), which the drill leaves as it is. */
export const lookbackSeconds = 300;

export interface FloorRequest {
  /** Scenario name: names the test and its directory. */
  name: string;
  injectedAt: number;
  healedAt: number;
  alerts: Array<{ alert: ExpectedAlert; groupWaitSeconds: number }>;
}

export interface FloorSetting {
  promtool: string;
  prometheusUrl: string;
  /** The scaled rule files the drill's Prometheus runs. */
  ruleFiles: string[];
  scrapeSeconds: number;
  /** Where the rule and test files go (kept with `--keep`). */
  dir: string;
}

/** Raw samples of every series a selector picks, over (time − range, time]. */
export async function exportSeries(prometheusUrl: string, selector: string, rangeMs: number, atMs: number): Promise<RawSeries[]> {
  const query = new URLSearchParams({ query: `${selector}[${Math.ceil(rangeMs)}ms]`, time: (atMs / 1000).toFixed(3) });
  const res = await fetch(`${prometheusUrl}/api/v1/query?${query}`, { signal: AbortSignal.timeout(30_000) });
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: Array<{ metric: Record<string, string>; values?: Array<[number, string]>; histograms?: unknown[] }> };
  };
  if (body.status !== "success" || body.data?.resultType !== "matrix") throw new Error(`exporting ${selector}: ${body.error ?? `unexpected ${body.data?.resultType} result`}`);
  return body.data.result.map((r) => {
    if (r.histograms) throw new Error(`exporting ${selector}: ${seriesText(r.metric)} holds native histograms, which the ideal floor does not evaluate`);
    return { labels: r.metric, samples: (r.values ?? []).map(([t, v]) => [Math.round(t * 1000), v] as [number, string]) };
  });
}

/** Prometheus' limit on the points of one range query's series. */
const maxPointsPerQuery = 11_000;

/**
 * A recording rule that reads scraped series only, evaluated by Prometheus at
 * every grid point (a range query evaluates each step as the rule's instant
 * query would), as the series it records: the rule's labels on each result,
 * and a staleness marker at the first point a series is missing from, as the
 * rule group writes one.
 */
export async function evaluateLeaf(prometheusUrl: string, rule: ChainRule, grid: FloorGrid): Promise<RawSeries[]> {
  const byKey = new Map<string, { labels: Record<string, string>; points: Map<number, string> }>();
  for (let from = 0; from <= grid.endIndex; from += maxPointsPerQuery) {
    const to = Math.min(grid.endIndex, from + maxPointsPerQuery - 1);
    const at = (i: number) => ((grid.originMs + i * grid.stepMs) / 1000).toFixed(3);
    const query = new URLSearchParams({ query: rule.expr, start: at(from), end: at(to), step: (grid.stepMs / 1000).toFixed(3) });
    const res = await fetch(`${prometheusUrl}/api/v1/query_range?${query}`, { signal: AbortSignal.timeout(60_000) });
    const body = (await res.json()) as { status: string; error?: string; data?: { result: Array<{ metric: Record<string, string>; values?: Array<[number, string]> }> } };
    if (body.status !== "success" || !body.data) throw new Error(`evaluating ${rule.record} over the fault: ${body.error ?? res.statusText}`);
    for (const r of body.data.result) {
      const labels = { ...r.metric, ...(rule.labels ?? {}), __name__: rule.record as string };
      const key = seriesText(labels);
      const entry = byKey.get(key) ?? { labels, points: new Map<number, string>() };
      for (const [t, v] of r.values ?? []) entry.points.set(Math.round((Math.round(t * 1000) - grid.originMs) / grid.stepMs), v);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()].map(({ labels, points }) => {
    const indices = [...points.keys()].sort((a, b) => a - b);
    const stale = indices.filter((i, n) => i < grid.endIndex && indices[n + 1] !== i + 1).map((i) => grid.originMs + (i + 1) * grid.stepMs);
    return { labels, samples: indices.map((i) => [grid.originMs + i * grid.stepMs, points.get(i) as string] as [number, string]), stale };
  });
}

/**
 * Runs `promtool test rules` on a floor test and returns the firings its
 * failures list. Exit code 1 with firings listed is the expected outcome;
 * any other failure (an input promtool cannot load, a rule that fails to
 * evaluate) is an error, never an empty list.
 */
export function evaluateFloorTest(promtool: string, testFile: string): Promise<Firing[]> {
  return new Promise((resolve, reject) => {
    execFile(promtool, ["test", "rules", testFile], { timeout: 600_000, maxBuffer: 256 * 2 ** 20 }, (error, stdout, stderr) => {
      const output = `${stdout}\n${stderr}`;
      const firings = firingsOf(output);
      if (!error) resolve(firings);
      else if (error.code === 1 && firings.length > 0 && !/^\s*rule: /m.test(output)) resolve(firings);
      else
        reject(
          new Error(
            `promtool test rules ${testFile} ${error.killed ? "timed out" : `failed (exit ${String(error.code)}) without listing a firing alert`}: ${output.trim().slice(0, 2000)}`,
          ),
        );
    });
  });
}

/**
 * The ideal floor of each of a scenario's expected alerts, in order; an
 * alert whose expression never held for its `for` within the fault gets the
 * reason instead.
 */
export async function idealFloorsOf(request: FloorRequest, setting: FloorSetting): Promise<IdealFloorOutcome[]> {
  const alertnames = [...new Set(request.alerts.map((a) => a.alert.alertname))];
  const chains = alertnames.map((name) => ruleChain(setting.ruleFiles, name));
  const grid: FloorGrid = floorGrid(request.injectedAt, request.healedAt, Math.max(...chains.map((c) => c.reachSeconds)), setting.scrapeSeconds);
  const endMs = grid.originMs + grid.endIndex * grid.stepMs;
  // From one lookback before the grid: the last sample before it is what an instant selector reads at its start.
  const rangeMs = endMs - grid.originMs + lookbackSeconds * 1000;
  const scraped = new Map<string, RawSeries>();
  for (const selector of new Set(chains.flatMap((c) => c.rawSelectors)))
    for (const s of await exportSeries(setting.prometheusUrl, selector, rangeMs, endMs)) scraped.set(seriesText(s.labels), s);
  const up = scraped.size === 0 ? [] : await exportSeries(setting.prometheusUrl, "up", rangeMs, endMs);
  const recorded = new Map<string, RawSeries>();
  for (const leaf of new Map(chains.flatMap((c) => c.leaves).map((r) => [JSON.stringify(r), r])).values())
    for (const s of await evaluateLeaf(setting.prometheusUrl, leaf, grid)) recorded.set(seriesText(s.labels), s);
  const series = [...withStaleness([...scraped.values()], up), ...recorded.values()];

  const dir = join(setting.dir, request.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "chain.rules.yml"), chainRuleFile(chains));
  const testFile = join(dir, "floor.test.yml");
  writeFileSync(testFile, floorTestFile({ name: request.name, ruleFile: "chain.rules.yml", grid, series, alertnames }));
  const firings = await evaluateFloorTest(setting.promtool, testFile);
  return request.alerts.map(({ alert, groupWaitSeconds }) => {
    const floor = idealFloorOf(firings, alert, grid, groupWaitSeconds);
    if (floor) return floor;
    const labels = Object.keys(alert.labels ?? {}).length > 0 ? ` ${JSON.stringify(alert.labels)}` : "";
    return {
      missing: `evaluated offline on the fault's ${series.length} series, ${alert.alertname}${labels} did not hold for its for before the fault was healed (${((request.healedAt - request.injectedAt) / 1000).toFixed(1)}s)`,
    };
  });
}

/** A played scenario, as the ideal floor needs it. */
export interface PlayedScenario {
  result: ScenarioResult;
  window: { injectedAt: number; healedAt: number; disruptedAt?: number };
  expectations: AlertExpectation[];
}

/**
 * Every played scenario's result with its ideal floors and ratios. A
 * scenario whose floors cannot be worked out keeps its result, with the
 * reason in its notes: the ideal floor measures the drill, it does not
 * decide whether the stack alerted.
 */
export async function addIdealFloors(plays: PlayedScenario[], setting: FloorSetting & { evaluationSeconds: number }, log: (line: string) => void): Promise<ScenarioResult[]> {
  const out: ScenarioResult[] = [];
  for (const { result, window, expectations } of plays) {
    const started = Date.now();
    const request: FloorRequest = {
      name: result.name,
      injectedAt: window.injectedAt,
      healedAt: window.healedAt,
      alerts: expectations.map((e) => ({ alert: e.alert, groupWaitSeconds: e.floor.groupWaitSeconds })),
    };
    const floors = await idealFloorsOf(request, setting).catch((error: unknown): IdealFloorOutcome[] =>
      expectations.map(() => ({ missing: error instanceof Error ? error.message : String(error) })),
    );
    const scored = withIdealFloors(result, floors, {
      evaluationSeconds: setting.evaluationSeconds,
      disruptedAtMs: window.disruptedAt === undefined ? undefined : window.disruptedAt - window.injectedAt,
    });
    log(`${result.name}: ideal floor ${scored.idealFloorMs ?? "—"}ms, ratio ${scored.ratio ?? "—"} (promtool ${((Date.now() - started) / 1000).toFixed(1)}s)`);
    out.push(scored);
  }
  return out;
}
