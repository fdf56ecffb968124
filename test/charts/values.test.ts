/**
 * Every Helm release the prod stack installs, in every variant of its config,
 * uses only keys its chart's default values.yaml knows (descending into the
 * kube-prometheus-stack subcharts). Reference copies: ../shared/reference/helm.
 */
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { type Recorded, runStack } from "../../harness/pulumi-mocks";
import { inCI } from "../support/tools";
import { type FreeForm, type Subchart, chartDefaults, chartsWithoutValues, commentedKeys, pinnedBeyondReference, referenceDir, unknownKeys } from "./walk";
import { prodSecrets } from "../../harness/stacks";

const haveReference = existsSync(referenceDir);
if (!haveReference && inCI) throw new Error(`chart reference values are required under CI=true; expected them at ${referenceDir}`);

/** Maps a chart renders verbatim into a config file, so their keys are the program's, not the chart's. */
const freeForm: Record<string, FreeForm[]> = {
  "kube-prometheus-stack": [{ path: "grafana.grafana.ini", why: "rendered as grafana.ini sections" }],
  "prometheus-blackbox-exporter": [{ path: "config", why: "the blackbox_exporter config file, verbatim" }],
  loki: [{ path: "loki.limits_config", why: "Loki's limits_config block, merged verbatim into the config" }],
  "opentelemetry-collector": [{ path: "config", why: "the collector config, merged verbatim over the chart's" }],
};

const subcharts: Record<string, Subchart[]> = {
  "kube-prometheus-stack": [
    { key: "grafana", chart: "grafana" },
    { key: "kube-state-metrics", chart: "kube-state-metrics" },
    { key: "prometheus-node-exporter", chart: "prometheus-node-exporter" },
  ],
};

const secretValue = (key: string) => `SECRET-VALUE-OF-${key}`;

/** The prod file, plus every exporter; and with the Jaeger backend and cert-manager TLS. */
const variants: Record<string, { values: (v: Record<string, any>) => void; secrets: string[] }> = {
  "prod with every exporter": {
    values: (v) => {
      v.exporters = {
        postgres: { host: "db.internal", user: "monitor" },
        redis: { address: "redis.internal:6379" },
        rabbitmq: { target: "rabbit.internal:15692" },
        nginx: { statusUrl: "http://web.internal/stub_status" },
        elasticsearch: { url: "http://es.internal:9200", username: "monitor" },
      };
    },
    secrets: ["postgresPassword", "redisPassword", "elasticsearchPassword"],
  },
  "prod with Jaeger and cert-manager, and a team dashboard folder (the sidecar's folder annotation)": {
    values: (v) => {
      v.dashboards = {
        folders: [
          {
            name: "Payments",
            dashboards: [{ title: "Checkout", rows: [{ title: "Traffic", panels: [{ title: "Requests", queries: [{ expr: "sum(rate(http_requests_total[5m]))" }] }] }] }],
          },
        ],
      };
      v.tracing = { backend: "jaeger" };
      v.ingress = { ...v.ingress, tls: "cert-manager", className: "traefik", controllerNamespace: "traefik", acmeEmail: "ops@example.com" };
    },
    secrets: [],
  },
  "prod with the Elasticsearch logging backend, through a registry mirror": {
    values: (v) => {
      v.logging = { backend: "elasticsearch" };
      v.images = { registryMirror: "mirror.example.com/proxy" };
    },
    secrets: [],
  },
  "prod with Grafana's sign-in and an external database (two replicas)": {
    values: (v) => {
      v.grafana = {
        sso: {
          clientId: "watchpost-grafana",
          authUrl: "https://idp.example.com/authorize",
          tokenUrl: "https://idp.example.com/token",
          apiUrl: "https://idp.example.com/userinfo",
          roles: { Admin: ["platform-admins"], Viewer: "*" },
          disableLoginForm: true,
        },
        database: { host: "grafana-db.internal:5432", name: "grafana", user: "grafana" },
      };
      v.logging = { backend: "elasticsearch" };
    },
    secrets: ["grafanaOidcClientSecret", "grafanaDatabasePassword"],
  },
  "prod through a registry mirror, with every exporter, and with Jaeger and cert-manager": {
    values: (v) => {
      v.images = { registryMirror: "mirror.example.com/proxy" };
      v.exporters = {
        postgres: { host: "db.internal", user: "monitor" },
        redis: { address: "redis.internal:6379" },
        elasticsearch: { url: "http://es.internal:9200", username: "monitor" },
      };
      v.tracing = { backend: "jaeger" };
      v.ingress = { ...v.ingress, tls: "cert-manager", className: "traefik", controllerNamespace: "traefik", acmeEmail: "ops@example.com" };
    },
    secrets: ["postgresPassword", "redisPassword", "elasticsearchPassword"],
  },
};

const releases: Record<string, Recorded[]> = {};

describe.skipIf(!haveReference)("chart values against the charts' own defaults", () => {
  beforeAll(async () => {
    for (const [name, variant] of Object.entries(variants)) {
      const raw = readStackFile(stackFilePath("prod"));
      const values = structuredClone(raw.values) as Record<string, any>;
      variant.values(values);
      const run = await runStack("prod", { values, secrets: new Set([...prodSecrets, ...variant.secrets]) }, secretValue);
      releases[name] = run.byType("kubernetes:helm.sh/v3:Release");
    }
  }, 60_000);

  it("covers every chart the stack can install", () => {
    const charts = new Set(Object.values(releases).flatMap((rs) => rs.map((r) => r.inputs.chart as string)));
    for (const chart of [
      "kube-prometheus-stack",
      "prometheus-operator-crds",
      "prometheus-blackbox-exporter",
      "loki",
      "alloy",
      "tempo",
      "jaeger",
      "opentelemetry-collector",
      "aws-load-balancer-controller",
      "cert-manager",
      "eck-operator",
    ])
      expect(charts).toContain(chart);
    for (const chart of ["prometheus-postgres-exporter", "prometheus-redis-exporter", "prometheus-elasticsearch-exporter"]) expect(charts).toContain(chart);
  });

  /** Charts whose reference values are of an older version than the one deployed, said in each test's name. */
  const olderReferences = Object.entries(pinnedBeyondReference)
    .filter(([, b]) => b.reference !== undefined)
    .map(([chart, b]) => `${chart}: checked against ${chart} ${b.reference} reference values; deployed ${b.version}, its keys checked by hand`)
    .join("; ");
  for (const variant of Object.keys(variants)) {
    it(`${variant}: every key of every release is one its chart defines${olderReferences ? ` (${olderReferences})` : ""}`, () => {
      const problems: Record<string, string[]> = {};
      for (const r of releases[variant]) {
        const chart = r.inputs.chart as string;
        if (chart in chartsWithoutValues) {
          if (Object.keys(r.inputs.values ?? {}).length > 0) problems[`${r.inputs.name} (${chart})`] = [`sets values, but ${chart} has no reference copy to check them against`];
          continue;
        }
        const commented = new Set([chart, ...(subcharts[chart] ?? []).map((s) => s.chart)].flatMap((c) => [...commentedKeys(c)]));
        const unknown = unknownKeys(r.inputs.values, chartDefaults(chart), { freeForm: freeForm[chart], subcharts: subcharts[chart], commented });
        if (unknown.length > 0) problems[`${r.inputs.name} (${chart})`] = unknown;
      }
      expect(problems).toEqual({});
    });
  }

  it("catches a misspelled key, a renamed key and a key under a subchart", () => {
    const kps = releases["prod with every exporter"].find((r) => r.inputs.chart === "kube-prometheus-stack") as Recorded;
    const values = structuredClone(kps.inputs.values);
    values.prometheus.prometheusSpec.retentionSzie = "1GB";
    values.grafana.persistance = { enabled: true };
    values["kube-state-metrics"].resoures = {};
    values.prometheus.prometheusSpec.securityContext.anything = "is the Kubernetes schema's to judge";
    values.alertmanager.alertmanagerSpec = { replica: 3 };
    const commented = new Set(["kube-prometheus-stack", "grafana", "kube-state-metrics"].flatMap((c) => [...commentedKeys(c)]));
    const found = unknownKeys(values, chartDefaults("kube-prometheus-stack"), {
      freeForm: freeForm["kube-prometheus-stack"],
      subcharts: subcharts["kube-prometheus-stack"],
      commented,
    });
    expect(found).toEqual(["alertmanager.alertmanagerSpec.replica", "grafana.persistance", "kube-state-metrics.resoures", "prometheus.prometheusSpec.retentionSzie"]);
  });
});
