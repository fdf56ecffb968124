/**
 * LoggingStack's arguments and their defaults, in one place: the component and
 * its Kubernetes planner read them from here.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformTarget, ResourceOverrides } from "../platform/targets";
import type { LoggingKubernetesPlan } from "./plan";

/** What LoggingStack does when an optional argument is left out. */
export const loggingStackDefaults = {
  retention: "168h",
  volumeSize: "10Gi",
} as const;

export interface LoggingStackArgs {
  /** Where it runs: a Docker engine or a Kubernetes namespace (`dockerTarget`, `kubernetesTarget`). Required. */
  target: PlatformTarget;
  /** Rendered Loki config (Docker; on Kubernetes the chart builds it from the same settings). Required. */
  lokiConfig: pulumi.Input<string>;
  /** Rendered Alloy pipeline for this platform (`renderAlloyConfig`). Required. */
  alloyConfig: pulumi.Input<string>;
  /**
   * The alert history's collector config (`alertHistoryCollectorDocument`, rendered): Alertmanager
   * posts every notification to it and it writes them to Loki. On Kubernetes the plan carries it.
   * @default none: no alert history
   */
  alertHistoryConfig?: pulumi.Input<string>;
  /** How long Loki keeps logs. @default "168h" (`loggingStackDefaults.retention`) */
  retention?: string;
  /** Loki's volume. @default "10Gi" (`loggingStackDefaults.volumeSize`) */
  volumeSize?: string;
  /** CPU and memory per container. @default the project's sizes (`defaultResources`) */
  resources?: ResourceOverrides;
  /** Kubernetes: the charts' values as planned (`planKubernetesLogging`; planStack's `kubernetes.logging`). @default planned here from these args and the target */
  kubernetes?: LoggingKubernetesPlan;
}
