import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { images } from "../model/versions";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { outputValue, type Recorded, runStack } from "../harness/pulumi-mocks";

let run: Awaited<ReturnType<typeof runStack>>;
const containers = () => run.byType("docker:index/container:Container");
const container = (alias: string): Recorded => {
  const c = containers().find((r) => r.inputs.networksAdvanced?.[0]?.aliases?.includes(alias));
  if (!c) throw new Error(`no container with alias ${alias}`);
  return c;
};
const upload = (c: Recorded, file: string): string => {
  const u = (c.inputs.uploads ?? []).find((x: any) => x.file === file);
  if (!u) throw new Error(`${c.name} has no upload ${file}`);
  return u.content;
};

describe("dev stack under Pulumi mocks (Docker)", () => {
  beforeAll(async () => {
    run = await runStack("dev", readStackFile(stackFilePath("dev")), () => "unused");
  });

  it("creates the four components and one network", () => {
    const components = run.resources
      .filter((r) => r.type.startsWith("watchpost:"))
      .map((r) => `${r.type}/${r.name}`)
      .sort();
    expect(components).toEqual([
      "watchpost:alerting:AlertRouting/alerting",
      "watchpost:logging:LoggingStack/logging",
      "watchpost:metrics:PrometheusStack/metrics",
      "watchpost:tracing:TracingStack/tracing",
    ]);
    expect(run.byType("docker:index/network:Network")).toHaveLength(1);
  });

  it("runs exactly the expected containers, each from a pinned image on the one network", () => {
    const aliases = containers()
      .map((c) => c.inputs.networksAdvanced[0].aliases[0])
      .sort();
    expect(aliases).toEqual(["alertmanager-0", "alloy", "blackbox-exporter", "cadvisor", "grafana", "loki", "node-exporter", "otel-collector", "prometheus", "tempo"]);
    const pinned = new Set<string>(Object.values(images));
    for (const img of run.byType("docker:index/remoteImage:RemoteImage")) {
      expect(pinned.has(img.inputs.name)).toBe(true);
      expect(img.inputs.name).not.toMatch(/:latest$/);
    }
    for (const c of containers()) expect(c.inputs.networksAdvanced).toHaveLength(1);
  });

  it("publishes every port on 127.0.0.1 and limits every container", () => {
    let totalMiB = 0;
    for (const c of containers()) {
      for (const p of c.inputs.ports ?? []) expect(p.ip).toBe("127.0.0.1");
      expect(c.inputs.memory).toBeGreaterThan(0);
      expect(Number(c.inputs.cpus)).toBeGreaterThan(0);
      totalMiB += c.inputs.memory;
    }
    expect(totalMiB).toBeLessThanOrEqual(3 * 1024);
  });

  it("writes cpus as the provider reads it back from the engine ('1.0', '0.2'): '1' replaced Prometheus on every real up", async () => {
    const { dockerCpus } = await import("../components/platform/docker.js");
    expect(container("prometheus").inputs.cpus).toBe("1.0");
    expect(container("alertmanager-0").inputs.cpus).toBe("0.2");
    expect([dockerCpus(2), dockerCpus(0.25), dockerCpus(0.3), dockerCpus(1.5)]).toEqual(["2.0", "0.25", "0.3", "1.5"]);
  });

  it("sets the swap limit to the memory limit (no swap): left out, Docker fills in twice the memory and every real preview showed a change", () => {
    for (const c of containers()) expect(c.inputs.memorySwap, c.inputs.name).toBe(c.inputs.memory);
  });

  it("wires Grafana to Prometheus, Alertmanager, Loki and Tempo by in-network names", () => {
    const ds = parse(upload(container("grafana"), "/etc/grafana/provisioning/datasources/watchpost.yaml")).datasources;
    const byUid = Object.fromEntries(ds.map((d: any) => [d.uid, d]));
    expect(byUid["watchpost-prometheus"].url).toBe("http://prometheus:9090");
    expect(byUid["watchpost-alertmanager"].url).toBe("http://alertmanager-0:9093");
    expect(byUid["watchpost-loki"].url).toBe("http://loki:3100");
    expect(byUid["watchpost-tempo"].url).toBe("http://tempo:3200");
    expect(byUid["watchpost-tempo"].jsonData.tracesToLogsV2.datasourceUid).toBe("watchpost-loki");
  });

  it("points prometheus.yml at Alertmanager and loads the rule files", () => {
    const prom = container("prometheus");
    const cfg = parse(upload(prom, "/etc/prometheus/prometheus.yml"));
    expect(cfg.alerting.alertmanagers[0].static_configs[0].targets).toEqual(["alertmanager-0:9093"]);
    expect(cfg.rule_files).toEqual(["/etc/prometheus/rules/*.yml"]);
    const ruleUploads = prom.inputs.uploads.filter((u: any) => u.file.startsWith("/etc/prometheus/rules/"));
    expect(ruleUploads.length).toBeGreaterThan(0);
    expect(prom.inputs.command).toContain("--storage.tsdb.retention.time=30d");
    expect(prom.inputs.command.some((a: string) => /^--storage\.tsdb\.retention\.size=\d+MB$/.test(a))).toBe(true);
  });

  it("ships logs from Alloy to Loki and traces from the collector to Tempo", () => {
    expect(upload(container("alloy"), "/etc/alloy/config.alloy")).toContain('url = "http://loki:3100/loki/api/v1/push"');
    const otel = parse(upload(container("otel-collector"), "/etc/otelcol-contrib/config.yaml"));
    expect(otel.exporters["otlp_grpc/traces"].endpoint).toBe("tempo:4317");
    expect(Object.keys(otel.receivers.otlp.protocols).sort()).toEqual(["grpc", "http"]);
  });

  it("gives Grafana a generated admin password as a secret file, and never a default one", async () => {
    const grafana = container("grafana");
    const envs: string[] = grafana.inputs.envs;
    expect(envs).toContain("GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/grafana-admin-password");
    expect(envs.some((e) => e.startsWith("GF_SECURITY_ADMIN_PASSWORD="))).toBe(false);
    expect(envs).toContain("GF_AUTH_ANONYMOUS_ENABLED=false");
    expect(envs).toContain("GF_USERS_ALLOW_SIGN_UP=false");
    expect(grafana.secretInputs).toContain("uploads");
    expect(upload(grafana, "/run/secrets/grafana-admin-password")).toBe("generated-password-0123456789abcdef");
    expect(run.byType("random:index/randomPassword:RandomPassword")).toHaveLength(1);
    expect(await pulumi.isSecret(run.outputs.grafanaAdminPassword)).toBe(true);
  });

  it("exports every UI and API URL", async () => {
    expect(await outputValue(run.outputs.grafanaUrl)).toBe("http://127.0.0.1:3000");
    expect(await outputValue(run.outputs.prometheusUrl)).toBe("http://127.0.0.1:9090");
    expect(await outputValue(run.outputs.alertmanagerUrls)).toEqual(["http://127.0.0.1:9093"]);
    expect(await outputValue(run.outputs.lokiUrl)).toBe("http://127.0.0.1:3100");
    expect(await outputValue(run.outputs.tracesUrl)).toBe("http://127.0.0.1:3200");
    expect(await outputValue(run.outputs.otlpGrpcEndpoint)).toBe("http://127.0.0.1:4317");
    expect(await outputValue(run.outputs.grafanaAdminUser)).toBe("admin");
  });

  it("exports no undefined value (the engine warns of each one: seen on the first real preview, for aws)", () => {
    const undefinedKeys = Object.entries(run.outputs)
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    expect(undefinedKeys).toEqual([]);
  });

  it("keeps data on named volumes that survive a replacement", () => {
    const volumes = run
      .byType("docker:index/volume:Volume")
      .map((v) => v.inputs.name)
      .sort();
    expect(volumes).toEqual([
      "watchpost-dev-alertmanager-0-data",
      "watchpost-dev-alloy-data",
      "watchpost-dev-grafana-data",
      "watchpost-dev-loki-data",
      "watchpost-dev-prometheus-data",
      "watchpost-dev-tempo-data",
    ]);
  });
});

describe("dev stack: Elasticsearch exporter credentials", () => {
  it("reads the password from a secret file, never from the container environment or plain state", async () => {
    const raw = readStackFile(stackFilePath("dev"));
    const values = { ...raw.values, exporters: { elasticsearch: { url: "http://es.internal:9200", username: "monitor" } } };
    const v = await runStack("dev", { values, secrets: new Set([...raw.secrets, "elasticsearchPassword"]) }, (key) => `SECRET-VALUE-OF-${key}`);
    const es = v.byType("docker:index/container:Container").find((c) => c.inputs.networksAdvanced[0].aliases[0] === "elasticsearch-exporter")!;
    expect(es.inputs.entrypoints).toEqual(["/bin/sh", "-c"]);
    expect(es.inputs.command).toEqual([
      `ES_PASSWORD="$(cat /run/secrets/elasticsearch-password)" exec /bin/elasticsearch_exporter '--es.uri=http://es.internal:9200' '--es.all' '--es.indices'`,
    ]);
    expect(es.inputs.envs).toEqual(["ES_USERNAME=monitor"]);
    expect(es.secretInputs).toContain("uploads");
    expect(es.inputs.uploads).toContainEqual({ file: "/run/secrets/elasticsearch-password", content: "SECRET-VALUE-OF-elasticsearchPassword", permissions: "0440" });
    expect(JSON.stringify(es.inputs.envs) + JSON.stringify(es.inputs.command)).not.toContain("SECRET-VALUE-OF");
  });
});

describe("dev stack: remote write with a bearer token", () => {
  it("uploads the token as a secret file where prometheus.yml reads it; the config holds only the path", async () => {
    const raw = readStackFile(stackFilePath("dev"));
    const values = { ...raw.values, prometheus: { ...(raw.values.prometheus as object), remoteWrite: [{ url: "https://thanos.example.com/api/v1/receive", bearerToken: true }] } };
    const v = await runStack("dev", { values, secrets: new Set(["remoteWriteBearerToken"]) }, (key) => `SECRET-VALUE-OF-${key}`);
    const prometheus = v.byType("docker:index/container:Container").find((c) => c.inputs.networksAdvanced?.[0]?.aliases?.includes("prometheus"))!;
    const uploads = prometheus.inputs.uploads as Array<{ file: string; content: string; permissions?: string }>;
    const config = parse(uploads.find((u) => u.file === "/etc/prometheus/prometheus.yml")!.content);
    expect(config.remote_write).toEqual([
      { url: "https://thanos.example.com/api/v1/receive", authorization: { type: "Bearer", credentials_file: "/etc/prometheus/secrets/remoteWriteBearerToken" } },
    ]);
    expect(uploads.find((u) => u.file === "/etc/prometheus/secrets/remoteWriteBearerToken")).toEqual({
      file: "/etc/prometheus/secrets/remoteWriteBearerToken",
      content: "SECRET-VALUE-OF-remoteWriteBearerToken",
      permissions: "0440",
    });
    expect(prometheus.secretPaths.some((p) => p.startsWith("uploads"))).toBe(true);
    expect(uploads.filter((u) => u.content.includes("SECRET-VALUE-OF")).map((u) => u.file)).toEqual(["/etc/prometheus/secrets/remoteWriteBearerToken"]);
  });
});
