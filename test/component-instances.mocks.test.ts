/**
 * Two instances of each component in one program, under Pulumi mocks: their
 * Pulumi names derive from the component's name, each on a target of its own
 * (Docker: prefix, network, portOffset; Kubernetes: namespace) their containers,
 * volumes, ports and Kubernetes objects do not collide, and the provider passed in
 * the component's resource options reaches every child. Two instances on one
 * target fail while the program is built, naming the fix.
 */
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { AlertRouting } from "../components/alerting/index";
import { LoggingStack } from "../components/logging/index";
import type { DockerTarget, KubernetesTarget } from "../components/platform/targets";
import { PrometheusStack } from "../components/prometheus/index";
import { TracingStack } from "../components/tracing/index";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { parseStackConfig } from "../infra/config/validate";
import { planStack, type StackPlan } from "../infra/plan";
import { outputValue } from "../harness/pulumi-mocks";
import { prodSecrets } from "../harness/stacks";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
  provider?: string;
}

let registered: Registered[] = [];

beforeEach(async () => {
  registered = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "instances",
    "test",
    false,
  );
});

function plan(stack: "dev" | "prod"): StackPlan {
  const raw = readStackFile(stackFilePath(stack));
  const secrets = stack === "prod" ? new Set([...raw.secrets, ...prodSecrets]) : raw.secrets;
  return planStack(parseStackConfig(stack, { ...raw, secrets }).config);
}

/** Waits until every output of the components has resolved, so every child is registered. */
async function settle(outputs: pulumi.Output<unknown>[]) {
  await outputValue(pulumi.all(outputs));
  await new Promise((r) => setTimeout(r, 50));
}

const secretsFor = (p: StackPlan) => Object.fromEntries(Object.keys(p.alertmanager.secretFiles).map((key) => [key, pulumi.secret(`value-of-${key}`)]));

/** All four components of one instance named `name` on `target`, the provider in their resource options. */
function instance(name: string, target: DockerTarget | KubernetesTarget, p: StackPlan, opts: pulumi.ComponentResourceOptions): pulumi.Output<unknown>[] {
  const cfg = p.config;
  const logging = new LoggingStack(
    `${name}-logs`,
    { target, lokiConfig: p.logging?.backend === "loki" ? p.logging.lokiConfig : "", alloyConfig: p.logging?.backend === "loki" ? p.logging.alloyConfig : "" },
    opts,
  );
  const tracing = new TracingStack(
    `${name}-traces`,
    { target, backend: p.tracing?.backend, collectorConfig: p.tracing?.collectorConfig ?? "", storeConfig: p.tracing?.storeConfig ?? "" },
    opts,
  );
  const alerting = new AlertRouting(
    `${name}-alerts`,
    { target, files: p.alertmanager.files, secretFiles: p.alertmanager.secretFiles, secretValues: secretsFor(p), replicas: 2 },
    opts,
  );
  const outputs = [logging.lokiUrl, tracing.queryUrl, alerting.urls];
  // On Kubernetes the stack's CRDs are cluster-wide, applied once per cluster: the Prometheus stack runs once there.
  if (target.kind === "docker") {
    const metrics = new PrometheusStack(
      `${name}-metrics`,
      {
        target,
        prometheusConfig: p.prometheusConfig,
        blackboxConfig: p.blackboxConfig,
        rules: p.rules,
        retentionSize: p.storage.retentionSize,
        volumeSize: p.storage.volumeSize,
        scrapeInterval: cfg.prometheus.scrapeInterval,
        evaluationInterval: cfg.prometheus.evaluationInterval,
        environment: cfg.environment,
        clusterLabel: cfg.clusterLabel,
        services: cfg.services,
        exporters: cfg.exporters,
        grafana: {
          adminUser: cfg.grafana.adminUser,
          adminPassword: pulumi.secret("grafana-admin-password"),
          datasources: p.grafana.datasources,
          datasourcesYaml: p.grafana.datasourcesYaml,
          dashboardProviderYaml: p.grafana.dashboardProviderYaml,
          dashboards: p.grafana.dashboards,
          rootUrl: p.urls.grafana,
        },
      },
      opts,
    );
    outputs.push(metrics.grafanaUrl);
  }
  return outputs;
}

/** The error `construct` throws (failing the test if it throws none). */
function thrown(construct: () => unknown): pulumi.InputPropertyError {
  try {
    construct();
  } catch (error) {
    return error as pulumi.InputPropertyError;
  }
  throw new Error("expected an error");
}

const duplicates = (values: unknown[]) => values.filter((v, i) => values.indexOf(v) !== i);

describe("two instances of the components on one Docker engine", () => {
  const dockerTarget = (prefix: string, portOffset: number, provider: docker.Provider): DockerTarget => ({
    kind: "docker",
    network: new docker.Network(`${prefix}-network`, { name: prefix }, { provider }),
    bindAddress: "127.0.0.1",
    portOffset,
    prefix,
  });

  it("take distinct Pulumi names, container and volume names and published ports, and every child uses the provider from opts", async () => {
    const engine = new docker.Provider("engine", { host: "ssh://ops@build-host" });
    const p = plan("dev");
    await settle([
      ...instance("team-a", dockerTarget("team-a", 0, engine), p, { provider: engine }),
      ...instance("team-b", dockerTarget("team-b", 1000, engine), p, { provider: engine }),
    ]);

    const components = registered.filter((r) => r.type.startsWith("watchpost:")).map((r) => r.name);
    expect(components.sort()).toEqual(["team-a-alerts", "team-a-logs", "team-a-metrics", "team-a-traces", "team-b-alerts", "team-b-logs", "team-b-metrics", "team-b-traces"]);
    expect(duplicates(registered.map((r) => `${r.type}::${r.name}`))).toEqual([]);

    const containers = registered.filter((r) => r.type === "docker:index/container:Container");
    expect(containers.length).toBeGreaterThanOrEqual(2 * 7);
    for (const c of containers) expect(c.name.startsWith("team-a-") || c.name.startsWith("team-b-"), c.name).toBe(true);
    // Each instance's containers carry its own prefix, on its own network.
    for (const c of containers) expect(c.inputs.name.split("-").slice(0, 2).join("-"), c.name).toBe(c.name.split("-").slice(0, 2).join("-"));
    for (const c of containers) expect(c.inputs.networksAdvanced[0].name, c.name).toBe(c.name.split("-").slice(0, 2).join("-"));
    expect(duplicates(containers.map((c) => c.inputs.name))).toEqual([]);
    const volumes = registered.filter((r) => r.type === "docker:index/volume:Volume").map((v) => v.inputs.name);
    expect(volumes.length).toBeGreaterThanOrEqual(2 * 4);
    expect(duplicates(volumes)).toEqual([]);
    const published = containers.flatMap((c) => (c.inputs.ports ?? []).map((port: { ip: string; external: number }) => `${port.ip}:${port.external}`));
    expect(published.length).toBeGreaterThan(10);
    expect(duplicates(published)).toEqual([]);

    const children = registered.filter((r) => r.type.startsWith("docker:"));
    for (const r of children) expect(r.provider, `${r.type} ${r.name}`).toMatch(/::pulumi:providers:docker::engine::engine-id$/);
  });

  it("refuse a second instance on the same target before it registers anything, naming the first and the fix", async () => {
    const target = dockerTarget("shared", 0, new docker.Provider("engine", {}));
    const p = plan("dev");
    const spec = { target, lokiConfig: p.logging?.backend === "loki" ? p.logging.lokiConfig : "", alloyConfig: p.logging?.backend === "loki" ? p.logging.alloyConfig : "" };
    const first = new LoggingStack("logs-1", spec);
    const error = thrown(() => new LoggingStack("logs-2", spec));
    expect(error).toBeInstanceOf(pulumi.InputPropertyError);
    expect(error.propertyPath).toBe("target");
    expect(error.message).toBe(
      "LoggingStack 'logs-1' already runs on the Docker target with prefix 'shared', and 'logs-2' would take the same container, volume, Helm release and object names; give each instance a DockerTarget of its own (its own prefix, network and portOffset)",
    );
    // Another component on the same target is fine: its names are its own.
    const tracing = new TracingStack("traces", { target, collectorConfig: p.tracing?.collectorConfig ?? "", storeConfig: p.tracing?.storeConfig ?? "" });
    await settle([first.lokiUrl, tracing.queryUrl]);
    expect(registered.filter((r) => r.name.startsWith("logs-2"))).toEqual([]);
  });
});

describe("two instances of the components in one Kubernetes cluster", () => {
  const kubeTarget = (namespace: string): KubernetesTarget => ({ kind: "kubernetes", namespace, namespaceName: namespace, storageClass: "gp3" });

  it("take distinct Pulumi names and Kubernetes objects in their own namespaces, and every child uses the provider from opts", async () => {
    const cluster = new k8s.Provider("cluster", { kubeconfig: "kubeconfig" });
    const p = plan("prod");
    await settle([...instance("team-a", kubeTarget("team-a"), p, { providers: [cluster] }), ...instance("team-b", kubeTarget("team-b"), p, { providers: [cluster] })]);

    expect(duplicates(registered.map((r) => `${r.type}::${r.name}`))).toEqual([]);
    const objects = registered.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:"));
    expect(objects.length).toBeGreaterThanOrEqual(2 * 8);
    // A Helm release is named by `name` in `namespace`; an object by its metadata.
    const identity = (r: Registered) =>
      r.type === "kubernetes:helm.sh/v3:Release"
        ? `${r.inputs.namespace}/Release/${r.inputs.name}`
        : `${r.inputs.metadata?.namespace}/${r.inputs.kind ?? r.type}/${r.inputs.metadata?.name}`;
    for (const r of objects) expect(identity(r).startsWith(`${r.name.split("-").slice(0, 2).join("-")}/`), `${r.type} ${r.name}: ${identity(r)}`).toBe(true);
    expect(duplicates(objects.map(identity))).toEqual([]);
    for (const r of objects) expect(r.provider, `${r.type} ${r.name}`).toMatch(/::pulumi:providers:kubernetes::cluster::cluster-id$/);
  });

  it("refuse a second instance in the same namespace, naming the first and the fix", async () => {
    const target = kubeTarget("monitoring");
    const p = plan("prod");
    const args = { target, files: p.alertmanager.files, secretFiles: p.alertmanager.secretFiles, secretValues: secretsFor(p) };
    const first = new AlertRouting("alerts-1", args);
    const error = thrown(() => new AlertRouting("alerts-2", args));
    expect(error.propertyPath).toBe("target");
    expect(error.message).toMatch(
      /^AlertRouting 'alerts-1' already runs on the Kubernetes namespace 'monitoring', and 'alerts-2' .*; give each instance a KubernetesTarget of its own namespace$/,
    );
    // The same component in another namespace is fine.
    const other = new AlertRouting("alerts-3", { ...args, target: kubeTarget("monitoring-2") });
    await settle([first.urls, other.urls]);
    expect(registered.filter((r) => r.name.startsWith("alerts-2"))).toEqual([]);
  });
});
