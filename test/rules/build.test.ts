/**
 * Pure tests of the catalogue: one good fixture, one mutation per case.
 */
import { describe, expect, it } from "vitest";
import { severities } from "../../model/conventions";
import type { AlertRule, RuleFile } from "../../rules";
import { alertNames, buildRuleFiles, renderRuleFiles } from "../../components/catalogue";
import { burnRateWindows, errorBudget } from "../../rules/slo";
import { alertsSpec } from "../../rules/spec";
import { defaultThresholds, knownThresholds } from "../../rules/thresholds";
import { allPacksContext, minimalContext } from "./fixtures";

const alerts = (files: RuleFile[]): AlertRule[] => files.flatMap((f) => f.groups.flatMap((g) => g.rules.filter((r): r is AlertRule => "alert" in r)));
const alertNamed = (files: RuleFile[], name: string) => alerts(files).filter((a) => a.alert === name);
const fileNames = (files: RuleFile[]) => files.map((f) => f.name).sort();

describe("buildRuleFiles with every pack on", () => {
  const ctx = allPacksContext();
  const files = buildRuleFiles(ctx);
  const all = alerts(files);

  it("has at least 60 alerts", () => {
    expect(alertNames(ctx).length).toBeGreaterThanOrEqual(60);
  });

  it("names alerts in PascalCase", () => {
    for (const a of all) expect(a.alert).toMatch(/^[A-Z][A-Za-z0-9]+$/);
  });

  it("gives every alert a known severity, a summary, a description and a runbook link", () => {
    for (const a of all) {
      expect(severities, a.alert).toContain(a.labels.severity);
      expect(a.annotations.summary, a.alert).toBeTruthy();
      expect(a.annotations.description, a.alert).toBeTruthy();
      expect(a.annotations.runbook_url, a.alert).toMatch(/^https:\/\/github\.com\/watchpost\/watchpost\/blob\/main\/runbooks\/[\w-]+\.md$/);
    }
  });

  it("links the pack's dashboard by its stable uid", () => {
    expect(alertNamed(files, "HostDown")[0].annotations.dashboard_url).toBe("https://grafana.example.com/d/watchpost-infrastructure");
    expect(alertNamed(files, "ServiceDown")[0].annotations.dashboard_url).toBe("https://grafana.example.com/d/watchpost-service-health");
    expect(alertNamed(files, "SLOErrorBudgetFastBurn")[0].annotations.dashboard_url).toBe("https://grafana.example.com/d/watchpost-slo");
    expect(alertNamed(files, "Watchdog")[0].annotations.dashboard_url).toBeUndefined();
  });

  it("keeps the names routing and inhibition refer to", () => {
    const names = alertNames(ctx);
    for (const n of ["ServiceDown", "HighErrorRate", "HighLatency", "VeryHighLatency", "HostDown", "Watchdog", "EndpointDown"]) expect(names).toContain(n);
    expect(alertNamed(files, "Watchdog")[0]).toMatchObject({ expr: "vector(1)", labels: { severity: "info" } });
  });

  it("labels every security alert category=security", () => {
    const security = files.find((f) => f.name === "security.rules.yml");
    expect(security).toBeDefined();
    for (const a of alerts([security as RuleFile])) expect(a.labels.category, a.alert).toBe("security");
    expect(
      all
        .filter((a) => a.labels.category === "security")
        .map((a) => a.alert)
        .sort(),
    ).toEqual(["AuthenticationFailureSpike", "RateLimitViolations", "SuspiciousFileUpload"]);
  });

  it("selects ServiceDown by the configured service names", () => {
    expect(alertNamed(files, "ServiceDown")[0].expr).toContain('up{job=~"api|payments|web"} == 0');
  });

  it("joins the owning team onto service alerts from one owner series per service", () => {
    expect(alertNamed(files, "HighErrorRate")[0].expr).toContain("* on (service) group_left (team) service:owner:info");
    const owners = files.find((f) => f.name === "service-owners.rules.yml")?.groups[0].rules;
    expect(owners).toEqual([
      { record: "service:owner:info", expr: "vector(1)", labels: { service: "api", team: "platform" } },
      { record: "service:owner:info", expr: "vector(1)", labels: { service: "payments", team: "payments" } },
      { record: "service:owner:info", expr: "vector(1)", labels: { service: "web" } },
    ]);
  });

  it("writes one burn-rate rule per window pair, labelled with the windows", () => {
    const windows = (name: string) => alertNamed(files, name).map((a) => [a.labels.window, a.labels.severity]);
    expect(windows("SLOErrorBudgetFastBurn")).toEqual([
      ["1h/5m", "critical"],
      ["6h/30m", "critical"],
    ]);
    expect(windows("SLOErrorBudgetSlowBurn")).toEqual([
      ["1d/2h", "warning"],
      ["3d/6h", "warning"],
    ]);
  });

  it("records SLO ratios over every window and the period, labelled service and slo", () => {
    const slo = files.find((f) => f.name === "slo.rules.yml") as RuleFile;
    const records = slo.groups.flatMap((g) => g.rules).filter((r) => "record" in r && r.labels?.service === "api" && r.labels?.slo === "latency");
    expect(records.map((r) => ("record" in r ? r.record : ""))).toEqual([
      "slo:sli_error:ratio_rate5m",
      "slo:sli_error:ratio_rate30m",
      "slo:sli_error:ratio_rate1h",
      "slo:sli_error:ratio_rate2h",
      "slo:sli_error:ratio_rate6h",
      "slo:sli_error:ratio_rate1d",
      "slo:sli_error:ratio_rate3d",
      "slo:objective:ratio",
      "slo:sli_error:ratio_period",
    ]);
    expect(records[0].expr).toContain('http_request_duration_seconds_bucket{service="api",le="0.5"}[5m]');
    expect(records.at(-1)?.expr).toContain("[30d]");
  });

  it("reads an integer latency threshold from both '1' and '1.0' buckets", () => {
    const ctx1s = allPacksContext({ services: [{ name: "api", slos: [{ name: "latency", type: "latency", objective: 99, period: "30d", threshold: "1s" }] }] });
    const slo = buildRuleFiles(ctx1s).find((f) => f.name === "slo.rules.yml") as RuleFile;
    expect(slo.groups[0].rules[0].expr).toContain('le=~"1(\\\\.0)?"');
  });

  it("renders plain JSON-able groups (PrometheusRule spec.groups)", () => {
    expect(JSON.parse(JSON.stringify(files))).toEqual(files);
  });

  it("renders YAML without anchors, with a file per pack", () => {
    const rendered = renderRuleFiles(ctx);
    expect(Object.keys(rendered).sort()).toEqual(fileNames(files));
    for (const text of Object.values(rendered)) expect(text).not.toMatch(/[&*]a\d/);
  });
});

describe("burn-rate thresholds", () => {
  it.each([
    [99.9, [0.0144, 0.006, 0.003, 0.001]],
    [99, [0.144, 0.06, 0.03, 0.01]],
  ])("at %s%% are %j", (objective, expected) => {
    expect(burnRateWindows.map((w) => Number((w.factor * errorBudget(objective)).toPrecision(12)))).toEqual(expected);
  });
});

describe("packs on and off", () => {
  it("defaults: docker without exporters runs service, hosts, containers, uptime, security and self-monitoring", () => {
    expect(fileNames(buildRuleFiles(minimalContext()))).toEqual([
      "containers.rules.yml",
      "hosts.rules.yml",
      "security.rules.yml",
      "self-monitoring.rules.yml",
      "service-owners.rules.yml",
      "service.rules.yml",
      "uptime.rules.yml",
    ]);
  });

  it("kubernetes pack defaults on only on kubernetes", () => {
    const on = buildRuleFiles(minimalContext({ platform: "kubernetes" }));
    expect(fileNames(on)).toContain("kubernetes.rules.yml");
  });

  it("exporter packs follow their exporter", () => {
    const names = fileNames(buildRuleFiles(minimalContext({ exporters: { postgres: true, redis: false, rabbitmq: true, nginx: false, elasticsearch: false, mysql: false } })));
    expect(names).toContain("postgres.rules.yml");
    expect(names).toContain("rabbitmq.rules.yml");
    expect(names).not.toContain("redis.rules.yml");
  });

  it("an explicit toggle wins over the default, both ways", () => {
    const ctx = minimalContext({ alerts: alertsSpec.parse({ packs: { hosts: false, redis: true } }) });
    const names = fileNames(buildRuleFiles(ctx));
    expect(names).not.toContain("hosts.rules.yml");
    expect(names).toContain("redis.rules.yml");
  });

  it("Loki and collector alerts follow logging and tracing", () => {
    const off = alertNames(minimalContext());
    expect(off).not.toContain("LokiRequestErrors");
    expect(off).not.toContain("OtelCollectorExportFailures");
    const on = alertNames(minimalContext({ logging: true, tracing: true }));
    expect(on).toContain("LokiRequestErrors");
    expect(on).toContain("OtelCollectorExportFailures");
  });

  it("uses Docker's container labels on docker and the kubelet's on kubernetes", () => {
    const expr = (platform: "docker" | "kubernetes") => alertNamed(buildRuleFiles(minimalContext({ platform })), "ContainerHighMemoryUsage")[0].expr;
    expect(expr("docker")).toContain("sum by (instance, name)");
    expect(expr("kubernetes")).toContain("sum by (namespace, pod, container)");
  });
});

describe("thresholds", () => {
  it("an override changes the expression", () => {
    const base = alertNamed(buildRuleFiles(minimalContext()), "HostHighCpuUsage")[0];
    const ctx = minimalContext({ alerts: alertsSpec.parse({ thresholds: { hostCpuWarning: 0.7 } }) });
    const changed = alertNamed(buildRuleFiles(ctx), "HostHighCpuUsage")[0];
    expect(base.expr).toBe("instance:node_cpu_utilisation:rate5m > 0.85");
    expect(changed.expr).toBe("instance:node_cpu_utilisation:rate5m > 0.7");
    expect(changed.annotations.description).toContain("threshold 70%");
  });

  it("keeps every threshold the validator knows", () => {
    expect(knownThresholds()).toBe(defaultThresholds);
    expect(Object.keys(defaultThresholds)).toEqual(expect.arrayContaining(["errorRatioCritical", "sloBudgetRemaining", "lokiErrorRatio"]));
  });
});

describe("custom alerts", () => {
  const files = buildRuleFiles(allPacksContext());

  it("become `expr op threshold` rules with their own labels and runbook", () => {
    const [payment] = alertNamed(files, "PaymentFailureRateHigh");
    expect(payment.expr).toBe('(sum(rate(payments_total{service="payments",outcome="failed"}[5m])) / sum(rate(payments_total{service="payments"}[5m]))) > 0.05');
    expect(payment).toMatchObject({ for: "5m", labels: { severity: "critical", service: "payments", team: "payments" } });
    expect(payment.annotations.runbook_url).toMatch(/\/PaymentFailureRateHigh\.md$/);
    expect(payment.annotations.dashboard_url).toBe("https://grafana.example.com/d/watchpost-service-health");
    const [stalled] = alertNamed(files, "ResumeProcessingStalled");
    expect(stalled.expr).toBe("(sum(increase(resumes_processed_total[15m]))) == 0");
    expect(stalled.annotations.runbook_url).toMatch(/\/resume-pipeline\.md$/);
  });

  it("take the team of the service they name, unless their labels give one", () => {
    const alert = (extra: object) => ({ name: "QueueStuck", expr: "queue_jobs_waiting", threshold: 100, severity: "warning", summary: "s", ...extra });
    const ctx = minimalContext({
      services: [
        { name: "api", team: "platform", slos: [] },
        { name: "web", slos: [] },
      ],
      alerts: alertsSpec.parse({
        custom: [
          alert({ name: "ApiQueueStuck", service: "api" }),
          alert({ name: "ApiQueueStuckForSearch", service: "api", labels: { team: "search" } }),
          alert({ name: "WebQueueStuck", service: "web" }),
          alert({ name: "QueueStuck" }),
        ],
      }),
    });
    const files = buildRuleFiles(ctx);
    expect(alertNamed(files, "ApiQueueStuck")[0].labels).toEqual({ service: "api", team: "platform", severity: "warning" });
    expect(alertNamed(files, "ApiQueueStuckForSearch")[0].labels).toEqual({ service: "api", team: "search", severity: "warning" });
    expect(alertNamed(files, "WebQueueStuck")[0].labels).toEqual({ service: "web", severity: "warning" });
    expect(alertNamed(files, "QueueStuck")[0].labels).toEqual({ severity: "warning" });
  });

  it("cannot override severity through labels", () => {
    const ctx = minimalContext({
      alerts: alertsSpec.parse({
        custom: [{ name: "QueueStuck", expr: "queue_jobs_waiting", threshold: 100, severity: "warning", summary: "s", labels: { severity: "critical" } }],
      }),
    });
    expect(alertNamed(buildRuleFiles(ctx), "QueueStuck")[0].labels.severity).toBe("warning");
  });
});
