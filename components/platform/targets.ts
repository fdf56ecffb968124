/**
 * Where a component runs. A small profile handed to each component instead of
 * flags sprinkled through code: the Docker engine (dev) or a Kubernetes cluster.
 * The Docker or Kubernetes provider is not part of it: it travels in the component's
 * resource options (`{ provider }` or `{ providers: [...] }`), and every child inherits it.
 * One instance of each component per target (see platform/names.ts): a second instance
 * takes a target of its own.
 */
import { exporterResources } from "../exporters/index";
import type * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import type { AwsWiring } from "../production/wiring";
import type { Resources } from "../../model/primitives";

export interface DockerTarget {
  kind: "docker";
  /** The one user-defined network every container joins; containers find each other by alias. */
  network: docker.Network;
  /**
   * Names of existing networks (`docker.networks`, such as an app's compose network) that the
   * containers reaching configured endpoints join besides `network`, each resolved by a lookup so
   * that a missing network fails the preview. Watchpost neither creates nor deletes them. @default []
   */
  joinedNetworks?: pulumi.Output<string>[];
  /** Address published ports bind to. @default "127.0.0.1" */
  bindAddress: string;
  /** Added to every published port. @default 0 */
  portOffset: number;
  /** Prefix of container and volume names, so two stacks can share an engine. */
  prefix: string;
  /** Registry mirror every image is pulled through (see platform/mirror.ts). @default none */
  registryMirror?: string;
}

export interface KubernetesTarget {
  kind: "kubernetes";
  namespace: pulumi.Input<string>;
  /** Plain namespace name, used inside rendered configs (service DNS names). */
  namespaceName: string;
  /** StorageClass of every PVC. @default the cluster's default StorageClass */
  storageClass?: string;
  /**
   * Namespace for the agents that need host access (the node exporter: hostNetwork, hostPID,
   * the host root filesystem). Pod Security "privileged" there, "restricted" in `namespace`.
   * @default the chart's namespace (`namespace`)
   */
  agentsNamespace?: string;
  /** Resources that must exist first (namespace, CRDs). */
  dependsOn?: pulumi.Resource[];
  /** Buckets, IRSA roles, AMP and certificate made on the AWS side (EKS); absent on other clusters. */
  aws?: AwsWiring;
  /** Registry mirror every image is pulled through, chart images included (see platform/mirror.ts). @default none */
  registryMirror?: string;
}

export type PlatformTarget = DockerTarget | KubernetesTarget;

/** Default container limits. The dev stack with logs (Loki) and traces sums to under 3 GiB; with the Elasticsearch backend, see README. */
export const defaultResources = {
  prometheus: { memory: "768Mi", cpu: "1" },
  alertmanager: { memory: "128Mi", cpu: "0.2" },
  grafana: { memory: "256Mi", cpu: "0.5" },
  nodeExporter: { memory: "64Mi", cpu: "0.2" },
  cadvisor: { memory: "192Mi", cpu: "0.3" },
  blackboxExporter: { memory: "64Mi", cpu: "0.1" },
  /** Each exporter's own, from its registry entry. */
  ...exporterResources,
  loki: { memory: "512Mi", cpu: "0.5" },
  alloy: { memory: "256Mi", cpu: "0.3" },
  otelCollector: { memory: "256Mi", cpu: "0.3" },
  /** The alert history's collector (`notifications.history`). */
  alertHistory: { memory: "128Mi", cpu: "0.1" },
  tempo: { memory: "384Mi", cpu: "0.5" },
  jaeger: { memory: "384Mi", cpu: "0.5" },
  // The Elasticsearch backend (logging.backend: elasticsearch), in place of Loki and Alloy: the
  // node's limit holds the heap (logging.elasticsearch.heapSize, 512Mi) and as much again off-heap.
  elasticsearch: { memory: "1Gi", cpu: "1" },
  kibana: { memory: "1Gi", cpu: "0.5" },
  filebeat: { memory: "256Mi", cpu: "0.3" },
} as const satisfies Record<string, Resources>;

export type ResourceName = keyof typeof defaultResources;
export type ResourceOverrides = Partial<Record<ResourceName, Resources>>;

export function resourcesFor(name: ResourceName, overrides: ResourceOverrides | undefined): Resources {
  return overrides?.[name] ?? defaultResources[name];
}

/** Kubernetes requests/limits for a container: requests equal limits, so the scheduler reserves what the limit allows (Guaranteed QoS for memory). */
export function kubeResources(r: Resources): { requests: Resources; limits: Resources } {
  return { limits: r, requests: { memory: r.memory, cpu: r.cpu } };
}
