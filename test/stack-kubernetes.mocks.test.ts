/**
 * The kubernetes platform under Pulumi mocks: any conformant cluster (here the
 * kind example stack, test/fixtures/Pulumi.kind.yaml, the one the README shows),
 * with no AWS resource at all.
 */
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { charts } from "../model/versions";
import { readStackFile } from "../infra/config/load";
import { outputValue, runStack } from "../harness/pulumi-mocks";

const kindStackFile = path.resolve(__dirname, "fixtures/Pulumi.kind.yaml");
const kindValues = () => readStackFile(kindStackFile).values as Record<string, any>;
const secretValue = (key: string) => `SECRET-VALUE-OF-${key}`;
type Run = Awaited<ReturnType<typeof runStack>>;

const releaseOf = (run: Run, name: string) => {
  const found = run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === name);
  if (!found) throw new Error(`no release ${name}`);
  return found.inputs;
};
/** Every storage class name a volume of the stack asks for, by where it is asked. */
const storageClasses = (run: Run) => {
  const kps = releaseOf(run, "watchpost-kps").values;
  const alertmanager = run.resources.find((r) => r.inputs.kind === "Alertmanager")!.inputs.spec;
  return {
    prometheus: kps.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName,
    grafana: kps.grafana.persistence.storageClassName,
    alertmanager: alertmanager.storage.volumeClaimTemplate.spec.storageClassName,
    loki: releaseOf(run, "loki").values.singleBinary.persistence.storageClass,
    // Tempo's chart makes its claim; Jaeger's is ours.
    traces: run.byType("kubernetes:helm.sh/v3:Release").some((r) => r.inputs.name === "tempo")
      ? releaseOf(run, "tempo").values.persistence.storageClassName
      : run.one("kubernetes:core/v1:PersistentVolumeClaim", "tracing-jaeger-data").inputs.spec.storageClassName,
  };
};

describe("kubernetes stack under Pulumi mocks (kind: any cluster, no AWS)", () => {
  let run: Run;
  beforeAll(async () => {
    run = await runStack("kind", { values: kindValues(), secrets: new Set() }, secretValue);
  });

  it("registers no AWS resource and calls no AWS data source", () => {
    expect(run.resources.filter((r) => r.type.startsWith("aws:") || r.type.startsWith("pulumi:providers:aws")).map((r) => r.type)).toEqual([]);
    expect(run.calls.filter((c) => c.token.startsWith("aws:")).map((c) => c.token)).toEqual([]);
    expect(run.outputs.aws).toBeUndefined();
  });

  it("without the kubeconfig secret, deploys through the ambient kubeconfig at kubernetes.context", () => {
    const providers = run.byType("pulumi:providers:kubernetes");
    expect(providers.map((p) => p.name)).toEqual(["kubernetes"]);
    expect(providers[0].inputs.kubeconfig).toBeUndefined();
    expect(providers[0].inputs.context).toBe("kind-watchpost");
  });

  it("creates no StorageClass; every volume asks for kubernetes.storageClass", () => {
    expect(run.byType("kubernetes:storage.k8s.io/v1:StorageClass")).toEqual([]);
    expect(storageClasses(run)).toEqual({ prometheus: "standard", grafana: "standard", alertmanager: "standard", loki: "standard", traces: "standard" });
  });

  it("keeps Loki's chunks and Tempo's traces on their volumes, with no IRSA annotation", () => {
    const loki = releaseOf(run, "loki").values;
    expect(loki.loki.storage).toEqual({ type: "filesystem" });
    expect(loki.serviceAccount.annotations).toEqual({});
    expect(releaseOf(run, "tempo").values.serviceAccount.annotations).toEqual({});
    expect(releaseOf(run, "watchpost-kps").values.prometheus.prometheusSpec.enableAdminAPI).toBe(false);
  });

  it("places the components, namespaces and network policies as on EKS, without the AWS Load Balancer Controller or the backup job", () => {
    const names = run
      .byType("kubernetes:helm.sh/v3:Release")
      .map((r) => `${r.inputs.name}@${r.inputs.version}`)
      .sort();
    expect(names).toEqual([
      `alloy@${charts.alloy.version}`,
      `blackbox-exporter@${charts.blackboxExporter.version}`,
      `loki@${charts.loki.version}`,
      `otel-collector@${charts.otelCollector.version}`,
      `prometheus-operator-crds@${charts.prometheusOperatorCrds.version}`,
      `tempo@${charts.tempo.version}`,
      `watchpost-kps@${charts.kubePrometheusStack.version}`,
    ]);
    for (const type of ["watchpost:metrics:PrometheusStack", "watchpost:alerting:AlertRouting", "watchpost:logging:LoggingStack", "watchpost:tracing:TracingStack"])
      expect(run.byType(type), type).toHaveLength(1);
    const ns = run.one("kubernetes:core/v1:Namespace", "namespace").inputs;
    expect(ns.metadata).toMatchObject({ name: "monitoring", labels: { "pod-security.kubernetes.io/enforce": "restricted" } });
    expect(run.one("kubernetes:core/v1:Namespace", "agents-namespace").inputs.metadata.name).toBe("monitoring-agents");
    expect(run.byType("kubernetes:batch/v1:CronJob")).toEqual([]);
    expect(run.byType("kubernetes:networking.k8s.io/v1:Ingress")).toEqual([]);
    const policies = run.byType("kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => p.inputs.metadata.name);
    expect(policies).toContain("watchpost-default-deny");
    expect(policies).not.toContain("watchpost-backup");
  });

  it("admits the API server's webhook calls from kubernetes.apiServerCidrs only", () => {
    const policy = run.byType("kubernetes:networking.k8s.io/v1:NetworkPolicy").find((p) => JSON.stringify(p.inputs.spec.ingress ?? []).includes("172.18.0.0/16"));
    expect(policy, "a policy admitting 172.18.0.0/16").toBeDefined();
    expect(policy!.inputs.spec.podSelector.matchLabels).toEqual({ app: "kube-prometheus-stack-operator" });
    const sources = run.byType("kubernetes:networking.k8s.io/v1:NetworkPolicy").flatMap((p) => (p.inputs.spec.ingress ?? []).flatMap((rule: any) => rule.from ?? []));
    expect(sources.filter((peer: any) => peer.ipBlock).map((peer: any) => peer.ipBlock.cidr)).toEqual(["172.18.0.0/16"]);
  });

  it("exports the in-cluster URLs", async () => {
    expect(run.outputs.platform).toBe("kubernetes");
    expect(await outputValue(run.outputs.grafanaUrl)).toMatch(/^http:\/\/.*\.monitoring\.svc/);
  });
});

describe("kubernetes stack variants", () => {
  it("with the kubeconfig secret: the provider takes it, as a secret", async () => {
    const run = await runStack("kind", { values: kindValues(), secrets: new Set(["kubeconfig"]) }, secretValue);
    const provider = run.one("pulumi:providers:kubernetes", "kubernetes");
    expect(provider.inputs.kubeconfig).toBe("SECRET-VALUE-OF-kubeconfig");
    expect(provider.secretInputs).toContain("kubeconfig");
    for (const r of run.resources) if (r !== provider) expect(JSON.stringify(r.inputs), `${r.type}/${r.name}`).not.toContain("SECRET-VALUE-OF-kubeconfig");
  });

  it("without kubernetes.storageClass or kubernetes.context: the cluster's default StorageClass (Jaeger's claim too) and the current context", async () => {
    const values = kindValues();
    values.kubernetes = { apiServerCidrs: values.kubernetes.apiServerCidrs };
    values.tracing = { backend: "jaeger" };
    const run = await runStack("kind", { values, secrets: new Set() }, secretValue);
    expect(run.one("pulumi:providers:kubernetes", "kubernetes").inputs.context).toBeUndefined();
    expect(run.byType("kubernetes:storage.k8s.io/v1:StorageClass")).toEqual([]);
    expect(storageClasses(run)).toEqual({ prometheus: undefined, grafana: undefined, alertmanager: undefined, loki: undefined, traces: undefined });
  });

  it("ingress with cert-manager: Let's Encrypt through the cluster's ingress controller, no AWS resource", async () => {
    const values = kindValues();
    values.ingress = {
      domain: "monitoring.example.com",
      className: "traefik",
      controllerNamespace: "traefik",
      acmeEmail: "ops@example.com",
      auth: { issuerUrl: "https://id.example.com", clientId: "watchpost", emailDomains: ["example.com"] },
    };
    const run = await runStack("kind", { values, secrets: new Set(["oidcClientSecret"]) }, secretValue);
    expect(run.resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.type)).toEqual([]);
    expect(releaseOf(run, "cert-manager").namespace).toBe("cert-manager");
    const ingresses = run.byType("kubernetes:networking.k8s.io/v1:Ingress").map((i) => i.inputs);
    expect(ingresses.map((i) => i.metadata.name).sort()).toEqual(["watchpost-alertmanager", "watchpost-grafana", "watchpost-prometheus"]);
    for (const ing of ingresses) expect(ing.spec.ingressClassName).toBe("traefik");
    expect(await outputValue(run.outputs.grafanaUrl)).toBe("https://grafana.monitoring.example.com");
  });
});
