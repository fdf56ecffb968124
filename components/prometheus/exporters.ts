/**
 * The exporters of configured backing services on Kubernetes, as data: each
 * as its registry entry places it, a pinned chart's values or our own
 * Deployment and Service. Pure: synth writes them, PrometheusStack creates
 * them. Credentials are known here only as set or not, and referenced by
 * Secret name; their values never enter the plan.
 */
import type { Resources } from "../../model/primitives";
import type { ExporterId } from "../../model/vocabulary";
import type { ChartName } from "../../model/versions";
import { configuredExporters } from "../exporters/index";
import type { DeploymentPlacement, ExporterProcess } from "../exporters/types";
import { pulledImage } from "../platform/mirror";
import { restrictedContainerAs, restrictedPod } from "../platform/security";
import { kubeResources, type ResourceName, type ResourceOverrides, resourcesFor } from "../platform/targets";
import { exporterLabel, exporterLabels } from "../production/network";
import type { ExportersSpec } from "./spec";

export interface ExportersKubernetesInput {
  exporters: ExportersSpec;
  /** The exporter credentials the stack sets (their keys only; per-instance keys such as `postgresPasswordOrders` included). */
  secretsSet: ReadonlyArray<string>;
  namespace: string;
  /** @default none */
  registryMirror?: string;
  resources?: ResourceOverrides;
  /** The logs go to the stack's own Elasticsearch, whose exporter signs in with the operator's Secrets. @default false */
  logsCluster?: boolean;
}

export interface PlannedExporter {
  id: ExporterId;
  /** The instance it watches, for an exporter configured as a list of named instances. */
  instance?: string;
  /** The release, Deployment and Service name: `<process name>-<instance>` for an instance of a list. */
  name: string;
  /** The Secret the exporter reads its credentials from, when it has any. */
  credentials?: { name: string; key: string };
  /** A pinned chart and its values. */
  chart?: { chart: ChartName; values: Record<string, unknown> };
  /** Our own Deployment and Service. */
  objects?: { deployment: ExporterObject; service: ExporterObject };
}

export interface ExporterObject {
  apiVersion: string;
  kind: string;
  metadata: { namespace: string; name: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}

/** Stands for a credential the stack sets: placements read it only to know that it is set. */
const credentialSet = "(set: read from its Secret)";

export function planKubernetesExporters(input: ExportersKubernetesInput): PlannedExporter[] {
  return configuredExporters(input.exporters).flatMap(({ id, config, process, instance, secretKey }): PlannedExporter[] => {
    if (!process) return [];
    const secretSet = secretKey !== undefined && input.secretsSet.includes(secretKey);
    const credentials = { name: `${process.name}-credentials`, key: "password" };
    const resources = resourcesFor(process.resourceName as ResourceName, input.resources);
    const placement = process.kubernetes({
      config,
      secret: secretSet ? credentialSet : undefined,
      credentials,
      registryMirror: input.registryMirror,
      resources: kubeResources(resources),
      labels: exporterLabels(id),
      logsCluster: input.logsCluster ?? false,
    });
    // The Secret exists when the stack sets the credential, or when the placement writes a file of its own (a my.cnf),
    // unless the chart reads credentials another component owns (the logging cluster's operator Secrets).
    const borrowed = placement.kind === "chart" && placement.noCredentialsSecret === true;
    const hasCredentials = !borrowed && (secretSet || placement.credentialsContent !== undefined);
    const planned: PlannedExporter = { id, ...(instance !== undefined ? { instance } : {}), name: process.name, ...(hasCredentials ? { credentials } : {}) };
    if (placement.kind === "chart") return [{ ...planned, chart: { chart: placement.chart, values: { fullnameOverride: process.name, ...placement.values } } }];
    return [{ ...planned, objects: exporterDeploymentObjects(input, id, process, placement, hasCredentials ? credentials.name : undefined, resources) }];
  });
}

/**
 * An exporter as our own Deployment and Service, for one whose chart could not run in a namespace
 * that enforces Pod Security "restricted" (NGINX) or that has no chart. Prometheus scrapes it as a
 * static target `<name>.<namespace>.svc:<port>`.
 */
function exporterDeploymentObjects(
  input: Pick<ExportersKubernetesInput, "namespace" | "registryMirror">,
  id: ExporterId,
  process: ExporterProcess<unknown>,
  placement: DeploymentPlacement,
  credentialsSecret: string | undefined,
  resources: Resources,
): { deployment: ExporterObject; service: ExporterObject } {
  const selector = { "app.kubernetes.io/name": process.name, "app.kubernetes.io/part-of": "watchpost", ...exporterLabel };
  // The exporter's own label stays out of the selector, which a Deployment cannot change in place.
  const labels = { ...selector, ...exporterLabels(id) };
  const credentials = credentialsSecret && placement.credentialsDir ? { name: "credentials", dir: placement.credentialsDir, secret: credentialsSecret } : undefined;
  return {
    deployment: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { namespace: input.namespace, name: process.name, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPod(placement.uid),
            containers: [
              {
                name: process.name,
                image: pulledImage(process.image, input.registryMirror),
                args: placement.args,
                ports: [{ name: "metrics", containerPort: process.port, protocol: "TCP" }],
                readinessProbe: { httpGet: { path: "/metrics", port: "metrics" }, periodSeconds: 15 },
                resources: kubeResources(resources),
                securityContext: restrictedContainerAs(placement.uid),
                ...(credentials ? { volumeMounts: [{ name: credentials.name, mountPath: credentials.dir, readOnly: true }] } : {}),
              },
            ],
            // Readable by the exporter's user only (the pod's fsGroup is its own group).
            ...(credentials ? { volumes: [{ name: credentials.name, secret: { secretName: credentials.secret, defaultMode: 0o440 } }] } : {}),
          },
        },
      },
    },
    service: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { namespace: input.namespace, name: process.name, labels: selector },
      spec: { selector, ports: [{ name: "metrics", port: process.port, targetPort: "metrics", protocol: "TCP" }] },
    },
  };
}
