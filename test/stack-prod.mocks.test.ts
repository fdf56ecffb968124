import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { charts, prometheusOperatorCrdsUrl } from "../components/versions";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { runStack } from "./support/mocks";

const secretValue = (key: string) => `SECRET-VALUE-OF-${key}`;
let run: Awaited<ReturnType<typeof runStack>>;
const releases = () => run.byType("kubernetes:helm.sh/v3:Release");
const release = (name: string) => {
  const r = releases().find((x) => x.inputs.name === name);
  if (!r) throw new Error(`no release ${name}; have ${releases().map((x) => x.inputs.name).join(", ")}`);
  return r;
};
const customResources = (kind: string) => run.resources.filter((r) => r.inputs.kind === kind && r.type.startsWith("kubernetes:monitoring.coreos.com"));

describe("prod stack under Pulumi mocks (EKS)", () => {
  beforeAll(async () => {
    const raw = readStackFile(stackFilePath("prod"));
    run = await runStack("prod", { values: raw.values, secrets: new Set(["slackWebhookUrl", "pagerdutyRoutingKey", "smtpPassword", "heartbeatUrl", "oidcClientSecret"]) }, secretValue);
  });

  it("applies the prometheus-operator CRDs as their own step, before the chart", () => {
    const crds = run.one("kubernetes:yaml/v2:ConfigFile", "metrics-crds");
    expect(crds.inputs.file).toBe(prometheusOperatorCrdsUrl);
    const kps = release("watchpost-kps");
    expect(kps.inputs.chart).toBe("kube-prometheus-stack");
    expect(kps.inputs.version).toBe(charts.kubePrometheusStack.version);
    expect(kps.inputs.skipCrds).toBe(true);
    expect(kps.inputs.values.crds.enabled).toBe(false);
  });

  it("installs exactly the expected charts at pinned versions", () => {
    const names = releases().map((r) => `${r.inputs.name}@${r.inputs.version}`).sort();
    expect(names).toEqual([
      `alloy@${charts.alloy.version}`,
      `blackbox-exporter@${charts.blackboxExporter.version}`,
      `loki@${charts.loki.version}`,
      `otel-collector@${charts.otelCollector.version}`,
      `tempo@${charts.tempo.version}`,
      `watchpost-kps@${charts.kubePrometheusStack.version}`,
    ]);
  });

  it("runs 2 Prometheus replicas with a replica label, retention from config and a gp3 volume", () => {
    const spec = release("watchpost-kps").inputs.values.prometheus.prometheusSpec;
    expect(spec.replicas).toBe(2);
    expect(spec.replicaExternalLabelName).toBe("prometheus_replica");
    expect(spec.retention).toBe("30d");
    expect(spec.retentionSize).toMatch(/^\d+MB$/);
    expect(spec.storageSpec.volumeClaimTemplate.spec.storageClassName).toBe("watchpost-gp3");
    expect(release("watchpost-kps").inputs.values.prometheus.podDisruptionBudget.enabled).toBe(true);
    const sc = run.one("kubernetes:storage.k8s.io/v1:StorageClass", "gp3").inputs;
    expect(sc.parameters).toEqual({ type: "gp3", encrypted: "true", fsType: "ext4" });
    expect(sc.allowVolumeExpansion).toBe(true);
    expect(sc.reclaimPolicy).toBe("Retain");
  });

  it("sends alerts to every Alertmanager replica through endpoints, never a load balancer", () => {
    const spec = release("watchpost-kps").inputs.values.prometheus.prometheusSpec;
    expect(spec.alertingEndpoints).toEqual([{ namespace: "monitoring", name: "alertmanager-operated", port: "http-web", apiVersion: "v2" }]);
    const am = customResources("Alertmanager");
    expect(am).toHaveLength(1);
    expect(am[0].inputs.spec.replicas).toBe(3);
    expect(am[0].inputs.spec.configSecret).toBe("watchpost-alertmanager-config");
    const pdb = run.one("kubernetes:policy/v1:PodDisruptionBudget", "alerting-pdb").inputs;
    expect(pdb.spec.maxUnavailable).toBe(1);
  });

  it("turns off the control-plane scrapes EKS cannot serve", () => {
    const v = release("watchpost-kps").inputs.values;
    for (const key of ["kubeControllerManager", "kubeScheduler", "kubeProxy", "kubeEtcd"]) expect(v[key].enabled).toBe(false);
  });

  it("loads the rule catalogue as PrometheusRule objects and services through ServiceMonitors", () => {
    expect(customResources("PrometheusRule").length).toBeGreaterThan(0);
    const sm = customResources("ServiceMonitor");
    expect(sm.map((s) => s.inputs.metadata.name)).toEqual(["watchpost-api"]);
    expect(sm[0].inputs.spec.namespaceSelector.matchNames).toEqual(["apps"]);
    expect(sm[0].inputs.spec.endpoints[0].relabelings).toContainEqual({ action: "replace", targetLabel: "service", replacement: "api" });
  });

  it("wires Grafana's datasources to the in-cluster services with fixed uids", () => {
    const grafana = release("watchpost-kps").inputs.values.grafana;
    const byUid = Object.fromEntries(grafana.additionalDataSources.map((d: any) => [d.uid, d.url]));
    expect(byUid).toEqual({
      "watchpost-prometheus": "http://watchpost-kps-prometheus.monitoring.svc:9090",
      "watchpost-alertmanager": "http://alertmanager-operated.monitoring.svc:9093",
      "watchpost-loki": "http://loki.monitoring.svc:3100",
      "watchpost-tempo": "http://tempo.monitoring.svc:3200",
    });
    expect(grafana.admin.existingSecret).toBe("watchpost-grafana-admin");
    expect(grafana.sidecar.datasources.defaultDatasourceEnabled).toBe(false);
    expect(grafana["grafana.ini"]["auth.anonymous"].enabled).toBe(false);
  });

  it("points Alloy at Loki and the collector at Tempo", () => {
    expect(release("alloy").inputs.values.alloy.configMap.content).toContain('url = "http://loki.monitoring.svc:3100/loki/api/v1/push"');
    const otel = release("otel-collector").inputs.values;
    expect(otel.mode).toBe("deployment");
    expect(otel.image.repository).toBe("otel/opentelemetry-collector-contrib");
    expect(otel.config.exporters["otlp/traces"].endpoint).toBe("tempo.monitoring.svc:4317");
  });

  it("keeps channel credentials in a Secret only, never in alertmanager.yaml", async () => {
    const config = run.one("kubernetes:core/v1:Secret", "alerting-config").inputs.stringData["alertmanager.yaml"];
    expect(config).not.toContain("SECRET-VALUE-OF");
    const doc = parse(config);
    expect(JSON.stringify(doc)).toContain("/etc/alertmanager/secrets/");
    const credentials = run.one("kubernetes:core/v1:Secret", "alerting-credentials");
    expect(credentials.secretInputs).toContain("stringData");
    const creds = credentials.inputs.stringData;
    expect(Object.keys(creds).sort()).toEqual(["heartbeatUrl", "pagerdutyRoutingKey", "slackWebhookUrl", "smtpPassword"]);
    for (const r of run.resources) {
      if (r.name === "alerting-credentials" || r.name === "metrics-grafana-admin") continue;
      expect(JSON.stringify(r.inputs)).not.toContain("SECRET-VALUE-OF");
    }
    expect(await pulumi.isSecret(run.outputs.grafanaAdminPassword)).toBe(true);
  });

  it("derives the kubeconfig from the EKS cluster name with token auth", () => {
    const provider = run.one("pulumi:providers:kubernetes", "eks");
    expect(provider.secretInputs).toContain("kubeconfig");
    expect(provider.inputs.kubeconfig).toContain("get-token");
    expect(provider.inputs.kubeconfig).toContain("watchpost-prod");
  });
});
