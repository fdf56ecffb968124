/**
 * TracingStack: the OpenTelemetry Collector (OTLP over gRPC and HTTP) in front
 * of a trace store, Tempo by default or Jaeger v2. Jaeger v1 is end-of-life.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { configPaths, ports } from "../../model/conventions";
import { dockerService, publishedUrl } from "../platform/docker";
import { claimTarget } from "../platform/names";
import { type DockerTarget, type KubernetesTarget, type PlatformTarget, type ResourceOverrides, resourcesFor } from "../platform/targets";
import { charts } from "../../model/versions";
import { helmRelease } from "../platform/helm";
import type { TracingBackend } from "../../model/vocabulary";
import { type TracingStackArgs, tracingStackDefaults } from "./args";
import { planKubernetesTracing, type TracingKubernetesPlan } from "./plan";
import type { ConfigDocument } from "./render";

export type { TracingStackArgs } from "./args";
export { tracingStackDefaults } from "./args";

export class TracingStack extends pulumi.ComponentResource {
  /** The trace store: "tempo" or "jaeger". */
  readonly backend: pulumi.Output<TracingBackend>;
  private readonly store: TracingBackend;
  /** In-stack URL of the trace store's query API (Grafana datasource). */
  readonly queryUrl: pulumi.Output<string>;
  /** Trace UI or API for a person. */
  readonly publicUrl: pulumi.Output<string>;
  /** Where applications send OTLP. */
  readonly otlpGrpcEndpoint: pulumi.Output<string>;
  readonly otlpHttpEndpoint: pulumi.Output<string>;

  constructor(name: string, args: TracingStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before anything is registered: a second instance on this target would take the first one's names.
    claimTarget(args.target, "TracingStack", name);
    super("watchpost:tracing:TracingStack", name, {}, opts);
    this.store = args.backend ?? tracingStackDefaults.backend;
    this.backend = pulumi.output(this.store);
    const queryPort = this.store === "tempo" ? ports.tempo : ports.jaegerUi;
    if (args.target.kind === "docker") {
      this.createDocker(name, args, args.target);
      this.queryUrl = pulumi.output(`http://${this.store}:${queryPort}`);
      this.publicUrl = pulumi.output(publishedUrl(args.target, queryPort));
      this.otlpGrpcEndpoint = pulumi.output(publishedUrl(args.target, ports.otlpGrpc));
      this.otlpHttpEndpoint = pulumi.output(publishedUrl(args.target, ports.otlpHttp));
    } else {
      this.createKubernetes(name, args, args.target);
      const ns = args.target.namespaceName;
      this.queryUrl = pulumi.output(`http://${this.store}.${ns}.svc:${queryPort}`);
      this.publicUrl = this.queryUrl;
      this.otlpGrpcEndpoint = pulumi.output(`http://otel-collector.${ns}.svc:${ports.otlpGrpc}`);
      this.otlpHttpEndpoint = pulumi.output(`http://otel-collector.${ns}.svc:${ports.otlpHttp}`);
    }
    this.registerOutputs({
      backend: this.backend,
      queryUrl: this.queryUrl,
      publicUrl: this.publicUrl,
      otlpGrpcEndpoint: this.otlpGrpcEndpoint,
      otlpHttpEndpoint: this.otlpHttpEndpoint,
    });
  }

  private createDocker(name: string, args: TracingStackArgs, target: DockerTarget) {
    // The collector image is built from scratch: no shell for a health check command.
    dockerService(this, `${name}-otel-collector`, target, {
      alias: "otel-collector",
      image: "otelCollector",
      command: [`--config=${configPaths.otelConfig}`],
      files: { [configPaths.otelConfig]: args.collectorConfig },
      ports: [
        { internal: ports.otlpGrpc, external: ports.otlpGrpc },
        { internal: ports.otlpHttp, external: ports.otlpHttp },
      ],
      resources: resourcesFor("otelCollector", args.resources),
    });
    if (this.store === "tempo") {
      dockerService(this, `${name}-tempo`, target, {
        alias: "tempo",
        image: "tempo",
        command: [`-config.file=${configPaths.tempoConfig}`],
        files: { [configPaths.tempoConfig]: args.storeConfig },
        ports: [{ internal: ports.tempo, external: ports.tempo }],
        dataPath: "/var/tempo",
        resources: resourcesFor("tempo", args.resources),
      });
    } else {
      dockerService(this, `${name}-jaeger`, target, {
        alias: "jaeger",
        image: "jaeger",
        command: [`--config=${configPaths.jaegerConfig}`],
        files: { [configPaths.jaegerConfig]: args.storeConfig },
        ports: [{ internal: ports.jaegerUi, external: ports.jaegerUi }],
        dataPath: "/badger",
        resources: resourcesFor("jaeger", args.resources),
      });
    }
  }

  private createKubernetes(name: string, args: TracingStackArgs, target: KubernetesTarget) {
    const opts = { parent: this, dependsOn: target.dependsOn };
    const plan = args.kubernetes ?? planFromText(this.store, args, target);
    const release = (role: string, chart: (typeof charts)[keyof typeof charts], values: Record<string, unknown>, dependsOn: pulumi.Resource[] = []) =>
      helmRelease(`${name}-${role}`, role, chart, target, values, { ...opts, dependsOn: [...(target.dependsOn ?? []), ...dependsOn] });
    release("otel-collector", charts.otelCollector, plan.charts["otel-collector"]);
    if (plan.charts.tempo) release("tempo", charts.tempo, plan.charts.tempo);
    if (plan.charts.jaeger && plan.jaegerClaim) {
      const claim = new k8s.core.v1.PersistentVolumeClaim(
        `${name}-jaeger-data`,
        { metadata: { ...plan.jaegerClaim.metadata, namespace: target.namespace }, spec: plan.jaegerClaim.spec },
        { ...opts, protect: true },
      );
      release("jaeger", charts.jaeger, plan.charts.jaeger, [claim]);
    }
  }
}

/**
 * For a caller that hands over only the rendered configs: their documents back from the text.
 * deployStack passes `kubernetes` (planStack's `kubernetes.tracing`), which needs no parsing.
 */
function planFromText(backend: TracingBackend, args: TracingStackArgs, target: KubernetesTarget): TracingKubernetesPlan {
  const { collectorConfig, storeConfig } = args;
  if (typeof collectorConfig !== "string" || typeof storeConfig !== "string")
    throw new pulumi.InputPropertyError({ propertyPath: "kubernetes", reason: "is required on Kubernetes when the configs are not plain text: pass planKubernetesTracing(...)" });
  return planKubernetesTracing({
    backend,
    collector: parse(collectorConfig) as ConfigDocument,
    store: parse(storeConfig) as ConfigDocument,
    namespace: target.namespaceName,
    storageClass: target.storageClass,
    registryMirror: target.registryMirror,
    volumeSize: args.volumeSize,
    resources: args.resources,
    s3: target.aws?.tempo,
  });
}
