/**
 * `services[].metrics` (a service's own metric and label names mapped onto the
 * conventions) and `alerts.recording` (recording rules declared in config)
 * through the validator: a good stack, then one mutation per problem, each
 * with its key path, value, message and fix. Then what the mapping renders.
 */
import { describe, expect, it } from "vitest";
import { metricRelabelConfigs, operatorMetricRelabelings } from "../../components/prometheus/metric-mapping";
import { ConfigError, parseStackConfig } from "../../infra/config/validate";
import { planStack } from "../../infra/plan";
import { exposedMetrics } from "../../dashboards/metrics";
import { applicationMetrics } from "../../model/conventions";

function problems(values: Record<string, unknown>): string[] {
  try {
    parseStackConfig("dev", { values, secrets: new Set() });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.key}: got ${JSON.stringify(p.value)}; ${p.message}`);
  }
}

const mapped = (metrics: unknown) => ({ services: [{ name: "api", targets: ["api:8080"], metrics }] });
const recording = (rules: unknown) => ({ services: [{ name: "api", targets: ["api:8080"] }], alerts: { recording: rules } });

const goodMapping = {
  names: { http_requests_total: "app_http_requests_total", http_request_duration_seconds: "app_http_request_duration_seconds", queue_jobs_waiting: "bull_queue_waiting" },
  labels: { status_code: "status", queue: "queue_name" },
};
const goodRule = {
  record: "service:orders_failed:ratio_rate5m",
  expr: "sum by (service) (rate(orders_failed_total[5m])) / (sum by (service) (rate(orders_total[5m])) > 0)",
  labels: { tier: "gold" },
};

describe("services[].metrics", () => {
  it("takes names and labels keyed by the Watchpost convention", () => {
    expect(problems(mapped(goodMapping))).toEqual([]);
    expect(parseStackConfig("dev", { values: mapped(goodMapping), secrets: new Set() }).config.services[0].metrics).toEqual(goodMapping);
  });

  it.each<[string, unknown, string]>([
    [
      "a misspelt Watchpost metric, with the nearest one",
      { names: { http_request_total: "app_requests_total" } },
      `watchpost:services[0].metrics.names.http_request_total: got "app_requests_total"; unknown key; did you mean 'http_requests_total'? expected one of: http_requests_total, http_request_duration_seconds, auth_failures_total, security_suspicious_uploads_total, queue_jobs_waiting, queue_jobs_failed_total, db_connection_pool_used, db_connection_pool_size`,
    ],
    [
      "a name that is not a metric name, with the fixed one",
      { names: { http_requests_total: "app-requests" } },
      'watchpost:services[0].metrics.names.http_requests_total: got "app-requests"; is not a metric name; expected letters, digits, _ and :, not starting with a digit, such as app_http_requests_total; write app_requests',
    ],
    [
      "the convention name itself",
      { names: { http_requests_total: "http_requests_total" } },
      'watchpost:services[0].metrics.names.http_requests_total: got "http_requests_total"; is already the Watchpost name, so there is nothing to map; remove names.http_requests_total',
    ],
    [
      "another convention metric (renames would chain)",
      { names: { http_requests_total: "auth_failures_total" } },
      'watchpost:services[0].metrics.names.http_requests_total: got "auth_failures_total"; is the Watchpost metric auth_failures_total itself; map a metric the service exposes under a name of its own',
    ],
    [
      "a histogram given by one of its series",
      { names: { http_request_duration_seconds: "app_duration_seconds_bucket" } },
      'watchpost:services[0].metrics.names.http_request_duration_seconds: got "app_duration_seconds_bucket"; http_request_duration_seconds is a histogram, mapped by its base name (its _bucket, _count and _sum series follow); write app_duration_seconds',
    ],
    [
      "one metric of the service mapped twice",
      { names: { http_requests_total: "app_total", auth_failures_total: "app_total" } },
      'watchpost:services[0].metrics.names.auth_failures_total: got "app_total"; names.http_requests_total maps app_total already; one metric of the service maps to one Watchpost metric',
    ],
    [
      "an unknown Watchpost label",
      { labels: { status: "status_code" } },
      'watchpost:services[0].metrics.labels.status: got "status_code"; unknown key; expected one of: status_code, method, route, reason, queue',
    ],
    [
      "a label name that is not one",
      { labels: { status_code: "1status" } },
      'watchpost:services[0].metrics.labels.status_code: got "1status"; is not a label name; expected letters, digits and underscores, not starting with a digit, such as alertname or service; write _1status',
    ],
    [
      "a label the scrape sets",
      { labels: { status_code: "instance" } },
      'watchpost:services[0].metrics.labels.status_code: got "instance"; the instance label is set by the scrape or read by PromQL itself, not by the service; expected the service\'s own label, such as status for status_code',
    ],
    [
      "another convention label (moves would chain)",
      { labels: { status_code: "route" } },
      'watchpost:services[0].metrics.labels.status_code: got "route"; is the Watchpost label route itself; map a label the service uses under a name of its own',
    ],
    [
      "one label of the service moved twice",
      { labels: { status_code: "code", reason: "code" } },
      'watchpost:services[0].metrics.labels.reason: got "code"; labels.status_code moves code already; one label of the service maps to one Watchpost label',
    ],
    ["a misspelt key", { lables: {} }, "watchpost:services[0].metrics.lables: got {}; unknown key; did you mean 'labels'? expected one of: names, labels"],
  ])("refuses %s", (_case, metrics, message) => {
    expect(problems(mapped(metrics))).toEqual([message]);
  });

  it("renders renames first, then label moves on the convention series only", () => {
    expect(
      metricRelabelConfigs({ names: { http_requests_total: "app_requests_total", http_request_duration_seconds: "app_duration_seconds" }, labels: { status_code: "status" } }),
    ).toEqual([
      { source_labels: ["__name__"], regex: "app_requests_total", target_label: "__name__", replacement: "http_requests_total", action: "replace" },
      {
        source_labels: ["__name__"],
        regex: "app_duration_seconds_(bucket|count|sum)",
        target_label: "__name__",
        replacement: "http_request_duration_seconds_$1",
        action: "replace",
      },
      {
        source_labels: ["__name__", "status"],
        regex:
          "(?:http_requests_total|http_request_duration_seconds_(?:bucket|count|sum)|auth_failures_total|security_suspicious_uploads_total|queue_jobs_waiting|queue_jobs_failed_total|db_connection_pool_used|db_connection_pool_size);(.+)",
        target_label: "status_code",
        replacement: "$1",
        action: "replace",
      },
      {
        source_labels: ["__name__"],
        regex:
          "(?:http_requests_total|http_request_duration_seconds_(?:bucket|count|sum)|auth_failures_total|security_suspicious_uploads_total|queue_jobs_waiting|queue_jobs_failed_total|db_connection_pool_used|db_connection_pool_size)",
        target_label: "status",
        replacement: "",
        action: "replace",
      },
    ]);
    expect(operatorMetricRelabelings({ names: { http_requests_total: "app_requests_total" }, labels: {} })).toEqual([
      { sourceLabels: ["__name__"], regex: "app_requests_total", targetLabel: "__name__", replacement: "http_requests_total", action: "replace" },
    ]);
    expect(metricRelabelConfigs(undefined)).toEqual([]);
    expect(metricRelabelConfigs({ names: {}, labels: {} })).toEqual([]);
  });

  it("puts the mapping on the service's own scrape job (Docker) and its ServiceMonitor or PodMonitor (Kubernetes), and nowhere else", () => {
    const values = {
      services: [
        { name: "api", targets: ["api:8080"], metrics: goodMapping },
        { name: "web", targets: ["web:8080"] },
        { name: "worker", targets: ["worker:9464"], kubernetes: { discovery: "pod" }, metrics: { names: { queue_jobs_waiting: "bull_queue_waiting" } } },
      ],
    };
    const docker = planStack(parseStackConfig("dev", { values, secrets: new Set() }).config);
    const jobs = docker.prometheus.document.scrape_configs;
    expect(jobs.find((j) => j.job_name === "api")?.metric_relabel_configs).toEqual(metricRelabelConfigs(goodMapping));
    expect(jobs.filter((j) => "metric_relabel_configs" in j).map((j) => j.job_name)).toEqual(["api", "worker"]);

    const kube = planStack(
      parseStackConfig("kind", { values: { ...values, platform: "kubernetes", kubernetes: { apiServerCidrs: ["172.18.0.0/16"] } }, secrets: new Set() }).config,
    );
    const monitors = kube.kubernetes?.prometheus.monitors ?? [];
    const endpoints = (service: string) => monitors.find((m) => m.service === service)?.object.spec.endpoints as Array<Record<string, unknown>>;
    expect(endpoints("api")[0].metricRelabelings).toEqual(operatorMetricRelabelings(goodMapping));
    expect(endpoints("web")[0]).not.toHaveProperty("metricRelabelings");
    const podMonitor = monitors.find((m) => m.service === "worker")?.object;
    expect(podMonitor?.kind).toBe("PodMonitor");
    const podEndpoints = (podMonitor?.spec.podMetricsEndpoints ?? []) as Array<Record<string, unknown>>;
    expect(podEndpoints[0]?.metricRelabelings).toEqual(operatorMetricRelabelings({ names: { queue_jobs_waiting: "bull_queue_waiting" }, labels: {} }));
  });
});

describe("the conventions a service can be mapped onto", () => {
  it("include every application metric the dashboards read, besides the client libraries' process metrics", () => {
    const dashboards = exposedMetrics.application.filter((m) => !m.startsWith("process_"));
    expect(dashboards.filter((m) => !(m in applicationMetrics))).toEqual([]);
  });
});

describe("alerts.recording", () => {
  it("takes a recording rule with labels and renders it into recording.rules.yml", () => {
    expect(problems(recording([goodRule]))).toEqual([]);
    const plan = planStack(parseStackConfig("dev", { values: recording([goodRule]), secrets: new Set() }).config);
    expect(plan.rules.find((f) => f.name === "recording.rules.yml")?.groups).toEqual([{ name: "recording-rules", rules: [goodRule] }]);
    expect(plan.artifacts["prometheus/rules/recording.rules.yml"]).toContain("record: service:orders_failed:ratio_rate5m");
  });

  it("renders no file when none is declared", () => {
    const plan = planStack(parseStackConfig("dev", { values: recording([]), secrets: new Set() }).config);
    expect(plan.rules.map((f) => f.name)).not.toContain("recording.rules.yml");
  });

  it.each<[string, unknown[], string[]]>([
    [
      "a record name that is not a metric name",
      [{ record: "job-orders", expr: "vector(1)" }],
      [
        'watchpost:alerts.recording[0].record: got "job-orders"; is not a metric name; expected letters, digits, _ and :, not starting with a digit, such as service:orders_failed:ratio_rate5m; write job_orders',
      ],
    ],
    [
      "a built-in recording rule's name",
      [{ record: "service:http_requests:rate5m", expr: "vector(1)" }],
      [
        'watchpost:alerts.recording[0].record: got "service:http_requests:rate5m"; is the name of a built-in recording rule (pack service); two rules writing one series overwrite each other; choose a name of your own, such as custom:http_requests:rate5m',
      ],
    ],
    [
      "a built-in SLO recording rule's name, in a stack without SLOs",
      [{ record: "slo:sli_error:ratio_rate1h", expr: "vector(1)" }],
      [
        'watchpost:alerts.recording[0].record: got "slo:sli_error:ratio_rate1h"; is the name of a built-in recording rule (pack slo); two rules writing one series overwrite each other; choose a name of your own, such as custom:sli_error:ratio_rate1h',
      ],
    ],
    [
      "an application metric's name",
      [{ record: "http_requests_total", expr: "vector(1)" }],
      [
        'watchpost:alerts.recording[0].record: got "http_requests_total"; is a Watchpost application metric that services are scraped under; to read a service\'s own metric under it, map it with services[].metrics.names.http_requests_total instead',
      ],
    ],
    [
      "an expression that does not parse",
      [{ record: "job:orders:rate5m", expr: "sum(rate(orders_total[5m])" }],
      ['watchpost:alerts.recording[0].expr: got "sum(rate(orders_total[5m])"; not valid PromQL (syntax error at line 1, near "ders_total[5m])")'],
    ],
    [
      "a rate without a range",
      [{ record: "job:orders:rate5m", expr: "rate(orders_total)" }],
      [
        'watchpost:alerts.recording[0].expr: got "rate(orders_total)"; not valid PromQL: expected type matrix in call to function "rate", got vector (at line 1, near "rate(orders_total)"); give its argument a range, such as rate(http_requests_total[5m])',
      ],
    ],
    [
      "a range vector",
      [{ record: "job:orders:rate5m", expr: "orders_total[5m]" }],
      [
        'watchpost:alerts.recording[0].expr: got "orders_total[5m]"; the expression is a range vector; a recording rule records an instant vector: apply a function over the range, such as rate(x[5m])',
      ],
    ],
    [
      "a scalar",
      [{ record: "job:orders:rate5m", expr: "1" }],
      ['watchpost:alerts.recording[0].expr: got "1"; the expression is a scalar; a recording rule records an instant vector: wrap the number in vector(...)'],
    ],
    [
      "two rules writing one series",
      [
        { record: "job:orders:rate5m", expr: "vector(1)" },
        { record: "job:orders:rate5m", expr: "vector(2)" },
      ],
      [
        'watchpost:alerts.recording[1].record: got "job:orders:rate5m"; alerts.recording[0] records job:orders:rate5m with the same labels already, so the two would write one series; remove one, or tell them apart with labels',
      ],
    ],
    [
      "a label name that is not one",
      [{ record: "job:orders:rate5m", expr: "vector(1)", labels: { "bad-label": "x" } }],
      [
        'watchpost:alerts.recording[0].labels.bad-label: got "x"; "bad-label" is not a label name; expected letters, digits and underscores, not starting with a digit, such as alertname or service; write bad_label',
      ],
    ],
  ])("refuses %s", (_case, rules, expected) => {
    expect(problems(recording(rules))).toEqual(expected);
  });

  it("allows one name twice with different labels, as the SLO rules do", () => {
    expect(
      problems(
        recording([
          { record: "job:orders:rate5m", expr: "vector(1)", labels: { shop: "eu" } },
          { record: "job:orders:rate5m", expr: "vector(2)", labels: { shop: "us" } },
        ]),
      ),
    ).toEqual([]);
  });
});
