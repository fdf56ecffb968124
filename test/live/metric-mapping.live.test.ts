/**
 * `services[].metrics` with the real Prometheus: a stand-in application that
 * names its metrics and labels its own way (`app_http_requests_total{status}`,
 * a histogram `app_http_request_duration_seconds`, `bull_queue_waiting{queue_name}`
 * and a business counter `orders_total{status}`) is scraped with the service's
 * job as planStack renders it, and the stack's rule files are loaded as
 * rendered. The mapping is applied by Prometheus' own relabeling, so the
 * built-in HighErrorRate fires for the service, only the convention names are
 * stored, the business counter keeps its own `status`, and a recording rule
 * declared under `alerts.recording` records.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseStackConfig } from "../../infra/config/validate";
import { planStack } from "../../infra/plan";
import { ProcessGroup, freePort, waitFor } from "../../harness/processes";
import { type InstantResult, type RunningPrometheus, activeTargets, instantQuery, startPrometheus } from "../../harness/prometheus";
import { built, tool } from "../support/tools";
import { shortenRuleGroupIntervals } from "./loopback";

const prometheusBin = tool("prometheus");
const interval = "1s";

/** The stack: one service with its own names, HighErrorRate at its first evaluation, one recording rule of its own. */
function stackValues(apiTarget: string) {
  return {
    prometheus: { scrapeInterval: interval, evaluationInterval: interval },
    services: [
      {
        name: "api",
        team: "platform",
        targets: [apiTarget],
        metrics: {
          names: {
            http_requests_total: "app_http_requests_total",
            http_request_duration_seconds: "app_http_request_duration_seconds",
            queue_jobs_waiting: "bull_queue_waiting",
          },
          labels: { status_code: "status", queue: "queue_name" },
        },
      },
    ],
    routing: { teams: [{ name: "platform", slackChannel: "#team-platform" }] },
    alerts: {
      overrides: { HighErrorRate: { for: "0s" } },
      recording: [
        { record: "service:orders_failed:ratio_rate5m", expr: 'sum by (service) (rate(orders_total{status="failed"}[5m])) / (sum by (service) (rate(orders_total[5m])) > 0)' },
      ],
    },
  };
}

/** Exposition text of an app that counts 10 requests/s, 2 of them 500s, and one order in four failing. */
function appMetrics(seconds: number): string {
  const ok = 8 * seconds;
  const failed = 2 * seconds;
  return [
    "# TYPE app_http_requests_total counter",
    `app_http_requests_total{method="GET",route="/orders",status="200"} ${ok}`,
    `app_http_requests_total{method="GET",route="/orders",status="500"} ${failed}`,
    "# TYPE app_http_request_duration_seconds histogram",
    `app_http_request_duration_seconds_bucket{route="/orders",status="200",le="0.5"} ${ok}`,
    `app_http_request_duration_seconds_bucket{route="/orders",status="200",le="+Inf"} ${ok}`,
    `app_http_request_duration_seconds_sum{route="/orders",status="200"} ${ok * 0.04}`,
    `app_http_request_duration_seconds_count{route="/orders",status="200"} ${ok}`,
    "# TYPE bull_queue_waiting gauge",
    'bull_queue_waiting{queue_name="emails"} 7',
    "# TYPE orders_total counter",
    `orders_total{status="paid"} ${3 * seconds}`,
    `orders_total{status="failed"} ${seconds}`,
    "",
  ].join("\n");
}

const series = (r: InstantResult) => (r.resultType === "vector" ? (r.result as Array<{ metric: Record<string, string>; value?: [number, string] }>) : []);

describe.skipIf(!prometheusBin)(`services[].metrics live: ${built("prometheus")} scrapes an app with its own names through the rendered job`, () => {
  const group = new ProcessGroup();
  const work = mkdtempSync(path.join(tmpdir(), "watchpost-live-mapping-"));
  let app: Server | undefined;
  let prom: RunningPrometheus;

  beforeAll(async () => {
    const [promPort, appPort] = await Promise.all([freePort(), freePort()]);
    const started = Date.now();
    app = createServer((req, res) => {
      if (req.url !== "/metrics") return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(appMetrics(Math.floor((Date.now() - started) / 1000) + 1));
    });
    await new Promise<void>((resolve) => app?.listen(appPort, "127.0.0.1", resolve));

    const { config } = parseStackConfig("dev", { values: stackValues(`127.0.0.1:${appPort}`), secrets: new Set() });
    const plan = planStack(config);
    const ruleDir = path.join(work, "rules");
    mkdirSync(ruleDir);
    for (const file of plan.rules) writeFileSync(path.join(ruleDir, file.name), shortenRuleGroupIntervals(file.content, interval));
    // The service's job exactly as rendered; the stack's other jobs scrape containers that do not run here.
    const job = plan.prometheus.document.scrape_configs.find((j) => j.job_name === "api");
    const configFile = path.join(work, "prometheus.yml");
    writeFileSync(configFile, stringify({ global: plan.prometheus.document.global, rule_files: [path.join(ruleDir, "*.yml")], scrape_configs: [job] }, { lineWidth: 0 }));
    prom = await startPrometheus(group, prometheusBin as string, { name: "prometheus", port: promPort, configFile, dataDir: path.join(work, "data") });
    await waitFor("the app to be scraped up", async () => ((await activeTargets(prom)).some((t) => t.health === "up") ? true : undefined), 20_000).catch(async (e) => {
      throw new Error(`${String(e)}: ${JSON.stringify(await activeTargets(prom))}\n${prom.proc.output()}`);
    });
  });

  afterAll(async () => {
    await group.stopAll();
    await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
    rmSync(work, { recursive: true, force: true });
  });

  it("fires the built-in HighErrorRate for the service, with its team, from series labelled status", async () => {
    const firing = await waitFor(
      "HighErrorRate to fire",
      async () => {
        const found = series(await instantQuery(prom, 'ALERTS{alertname="HighErrorRate",alertstate="firing"}'));
        return found.length > 0 ? found : undefined;
      },
      30_000,
    );
    expect(firing.map((s) => s.metric)).toEqual([
      expect.objectContaining({ alertname: "HighErrorRate", service: "api", team: "platform", severity: "critical", alertstate: "firing" }),
    ]);
    const ratio = series(await instantQuery(prom, 'service:http_requests_errors:ratio_rate5m{service="api"}'));
    expect(Number(ratio[0]?.value?.[1])).toBeCloseTo(0.2, 1);
  });

  it("stores the convention names and labels only, the histogram's series included", async () => {
    expect(series(await instantQuery(prom, '{__name__=~"app_.+|bull_.+"}'))).toEqual([]);
    const requests = series(await instantQuery(prom, 'http_requests_total{service="api"}'));
    expect(requests.map((s) => s.metric.status_code).sort()).toEqual(["200", "500"]);
    for (const s of requests) expect(s.metric).not.toHaveProperty("status");
    const buckets = series(await instantQuery(prom, 'http_request_duration_seconds_bucket{service="api"}'));
    expect(buckets.map((s) => `${s.metric.le} ${s.metric.status_code} ${s.metric.status ?? "-"}`).sort()).toEqual(["+Inf 200 -", "0.5 200 -"]);
    expect(series(await instantQuery(prom, 'http_request_duration_seconds_count{service="api"}'))).toHaveLength(1);
    const queue = series(await instantQuery(prom, 'queue_jobs_waiting{service="api"}'));
    expect(queue.map((s) => [s.metric.queue, s.metric.queue_name ?? "-", s.value?.[1]])).toEqual([["emails", "-", "7"]]);
  });

  it("leaves the app's business counter and its own status label alone, and records the stack's recording rule over it", async () => {
    const orders = series(await instantQuery(prom, 'orders_total{service="api"}'));
    expect(orders.map((s) => `${s.metric.status ?? "-"} ${s.metric.status_code ?? "-"}`).sort()).toEqual(["failed -", "paid -"]);
    const recorded = await waitFor(
      "the recording rule to record",
      async () => {
        const found = series(await instantQuery(prom, "service:orders_failed:ratio_rate5m"));
        return found.length > 0 ? found : undefined;
      },
      20_000,
    );
    expect(recorded[0].metric).toEqual({ __name__: "service:orders_failed:ratio_rate5m", service: "api" });
    expect(Number(recorded[0].value?.[1])).toBeCloseTo(0.25, 1);
  });
});
