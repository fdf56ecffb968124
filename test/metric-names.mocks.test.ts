/**
 * `services[].metrics` and `alerts.recording` at the resources, under Pulumi
 * mocks: on Docker the Prometheus container's uploaded prometheus.yml carries
 * the service's metric_relabel_configs and its rules folder recording.rules.yml;
 * on EKS the service's ServiceMonitor carries the same steps as
 * metricRelabelings and a PrometheusRule holds the recording rules.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { metricRelabelConfigs, operatorMetricRelabelings } from "../components/prometheus/metric-mapping";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { runStack } from "../harness/pulumi-mocks";
import { prodSecrets } from "../harness/stacks";

const metrics = { names: { http_requests_total: "app_http_requests_total", queue_jobs_waiting: "bull_queue_waiting" }, labels: { status_code: "status", queue: "queue_name" } };
const recording = [{ record: "service:orders_failed:ratio_rate5m", expr: 'sum by (service) (rate(orders_total{status="failed"}[5m]))' }];

/** The stack file's values with its first service mapped and one recording rule added. */
function withMetricNames(stack: string) {
  const raw = readStackFile(stackFilePath(stack));
  const [first, ...rest] = raw.values.services as Array<Record<string, unknown>>;
  return { ...raw.values, services: [{ ...first, metrics }, ...rest], alerts: { ...(raw.values.alerts as object), recording } };
}

describe("dev stack with services[].metrics and alerts.recording under Pulumi mocks (Docker)", () => {
  let run: Awaited<ReturnType<typeof runStack>>;
  beforeAll(async () => {
    run = await runStack("dev", { values: withMetricNames("dev"), secrets: new Set() }, () => "unused");
  });
  const uploads = () => {
    const prom = run.byType("docker:index/container:Container").find((c) => c.inputs.networksAdvanced?.[0]?.aliases?.includes("prometheus"));
    return (prom?.inputs.uploads ?? []) as Array<{ file: string; content: string }>;
  };

  it("uploads prometheus.yml with the relabeling on the service's job only", () => {
    const yml = parse(uploads().find((u) => u.file === "/etc/prometheus/prometheus.yml")?.content ?? "");
    const jobs = yml.scrape_configs as Array<Record<string, unknown>>;
    expect(jobs.find((j) => j.job_name === "api")?.metric_relabel_configs).toEqual(metricRelabelConfigs(metrics));
    expect(jobs.filter((j) => "metric_relabel_configs" in j).map((j) => j.job_name)).toEqual(["api"]);
  });

  it("uploads the recording rules as a rule file of their own", () => {
    const file = uploads().find((u) => u.file === "/etc/prometheus/rules/recording.rules.yml");
    expect(parse(file?.content ?? "").groups).toEqual([{ name: "recording-rules", rules: recording }]);
  });
});

describe("prod stack with services[].metrics and alerts.recording under Pulumi mocks (EKS)", () => {
  let run: Awaited<ReturnType<typeof runStack>>;
  beforeAll(async () => {
    run = await runStack("prod", { values: withMetricNames("prod"), secrets: new Set(prodSecrets) }, (key) => `SECRET-VALUE-OF-${key}`);
  });
  const custom = (kind: string) => run.resources.filter((r) => r.inputs.kind === kind && r.type.startsWith("kubernetes:monitoring.coreos.com"));

  it("gives the service's ServiceMonitor the same steps as metricRelabelings, beside its relabelings", () => {
    const [monitor] = custom("ServiceMonitor");
    expect(monitor.inputs.metadata.name).toBe("watchpost-api");
    expect(monitor.inputs.spec.endpoints[0].metricRelabelings).toEqual(operatorMetricRelabelings(metrics));
    expect(monitor.inputs.spec.endpoints[0].relabelings).toContainEqual({ action: "replace", targetLabel: "service", replacement: "api" });
  });

  it("creates a PrometheusRule for the recording rules", () => {
    const rule = custom("PrometheusRule").find((r) => r.inputs.metadata.name === "watchpost-recording");
    expect(rule?.inputs.spec.groups).toEqual([{ name: "recording-rules", rules: recording }]);
  });
});
