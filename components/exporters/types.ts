/**
 * The shape of one exporter entry. Everything Watchpost does for a backing
 * service derives from its entry: the `exporters.<id>` config spec and its
 * secret, the scrape target, the container on Docker, the chart or
 * Deployment on Kubernetes, the NetworkPolicy egress, the alert rules and the
 * dashboard row.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { DatabaseRow } from "../../dashboards/databases";
import type { ChartName, ImageName } from "../../model/versions";
import type { Resources } from "../../model/primitives";
import type { RulePack } from "../../rules/types";

/** What the container needs beyond image, alias, limits and network (which the entry's process gives). */
export interface DockerPlacement {
  entrypoint?: string[];
  command?: string[];
  envs?: Record<string, string>;
  /** Path in the container -> secret content, readable only by the image's user. */
  secretFiles?: Record<string, pulumi.Input<string>>;
}

/** The Secret the exporter's credential is kept in on Kubernetes: `<process name>-credentials`, one key. */
export interface KubernetesCredentials {
  name: string;
  key: string;
}

/** A pinned chart and its values; Watchpost adds `fullnameOverride`, the namespace and the release. */
export interface ChartPlacement {
  kind: "chart";
  chart: ChartName;
  values: Record<string, unknown>;
  /** Content of the credentials Secret, when it is not the bare secret value. */
  credentialsContent?: (secret: pulumi.Input<string> | undefined) => pulumi.Input<string>;
  /** The values read another Secret (the ECK operator's), so Watchpost makes none. @default false */
  noCredentialsSecret?: boolean;
}

/**
 * Watchpost's own Deployment and Service, for an exporter whose chart cannot run under Pod Security
 * "restricted" or that has no chart: one container running as `uid`, with these arguments, reading
 * its credentials Secret (if any) as files under `credentialsDir`.
 */
export interface DeploymentPlacement {
  kind: "deployment";
  uid: number;
  args: string[];
  credentialsDir?: string;
  /** Content of the credentials Secret (e.g. a my.cnf that holds the password); with it the Secret exists even when the stack sets no password. */
  credentialsContent?: (secret: pulumi.Input<string> | undefined) => pulumi.Input<string>;
}

export type KubernetesPlacement = ChartPlacement | DeploymentPlacement;

export interface KubernetesPlacementInput<C> {
  config: C;
  /** The credential, when the stack sets it. */
  secret?: pulumi.Input<string>;
  credentials: KubernetesCredentials;
  registryMirror?: string;
  /** Its limits and requests, in a container's `resources` form. */
  resources: { requests: Resources; limits: Resources };
  /** `podLabels`/`customLabels` value that the network policies select the exporter's pods by. */
  labels: Record<string, string>;
  /**
   * The stack's own Elasticsearch logging backend (ECK) is deployed. The Elasticsearch exporter then
   * watches that cluster, signing in with the operator's Secrets rather than a credential of its own.
   */
  logsCluster?: boolean;
}

/** The process Watchpost runs for a backing service. */
export interface ExporterProcess<C> {
  /** In-stack host name: the Docker network alias, the Kubernetes release and Service name. */
  name: string;
  port: number;
  image: ImageName;
  /** Key under `watchpost:resources` that overrides its limits. */
  resourceName: string;
  /** Default memory and CPU limits. */
  resources: Resources;
  /** Ports it reaches its service on: the NetworkPolicy's egress. */
  egressPorts(config: C): number[];
  docker(config: C, secret: pulumi.Input<string> | undefined): DockerPlacement;
  kubernetes(input: KubernetesPlacementInput<C>): KubernetesPlacement;
}

export interface ExporterEntry<S extends z.ZodType = z.ZodType, K extends string = string> {
  /** `watchpost:exporters.<id>`: its settings; the configuration reference documents it from here. */
  spec: S;
  /** The credential it reads, set with `pulumi config set --secret watchpost:<key>`. */
  secret?: { key: K; description: string };
  /** The process Watchpost runs; absent when Prometheus scrapes the service itself. */
  process?: ExporterProcess<z.output<S>>;
  /** The scrape target when there is no process: the service's own endpoint. */
  directTarget?(config: z.output<S>): string;
  /** Scrape path other than /metrics. */
  metricsPath?: string;
  /** Its alert rules (`alerts.packs.<id>` toggles them). */
  rulePack: RulePack;
  /** Its row on the Database & cache dashboard. */
  databaseRow?: DatabaseRow;
}
