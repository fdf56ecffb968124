/**
 * TracingStack's arguments and their defaults, in one place: the component and
 * its Kubernetes planner read them from here.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { TracingBackend } from "../../model/vocabulary";
import type { PlatformTarget, ResourceOverrides } from "../platform/targets";
import type { TracingKubernetesPlan } from "./plan";

/** What TracingStack does when an optional argument is left out. */
export const tracingStackDefaults = {
  backend: "tempo",
  volumeSize: "10Gi",
} as const satisfies { backend: TracingBackend; volumeSize: string };

export interface TracingStackArgs {
  /** Where it runs: a Docker engine or a Kubernetes namespace (`dockerTarget`, `kubernetesTarget`). Required. */
  target: PlatformTarget;
  /** The trace store. @default "tempo" (`tracingStackDefaults.backend`) */
  backend?: TracingBackend;
  /** Rendered collector config (`renderOtelCollectorConfig`). Required. */
  collectorConfig: pulumi.Input<string>;
  /** Rendered Tempo or Jaeger config, matching `backend`. Required. */
  storeConfig: pulumi.Input<string>;
  /** The trace store's volume. @default "10Gi" (`tracingStackDefaults.volumeSize`) */
  volumeSize?: string;
  /** CPU and memory per container. @default the project's sizes (`defaultResources`) */
  resources?: ResourceOverrides;
  /** Kubernetes: the charts' values and Jaeger's claim, as planned (`planKubernetesTracing`; planStack's `kubernetes.tracing`). @default planned here from the rendered configs and the target */
  kubernetes?: TracingKubernetesPlan;
}
