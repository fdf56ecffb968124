/**
 * LoggingStack on Kubernetes as data: the Loki and Alloy chart values. Pure:
 * synth writes them, the component creates the releases. The Loki bucket and
 * its role are plain names in synth and the AWS side's Outputs at deploy.
 */
import type * as pulumi from "@pulumi/pulumi";
import { serviceAccounts } from "../../model/conventions";
import { chartImageViaMirror, pulledImageParts } from "../platform/mirror";
import { restrictedContainer, restrictedPod } from "../platform/security";
import { kubeResources, type ResourceOverrides, resourcesFor } from "../platform/targets";
import type { BucketAccess } from "../production/wiring";
import { type LoggingStackArgs, loggingStackDefaults } from "./args";
import type { KubernetesObject } from "../prometheus/plan";
import { stringify } from "yaml";
import { alertHistory as history, configPaths, ports } from "../../model/conventions";
import { imageUsers } from "../../model/versions";
import { alertHistoryPodLabels, alertHistoryRetentionStream } from "../alerting/history";
import { pulledImage } from "../platform/mirror";
import { restrictedContainerAs } from "../platform/security";

export interface LoggingKubernetesInput {
  /** The rendered Alloy pipeline (`renderAlloyConfig`): the chart takes it as the ConfigMap's content. */
  alloyConfig: pulumi.Input<string>;
  /** @default "168h" */
  retention?: string;
  /** @default "10Gi" */
  volumeSize?: string;
  resources?: ResourceOverrides;
  /** @default the cluster's default StorageClass */
  storageClass?: string;
  /** @default none */
  registryMirror?: string;
  /** Chunks and index in this bucket, with its IRSA role; the PVC then holds only the WAL and caches. */
  s3?: BucketAccess;
  /** The alert history: its collector's config (`alertHistoryCollectorDocument`) and how long Loki keeps its stream. @default none */
  alertHistory?: { config: Record<string, unknown>; retention: string; namespace: string };
}

export interface LoggingKubernetesPlan {
  /** Helm values by release name. */
  charts: { loki: Record<string, unknown>; alloy: Record<string, unknown> };
  /** The alert history's collector: its ConfigMap, Deployment and Service. */
  alertHistory?: { configMap: KubernetesObject; deployment: KubernetesObject; service: KubernetesObject };
}

export function planKubernetesLogging(input: LoggingKubernetesInput): LoggingKubernetesPlan {
  const loki = pulledImageParts("loki", input.registryMirror);
  const alloy = pulledImageParts("alloy", input.registryMirror);
  return {
    charts: {
      loki: lokiValues(input, input.storageClass, loki, input.s3, input.registryMirror, input.alertHistory?.retention),
      alloy: {
        image: { registry: alloy.registry, repository: alloy.path, tag: alloy.tag },
        alloy: {
          configMap: { create: true, content: input.alloyConfig },
          // Logs are read through the Kubernetes API (loki.source.kubernetes): no hostPath mounts needed.
          // The read-only root filesystem needs a writable storage path (positions, WAL): an emptyDir.
          mounts: { varlog: false, dockercontainers: false, extra: [{ name: "alloy-storage", mountPath: "/tmp/alloy" }] },
          enableReporting: false,
          resources: kubeResources(resourcesFor("alloy", input.resources)),
          // The alloy user of the image; no hostPath, so the DaemonSet meets Pod Security "restricted".
          securityContext: { ...restrictedContainer, runAsUser: 473, runAsGroup: 473 },
        },
        global: { podSecurityContext: restrictedPod(473) },
        configReloader: { ...chartImageViaMirror("quay.io", input.registryMirror), resources: kubeResources({ memory: "64Mi", cpu: "0.05" }) },
        controller: { type: "daemonset", volumes: { extra: [{ name: "alloy-storage", emptyDir: {} }] } },
      },
    },
    ...(input.alertHistory ? { alertHistory: alertHistoryObjects(input.alertHistory, input) } : {}),
  };
}

/** The alert history's collector as our own Deployment: one replica, its config from a ConfigMap (no secrets in it). */
function alertHistoryObjects(
  spec: NonNullable<LoggingKubernetesInput["alertHistory"]>,
  input: Pick<LoggingKubernetesInput, "registryMirror" | "resources">,
): NonNullable<LoggingKubernetesPlan["alertHistory"]> {
  const labels = { ...alertHistoryPodLabels };
  const user = imageUsers.otelCollector;
  const metadata = { namespace: spec.namespace, name: history.host, labels };
  return {
    configMap: { apiVersion: "v1", kind: "ConfigMap", metadata, data: { "config.yaml": stringify(spec.config, { lineWidth: 0 }) } },
    deployment: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata,
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPod(user.uid, user.gid),
            containers: [
              {
                name: "collector",
                image: pulledImage("otelCollector", input.registryMirror),
                args: [`--config=${configPaths.otelConfig}`],
                ports: [
                  { name: "webhook", containerPort: ports.alertHistory, protocol: "TCP" },
                  { name: "metrics", containerPort: ports.otelCollectorMetrics, protocol: "TCP" },
                ],
                readinessProbe: { httpGet: { path: "/", port: ports.otelCollectorHealth }, periodSeconds: 15 },
                resources: kubeResources(resourcesFor("alertHistory", input.resources)),
                securityContext: restrictedContainerAs(user.uid, user.gid),
                volumeMounts: [{ name: "config", mountPath: configPaths.otelConfig, subPath: "config.yaml", readOnly: true }],
              },
            ],
            volumes: [{ name: "config", configMap: { name: history.host } }],
          },
        },
      },
    },
    service: {
      apiVersion: "v1",
      kind: "Service",
      metadata,
      spec: { selector: labels, ports: [{ name: "webhook", port: ports.alertHistory, targetPort: "webhook", protocol: "TCP" }] },
    },
  };
}

/**
 * Loki chart values: monolithic, retention by the compactor. Chunks and index on the PVC, or in
 * S3 when `s3` is given (the service account then assumes the bucket's IRSA role); the WAL stays
 * on the PVC either way.
 */
export function lokiValues(
  args: Pick<LoggingStackArgs, "retention" | "volumeSize" | "resources">,
  storageClass: string | undefined,
  image: { registry: string; path: string; tag: string },
  s3?: BucketAccess,
  registryMirror?: string,
  historyRetention?: string,
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
      limits_config: {
        retention_period: args.retention ?? loggingStackDefaults.retention,
        allow_structured_metadata: true,
        volume_enabled: true,
        ...(historyRetention ? { retention_stream: [alertHistoryRetentionStream(historyRetention)] } : {}),
      },
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
      persistence: {
        enabled: true,
        size: args.volumeSize ?? loggingStackDefaults.volumeSize,
        storageClass,
        whenDeleted: "Retain",
        whenScaled: "Retain",
        enableStatefulSetAutoDeletePVC: false,
      },
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
