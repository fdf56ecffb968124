/**
 * The drill's rewrites and readers, pure: what it changes in the stack's
 * rendering (and nothing more), how it reads notifications back, and the
 * rewritten files still pass the real promtool.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { parseStackConfig } from "../../infra/config/validate";
import { renderBackfill } from "../../drill/backfill";
import { drillOverlay, planDrill } from "../../drill/config";
import { channelsOf, floorOf, holdSeconds, routingLabels } from "../../drill/expectations";
import { notificationsOf, parseTitle } from "../../drill/observe";
import { formatTable, type DrillReport } from "../../drill/report";
import { minGroupIntervalSeconds, minHeartbeatSeconds, peerTimeoutMs, rewritePrometheusConfig, scaleDuration, scaleExpression, scaleRuleFile } from "../../drill/rewrite";
import { HttpSink, SmtpSink } from "../../drill/sinks";
import { tool } from "../support/tools";
import { prodSecrets } from "../../harness/stacks";

const sinks = { http: "http://127.0.0.1:4000", smtp: "127.0.0.1:4025" };
const raw = readStackFile(stackFilePath("dev"));
const dev = parseStackConfig("dev", raw).config;
const scale = 1 / 15;

describe("time scaling", () => {
  it("multiplies durations, rounds to whole seconds, keeps a floor and leaves zero alone", () => {
    expect(scaleDuration("15s", scale)).toBe("1s");
    expect(scaleDuration("5m", scale)).toBe("20s");
    expect(scaleDuration("3d", scale)).toBe("4h48m");
    expect(scaleDuration("10s", scale)).toBe("1s"); // 0.67s, raised to the 1s floor
    expect(scaleDuration("5m", 1 / 300, 4)).toBe("4s");
    expect(scaleDuration("0s", scale)).toBe("0s");
  });

  it("scales range selectors, subqueries and offsets in PromQL, and nothing else", () => {
    const expr = 'sum(rate(http_requests_total{status_code=~"5.."}[5m])) / (x offset 1d) and max_over_time(y[1h:5m]) and z[30m:]';
    expect(scaleExpression(expr, scale, 4)).toBe('sum(rate(http_requests_total{status_code=~"5.."}[20s])) / (x offset 1h36m) and max_over_time(y[4m:20s]) and z[2m:]');
    expect(scaleExpression("rate(a[1m])", 1 / 30, 4)).toBe("rate(a[4s])");
  });

  it("scales every for and group interval of a rendered rule file", () => {
    const plan = planDrill("dev", raw, sinks, scale).plan;
    const service = plan.rules.find((r) => r.name === "service.rules.yml");
    const scaled = scaleRuleFile(service?.content ?? "", scale, 4);
    expect(holdSeconds([scaled], "ServiceDown")).toBe(4);
    expect(holdSeconds([scaled], "HighErrorRate")).toBe(20);
    const serviceDown = (parse(scaled) as { groups: Array<{ rules: Array<{ alert?: string; keep_firing_for?: string }> }> }).groups
      .flatMap((g) => g.rules)
      .find((r) => r.alert === "ServiceDown");
    expect(serviceDown?.keep_firing_for).toBe("4s"); // 1m × 1/15
    const slo = scaleRuleFile(plan.rules.find((r) => r.name === "slo.rules.yml")?.content ?? "", scale, 4);
    const groups = (parse(slo) as { groups: Array<{ interval?: string }> }).groups;
    expect(groups.filter((g) => g.interval !== undefined).map((g) => g.interval)).toEqual(["4s", "4s"]);
    expect(slo).toContain("slo:sli_error:ratio_rate5m");
    expect(slo).toContain("[4m]"); // the 1h window
    expect(slo).not.toMatch(/\[(5m|1h|6h|1d|3d)\]/);
  });
});

describe("config overlay", () => {
  const overlay = drillOverlay(raw, dev, scale, sinks);
  const { config } = parseStackConfig("dev", overlay.raw);

  it("enables Slack, PagerDuty, email and the heartbeat at the sinks, with secrets set but not in the values", () => {
    expect(dev.notifications.slack.enabled).toBe(false);
    expect(config.notifications).toMatchObject({
      slack: { enabled: true },
      pagerduty: { enabled: true, url: "http://127.0.0.1:4000/pagerduty" },
      email: { enabled: true, smarthost: "127.0.0.1:4025", requireTls: false, username: "alertmanager" },
      // 1m × 1/15 is 4s, under twice the cluster's failover wait: kept at 8s (minHeartbeatSeconds).
      heartbeat: { enabled: true, interval: "8s" },
    });
    expect([...config.secrets].sort()).toEqual(["heartbeatUrl", "pagerdutyRoutingKey", "slackWebhookUrl", "smtpPassword"]);
    expect(overlay.secretValues.slackWebhookUrl).toBe("http://127.0.0.1:4000/slack");
    expect(JSON.stringify(overlay.raw.values)).not.toContain(overlay.secretValues.smtpPassword as string);
  });

  it("scales scrape, evaluation and routing timings, keeping group_interval above the cluster's wait", () => {
    expect(config.prometheus).toMatchObject({ scrapeInterval: "1s", evaluationInterval: "1s", retention: dev.prometheus.retention });
    expect(config.alertmanager.replicas).toBe(3);
    expect(config.routing.timing.critical).toEqual({ groupWait: "1s", groupInterval: "4s", repeatInterval: "2m" });
    expect(config.routing.timing.warning).toEqual({ groupWait: "2s", groupInterval: "20s", repeatInterval: "16m" });
    expect(minGroupIntervalSeconds(3, 1 / 30)).toBeGreaterThan((2 * peerTimeoutMs(1 / 30)) / 1000);
    // A failover of the heartbeat's sender (2 × peer timeout) fits in the receiver's 2 × interval.
    expect(minHeartbeatSeconds(3, 1 / 30)).toBeGreaterThanOrEqual((2 * 2 * peerTimeoutMs(1 / 30)) / 1000);
    expect(parseStackConfig("dev", drillOverlay(raw, dev, 1 / 60, sinks).raw).config.routing.timing.critical.groupInterval).toBe("4s");
  });

  it("keeps the stack's own routing, services and probes", () => {
    expect(config.routing.teams).toEqual(dev.routing.teams);
    expect(config.services).toEqual(dev.services);
    expect(config.probes).toEqual(dev.probes);
  });

  it("refuses a kubernetes stack, whose targets come from service discovery", () => {
    const prod = parseStackConfig("prod", { values: readStackFile(stackFilePath("prod")).values, secrets: new Set(prodSecrets) });
    expect(() => drillOverlay(raw, prod.config, scale, sinks)).toThrow(/stack 'prod' is kubernetes/);
  });
});

describe("loopback rewrite of prometheus.yml", () => {
  const plan = planDrill("dev", raw, sinks, scale).plan;
  const addresses = {
    "localhost:9090": "127.0.0.1:1001",
    "node-exporter:9100": "127.0.0.1:1002",
    "blackbox-exporter:9115": "127.0.0.1:1003",
    "host.docker.internal:8080": "127.0.0.1:1004",
    "alertmanager-0:9093": "127.0.0.1:1010",
    "alertmanager-1:9093": "127.0.0.1:1011",
    "alertmanager-2:9093": "127.0.0.1:1012",
  };
  const rewritten = rewritePrometheusConfig(plan.prometheusConfig, addresses, "/tmp/rules");
  const doc = parse(rewritten.text);

  it("points every target, probe and Alertmanager at loopback and drops jobs nothing local stands in for", () => {
    expect(rewritten.dropped.map((d) => d.job).sort()).toEqual(["alloy", "cadvisor", "grafana", "loki", "otel-collector", "tempo"]);
    expect(doc.alerting.alertmanagers[0].static_configs[0].targets).toEqual(["127.0.0.1:1010", "127.0.0.1:1011", "127.0.0.1:1012"]);
    const probe = doc.scrape_configs.find((j: any) => j.job_name === "blackbox-api-health");
    expect(probe.static_configs[0].targets).toEqual(["http://127.0.0.1:1004/healthz"]);
    expect(probe.relabel_configs.map((r: any) => r.replacement).filter(Boolean)).toEqual(["http://127.0.0.1:1004/healthz", "127.0.0.1:1003", "blackbox"]);
    expect(rewritten.text).not.toMatch(/docker\.internal|node-exporter:|alertmanager-\d:/);
    expect(doc.scrape_configs.find((j: any) => j.job_name === "api").static_configs[0].labels).toEqual({ service: "api", team: "platform" });
  });

  it("sets scrape_timeout to the shortened interval and reads rules from the drill's dir", () => {
    expect(doc.global).toMatchObject({ scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" });
    expect(doc.rule_files).toEqual(["/tmp/rules/*.yml"]);
  });
});

const promtool = tool("promtool");

describe.skipIf(!promtool)("rewritten files under the real promtool", () => {
  it("checks the scaled rule files and the loopback prometheus.yml", () => {
    const dir = mkdtempSync(join(tmpdir(), "watchpost-drill-check-"));
    const plan = planDrill("dev", raw, sinks, 1 / 30).plan;
    mkdirSync(join(dir, "rules"));
    const files = plan.rules.map((r) => {
      const file = join(dir, "rules", r.name);
      writeFileSync(file, scaleRuleFile(r.content, 1 / 30, 4));
      return file;
    });
    execFileSync(promtool as string, ["check", "rules", ...files], { stdio: "pipe" });
    const addresses = Object.fromEntries(
      ["localhost:9090", "node-exporter:9100", "blackbox-exporter:9115", "host.docker.internal:8080", "alertmanager-0:9093", "alertmanager-1:9093", "alertmanager-2:9093"].map(
        (a, i) => [a, `127.0.0.1:${2000 + i}`],
      ),
    );
    writeFileSync(join(dir, "prometheus.yml"), rewritePrometheusConfig(plan.prometheusConfig, addresses, join(dir, "rules")).text);
    const out = execFileSync(promtool as string, ["check", "config", join(dir, "prometheus.yml")], { encoding: "utf8", stdio: "pipe" });
    rmSync(dir, { recursive: true, force: true });
    expect(out).toContain("SUCCESS");
  });
});

describe("expectations", () => {
  const plan = planDrill("dev", raw, sinks, scale).plan;
  const rules = plan.rules.map((r) => scaleRuleFile(r.content, scale, 4));

  it("labels a service alert with its owner's team and a probe alert without", () => {
    const service = { name: "api", team: "platform" };
    expect(routingLabels(rules, { alertname: "ServiceDown" }, service)).toEqual({ alertname: "ServiceDown", service: "api", severity: "critical", team: "platform" });
    expect(routingLabels(rules, { alertname: "EndpointDown" }, service)).toEqual({ alertname: "EndpointDown", service: "api", severity: "critical" });
    expect(() => routingLabels(rules, { alertname: "NoSuchAlert" }, service)).toThrow(/no alerting rule named NoSuchAlert/);
  });

  it("lists a receiver's channels from the rendered config and states the floor", () => {
    const dir = mkdtempSync(join(tmpdir(), "watchpost-drill-am-"));
    writeFileSync(join(dir, "am.yml"), plan.alertmanager.files["alertmanager.yml"]);
    expect(channelsOf(join(dir, "am.yml"), ["team-platform", "critical"])).toEqual([
      "email:oncall@drill.watchpost.test",
      "pagerduty",
      "slack:#critical-alerts",
      "slack:#team-platform",
    ]);
    expect(channelsOf(join(dir, "am.yml"), ["warning"])).toEqual(["email:oncall@drill.watchpost.test", "slack:#alerts"]);
    rmSync(dir, { recursive: true, force: true });
    expect(floorOf(1, 1, 4, "1s")).toMatchObject({ totalMs: 7000, groupWaitSeconds: 1 });
  });
});

describe("reading notifications back", () => {
  it("parses the title template, with and without a service", () => {
    expect(parseTitle("[FIRING:2] HighErrorRate api (dev)")).toEqual({ status: "firing", alertname: "HighErrorRate", service: "api" });
    expect(parseTitle("[RESOLVED] HostDown (dev)")).toEqual({ status: "resolved", alertname: "HostDown", service: undefined });
    expect(parseTitle("hello")).toBeUndefined();
  });

  it("ties a PagerDuty resolve to its trigger by dedup key and splits email by recipient", () => {
    const http = new HttpSink();
    http.deliveries.push(
      { path: "/pagerduty", at: 1, body: { event_action: "trigger", dedup_key: "k", payload: { summary: "[FIRING:1] ServiceDown api (dev)" } } },
      { path: "/pagerduty", at: 3, body: { event_action: "resolve", dedup_key: "k" } },
      { path: "/slack", at: 2, body: { channel: "#critical-alerts", attachments: [{ title: "[FIRING:1] ServiceDown api (dev)" }] } },
      { path: "/heartbeat", at: 4, body: { status: "firing", groupLabels: { alertname: "Watchdog" }, externalURL: "http://127.0.0.1:9" } },
    );
    const smtp = new SmtpSink("u", "p");
    smtp.mails.push({ from: "a@b.c", to: ["x@y.z", "w@y.z"], text: "Subject: [RESOLVED] ServiceDown api (dev)\r\n\r\nbody", at: 5 });
    expect(notificationsOf(http, smtp).map((n) => `${n.at} ${n.channel} ${n.alertname} ${n.status}`)).toEqual([
      "1 pagerduty ServiceDown firing",
      "2 slack:#critical-alerts ServiceDown firing",
      "3 pagerduty ServiceDown resolved",
      "4 heartbeat Watchdog firing",
      "5 email:x@y.z ServiceDown resolved",
      "5 email:w@y.z ServiceDown resolved",
    ]);
  });
});

describe("backfilled history", () => {
  it("is OpenMetrics with counters, a histogram and 5xx series at zero, ending at the given time", () => {
    const text = renderBackfill({
      targetLabels: { job: "api", instance: "127.0.0.1:1", service: "api" },
      perSecond: 10,
      seconds: 20,
      stepSeconds: 10,
      endMs: 1_000_000,
      latencySeconds: 0.002,
    });
    const lines = text.trim().split("\n");
    expect(lines.at(-1)).toBe("# EOF");
    expect(lines).toContain('http_requests_total{job="api",instance="127.0.0.1:1",service="api",method="GET",route="/api/items",status_code="200"} 200 1000.000');
    expect(lines).toContain('http_requests_total{job="api",instance="127.0.0.1:1",service="api",method="GET",route="/api/items",status_code="500"} 0 1000.000');
    const bucket = (le: string) =>
      `http_request_duration_seconds_bucket{job="api",instance="127.0.0.1:1",service="api",method="GET",route="/api/items",status_code="200",le="${le}"}`;
    expect(lines).toContain(`${bucket("0.005")} 200 1000.000`);
    expect(lines).toContain(`${bucket("+Inf")} 100 990.000`);
    expect(lines.filter((l) => l.startsWith("http_requests_total")).length).toBe(2 * 3);
  });
});

describe("report table", () => {
  it("shows each scenario's receivers, inhibition, resolved, latency against the floor, and misses in words", () => {
    const report: DrillReport = {
      stack: "dev",
      timeScale: scale,
      startedAt: "",
      durationMs: 60_000,
      versions: {},
      rewrites: [],
      processes: [],
      ok: false,
      scenarios: [
        {
          name: "service-down",
          title: "down",
          expectedReceivers: ["pagerduty", "slack:#x"],
          actualReceivers: ["pagerduty"],
          inhibitionRespected: true,
          inhibitionExercised: ["EndpointDown"],
          resolvedArrived: false,
          latencyMs: 7700,
          pipelineFloorMs: 9000,
          idealFloorMs: 7000,
          ratio: 1.1,
          ok: false,
          notes: [],
          alerts: [],
          checks: [],
          timeline: [],
          durationMs: 1,
        },
      ],
    };
    const table = formatTable(report);
    expect(table).toMatch(/service-down\s+1\/2\s+respected\s+NO\s+7\.7s\s+9\.0s\s+7\.0s\s+1\.10×\s+MISS/);
    expect(table).toContain("MISS missing slack:#x");
    expect(table).toContain("0/1 scenarios ok");
  });
});
