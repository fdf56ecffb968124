/**
 * AlertRouting's arguments and their defaults, in one place: the component and
 * its Kubernetes planner read them from here.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformTarget, ResourceOverrides } from "../platform/targets";
import type { AlertingKubernetesPlan } from "./plan";

/** What AlertRouting does when an optional argument is left out. */
export const alertRoutingDefaults = {
  replicas: { docker: 1, kubernetes: 3 },
  retention: "120h",
  volumeSize: "2Gi",
} as const;

export interface AlertRoutingArgs {
  /** Where it runs: a Docker engine or a Kubernetes namespace (`dockerTarget`, `kubernetesTarget`). Required. */
  target: PlatformTarget;
  /** Rendered files relative to the Alertmanager config dir: alertmanager.yml, templates/*.tmpl (`renderAlertmanagerConfig`). Required. */
  files: Record<string, pulumi.Input<string>>;
  /** Secret key -> absolute path the rendered config reads it from. Required (may be empty). */
  secretFiles: Record<string, string>;
  /** Secret key -> value, as Pulumi secrets. Keys must match `secretFiles`. Required (may be empty). */
  secretValues: Record<string, pulumi.Input<string>>;
  /** Alertmanager replicas, one gossip cluster. @default 1 on Docker, 3 on Kubernetes (`alertRoutingDefaults.replicas`) */
  replicas?: number;
  /** Notification log and silence retention. @default "120h" (`alertRoutingDefaults.retention`) */
  retention?: string;
  /** Alertmanager's own PVC size (Kubernetes). @default "2Gi" (`alertRoutingDefaults.volumeSize`) */
  volumeSize?: string;
  /** Resources that must exist first (the prometheus-operator CRDs on Kubernetes). @default none */
  dependsOn?: pulumi.Resource[];
  /** CPU and memory per container. @default the project's sizes (`defaultResources`) */
  resources?: ResourceOverrides;
  /** Kubernetes: the Alertmanager CR and its PodDisruptionBudget as planned (planStack's `kubernetes.alerting`). @default planned here from these args and the target */
  kubernetes?: AlertingKubernetesPlan;
}
