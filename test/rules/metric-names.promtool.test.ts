/**
 * A stack whose service keeps its own metric names (`services[].metrics`) and
 * declares recording rules (`alerts.recording`), through the real promtool:
 * `check config` on the rendered prometheus.yml (the service's
 * metric_relabel_configs), `check rules` on every rendered rule file, and
 * `test rules` where the app's series (`app_http_requests_total{status}`) are
 * stored as the service's relabeling stores them: the built-in HighErrorRate
 * fires and stays quiet as on a conventional app, and a custom alert reads
 * the recording rule.
 *
 * promtool's input series skip scraping, so the relabeling is applied here by
 * `storedAs`, a small reading of Prometheus' `replace` action; the live test
 * (test/live/metric-mapping.live.test.ts) runs the real scrape instead.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { MetricRelabelConfig } from "../../components/prometheus/metric-mapping";
import { parseStackConfig } from "../../infra/config/validate";
import { planStack, ruleContext } from "../../infra/plan";
import { buildRuleFiles } from "../../components/catalogue";
import type { RuleFile } from "../../rules";
import { built, tool } from "../support/tools";
import { fires, type InputSeries, type PackCases, quiet, s } from "./cases/types";
import { promtoolTestFile } from "./promtool";

const run = promisify(execFile);
const promtool = tool("promtool");

const { config } = parseStackConfig("dev", {
  values: {
    services: [
      {
        name: "api",
        team: "platform",
        targets: ["api:8080"],
        metrics: { names: { http_requests_total: "app_http_requests_total" }, labels: { status_code: "status" } },
      },
    ],
    routing: { teams: [{ name: "platform", slackChannel: "#team-platform" }] },
    alerts: {
      recording: [
        { record: "service:orders_failed:ratio_rate5m", expr: 'sum by (service) (rate(orders_total{status="failed"}[5m])) / (sum by (service) (rate(orders_total[5m])) > 0)' },
      ],
      custom: [
        {
          name: "OrderFailureRateHigh",
          expr: 'service:orders_failed:ratio_rate5m{service="api"}',
          threshold: 0.1,
          for: "5m",
          severity: "critical",
          service: "api",
          summary: "{{ $value | humanizePercentage }} of orders fail",
          description: "{{ $value | humanizePercentage }} of api's orders failed over 5 minutes (threshold 10%).",
        },
      ],
    },
  },
  secrets: new Set(),
});
const plan = planStack(config);
// The same files as data, built from the context the plan rendered them from.
const files: RuleFile[] = buildRuleFiles(ruleContext(config, plan.urls.grafana));
const job = plan.prometheus.document.scrape_configs.find((j) => j.job_name === "api");
const relabel = (job?.metric_relabel_configs ?? []) as MetricRelabelConfig[];

/** A series as the service's job stores it: its target labels added, then its metric_relabel_configs applied in order. */
function storedAs(series: string): string {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}$/.exec(series);
  if (!m) throw new Error(`not a series: ${series}`);
  const labels = new Map<string, string>([["__name__", m[1]], ...[...m[2].matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]): [string, string] => [k, v])]);
  for (const [k, v] of Object.entries({ job: "api", service: "api", team: "platform", instance: "api:8080" })) labels.set(k, v);
  for (const step of relabel) {
    const value = step.source_labels.map((l) => labels.get(l) ?? "").join(";");
    const match = new RegExp(`^(?:${step.regex})$`).exec(value);
    if (!match) continue;
    const replaced = step.replacement.replace(/\$(\d)/g, (_, i: string) => match[Number(i)] ?? "");
    if (replaced === "") labels.delete(step.target_label);
    else labels.set(step.target_label, replaced);
  }
  const name = labels.get("__name__");
  labels.delete("__name__");
  return `${name}{${[...labels].map(([k, v]) => `${k}="${v}"`).join(",")}}`;
}

const app = (okPerMin: number, errorsPerMin: number): InputSeries[] => [
  s(storedAs('app_http_requests_total{method="GET",route="/orders",status="200"}'), `0+${okPerMin}x30`),
  s(storedAs('app_http_requests_total{method="GET",route="/orders",status="500"}'), `0+${errorsPerMin}x30`),
];
const orders = (paidPerMin: number, failedPerMin: number): InputSeries[] => [
  s(storedAs('orders_total{status="paid"}'), `0+${paidPerMin}x30`),
  s(storedAs('orders_total{status="failed"}'), `0+${failedPerMin}x30`),
];
const owner = { service: "api", team: "platform" };

const cases: PackCases = {
  files: plan.rules.map((f) => f.name),
  cases: [
    fires("HighErrorRate", "10% of the app's requests have status 500", "15m", app(90, 10), [{ labels: { severity: "critical", ...owner }, value: "10%" }]),
    quiet("HighErrorRate", "4% have status 500, under the 5% threshold", "15m", app(96, 4)),
    fires("OrderFailureRateHigh", "one order in four fails", "15m", orders(30, 10), [{ labels: { severity: "critical", ...owner }, value: "25%" }]),
    quiet("OrderFailureRateHigh", "one order in twenty fails", "15m", orders(38, 2)),
  ],
  exprs: [
    {
      name: "the app's status label is stored as status_code, its business counter keeps its own status",
      at: "5m",
      series: [...app(90, 10), ...orders(30, 10)],
      expr: '{__name__=~"http_requests_total|orders_total",status_code="500"} or {__name__=~"http_requests_total|orders_total",status="failed"}',
      samples: [
        { labels: 'http_requests_total{job="api",service="api",team="platform",instance="api:8080",method="GET",route="/orders",status_code="500"}', value: 50 },
        { labels: 'orders_total{job="api",service="api",team="platform",instance="api:8080",status="failed"}', value: 50 },
      ],
    },
  ],
};

async function promtoolRun(args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(promtool as string, args, { maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, output: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` || err.message };
  }
}

describe.skipIf(!promtool)(`promtool on a stack that maps its service's metric names and declares recording rules (${built("promtool")})`, () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "watchpost-metric-names-"));
    for (const file of plan.rules) writeFileSync(join(dir, file.name), file.content);
    writeFileSync(join(dir, "prometheus.yml"), plan.prometheusConfig);
    writeFileSync(join(dir, "mapping.test.yml"), stringify(promtoolTestFile(files, cases, dir), { lineWidth: 0, aliasDuplicateObjects: false }));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("renders the relabeling on the service's job and the recording rule in a file of its own", () => {
    expect(relabel.map((r) => r.target_label)).toEqual(["__name__", "status_code", "status"]);
    expect(plan.rules.map((f) => f.name)).toContain("recording.rules.yml");
  });

  it("check config accepts prometheus.yml with the service's metric_relabel_configs", async () => {
    const outcome = await promtoolRun(["check", "config", "--syntax-only", join(dir, "prometheus.yml")]);
    expect(outcome.ok, outcome.output).toBe(true);
  });

  it("check rules accepts every rendered file, recording.rules.yml included", async () => {
    const outcome = await promtoolRun(["check", "rules", ...plan.rules.map((f) => join(dir, f.name))]);
    expect(outcome.output).not.toMatch(/FAILED/);
    expect(outcome.ok, outcome.output).toBe(true);
  });

  it("test rules: HighErrorRate on the app's own names, and a custom alert over the recording rule", async () => {
    const outcome = await promtoolRun(["test", "rules", join(dir, "mapping.test.yml")]);
    expect(outcome.ok, outcome.output).toBe(true);
  });
});
