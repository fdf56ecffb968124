/**
 * Rule evaluation and dashboard query times at a stated number of active
 * series: the real Prometheus loads the dev stack's rule files and scrapes a
 * synthetic exporter (bench/synthetic-series.ts); rule-group durations come
 * from Prometheus' own prometheus_rule_group_last_duration_seconds, the series
 * count from prometheus_tsdb_head_series, and every dashboard panel query runs
 * through /api/v1/query with Grafana's variables substituted.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { panelQueries } from "../dashboards/index";
import { ProcessGroup, freePort, waitFor } from "../harness/processes";
import type { StackPlan } from "../infra/plan";
import { resolveVariables, substituteMacros, substituteVariables, assertFullySubstituted } from "../harness/grafana-variables";
import { policyAlertNames } from "../model/routing";
import { instantQuery, ownMetric, promApi, type RuleGroupState, startPrometheus } from "../harness/prometheus";
import { median } from "./goals";
import { buildSeries, shapeFor, type SeriesShape, startSyntheticExporter } from "./synthetic-series";

export interface ScaleOptions {
  prometheusBin: string;
  plan: StackPlan;
  targetSeries: number;
  /** Scrape and evaluation interval of the bench, in seconds. */
  intervalSeconds: number;
  /** Seconds of scraping before measuring, so rate windows hold samples. */
  warmupSeconds: number;
  /** Evaluation cycles whose rule-group durations are sampled. */
  cycles: number;
  /** Runs of each panel query; the median is reported. */
  queryRuns: number;
  log: (line: string) => void;
}

export interface RuleGroupTiming {
  group: string;
  maxMs: number;
  medianMs: number;
  cycles: number;
  /** Each rule's median evaluation time over the same cycles, slowest first: where a slow group spends its time. */
  rules: Array<{ rule: string; medianMs: number }>;
}

/** Alerts pending or firing on the synthetic data, by name and state, with how many series each. */
export interface RaisedAlert {
  alert: string;
  state: string;
  count: number;
  /** The first few, labels and value, to tell which data raised them. */
  examples: Array<{ labels: Record<string, string>; value: string }>;
}

export interface PanelTiming {
  where: string;
  expr: string;
  medianMs: number;
  series: number;
  error?: string;
}

export interface ScaleResult {
  shape: SeriesShape;
  exposedSeries: number;
  headSeries: number;
  ruleGroups: RuleGroupTiming[];
  /** Groups Prometheus had not evaluated by the end of the measurement (an `interval` longer than it), with that interval. */
  ruleGroupsNotEvaluated: Array<{ group: string; intervalSeconds: number }>;
  ruleEvaluationFailures: number;
  iterationsMissed: number;
  /** Scrapes of the synthetic exporter that failed (a loaded machine can time one out): their series miss samples, which can raise an alert. */
  failedScrapes: number;
  /** Pending or firing after the warm-up, other than the ones meant to (the Watchdog). */
  raisedAlerts: RaisedAlert[];
  panels: PanelTiming[];
}

/** Alerts that fire on healthy data by design. */
const meantToFire = new Set<string>([policyAlertNames.watchdog]);

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** Samples per key, at most one per evaluation. */
class PerCycle {
  private readonly samples = new Map<string, Map<string | number, number>>();
  add(key: string, evaluatedAt: string | number, value: number): void {
    const byTime = this.samples.get(key) ?? new Map<string | number, number>();
    byTime.set(evaluatedAt, value);
    this.samples.set(key, byTime);
  }
  keys(): string[] {
    return [...this.samples.keys()];
  }
  values(key: string): number[] {
    return [...(this.samples.get(key)?.values() ?? [])];
  }
}

export async function measureAtScale(o: ScaleOptions): Promise<ScaleResult> {
  const group = new ProcessGroup();
  const work = mkdtempSync(path.join(tmpdir(), "watchpost-bench-"));
  const shape = shapeFor(o.targetSeries);
  const exporter = await startSyntheticExporter(buildSeries(shape), 10);
  try {
    const ruleDir = path.join(work, "rules");
    mkdirSync(ruleDir);
    for (const file of o.plan.rules) writeFileSync(path.join(ruleDir, file.name), file.content);
    const port = await freePort();
    const interval = `${o.intervalSeconds}s`;
    const config = path.join(work, "prometheus.yml");
    writeFileSync(
      config,
      stringify({
        global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
        rule_files: [path.join(ruleDir, "*.yml")],
        scrape_configs: [
          { job_name: "prometheus", static_configs: [{ targets: [`127.0.0.1:${port}`], labels: { service: "prometheus" } }] },
          // The exporter names its own job, instance and service labels, as the simulated targets would have them.
          { job_name: "synthetic", honor_labels: true, static_configs: [{ targets: exporter.addresses }] },
        ],
      }),
    );
    o.log(`prometheus: ${exporter.series} synthetic series in 10 shards, scrape and evaluation every ${interval}`);
    const prom = await startPrometheus(group, o.prometheusBin, { name: "prometheus-bench", port, configFile: config, dataDir: path.join(work, "data"), readyTimeoutMs: 60_000 });

    const headSeries = async () => (await ownMetric(prom, "prometheus_tsdb_head_series")).get("") ?? 0;
    await waitFor("the head to hold the synthetic series", async () => ((await headSeries()) >= exporter.series * 0.98 ? true : undefined), 120_000, 1000);
    o.log(`prometheus: ${Math.round(await headSeries())} head series; warming up ${o.warmupSeconds}s`);
    await new Promise((r) => setTimeout(r, o.warmupSeconds * 1000));

    // One sample per group, and per rule, per evaluation cycle: keyed by the evaluation's timestamp, so reading one cycle twice counts it once.
    const groupTimes = new PerCycle();
    const ruleTimes = new PerCycle();
    const deadline = Date.now() + (o.cycles + 2) * o.intervalSeconds * 1000;
    while (Date.now() < deadline) {
      const durations = await ownMetric(prom, "prometheus_rule_group_last_duration_seconds");
      const stamps = await ownMetric(prom, "prometheus_rule_group_last_evaluation_timestamp_seconds");
      for (const [labels, seconds] of durations) {
        const at = stamps.get(labels) ?? 0;
        if (at > 0) groupTimes.add(/rule_group="[^"]*?([^/;"]+;[^"]+)"/.exec(labels)?.[1] ?? labels, at, seconds * 1000);
      }
      // Without the alerts list: hundreds of pending alerts would make this poll a load of its own.
      const { groups } = await promApi<{ groups: RuleGroupState[] }>(prom, "/api/v1/rules", { exclude_alerts: "true" });
      // A warning and a critical alert share a name: the position tells them apart.
      for (const g of groups)
        g.rules.forEach((r, i) => {
          if (!r.lastEvaluation.startsWith("0001-")) ruleTimes.add(`${path.basename(g.file)};${g.name}\n${i}\n${r.name}`, r.lastEvaluation, r.evaluationTime * 1000);
        });
      await new Promise((r) => setTimeout(r, 1000));
    }
    const ruleGroups = groupTimes.keys().map((name) => {
      const ms = groupTimes.values(name);
      const rules = ruleTimes
        .keys()
        .filter((key) => key.startsWith(`${name}\n`))
        .map((key) => ({ rule: key.split("\n")[2], medianMs: median(ruleTimes.values(key)) }))
        .sort((a, b) => b.medianMs - a.medianMs);
      return { group: name, maxMs: Math.max(...ms), medianMs: median(ms), cycles: ms.length, rules };
    });
    const intervals = await ownMetric(prom, "prometheus_rule_group_interval_seconds");
    const ruleGroupsNotEvaluated = [...intervals]
      .map(([labels, seconds]) => ({ group: /rule_group="[^"]*?([^/;"]+;[^"]+)"/.exec(labels)?.[1] ?? labels, intervalSeconds: seconds }))
      .filter((g) => !groupTimes.keys().includes(g.group));
    const { alerts } = await promApi<{ alerts: Array<{ labels: Record<string, string>; state: string; value: string }> }>(prom, "/api/v1/alerts");
    const raised = new Map<string, RaisedAlert>();
    for (const a of alerts.filter((a) => !meantToFire.has(a.labels.alertname))) {
      const key = `${a.labels.alertname} ${a.state}`;
      const r = raised.get(key) ?? { alert: a.labels.alertname, state: a.state, count: 0, examples: [] };
      raised.set(key, { ...r, count: r.count + 1, examples: r.examples.length < 3 ? [...r.examples, { labels: a.labels, value: a.value }] : r.examples });
    }
    const ruleEvaluationFailures = sum(await ownMetric(prom, "prometheus_rule_evaluation_failures_total"));
    const iterationsMissed = sum(await ownMetric(prom, "prometheus_rule_group_iterations_missed_total"));
    const scrapes = await instantQuery(prom, 'sum(count_over_time(up{job="synthetic"}[1h]) - sum_over_time(up{job="synthetic"}[1h]))');
    const failedScrapes = Number((scrapes.result as Array<{ value: [number, string] }>)[0]?.value[1] ?? 0);

    const panels: PanelTiming[] = [];
    for (const [file, json] of Object.entries(o.plan.grafana.dashboards)) {
      const dashboard = JSON.parse(json);
      const values = await resolveVariables(dashboard, prom);
      // Grafana's default range for these dashboards (now-6h), and the stack's real scrape interval for $__rate_interval.
      const rangeSeconds = 6 * 3600;
      const scrapeIntervalSeconds = Number.parseInt(o.plan.config.prometheus.scrapeInterval, 10);
      for (const q of panelQueries(dashboard).filter((q) => q.datasource === "prometheus")) {
        const where = `${file.replace(/\.json$/, "")} / ${q.panel}`;
        try {
          const expr = substituteVariables(substituteMacros(q.expr, { scrapeIntervalSeconds, rangeSeconds }), values);
          assertFullySubstituted(expr);
          const times: number[] = [];
          let series = 0;
          for (let i = 0; i < o.queryRuns; i++) {
            const t0 = performance.now();
            const r = await instantQuery(prom, expr);
            times.push(performance.now() - t0);
            series = Array.isArray(r.result) && r.resultType !== "scalar" ? r.result.length : 1;
          }
          panels.push({ where, expr, medianMs: median(times), series });
        } catch (e) {
          panels.push({ where, expr: q.expr, medianMs: Number.NaN, series: 0, error: String(e) });
        }
      }
    }
    return {
      shape,
      exposedSeries: exporter.series,
      headSeries: await headSeries(),
      ruleGroups,
      ruleGroupsNotEvaluated,
      ruleEvaluationFailures,
      iterationsMissed,
      failedScrapes,
      raisedAlerts: [...raised.values()].sort((a, b) => b.count - a.count),
      panels,
    };
  } finally {
    await group.stopAll();
    await exporter.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
