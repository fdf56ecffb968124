/**
 * With `images.registryMirror`, every image a chart runs with our values is
 * pulled through the mirror. The images are found in each chart's own default
 * values.yaml (every map with a `repository`), so an image a chart bump adds
 * fails here until it is mirrored or shown not to run with our values.
 */
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { type Recorded, runStack } from "../../harness/pulumi-mocks";
import { exporterSecrets, prodSecrets } from "../../harness/stacks";
import { chartDefaults, chartsWithoutValues, referenceDir } from "./walk";

const mirror = "mirror.example.com/proxy";
type Values = Record<string, any>;
const isMap = (v: unknown): v is Values => !!v && typeof v === "object" && !Array.isArray(v);

function merge(defaults: unknown, ours: unknown): unknown {
  if (!isMap(defaults) || !isMap(ours)) return ours === undefined ? defaults : ours;
  const out: Values = { ...defaults };
  for (const [k, v] of Object.entries(ours)) out[k] = merge(defaults[k], v);
  return out;
}
const at = (v: unknown, path: string): unknown => path.split(".").reduce<any>((x, k) => (isMap(x) ? x[k] : undefined), v);

/** kube-prometheus-stack's subcharts, by their key in its values. */
const subcharts: Record<string, string> = { grafana: "grafana", "kube-state-metrics": "kube-state-metrics", "prometheus-node-exporter": "prometheus-node-exporter" };

/** Images of a chart's defaults that do not run with our values, and the value that keeps them off. */
const notRunning: Record<string, Array<{ image: string; because: string; holds: (v: Values) => boolean }>> = {
  "kube-prometheus-stack": [
    { image: "crds.upgradeJob.image.busybox", because: "crds.enabled false (CRDs are applied on their own)", holds: (v) => at(v, "crds.enabled") === false },
    { image: "crds.upgradeJob.image.kubectl", because: "crds.enabled false", holds: (v) => at(v, "crds.enabled") === false },
    { image: "alertmanager.alertmanagerSpec.image", because: "alertmanager.enabled false (AlertRouting's own CR)", holds: (v) => at(v, "alertmanager.enabled") === false },
    {
      image: "prometheusOperator.admissionWebhooks.deployment.image",
      because: "admissionWebhooks.deployment.enabled false",
      holds: (v) => at(v, "prometheusOperator.admissionWebhooks.deployment.enabled") === false,
    },
    {
      image: "prometheusOperator.thanosImage",
      because: "no Thanos sidecar in prometheusSpec",
      holds: (v) => Object.keys(at(v, "prometheus.prometheusSpec.thanos") ?? {}).length === 0,
    },
    { image: "thanosRuler.thanosRulerSpec.image", because: "thanosRuler.enabled false", holds: (v) => at(v, "thanosRuler.enabled") === false },
  ],
  grafana: [
    { image: "testFramework.image", because: "testFramework.enabled false", holds: (v) => at(v, "testFramework.enabled") === false },
    { image: "downloadDashboardsImage", because: "no dashboards to download (they are ConfigMaps)", holds: (v) => Object.keys(at(v, "dashboards") ?? {}).length === 0 },
    { image: "initChownData.image", because: "initChownData.enabled false", holds: (v) => at(v, "initChownData.enabled") === false },
    { image: "imageRenderer.image", because: "imageRenderer.enabled false", holds: (v) => at(v, "imageRenderer.enabled") === false },
  ],
  "kube-state-metrics": [{ image: "kubeRBACProxy.image", because: "kubeRBACProxy.enabled false", holds: (v) => at(v, "kubeRBACProxy.enabled") === false }],
  "prometheus-node-exporter": [
    { image: "kubeRBACProxy.image", because: "kubeRBACProxy.enabled false", holds: (v) => at(v, "kubeRBACProxy.enabled") === false },
    {
      image: "permissionInitContainer.image",
      because: "no permission fix asked for",
      holds: (v) =>
        Object.values(at(v, "permissionInitContainer.fixes") ?? {}).every((f) => f === false) &&
        ((at(v, "permissionInitContainer.extraCommands") as unknown[] | undefined) ?? []).length === 0,
    },
  ],
  loki: [
    { image: "test.image", because: "test.enabled false", holds: (v) => at(v, "test.enabled") === false },
    { image: "lokiCanary.image", because: "lokiCanary.enabled false", holds: (v) => at(v, "lokiCanary.enabled") === false },
    { image: "gateway.image", because: "gateway.enabled false", holds: (v) => at(v, "gateway.enabled") === false },
    { image: "gateway.metrics.image", because: "gateway.enabled false", holds: (v) => at(v, "gateway.enabled") === false },
    { image: "memcached.image", because: "both caches disabled", holds: (v) => at(v, "chunksCache.enabled") === false && at(v, "resultsCache.enabled") === false },
    {
      image: "memcachedExporter.image",
      because: "a sidecar of the disabled caches",
      holds: (v) => at(v, "chunksCache.enabled") === false && at(v, "resultsCache.enabled") === false,
    },
  ],
  tempo: [{ image: "tempoQuery", because: "tempoQuery.enabled false", holds: (v) => at(v, "tempoQuery.enabled") === false }],
  jaeger: ["spark", "esIndexCleaner", "esRollover", "esLookback"].map((c) => ({
    image: `${c}.image`,
    because: `${c}.enabled false`,
    holds: (v: Values) => at(v, `${c}.enabled`) === false,
  })),
  "prometheus-blackbox-exporter": [{ image: "configReloader.image", because: "configReloader.enabled false", holds: (v) => at(v, "configReloader.enabled") === false }],
};

/** Every map with a `repository` in a chart's defaults, by dotted path. */
function imagePaths(defaults: Values): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string[]) => {
    if (!isMap(v)) return;
    if ("repository" in v && (typeof v.repository === "string" || v.repository === null)) out.push(path.join("."));
    for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(defaults, []);
  return out;
}

/** The reference a chart pulls for the image map at `path` of the merged values `v`, as its templates join it. */
function pulled(chart: string, v: Values, path: string): string | undefined {
  const image = at(v, path) as Values;
  if (chart === "loki" && image.repository === null) return "inherits loki.image";
  if (chart === "cert-manager" && !image.repository) return `${v.imageRegistry}/${v.imageNamespace}/${image.name}`;
  const registry = v.global?.imageRegistry || image.registry;
  return registry ? `${registry}/${image.repository}` : image.repository;
}

const haveReference = existsSync(referenceDir);

describe.skipIf(!haveReference)("chart images through the registry mirror", () => {
  const releases: Recorded[] = [];
  beforeAll(async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const variants: Array<{ values: Values; secrets: string[] }> = [
      {
        values: {
          ...raw.values,
          images: { registryMirror: mirror },
          exporters: {
            postgres: { host: "db.internal", user: "monitor" },
            redis: { address: "redis.internal:6379" },
            elasticsearch: { url: "http://es.internal:9200", username: "monitor" },
          },
        },
        secrets: [...exporterSecrets],
      },
      {
        values: { ...raw.values, images: { registryMirror: mirror }, logging: { backend: "elasticsearch" } },
        secrets: [],
      },
      {
        values: {
          ...raw.values,
          images: { registryMirror: mirror },
          tracing: { backend: "jaeger" },
          ingress: { ...(raw.values.ingress as Values), tls: "cert-manager", className: "traefik", controllerNamespace: "traefik", acmeEmail: "ops@example.com" },
        },
        secrets: [],
      },
    ];
    for (const variant of variants) {
      const run = await runStack("prod", { values: variant.values, secrets: new Set([...prodSecrets, ...variant.secrets]) }, (k) => `SECRET-${k}`);
      releases.push(...run.byType("kubernetes:helm.sh/v3:Release"));
    }
  }, 60_000);

  it("covers every chart the prod stack installs", () => {
    expect([...new Set(releases.map((r) => r.inputs.chart))].sort()).toEqual([
      "alloy",
      "aws-load-balancer-controller",
      "cert-manager",
      "eck-operator",
      "eck-operator-crds",
      "jaeger",
      "kube-prometheus-stack",
      "loki",
      "opentelemetry-collector",
      "prometheus-blackbox-exporter",
      "prometheus-elasticsearch-exporter",
      "prometheus-operator-crds",
      "prometheus-postgres-exporter",
      "prometheus-redis-exporter",
      "tempo",
    ]);
  });

  it("pulls every image that runs through <mirror>/<registry>/, and each image left out is off in our values", () => {
    const wrong: string[] = [];
    const check = (chart: string, values: Values, label: string) => {
      const merged = merge(chartDefaults(chart), values) as Values;
      for (const path of imagePaths(chartDefaults(chart))) {
        const off = (notRunning[chart] ?? []).find((n) => n.image === path);
        if (off) {
          if (!off.holds(merged)) wrong.push(`${label} ${path}: listed as not running (${off.because}), but our values run it`);
          continue;
        }
        const ref = pulled(chart, merged, path);
        if (ref === "inherits loki.image") continue;
        if (!ref?.startsWith(`${mirror}/`)) wrong.push(`${label} ${path}: pulls ${ref}`);
      }
    };
    for (const r of releases) {
      const chart = r.inputs.chart as string;
      const values = r.inputs.values as Values;
      if (chart in chartsWithoutValues) {
        if (Object.keys(values ?? {}).length > 0) wrong.push(`${r.inputs.name} (${chart}): sets values, so its images cannot be assumed to be none`);
        continue;
      }
      check(chart, values, `${r.inputs.name} (${chart})`);
      if (chart === "kube-prometheus-stack") for (const [key, sub] of Object.entries(subcharts)) check(sub, values[key] ?? {}, `${r.inputs.name}/${key} (${sub})`);
    }
    expect(wrong).toEqual([]);
  });

  it("keeps each image's upstream registry after the mirror (the chart's default where Watchpost pins nothing)", () => {
    const kps = releases.find((r) => r.inputs.chart === "kube-prometheus-stack")!.inputs.values as Values;
    expect(kps.prometheusOperator.image.registry).toBe(`${mirror}/${at(chartDefaults("kube-prometheus-stack"), "prometheusOperator.image.registry")}`);
    expect(kps.prometheus.prometheusSpec.image).toMatchObject({ registry: `${mirror}/quay.io`, repository: "prometheus/prometheus" });
    expect(kps["kube-state-metrics"].image.registry).toBe(`${mirror}/registry.k8s.io`);
    const certManager = releases.find((r) => r.inputs.chart === "cert-manager")!.inputs.values as Values;
    expect(certManager.imageRegistry).toBe(`${mirror}/quay.io`);
  });
});
