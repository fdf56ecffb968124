import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { grafanaDatasources } from "../components/grafana/render";
import { renderAlloyConfig, renderLokiConfig } from "../components/logging/render";
import { renderBlackboxConfig, renderPrometheusConfig, type PrometheusRenderInput } from "../components/prometheus/render";
import { planPrometheusStorage } from "../components/prometheus/sizing";
import { goDuration } from "../model/primitives";
import { renderJaegerConfig, renderOtelCollectorConfig, renderTempoConfig } from "../components/tracing/render";
import { charts, images } from "../model/versions";
import { pinnedBeyondReference } from "./charts/walk";

const base = (): PrometheusRenderInput => ({
  platform: "docker",
  environment: "dev",
  clusterLabel: "dev",
  prometheus: { scrapeInterval: "15s", evaluationInterval: "15s", retention: "30d", expectedActiveSeries: 100000, remoteWrite: [], amp: { enabled: false } },
  services: [{ name: "api", targets: ["api:8080", "api2:8080"], metricsPath: "/metrics", scheme: "http", team: "payments", slos: [] }],
  probes: [
    { name: "home", target: "https://example.com", module: "http_2xx", service: "api" },
    { name: "resolver", target: "example.com", module: "dns" },
  ],
  exporters: { postgres: { host: "db", port: 5432, database: "app", user: "monitor", sslMode: "require" }, rabbitmq: { target: "rabbit:15692" } },
  alertmanagerReplicas: 3,
  logging: true,
  tracing: "jaeger",
  namespace: "monitoring",
});

describe("prometheus.yml", () => {
  const cfg = parse(renderPrometheusConfig(base()));
  const job = (name: string) => cfg.scrape_configs.find((j: any) => j.job_name === name);

  it("sets the intervals and the environment and cluster external labels", () => {
    expect(cfg.global).toEqual({ scrape_interval: "15s", evaluation_interval: "15s", external_labels: { environment: "dev", cluster: "dev" } });
  });

  it("sends alerts to every Alertmanager replica", () => {
    expect(cfg.alerting.alertmanagers[0].static_configs[0].targets).toEqual(["alertmanager-0:9093", "alertmanager-1:9093", "alertmanager-2:9093"]);
  });

  it("labels each service's targets with service and team, job equal to its name", () => {
    expect(job("api").static_configs[0]).toEqual({ targets: ["api:8080", "api2:8080"], labels: { service: "api", team: "payments" } });
  });

  it("scrapes every stack component, and Jaeger instead of Tempo when chosen", () => {
    const names = cfg.scrape_configs.map((j: any) => j.job_name);
    for (const n of ["prometheus", "alertmanager", "grafana", "node", "cadvisor", "blackbox-exporter", "loki", "alloy", "otel-collector", "jaeger"]) expect(names).toContain(n);
    expect(names).not.toContain("tempo");
  });

  it("scrapes exporters only when configured, RabbitMQ straight from its plugin", () => {
    expect(job("postgres").static_configs[0].targets).toEqual(["postgres-exporter:9187"]);
    expect(job("rabbitmq").static_configs[0].targets).toEqual(["rabbit:15692"]);
    expect(job("rabbitmq").metrics_path).toBe("/metrics/per-object");
    expect(job("redis")).toBeUndefined();
  });

  it("probes through the blackbox exporter with the probe's module and labels", () => {
    const home = job("blackbox-home");
    expect(home.params).toEqual({ module: ["http_2xx"] });
    expect(home.static_configs[0].labels).toEqual({ probe: "home", service: "api", probe_module: "http_2xx" });
    expect(home.relabel_configs).toContainEqual({ target_label: "__address__", replacement: "blackbox-exporter:9115" });
    expect(job("blackbox-resolver").params).toEqual({ module: ["dns_resolver"] });
  });

  it("uses discovery and no static service jobs on Kubernetes", () => {
    const kube = parse(renderPrometheusConfig({ ...base(), platform: "kubernetes" }));
    const names = kube.scrape_configs.map((j: any) => j.job_name);
    expect(names).toContain("kubernetes-annotated-pods");
    expect(names).not.toContain("api");
    expect(kube.scrape_configs.find((j: any) => j.job_name === "postgres").static_configs[0].targets).toEqual(["postgres-exporter.monitoring.svc:9187"]);
  });

  it("reads remote-write credentials from files, never from the config", () => {
    const input = base();
    input.prometheus.remoteWrite = [
      { url: "https://mimir.example.com/api/v1/push", basicAuth: { username: "writer" }, bearerToken: false },
      { url: "https://thanos.example.com/api/v1/receive", bearerToken: true },
    ];
    expect(parse(renderPrometheusConfig(input)).remote_write).toEqual([
      { url: "https://mimir.example.com/api/v1/push", basic_auth: { username: "writer", password_file: "/etc/prometheus/secrets/remoteWritePassword" } },
      { url: "https://thanos.example.com/api/v1/receive", authorization: { type: "Bearer", credentials_file: "/etc/prometheus/secrets/remoteWriteBearerToken" } },
    ]);
  });

  it("adds remote write with SigV4 only when asked", () => {
    expect(cfg.remote_write).toBeUndefined();
    const input = base();
    input.prometheus.remoteWrite = [{ url: "https://aps.example/api/v1/remote_write", sigv4Region: "eu-west-1" }];
    expect(parse(renderPrometheusConfig(input)).remote_write).toEqual([{ url: "https://aps.example/api/v1/remote_write", sigv4: { region: "eu-west-1" } }]);
  });
});

describe("blackbox.yml", () => {
  it("has the standard modules and one DNS module per DNS probe", () => {
    const bb = parse(renderBlackboxConfig(base().probes)).modules;
    expect(Object.keys(bb).sort()).toEqual(["dns_resolver", "http_2xx", "tcp_connect", "tls"]);
    expect(bb.dns_resolver.dns.query_name).toBe("example.com");
    expect(bb.tls.tcp.tls).toBe(true);
  });
});

describe("storage sizing", () => {
  it("follows Prometheus' formula and keeps retention.size at 85% of the volume", () => {
    const plan = planPrometheusStorage({ retention: "30d", scrapeInterval: "15s", expectedActiveSeries: 100000 });
    expect(plan.samplesPerSecond).toBeCloseTo(6666.7, 1);
    expect(plan.blocksBytes).toBe(30 * 86400 * (100000 / 15) * 2);
    expect(plan.volumeSize).toBe("50Gi");
    expect(plan.retentionSize).toBe(`${Math.floor(50 * 1024 * 0.85)}MB`);
  });
  it("keeps a volume size from config and derives retention.size from it", () => {
    const plan = planPrometheusStorage({ retention: "30d", scrapeInterval: "15s", expectedActiveSeries: 100000, volumeSize: "200Gi" });
    expect(plan.volumeSize).toBe("200Gi");
    expect(plan.retentionSize).toBe(`${Math.floor(200 * 1024 * 0.85)}MB`);
  });
});

describe("Grafana datasources", () => {
  it("have fixed uids and link traces to logs and logs to traces", () => {
    const ds = grafanaDatasources({ prometheusUrl: "http://p", alertmanagerUrl: "http://a", lokiUrl: "http://l", trace: { backend: "tempo", url: "http://t" } });
    expect(ds.map((d) => d.uid)).toEqual(["watchpost-prometheus", "watchpost-alertmanager", "watchpost-loki", "watchpost-tempo"]);
    expect(ds[3].jsonData?.tracesToLogsV2).toMatchObject({ datasourceUid: "watchpost-loki" });
    expect((ds[2].jsonData?.derivedFields as any[] | undefined)?.[0]?.datasourceUid).toBe("watchpost-tempo");
    expect(ds.filter((d) => d.isDefault).map((d) => d.uid)).toEqual(["watchpost-prometheus"]);
  });
});

describe("logs and traces configs", () => {
  it("Loki keeps logs for the configured retention", () => {
    const loki = parse(renderLokiConfig({ retention: "72h" }));
    expect(loki.limits_config.retention_period).toBe("72h");
    expect(loki.compactor.retention_enabled).toBe(true);
    expect(loki.auth_enabled).toBe(false);
  });
  it("Alloy discovers containers on Docker and pods on Kubernetes", () => {
    expect(renderAlloyConfig("docker", "http://loki:3100")).toContain('loki.source.docker "containers"');
    expect(renderAlloyConfig("kubernetes", "http://loki:3100")).toContain('loki.source.kubernetes "pods"');
  });
  it("the collector receives OTLP on both protocols and stays under its memory limit", () => {
    const otel = parse(renderOtelCollectorConfig("tempo", 256));
    expect(otel.receivers.otlp.protocols).toEqual({ grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } });
    expect(otel.processors.memory_limiter.limit_mib).toBe(204);
    expect(otel.service.extensions).toContain("health_check");
  });
  it("Tempo's config has the Tempo 3 monolithic blocks and none of the 2.x ones (checked structurally: Tempo is AGPL and not built here, so no Tempo parses it)", () => {
    const tempo = parse(renderTempoConfig({ enabled: true, backend: "tempo", retention: "2d", volumeSize: "1Gi" }));
    expect(Object.keys(tempo).sort()).toEqual([
      "backend_scheduler",
      "backend_worker",
      "distributor",
      "live_store",
      "server",
      "storage",
      "stream_over_http_enabled",
      "usage_report",
    ]);
    for (const removed of ["ingester", "ingester_client", "compactor", "metrics_generator_client"]) expect(tempo).not.toHaveProperty(removed);
    expect(tempo.backend_scheduler).toEqual({ provider: { compaction: { compaction: { block_retention: "48h" } } } });
    expect(tempo.backend_worker).toEqual({ compaction: { block_retention: "48h" } });
    expect(tempo.live_store).toEqual({ max_block_duration: "5m" });
    expect(tempo.distributor.receivers.otlp.protocols).toEqual({ grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } });
    expect(tempo.storage.trace).toEqual({ backend: "local", wal: { path: "/var/tempo/wal" }, local: { path: "/var/tempo/blocks" } });
  });
  it("Tempo and Jaeger get retention as Go durations", () => {
    expect(goDuration("7d")).toBe("168h");
    const tempo = parse(renderTempoConfig({ enabled: true, backend: "tempo", retention: "3d", volumeSize: "1Gi" }));
    expect(tempo.backend_worker.compaction.block_retention).toBe("72h");
    const jaeger = parse(renderJaegerConfig({ enabled: true, backend: "jaeger", retention: "1d", volumeSize: "1Gi" }));
    expect(jaeger.extensions.jaeger_storage.backends.main.badger.ttl.spans).toBe("24h");
  });
});

describe("pinned versions", () => {
  const root = path.resolve(__dirname, "..");
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
    });
  const files = ["model", "components", "infra", "provider", "rules", "dashboards"].flatMap((d) => sources(path.join(root, d)));

  it("names every image with an explicit tag, never latest", () => {
    for (const ref of Object.values(images)) expect(ref).toMatch(/:[^:]+$/), expect(ref).not.toMatch(/:latest$/);
  });

  it("lists image tags and chart versions in versions.ts only", () => {
    const pins = [...Object.values(images), ...Object.values(charts).map((c) => `"${c.version}"`)];
    for (const file of files.filter((f) => !f.endsWith(path.join("model", "versions.ts")))) {
      const text = readFileSync(file, "utf8");
      for (const pin of pins) expect(text.includes(pin), `${path.relative(root, file)} names ${pin}`).toBe(false);
    }
  });

  it("matches the chart versions of the reference, or says where a chart pinned beyond it was checked", () => {
    const versionsDoc = path.resolve(root, "../shared/reference/versions.md");
    let text: string;
    try {
      text = readFileSync(versionsDoc, "utf8");
    } catch {
      if (process.env.CI === "true") throw new Error(`${versionsDoc} is missing`);
      return;
    }
    for (const chart of Object.values(charts)) {
      const beyond = pinnedBeyondReference[chart.chart];
      if (beyond) expect({ chart: chart.chart, version: beyond.version }).toEqual({ chart: chart.chart, version: chart.version });
      else expect(text, `${chart.chart} ${chart.version}`).toContain(chart.version);
    }
  });
});
