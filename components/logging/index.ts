/**
 * LoggingStack: Loki with Grafana Alloy shipping container logs (Docker) or
 * pod logs (Kubernetes) to it. Promtail is end-of-life and not used.
 */
import * as pulumi from "@pulumi/pulumi";
import { configPaths, ports, serviceAccounts } from "../../model/conventions";
import type { BucketAccess } from "../production/wiring";
import { restrictedContainer, restrictedPod } from "../platform/security";
import { dockerService, publishedUrl } from "../platform/docker";
import { claimTarget } from "../platform/names";
import { type DockerTarget, type KubernetesTarget, kubeResources, type PlatformTarget, type ResourceOverrides, resourcesFor } from "../platform/targets";
import { charts } from "../../model/versions";
import { chartImageViaMirror, pulledImageParts } from "../platform/mirror";
import { helmRelease } from "../platform/helm";

export interface LoggingStackArgs {
  target: PlatformTarget;
  /** Rendered Loki config (Docker; on Kubernetes the chart builds it from the same settings). */
  lokiConfig: pulumi.Input<string>;
  /** Rendered Alloy pipeline for this platform. */
  alloyConfig: pulumi.Input<string>;
  /** @default "168h" */
  retention?: string;
  /** @default "10Gi" */
  volumeSize?: string;
  resources?: ResourceOverrides;
}

export class LoggingStack extends pulumi.ComponentResource {
  /** In-stack Loki URL (Grafana datasource, Alloy). */
  readonly lokiUrl: pulumi.Output<string>;
  /** Loki URL for a person or a script on the host. */
  readonly lokiPublicUrl: pulumi.Output<string>;

  constructor(name: string, args: LoggingStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before anything is registered: a second instance on this target would take the first one's names.
    claimTarget(args.target, "LoggingStack", name);
    super("watchpost:logging:LoggingStack", name, {}, opts);
    if (args.target.kind === "docker") {
      this.createDocker(name, args, args.target);
      this.lokiUrl = pulumi.output(`http://loki:${ports.loki}`);
      this.lokiPublicUrl = pulumi.output(publishedUrl(args.target, ports.loki));
    } else {
      this.createKubernetes(name, args, args.target);
      this.lokiUrl = pulumi.output(`http://loki.${args.target.namespaceName}.svc:${ports.loki}`);
      this.lokiPublicUrl = this.lokiUrl;
    }
    this.registerOutputs({ lokiUrl: this.lokiUrl, lokiPublicUrl: this.lokiPublicUrl });
  }

  private createDocker(name: string, args: LoggingStackArgs, target: DockerTarget) {
    dockerService(this, `${name}-loki`, target, {
      alias: "loki",
      image: "loki",
      command: [`-config.file=${configPaths.lokiConfig}`],
      files: { [configPaths.lokiConfig]: args.lokiConfig },
      ports: [{ internal: ports.loki, external: ports.loki }],
      dataPath: "/loki",
      // The Loki image has no shell or HTTP client to run a health check with.
      resources: resourcesFor("loki", args.resources),
    });
    dockerService(this, `${name}-alloy`, target, {
      alias: "alloy",
      image: "alloy",
      command: ["run", `--server.http.listen-addr=0.0.0.0:${ports.alloy}`, "--storage.path=/var/lib/alloy/data", configPaths.alloyConfig],
      files: { [configPaths.alloyConfig]: args.alloyConfig },
      // Alloy discovers containers, their names and labels, and tails their logs through the Docker API.
      // Read-only applies to the socket file, not to the API: this mount is root on the host (README,
      // "What the dev stack can do to its host", also for why log files are not read instead).
      hostMounts: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }],
      ports: [{ internal: ports.alloy, external: ports.alloy }],
      dataPath: "/var/lib/alloy/data",
      resources: resourcesFor("alloy", args.resources),
    });
  }

  private createKubernetes(name: string, args: LoggingStackArgs, target: KubernetesTarget) {
    const opts = { parent: this, dependsOn: target.dependsOn };
    const loki = pulledImageParts("loki", target.registryMirror);
    // Chunks and index in S3 when the AWS side made a bucket; the PVC then holds only the WAL and caches.
    helmRelease(`${name}-loki`, "loki", charts.loki, target, lokiValues(args, target.storageClass, loki, target.aws?.loki, target.registryMirror), opts);
    const alloy = pulledImageParts("alloy", target.registryMirror);
    helmRelease(
      `${name}-alloy`,
      "alloy",
      charts.alloy,
      target,
      {
          image: { registry: alloy.registry, repository: alloy.path, tag: alloy.tag },
          alloy: {
            configMap: { create: true, content: args.alloyConfig },
            // Logs are read through the Kubernetes API (loki.source.kubernetes): no hostPath mounts needed.
            // The read-only root filesystem needs a writable storage path (positions, WAL): an emptyDir.
            mounts: { varlog: false, dockercontainers: false, extra: [{ name: "alloy-storage", mountPath: "/tmp/alloy" }] },
            enableReporting: false,
            resources: kubeResources(resourcesFor("alloy", args.resources)),
            // The alloy user of the image; no hostPath, so the DaemonSet meets Pod Security "restricted".
            securityContext: { ...restrictedContainer, runAsUser: 473, runAsGroup: 473 },
          },
          global: { podSecurityContext: restrictedPod(473) },
          configReloader: { ...chartImageViaMirror("quay.io", target.registryMirror), resources: kubeResources({ memory: "64Mi", cpu: "0.05" }) },
          controller: { type: "daemonset", volumes: { extra: [{ name: "alloy-storage", emptyDir: {} }] } },
      },
      opts,
    );
  }
}

/**
 * Loki chart values: monolithic, retention by the compactor. Chunks and index on the PVC, or in
 * S3 when `s3` is given (the service account then assumes the bucket's IRSA role); the WAL stays
 * on the PVC either way.
 */
export function lokiValues(
  args: LoggingStackArgs,
  storageClass: string | undefined,
  image: { registry: string; path: string; tag: string },
  s3?: BucketAccess,
  registryMirror?: string,
): Record<string, unknown> {
  const store = s3 ? "s3" : "filesystem";
  return {
    deploymentMode: "Monolithic",
    fullnameOverride: "loki",
    loki: {
      image: { registry: image.registry, repository: image.path, tag: image.tag },
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      // Loki OSS needs the chunks and ruler buckets (admin is Enterprise-only); one bucket serves both.
      storage: s3 ? { type: "s3", bucketNames: { chunks: s3.bucket, ruler: s3.bucket }, s3: { region: s3.region } } : { type: "filesystem" },
      schemaConfig: {
        configs: [{ from: "2024-01-01", store: "tsdb", object_store: store, schema: "v13", index: { prefix: "index_", period: "24h" } }],
      },
      limits_config: { retention_period: args.retention ?? "168h", allow_structured_metadata: true, volume_enabled: true },
      compactor: { retention_enabled: true, delete_request_store: store },
      analytics: { reporting_enabled: false },
    },
    serviceAccount: {
      create: true,
      name: serviceAccounts.loki,
      annotations: s3 ? { "eks.amazonaws.com/role-arn": s3.roleArn } : {},
    },
    singleBinary: {
      replicas: 1,
      // Claims survive the StatefulSet's deletion or a scale-down, even if auto-deletion is turned on later.
      persistence: { enabled: true, size: args.volumeSize ?? "10Gi", storageClass, whenDeleted: "Retain", whenScaled: "Retain", enableStatefulSetAutoDeletePVC: false },
      resources: kubeResources(resourcesFor("loki", args.resources)),
    },
    // The rules sidecar; the chart's own security contexts for it and Loki already meet "restricted".
    sidecar: { ...chartImageViaMirror("docker.io", registryMirror), resources: kubeResources({ memory: "128Mi", cpu: "0.1" }) },
    // The job that recreates the StatefulSet when its volume grows (defaults.statefulSetRecreateJob).
    ...(registryMirror ? { defaults: { statefulSetRecreateJob: chartImageViaMirror("registry.k8s.io", registryMirror) } } : {}),
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    gateway: { enabled: false },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    minio: { enabled: false },
  };
}
