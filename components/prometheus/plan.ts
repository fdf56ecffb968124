/**
 * PrometheusStack on Kubernetes as data: the values of its two charts
 * (kube-prometheus-stack, the blackbox exporter), its PrometheusRules and its
 * ServiceMonitors/PodMonitors. Pure: synth writes these objects, the component
 * creates them. AWS identifiers come in as plain inputs (placeholders in synth,
 * the AWS side's Outputs at deploy); secrets only by Secret name.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Datasource, TeamFolderRef } from "../grafana/render";
import type { GrafanaAuthInput } from "../grafana/sso";
import { exporterLabels } from "../production/network";
import { pulledImageParts } from "../platform/mirror";
import { kubeResources, type ResourceOverrides, resourcesFor } from "../platform/targets";
import { prometheusStackDefaults, type RuleFileData } from "./args";
import { type MonitorObject, monitorFor } from "./monitors";
import type { BlackboxConfigDocument, ScrapeConfig } from "./render";
import type { ExportersSpec, ServiceSpec } from "./spec";
import { type PlannedExporter, planKubernetesExporters } from "./exporters";
import { kubePrometheusStackValues } from "./values";

/** Where the additional scrape configs live: `prometheus.document.scrape_configs`, rendered. */
export const additionalScrapeConfigsSecret = { name: "watchpost-additional-scrape-configs", key: "scrape-configs.yaml" } as const;
/** The Secret PrometheusStack makes for Grafana's admin user and password. */
export const grafanaAdminSecretName = "watchpost-grafana-admin";

/** A Kubernetes object as the plan gives it: synth writes it, the component creates it. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** An identifier another part of the stack makes: a plain string in synth, an Output at deploy. */
export type Identifier = pulumi.Input<string>;

export interface PrometheusKubernetesInput {
  namespace: string;
  environment: string;
  clusterLabel: string;
  /** @default 2 */
  replicas?: number;
  scrapeInterval: string;
  evaluationInterval: string;
  /** @default "30d" */
  retention?: string;
  retentionSize: string;
  volumeSize: string;
  /** @default the cluster's default StorageClass */
  storageClass?: string;
  agentsNamespace?: string;
  /** @default none */
  registryMirror?: string;
  remoteWrite?: Array<Record<string, unknown>>;
  serviceAccountAnnotations?: Record<string, unknown>;
  /** Amazon Managed Service for Prometheus: SigV4 remote write with the IRSA role of the Prometheus service account. */
  amp?: { url: Identifier; region: string; roleArn: Identifier };
  /** @default false */
  enableAdminAPI?: boolean;
  grafana: {
    datasources: Datasource[];
    rootUrl: string;
    /** @default "5Gi" */
    volumeSize?: string;
    /** The teams' dashboard folders (`watchpost:dashboards`): a dashboard provider each, with the folder's uid. @default [] */
    teamFolders?: TeamFolderRef[];
    /** Sign-in with OIDC and the external database (`grafana.sso`, `grafana.database`). @default none */
    auth?: GrafanaAuthInput;
  };
  rules: RuleFileData[];
  services: ServiceSpec[];
  /** The scrape jobs that are not ServiceMonitors (prometheus.yml's `scrape_configs` on Kubernetes). */
  scrapeConfigs: ScrapeConfig[];
  blackbox: BlackboxConfigDocument;
  resources?: ResourceOverrides;
  exporters: ExportersSpec;
  /** The exporter credentials the stack sets (their keys only). */
  exporterSecretsSet: ReadonlyArray<string>;
  /**
   * The logs go to the stack's own Elasticsearch (ECK): Grafana reads its password and the
   * Elasticsearch exporter signs in with the operator's Secrets.
   * @default false
   */
  logsElasticsearch?: boolean;
}

export interface PrometheusKubernetesPlan {
  /** Helm values by release name. */
  charts: { "watchpost-kps": Record<string, unknown>; "blackbox-exporter": Record<string, unknown> };
  /** One PrometheusRule per rule file, by file name. */
  rules: Array<{ file: string; stem: string; object: KubernetesObject }>;
  /** One ServiceMonitor or PodMonitor per configured service. */
  monitors: Array<{ service: string; object: MonitorObject }>;
  /** The content of `additionalScrapeConfigsSecret`, as data. */
  scrapeConfigs: ScrapeConfig[];
  /** The exporters of configured backing services. */
  exporters: PlannedExporter[];
}

const ruleFileStem = (file: string) => file.replace(/\.rules\.ya?ml$|\.ya?ml$/, "");

export function planKubernetesPrometheus(input: PrometheusKubernetesInput): PrometheusKubernetesPlan {
  const amp = input.amp;
  const kps = kubePrometheusStackValues({
    namespace: input.namespace,
    environment: input.environment,
    clusterLabel: input.clusterLabel,
    replicas: input.replicas ?? prometheusStackDefaults.replicas.kubernetes,
    scrapeInterval: input.scrapeInterval,
    evaluationInterval: input.evaluationInterval,
    retention: input.retention ?? prometheusStackDefaults.retention,
    retentionSize: input.retentionSize,
    volumeSize: input.volumeSize,
    storageClass: input.storageClass,
    additionalScrapeConfigs: { ...additionalScrapeConfigsSecret },
    remoteWrite: [...(input.remoteWrite ?? []), ...(amp ? [{ url: amp.url, sigv4: { region: amp.region } }] : [])],
    serviceAccountAnnotations: { ...(input.serviceAccountAnnotations ?? {}), ...(amp ? { "eks.amazonaws.com/role-arn": amp.roleArn } : {}) },
    agentsNamespace: input.agentsNamespace,
    enableAdminAPI: input.enableAdminAPI ?? prometheusStackDefaults.enableAdminAPI,
    grafana: {
      adminSecretName: grafanaAdminSecretName,
      datasources: input.grafana.datasources,
      rootUrl: input.grafana.rootUrl,
      volumeSize: input.grafana.volumeSize ?? prometheusStackDefaults.grafanaVolumeSize,
      env: {},
      elasticsearchSecrets: input.logsElasticsearch ?? false,
      teamFolders: input.grafana.teamFolders ?? [],
      auth: input.grafana.auth,
    },
    resources: input.resources,
    registryMirror: input.registryMirror,
  });
  const blackbox = pulledImageParts("blackboxExporter", input.registryMirror);
  const blackboxValues = {
    fullnameOverride: "blackbox-exporter",
    // The network policies give exporters their egress by this label.
    commonLabels: exporterLabels("blackbox"),
    image: { registry: blackbox.registry, repository: blackbox.path, tag: blackbox.tag },
    config: input.blackbox,
    resources: kubeResources(resourcesFor("blackboxExporter", input.resources)),
    // The chart's container context already drops ALL and runs as 1000; the pod adds the seccomp profile.
    podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    serviceMonitor: { selfMonitor: { enabled: true, labels: {} } },
  };
  return {
    charts: { "watchpost-kps": kps, "blackbox-exporter": blackboxValues },
    rules: input.rules.map((file) => ({
      file: file.name,
      stem: ruleFileStem(file.name),
      object: {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { namespace: input.namespace, name: `watchpost-${ruleFileStem(file.name).replace(/[^a-z0-9-]/g, "-")}` },
        spec: { groups: file.groups },
      },
    })),
    monitors: input.services.map((svc) => ({ service: svc.name, object: monitorFor(svc, input.namespace) })),
    scrapeConfigs: input.scrapeConfigs,
    exporters: planKubernetesExporters({
      exporters: input.exporters,
      secretsSet: input.exporterSecretsSet,
      namespace: input.namespace,
      registryMirror: input.registryMirror,
      resources: input.resources,
      logsCluster: input.logsElasticsearch ?? false,
    }),
  };
}
