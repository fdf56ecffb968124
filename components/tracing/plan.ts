/**
 * TracingStack on Kubernetes as data: the collector's and the trace store's
 * chart values, and Jaeger's volume claim. Pure: synth writes them, the
 * component creates them. The Tempo bucket is a plain name in synth and the
 * AWS side's Output at deploy.
 */
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { serviceAccounts } from "../../model/conventions";
import { pulledImageParts } from "../platform/mirror";
import { restrictedContainerAs, restrictedPod } from "../platform/security";
import { kubeResources, type ResourceOverrides, resourcesFor } from "../platform/targets";
import type { BucketAccess } from "../production/wiring";
import type { ConfigDocument } from "./render";
import { tracingStackDefaults } from "./args";
import type { TracingBackend } from "../../model/vocabulary";

export interface TracingKubernetesInput {
  backend: TracingBackend;
  /** The collector's config (`otelCollectorConfigDocument`). */
  collector: ConfigDocument;
  /** Tempo's or Jaeger's config, matching `backend`. */
  store: ConfigDocument;
  namespace: string;
  /** @default the cluster's default StorageClass */
  storageClass?: string;
  /** @default none */
  registryMirror?: string;
  /** @default "10Gi" */
  volumeSize?: string;
  resources?: ResourceOverrides;
  /** Tempo's trace blocks in this bucket, with its IRSA role; the WAL stays on the PVC. */
  s3?: BucketAccess;
}

export interface TracingKubernetesPlan {
  /** Helm values by release name. */
  charts: { "otel-collector": Record<string, unknown>; tempo?: Record<string, unknown>; jaeger?: Record<string, unknown> };
  /** Jaeger's Badger volume, a claim of its own (protected: the chart would not keep it). */
  jaegerClaim?: { apiVersion: "v1"; kind: "PersistentVolumeClaim"; metadata: { namespace: string; name: string }; spec: Record<string, unknown> };
}

export const jaegerClaimName = "jaeger-badger-data";

export function planKubernetesTracing(input: TracingKubernetesInput): TracingKubernetesPlan {
  // uid 10001: the user of the collector, Tempo and Jaeger images.
  const restricted = restrictedContainerAs(10001);
  const pod = restrictedPod(10001);
  const mirror = input.registryMirror;
  const collector = pulledImageParts("otelCollector", mirror);
  const collectorValues = {
    fullnameOverride: "otel-collector",
    mode: "deployment",
    image: { repository: collector.repository, tag: collector.tag },
    command: { name: "otelcol-contrib" },
    config: input.collector,
    resources: kubeResources(resourcesFor("otelCollector", input.resources)),
    securityContext: restricted,
    podSecurityContext: pod,
  };
  if (input.backend === "tempo") {
    const tempo = pulledImageParts("tempo", mirror);
    const s3 = input.s3;
    return {
      charts: {
        "otel-collector": collectorValues,
        tempo: {
          fullnameOverride: "tempo",
          tempo: {
            registry: tempo.registry,
            repository: tempo.path,
            tag: tempo.tag,
            reportingEnabled: false,
            resources: kubeResources(resourcesFor("tempo", input.resources)),
            securityContext: restricted,
          },
          // Traces in S3 when the AWS side made a bucket (the WAL stays on the PVC); otherwise blocks on the PVC.
          config: s3 ? tempoS3Config(input.store, s3) : renderStoreConfig(input.store),
          securityContext: pod,
          serviceAccount: { create: true, name: serviceAccounts.tempo, annotations: s3 ? { "eks.amazonaws.com/role-arn": s3.roleArn } : {} },
          // The chart's auto-deletion would delete the WAL's claim with the StatefulSet.
          persistence: { enabled: true, size: input.volumeSize ?? tracingStackDefaults.volumeSize, storageClassName: input.storageClass, enableStatefulSetAutoDeletePVC: false },
        },
      },
    };
  }
  const jaeger = pulledImageParts("jaeger", mirror);
  return {
    charts: {
      "otel-collector": collectorValues,
      jaeger: {
        fullnameOverride: "jaeger",
        userconfig: input.store,
        jaeger: {
          image: { registry: jaeger.registry, repository: jaeger.path, tag: jaeger.tag },
          resources: kubeResources(resourcesFor("jaeger", input.resources)),
          podSecurityContext: pod,
          securityContext: restricted,
          extraVolumes: [{ name: "badger-data", persistentVolumeClaim: { claimName: jaegerClaimName } }],
          extraVolumeMounts: [{ name: "badger-data", mountPath: "/badger" }],
        },
      },
    },
    jaegerClaim: {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { namespace: input.namespace, name: jaegerClaimName },
      spec: { storageClassName: input.storageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: input.volumeSize ?? tracingStackDefaults.volumeSize } } },
    },
  };
}

const renderStoreConfig = (doc: ConfigDocument) => stringify(doc, { lineWidth: 0 });

/** The Tempo config with its trace blocks in S3 (IRSA credentials, so no keys); the WAL stays local. Text when the bucket is known, an Output at deploy. */
export function tempoS3Config(store: ConfigDocument, s3: BucketAccess): pulumi.Input<string> {
  const render = (bucket: string) => {
    const config = structuredClone(store) as { storage: { trace: { wal?: unknown } } };
    const wal = config.storage.trace.wal;
    config.storage.trace = { backend: "s3", s3: { bucket, endpoint: `s3.${s3.region}.amazonaws.com`, region: s3.region }, ...(wal ? { wal } : {}) } as typeof config.storage.trace;
    return renderStoreConfig(config);
  };
  return typeof s3.bucket === "string" ? render(s3.bucket) : pulumi.output(s3.bucket).apply(render);
}
