/**
 * PrometheusStack: Prometheus, node exporter, cAdvisor, the blackbox exporter,
 * the exporters of configured backing services, and Grafana with provisioned
 * datasources and dashboards. On Docker as containers on the stack network; on
 * Kubernetes through kube-prometheus-stack, its CRDs applied first on their own.
 */
import type { ExporterSecrets } from "../exporters/index";
import * as pulumi from "@pulumi/pulumi";
import { ports } from "../../model/conventions";
import { claimTarget } from "../platform/names";
import type { DockerTarget, KubernetesTarget, PlatformTarget, ResourceOverrides } from "../platform/targets";
import { createDockerPrometheus } from "./docker";
import { createKubernetesPrometheus } from "./kubernetes";
import type { PrometheusKubernetesPlan } from "./plan";
import type { ExportersSpec, ServiceSpec } from "./spec";
import type { GrafanaAuthInput } from "../grafana/sso";

export interface RuleFileData {
  /** File name, such as `service.rules.yml`. */
  name: string;
  /** Rendered rule file (Docker). */
  content: string;
  /** The same groups as data (Kubernetes PrometheusRule `spec.groups`). */
  groups: unknown[];
}

export interface PrometheusStackArgs {
  target: PlatformTarget;
  /** Rendered prometheus.yml (Docker). */
  prometheusConfig: pulumi.Input<string>;
  /** Rendered blackbox exporter config (Docker). */
  blackboxConfig: pulumi.Input<string>;
  /**
   * Kubernetes: the charts' values and the objects, as planned (`planKubernetesPrometheus`; planStack's
   * `kubernetes.prometheus`). Required there; the fields below that it covers are read on Docker only.
   */
  kubernetes?: PrometheusKubernetesPlan;
  rules: RuleFileData[];
  /** Retention time. @default "30d" */
  retention?: string;
  /** `--storage.tsdb.retention.size`, such as "42000MB". */
  retentionSize: string;
  /** TSDB volume size (Kubernetes PVC). */
  volumeSize: string;
  /** @default 1 on Docker, 2 on Kubernetes */
  replicas?: number;
  scrapeInterval: string;
  evaluationInterval: string;
  environment: string;
  clusterLabel: string;
  /** Remote-write entries for the Prometheus CR (Kubernetes; `remoteWriteSpecs` builds them from the config). */
  remoteWrite?: Array<Record<string, unknown>>;
  /**
   * Remote-write credentials, as Pulumi secrets: on Docker uploaded where prometheus.yml reads them
   * (`remoteWriteSecretFiles`), on Kubernetes a Secret the Prometheus CR's entries reference.
   */
  remoteWriteCredentials?: { username?: string; password?: pulumi.Input<string>; bearerToken?: pulumi.Input<string> };
  /** IRSA annotations for the Prometheus service account (remote write to AMP). `target.aws.remoteWrite` adds its role itself. */
  serviceAccountAnnotations?: Record<string, string>;
  /** Enable the TSDB admin API (Kubernetes), which the snapshot backup CronJob calls. @default false */
  enableAdminAPI?: boolean;
  /** Services scraped through ServiceMonitors on Kubernetes. */
  services: ServiceSpec[];
  exporters: ExportersSpec;
  /** Exporter credentials, as Pulumi secrets. */
  exporterSecrets?: ExporterSecrets;
  /**
   * The Elasticsearch logging backend, when deployed: Grafana's datasource and the exporter sign in
   * to it as `elastic`. Docker: its generated password, uploaded as a secret file to Grafana and the
   * exporter. Kubernetes: no value; the operator's Secrets (`eckSecrets`) are mounted by name.
   * @default none
   */
  logsElasticsearch?: { password?: pulumi.Input<string> };
  grafana: {
    adminUser: string;
    adminPassword: pulumi.Input<string>;
    /** Rendered datasources.yaml and its data (chart values). */
    datasourcesYaml: string;
    datasources: import("../grafana/render").Datasource[];
    dashboardProviderYaml: string;
    /** Dashboard JSON by file name. */
    dashboards: Record<string, string>;
    rootUrl: string;
    /** Grafana database volume (Kubernetes). @default "5Gi" */
    volumeSize?: string;
    /** Sign-in with OIDC and the external database, as planned (`grafanaAuthOf`); on Kubernetes the plan's values carry them. @default none */
    auth?: GrafanaAuthInput;
    /** The OIDC client secret of `auth.sso`, a Pulumi secret. Required with `auth.sso`. */
    oidcClientSecret?: pulumi.Input<string>;
    /** The password of `auth.database`, a Pulumi secret. Required with `auth.database`. */
    databasePassword?: pulumi.Input<string>;
  };
  resources?: ResourceOverrides;
}

export class PrometheusStack extends pulumi.ComponentResource {
  /** In-stack URL Grafana and other components use to reach Prometheus. */
  readonly prometheusUrl: pulumi.Output<string>;
  /** URL for a person: published port on Docker, Service DNS on Kubernetes. */
  readonly prometheusPublicUrl: pulumi.Output<string>;
  readonly grafanaUrl: pulumi.Output<string>;
  readonly grafanaAdminUser: pulumi.Output<string>;
  /** Kubernetes only: the CRDs, for components that create monitoring.coreos.com objects. */
  readonly crds?: pulumi.Resource;

  constructor(name: string, args: PrometheusStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before anything is registered: a second instance on this target would take the first one's names.
    claimTarget(args.target, "PrometheusStack", name);
    super("watchpost:metrics:PrometheusStack", name, {}, opts);
    if (args.target.kind === "docker") {
      const out = createDockerPrometheus(this, name, args, args.target as DockerTarget);
      this.prometheusUrl = pulumi.output(`http://prometheus:${ports.prometheus}`);
      this.prometheusPublicUrl = pulumi.output(out.prometheusPublicUrl);
      this.grafanaUrl = pulumi.output(out.grafanaPublicUrl);
    } else {
      const out = createKubernetesPrometheus(this, name, args, args.target as KubernetesTarget);
      this.crds = out.crds;
      this.prometheusUrl = pulumi.output(out.prometheusUrl);
      this.prometheusPublicUrl = pulumi.output(out.prometheusUrl);
      this.grafanaUrl = pulumi.output(args.grafana.rootUrl);
    }
    this.grafanaAdminUser = pulumi.output(args.grafana.adminUser);
    this.registerOutputs({
      prometheusUrl: this.prometheusUrl,
      prometheusPublicUrl: this.prometheusPublicUrl,
      grafanaUrl: this.grafanaUrl,
      grafanaAdminUser: this.grafanaAdminUser,
    });
  }
}
