/**
 * AlertRouting on Kubernetes as data: the Alertmanager CR and its
 * PodDisruptionBudget. Pure: synth writes them, the component creates them.
 * The config and credentials Secrets are referenced by name only.
 */
import { configPaths } from "../../model/conventions";
import { alertRoutingDefaults } from "./args";
import { pulledImageParts } from "../platform/mirror";
import { restrictedContainer, restrictedPod } from "../platform/security";
import { kubeResources, type ResourceOverrides, resourcesFor } from "../platform/targets";

/** Name of the Alertmanager CR; the operator's headless Service is `alertmanager-operated`. */
export const alertmanagerName = "watchpost";
/** The Secret holding alertmanager.yml, the ConfigMap of its templates and the Secret of its credential files. */
export const alertmanagerObjectNames = {
  config: "watchpost-alertmanager-config",
  templates: "watchpost-alertmanager-templates",
  credentials: "watchpost-alertmanager-credentials",
} as const;

export interface AlertingKubernetesInput {
  namespace: string;
  replicas: number;
  /** @default "120h" */
  retention?: string;
  /** @default "2Gi" */
  volumeSize?: string;
  /** @default the cluster's default StorageClass */
  storageClass?: string;
  /** @default none */
  registryMirror?: string;
  resources?: ResourceOverrides;
}

export function planKubernetesAlerting(input: AlertingKubernetesInput) {
  const image = pulledImageParts("alertmanager", input.registryMirror);
  const selector = { "app.kubernetes.io/name": "alertmanager", alertmanager: alertmanagerName };
  return {
    alertmanager: {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "Alertmanager",
      metadata: { namespace: input.namespace, name: alertmanagerName },
      spec: {
        replicas: input.replicas,
        image: `${image.registry}/${image.path}:${image.tag}`,
        configSecret: alertmanagerObjectNames.config,
        retention: input.retention ?? alertRoutingDefaults.retention,
        resources: kubeResources(resourcesFor("alertmanager", input.resources)),
        securityContext: restrictedPod(65534),
        containers: [{ name: "alertmanager", securityContext: restrictedContainer }],
        volumes: [
          { name: "templates", configMap: { name: alertmanagerObjectNames.templates } },
          { name: "credentials", secret: { secretName: alertmanagerObjectNames.credentials, defaultMode: 0o440 } },
        ],
        volumeMounts: [
          { name: "templates", mountPath: configPaths.alertmanagerTemplatesDir, readOnly: true },
          { name: "credentials", mountPath: configPaths.alertmanagerSecretsDir, readOnly: true },
        ],
        // The StatefulSet keeps its claims (silences, notification log) when deleted or scaled down.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        storage: {
          volumeClaimTemplate: {
            spec: {
              storageClassName: input.storageClass,
              accessModes: ["ReadWriteOnce"],
              resources: { requests: { storage: input.volumeSize ?? alertRoutingDefaults.volumeSize } },
            },
          },
        },
      },
    },
    podDisruptionBudget: {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { namespace: input.namespace, name: "watchpost-alertmanager" },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    },
  };
}

export type AlertingKubernetesPlan = ReturnType<typeof planKubernetesAlerting>;
