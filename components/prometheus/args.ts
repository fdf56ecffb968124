/**
 * PrometheusStack's arguments and their defaults, in one place: the component,
 * its Docker and Kubernetes halves and its planner read them from here.
 */
import type * as pulumi from "@pulumi/pulumi";
import { defaults } from "../../model/vocabulary";
import type { ExporterSecrets } from "../exporters/index";
import type { Datasource } from "../grafana/render";
import type { GrafanaAuthInput } from "../grafana/sso";
import type { PlatformTarget, ResourceOverrides } from "../platform/targets";
import type { PrometheusKubernetesPlan } from "./plan";
import type { ExportersSpec, ServiceSpec } from "./spec";

/** What PrometheusStack does when an optional argument is left out. */
export const prometheusStackDefaults = {
  retention: defaults.retention,
  replicas: { docker: 1, kubernetes: 2 },
  enableAdminAPI: false,
  grafanaVolumeSize: "5Gi",
} as const;

export interface RuleFileData {
  /** File name, such as `service.rules.yml`. Required. */
  name: string;
  /** Rendered rule file (Docker). Required. */
  content: string;
  /** The same groups as data (Kubernetes PrometheusRule `spec.groups`). Required. */
  groups: unknown[];
}

export interface PrometheusStackArgs {
  /** Where it runs: a Docker engine or a Kubernetes namespace (`dockerTarget`, `kubernetesTarget`). Required. */
  target: PlatformTarget;
  /** Rendered prometheus.yml (Docker; on Kubernetes the plan carries its scrape jobs). Required. */
  prometheusConfig: pulumi.Input<string>;
  /** Rendered blackbox exporter config (Docker). Required. */
  blackboxConfig: pulumi.Input<string>;
  /**
   * Kubernetes: the charts' values and the objects, as planned (`planKubernetesPrometheus`; planStack's
   * `kubernetes.prometheus`). Required there; the fields below that it covers are read on Docker only.
   * @default none (Docker)
   */
  kubernetes?: PrometheusKubernetesPlan;
  /** The rule files, rendered and as data (`buildRuleFiles`). Required. */
  rules: RuleFileData[];
  /** Retention time. @default "30d" (`prometheusStackDefaults.retention`) */
  retention?: string;
  /** `--storage.tsdb.retention.size`, such as "42000MB" (`planPrometheusStorage`). Required. */
  retentionSize: string;
  /** TSDB volume size (Kubernetes PVC). Required. */
  volumeSize: string;
  /** Prometheus replicas. @default 1 on Docker, 2 on Kubernetes (`prometheusStackDefaults.replicas`) */
  replicas?: number;
  /** Prometheus' global scrape interval, such as "30s". Required. */
  scrapeInterval: string;
  /** How often rules are evaluated, such as "30s". Required. */
  evaluationInterval: string;
  /** The `environment` external label. Required. */
  environment: string;
  /** The `cluster` external label. Required. */
  clusterLabel: string;
  /** Remote-write entries for the Prometheus CR (Kubernetes; `remoteWriteSpecs` builds them from the config). @default none */
  remoteWrite?: Array<Record<string, unknown>>;
  /**
   * Remote-write credentials, as Pulumi secrets: on Docker uploaded where prometheus.yml reads them
   * (`remoteWriteSecretFiles`), on Kubernetes a Secret the Prometheus CR's entries reference.
   * @default none
   */
  remoteWriteCredentials?: {
    /** Basic-auth user. @default none */
    username?: string;
    /** Basic-auth password. @default none */
    password?: pulumi.Input<string>;
    /** Bearer token. @default none */
    bearerToken?: pulumi.Input<string>;
  };
  /** IRSA annotations for the Prometheus service account (remote write to AMP). `target.aws.remoteWrite` adds its role itself. @default none */
  serviceAccountAnnotations?: Record<string, string>;
  /** Enable the TSDB admin API (Kubernetes), which the snapshot backup CronJob calls. @default false (`prometheusStackDefaults.enableAdminAPI`) */
  enableAdminAPI?: boolean;
  /** Services scraped through ServiceMonitors on Kubernetes. Required (may be empty). */
  services: ServiceSpec[];
  /** The backing services' exporters (`exporters` in the stack config). Required (may be empty). */
  exporters: ExportersSpec;
  /** Exporter credentials, as Pulumi secrets. @default none */
  exporterSecrets?: ExporterSecrets;
  /**
   * The Elasticsearch logging backend, when deployed: Grafana's datasource and the exporter sign in
   * to it as `elastic`. Docker: its generated password, uploaded as a secret file to Grafana and the
   * exporter. Kubernetes: no value; the operator's Secrets (`eckSecrets`) are mounted by name.
   * @default none
   */
  logsElasticsearch?: {
    /** The `elastic` user's password (Docker). @default none (Kubernetes) */
    password?: pulumi.Input<string>;
  };
  /** Grafana. Required. */
  grafana: {
    /** Required. */
    adminUser: string;
    /** A Pulumi secret (a `random.RandomPassword`): there is no default password. Required. */
    adminPassword: pulumi.Input<string>;
    /** Rendered datasources.yaml (Docker). Required. */
    datasourcesYaml: string;
    /** The same datasources as data (chart values). Required. */
    datasources: Datasource[];
    /** Rendered dashboard provider (Docker). Required. */
    dashboardProviderYaml: string;
    /** Dashboard JSON by file name. Required. */
    dashboards: Record<string, string>;
    /**
     * The teams' folders: each one's dashboards (JSON by file name) in the Grafana folder `name`; on Docker under
     * its `directory` with a provider of its own, on Kubernetes as ConfigMaps the sidecar files by folder annotation.
     * @default []
     */
    folders?: ReadonlyArray<{ name: string; directory: string; dashboards: Record<string, string> }>;
    /** Grafana's public URL (links and redirects). Required. */
    rootUrl: string;
    /** Grafana database volume (Kubernetes). @default "5Gi" (`prometheusStackDefaults.grafanaVolumeSize`) */
    volumeSize?: string;
    /** Sign-in with OIDC and the external database, as planned (`grafanaAuthOf`); on Kubernetes the plan's values carry them. @default none */
    auth?: GrafanaAuthInput;
    /** The OIDC client secret of `auth.sso`, a Pulumi secret. Required with `auth.sso`. */
    oidcClientSecret?: pulumi.Input<string>;
    /** The password of `auth.database`, a Pulumi secret. Required with `auth.database`. */
    databasePassword?: pulumi.Input<string>;
  };
  /** CPU and memory per container. @default the project's sizes (`defaultResources`) */
  resources?: ResourceOverrides;
}
