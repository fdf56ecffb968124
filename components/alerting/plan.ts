/**
 * AlertRouting on Kubernetes as data: the Alertmanager CR and its
 * PodDisruptionBudget. Pure: synth writes them, the component creates them.
 * The config and credentials Secrets are referenced by name only.
 */
import type * as pulumi from "@pulumi/pulumi";
import { configPaths, serviceAccounts } from "../../model/conventions";
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
  /** IRSA role of the Alertmanager (eks, SNS on): a ServiceAccount annotated with it is planned and used. @default none: the operator's default account */
  awsRoleArn?: pulumi.Input<string>;
  /** Mounted AWS shared credentials file the AWS SDK reads (SNS with a key pair). @default none */
  awsSharedCredentialsFile?: string;
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
        ...(input.awsRoleArn === undefined ? {} : { serviceAccountName: serviceAccounts.alertmanager }),
        containers: [
          {
            name: "alertmanager",
            securityContext: restrictedContainer,
            // The AWS SDK reads the key pair from here; the file is the credentials Secret's, mounted below.
            ...(input.awsSharedCredentialsFile === undefined ? {} : { env: [{ name: "AWS_SHARED_CREDENTIALS_FILE", value: input.awsSharedCredentialsFile }] }),
          },
        ],
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
    /** The EKS pod identity webhook gives pods of an account so annotated the role's web identity token. */
    serviceAccount:
      input.awsRoleArn === undefined
        ? undefined
        : {
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: { namespace: input.namespace, name: serviceAccounts.alertmanager, annotations: { "eks.amazonaws.com/role-arn": input.awsRoleArn } },
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
