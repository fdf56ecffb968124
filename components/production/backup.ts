/**
 * PrometheusBackup: a CronJob that takes a TSDB snapshot through the admin API
 * and uploads it to `s3://<bucket>/prometheus/<UTC timestamp>/`, with the
 * backup service account's IRSA role.
 *
 * Prometheus writes the snapshot into its own data directory, on its PVC. The
 * job reads it by mounting that PVC: an EBS volume is ReadWriteOnce, which
 * allows several pods on the node it is attached to, so the job is scheduled
 * onto the node of `prometheus-<cr>-0` with a required podAffinity. This needs
 * no change to the Prometheus pods (a sidecar would restart them and sit idle
 * 23 hours a day). Snapshots are hard links to existing blocks, so they cost
 * little disk; the job deletes the snapshot after the upload, success or not.
 * Both replicas hold the same series, so replica 0's snapshot is the backup.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ports, serviceAccounts } from "../../model/conventions";
import { restrictedContainer, restrictedPod } from "../platform/security";
import { kubeResources, type KubernetesTarget } from "../platform/targets";
import { pulledImage } from "../platform/mirror";
import { backupJobLabels } from "./network";
import type { BucketAccess } from "./wiring";
import { operatedServices } from "../../model/addresses";

export interface PrometheusBackupArgs {
  target: KubernetesTarget;
  /** Bucket and IRSA role of the backups (`target.aws.backups`). */
  bucket: BucketAccess;
  /** Five-field cron schedule (UTC). @default "30 2 * * *" */
  schedule?: string;
  /** Name of the Prometheus CR (kube-prometheus-stack: `<release>-prometheus`). */
  prometheusName: string;
}

/** The operator's names: StatefulSet `prometheus-<cr>`, claim template `prometheus-<cr>-db`, data under `prometheus-db/`. */
export function prometheusReplicaZero(prometheusName: string, namespace: string) {
  const pod = `prometheus-${prometheusName}-0`;
  return {
    pod,
    claim: `prometheus-${prometheusName}-db-${pod}`,
    url: `http://${pod}.${operatedServices.prometheus}.${namespace}.svc:${ports.prometheus}`,
    dataSubPath: "prometheus-db",
  };
}

/** Shell of the init container: take the snapshot, write its name for the uploader. */
export function snapshotScript(prometheusUrl: string): string {
  return [
    "set -eu",
    `response=$(curl -fsS --max-time 600 -X POST ${prometheusUrl}/api/v1/admin/tsdb/snapshot)`,
    `name=$(echo "$response" | sed -n 's/.*"name":"\\([^"]*\\)".*/\\1/p')`,
    'test -n "$name" || { echo "no snapshot name in: $response" >&2; exit 1; }',
    'echo "$name" > /work/snapshot',
  ].join("\n");
}

/** Shell of the upload container: copy the snapshot to S3 under a UTC timestamp, then delete it. */
export function uploadScript(dataDir: string): string {
  return [
    "set -eu",
    "name=$(cat /work/snapshot)",
    `src="${dataDir}/snapshots/$name"`,
    // The snapshot is removed whether the upload worked or not: a failed night must not fill the volume.
    "trap 'rm -rf \"$src\"' EXIT",
    "stamp=$(date -u +%Y%m%dT%H%M%SZ)",
    'aws s3 cp --recursive --only-show-errors "$src" "s3://$BUCKET/prometheus/$stamp/"',
    'echo "uploaded snapshot $name to s3://$BUCKET/prometheus/$stamp/"',
  ].join("\n");
}

export interface PrometheusBackupPlanInput extends Omit<PrometheusBackupArgs, "target"> {
  namespace: string;
  /** @default none */
  registryMirror?: string;
}

/** The backup's ServiceAccount and CronJob as data: synth writes them, PrometheusBackup creates them. */
export function prometheusBackupObjects(input: PrometheusBackupPlanInput) {
  const replica = prometheusReplicaZero(input.prometheusName, input.namespace);
  const dataMount = "/prometheus";
  return {
    serviceAccount: {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: {
        namespace: input.namespace,
        name: serviceAccounts.backup,
        annotations: { "eks.amazonaws.com/role-arn": input.bucket.roleArn },
      },
      automountServiceAccountToken: false,
    },
    cronJob: {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { namespace: input.namespace, name: "watchpost-prometheus-snapshot", labels: backupJobLabels },
      spec: {
        schedule: input.schedule ?? "30 2 * * *",
        timeZone: "Etc/UTC",
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: backupJobLabels },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 3 * 3600,
            ttlSecondsAfterFinished: 7 * 86400,
            template: {
              metadata: { labels: backupJobLabels },
              spec: {
                serviceAccountName: serviceAccounts.backup,
                // IRSA injects its own web-identity token; the job never calls the Kubernetes API.
                automountServiceAccountToken: false,
                restartPolicy: "Never",
                // Prometheus' user, so the snapshot files are readable and deletable; no recursive chown.
                securityContext: { ...restrictedPod(65534), fsGroupChangePolicy: "OnRootMismatch" },
                affinity: {
                  podAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: [
                      { labelSelector: { matchLabels: { "statefulset.kubernetes.io/pod-name": replica.pod } }, topologyKey: "kubernetes.io/hostname" },
                    ],
                  },
                },
                initContainers: [
                  {
                    name: "snapshot",
                    image: pulledImage("curl", input.registryMirror),
                    command: ["/bin/sh", "-c", snapshotScript(replica.url)],
                    volumeMounts: [{ name: "work", mountPath: "/work" }],
                    resources: kubeResources({ memory: "32Mi", cpu: "0.1" }),
                    securityContext: restrictedContainer,
                  },
                ],
                containers: [
                  {
                    name: "upload",
                    image: pulledImage("awsCli", input.registryMirror),
                    command: ["/bin/sh", "-c", uploadScript(`${dataMount}/${replica.dataSubPath}`)],
                    env: [
                      { name: "BUCKET", value: input.bucket.bucket },
                      { name: "AWS_REGION", value: input.bucket.region },
                      // The CLI writes its cache under $HOME; the root filesystem is read-only.
                      { name: "HOME", value: "/tmp" },
                    ],
                    volumeMounts: [
                      { name: "prometheus-data", mountPath: dataMount },
                      { name: "work", mountPath: "/work", readOnly: true },
                      { name: "tmp", mountPath: "/tmp" },
                    ],
                    resources: kubeResources({ memory: "256Mi", cpu: "0.5" }),
                    securityContext: restrictedContainer,
                  },
                ],
                volumes: [
                  { name: "prometheus-data", persistentVolumeClaim: { claimName: replica.claim } },
                  { name: "work", emptyDir: { sizeLimit: "1Mi" } },
                  { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
                ],
              },
            },
          },
        },
      },
    },
  };
}

export class PrometheusBackup extends pulumi.ComponentResource {
  constructor(name: string, args: PrometheusBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("watchpost:production:PrometheusBackup", name, {}, opts);
    const { target, ...input } = args;
    const childOpts = { parent: this, dependsOn: target.dependsOn };
    const { serviceAccount: account, cronJob } = prometheusBackupObjects({ ...input, namespace: target.namespaceName, registryMirror: target.registryMirror });
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-service-account`,
      { metadata: { ...account.metadata, namespace: target.namespace }, automountServiceAccountToken: account.automountServiceAccountToken },
      childOpts,
    );
    new k8s.batch.v1.CronJob(
      `${name}-prometheus-snapshot`,
      { metadata: { ...cronJob.metadata, namespace: target.namespace }, spec: cronJob.spec },
      { ...childOpts, dependsOn: [...(target.dependsOn ?? []), serviceAccount] },
    );
    this.registerOutputs({});
  }
}
