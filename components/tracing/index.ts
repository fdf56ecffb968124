/**
 * TracingStack: the OpenTelemetry Collector (OTLP over gRPC and HTTP) in front
 * of a trace store, Tempo by default or Jaeger v2. Jaeger v1 is end-of-life.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse, stringify } from "yaml";
import { configPaths, ports, serviceAccounts } from "../../model/conventions";
import { restrictedContainerAs, restrictedPod } from "../platform/security";
import type { BucketAccess } from "../production/wiring";
import { dockerService, publishedUrl } from "../platform/docker";
import { claimTarget } from "../platform/names";
import { type DockerTarget, type KubernetesTarget, kubeResources, type PlatformTarget, type ResourceOverrides, resourcesFor } from "../platform/targets";
import { charts } from "../../model/versions";
import { pulledImageParts } from "../platform/mirror";
import { helmRelease } from "../platform/helm";
import type { TracingBackend } from "../../model/vocabulary";

export interface TracingStackArgs {
  target: PlatformTarget;
  /** @default "tempo" */
  backend?: TracingBackend;
  /** Rendered collector config. */
  collectorConfig: pulumi.Input<string>;
  /** Rendered Tempo or Jaeger config, matching `backend`. */
  storeConfig: pulumi.Input<string>;
  /** @default "10Gi" */
  volumeSize?: string;
  resources?: ResourceOverrides;
}

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
    this.store = args.backend ?? "tempo";
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
    this.registerOutputs({ backend: this.backend, queryUrl: this.queryUrl, publicUrl: this.publicUrl, otlpGrpcEndpoint: this.otlpGrpcEndpoint, otlpHttpEndpoint: this.otlpHttpEndpoint });
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
    const release = (role: string, chart: (typeof charts)[keyof typeof charts], values: Record<string, unknown>) =>
      helmRelease(`${name}-${role}`, role, chart, target, values, opts);
    // uid 10001: the user of the collector, Tempo and Jaeger images.
    const restricted = restrictedContainerAs(10001);
    const pod = restrictedPod(10001);
    const mirror = target.registryMirror;
    const collector = pulledImageParts("otelCollector", mirror);
    release("otel-collector", charts.otelCollector, {
      fullnameOverride: "otel-collector",
      mode: "deployment",
      image: { repository: collector.repository, tag: collector.tag },
      command: { name: "otelcol-contrib" },
      config: pulumi.output(args.collectorConfig).apply((c) => parse(c)),
      resources: kubeResources(resourcesFor("otelCollector", args.resources)),
      securityContext: restricted,
      podSecurityContext: pod,
    });
    if (this.store === "tempo") {
      const tempo = pulledImageParts("tempo", mirror);
      const s3 = target.aws?.tempo;
      release("tempo", charts.tempo, {
        fullnameOverride: "tempo",
        tempo: { registry: tempo.registry, repository: tempo.path, tag: tempo.tag, reportingEnabled: false, resources: kubeResources(resourcesFor("tempo", args.resources)), securityContext: restricted },
        // Traces in S3 when the AWS side made a bucket (the WAL stays on the PVC); otherwise blocks on the PVC.
        config: s3 ? tempoS3Config(args.storeConfig, s3) : args.storeConfig,
        securityContext: pod,
        serviceAccount: { create: true, name: serviceAccounts.tempo, annotations: s3 ? { "eks.amazonaws.com/role-arn": s3.roleArn } : {} },
        // The chart's auto-deletion would delete the WAL's claim with the StatefulSet.
        persistence: { enabled: true, size: args.volumeSize ?? "10Gi", storageClassName: target.storageClass, enableStatefulSetAutoDeletePVC: false },
      });
    } else {
      const jaeger = pulledImageParts("jaeger", mirror);
      const claim = new k8s.core.v1.PersistentVolumeClaim(
        `${name}-jaeger-data`,
        {
          metadata: { namespace: target.namespace, name: "jaeger-badger-data" },
          spec: { storageClassName: target.storageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: args.volumeSize ?? "10Gi" } } },
        },
        { ...opts, protect: true },
      );
      release("jaeger", charts.jaeger, {
        fullnameOverride: "jaeger",
        userconfig: pulumi.output(args.storeConfig).apply((c) => parse(c)),
        jaeger: {
          image: { registry: jaeger.registry, repository: jaeger.path, tag: jaeger.tag },
          resources: kubeResources(resourcesFor("jaeger", args.resources)),
          podSecurityContext: pod,
          securityContext: restricted,
          extraVolumes: [{ name: "badger-data", persistentVolumeClaim: { claimName: claim.metadata.name } }],
          extraVolumeMounts: [{ name: "badger-data", mountPath: "/badger" }],
        },
      });
    }
  }
}

/** The rendered Tempo config with its trace blocks in S3 (IRSA credentials, so no keys); the WAL stays local. */
export function tempoS3Config(storeConfig: pulumi.Input<string>, s3: BucketAccess): pulumi.Output<string> {
  return pulumi.all([storeConfig, s3.bucket]).apply(([rendered, bucket]) => {
    const config = parse(rendered) as { storage: { trace: { wal?: unknown } } };
    const wal = config.storage.trace.wal;
    config.storage.trace = { backend: "s3", s3: { bucket, endpoint: `s3.${s3.region}.amazonaws.com`, region: s3.region }, ...(wal ? { wal } : {}) } as typeof config.storage.trace;
    return stringify(config, { lineWidth: 0 });
  });
}
