/**
 * PrometheusStack for programs in other languages: Prometheus, the node
 * exporter, cAdvisor, the blackbox exporter and Grafana with Watchpost's
 * rules, dashboards and datasources, on the Docker engine.
 */
import * as pulumi from "@pulumi/pulumi";
import { PrometheusStack as Stack } from "../components/prometheus/index";
import { remoteWriteSpecs } from "../components/prometheus/kubernetes";
import { type DockerPlacement, dockerPlacement, packageName, placementInputs, planFromInputs } from "./placement";

export interface PrometheusStackArgs extends DockerPlacement {
  /** Prometheus retention time (watchpost:prometheus.retention). @default "30d" */
  retention?: string;
  /** @default "15s" */
  scrapeInterval?: string;
  /** @default "15s" */
  evaluationInterval?: string;
  /** Grafana's login name. @default "admin" */
  grafanaAdminUser?: string;
  /** Grafana's admin password: a secret, such as a random.RandomPassword's result. There is no default. */
  grafanaAdminPassword: pulumi.Input<string>;
  /** Grafana's public URL, used in its links and redirects. @default "http://<bindAddress>:3000" (plus portOffset) */
  grafanaRootUrl?: string;
  /** Provision the Loki datasource and the logs dashboards (a LoggingStack runs on the same network). @default false */
  logging?: boolean;
  /** Provision the trace datasource: "tempo" or "jaeger" (a TracingStack with that backend runs on the same network). @default none */
  tracingBackend?: string;
}

/** Prometheus and Grafana, configured by Watchpost, on the Docker engine. */
export class PrometheusStack extends pulumi.ComponentResource {
  /** In-stack URL Grafana and other containers use to reach Prometheus. */
  readonly prometheusUrl: pulumi.Output<string>;
  /** Prometheus' published URL, for a person. */
  readonly prometheusPublicUrl: pulumi.Output<string>;
  readonly grafanaUrl: pulumi.Output<string>;
  readonly grafanaAdminUser: pulumi.Output<string>;

  constructor(name: string, args: PrometheusStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Inputs are checked before anything registers, this component included.
    const plan = planFromInputs("PrometheusStack", name, [
      ...placementInputs(args),
      { input: "retention", path: ["prometheus", "retention"], value: args.retention },
      { input: "scrapeInterval", path: ["prometheus", "scrapeInterval"], value: args.scrapeInterval },
      { input: "evaluationInterval", path: ["prometheus", "evaluationInterval"], value: args.evaluationInterval },
      { input: "grafanaAdminUser", path: ["grafana", "adminUser"], value: args.grafanaAdminUser },
      { input: "grafanaRootUrl", path: ["grafana", "rootUrl"], value: args.grafanaRootUrl },
      { input: "logging", path: ["logging", "enabled"], value: args.logging ?? false },
      { input: "tracingBackend", path: ["tracing", "backend"], value: args.tracingBackend },
      { input: "tracingBackend", path: ["tracing", "enabled"], value: args.tracingBackend !== undefined },
    ]);
    super(`${packageName}:index:PrometheusStack`, name, {}, opts);
    const cfg = plan.config;
    const stack = new Stack(
      name,
      {
        target: dockerPlacement(this, name, args, plan),
        prometheusConfig: plan.prometheusConfig,
        blackboxConfig: plan.blackboxConfig,
        rules: plan.rules,
        retention: cfg.prometheus.retention,
        retentionSize: plan.storage.retentionSize,
        volumeSize: plan.storage.volumeSize,
        replicas: cfg.prometheus.replicas,
        scrapeInterval: cfg.prometheus.scrapeInterval,
        evaluationInterval: cfg.prometheus.evaluationInterval,
        environment: cfg.environment,
        clusterLabel: cfg.clusterLabel,
        remoteWrite: remoteWriteSpecs(cfg.prometheus.remoteWrite),
        services: cfg.services,
        exporters: cfg.exporters,
        grafana: {
          adminUser: cfg.grafana.adminUser,
          adminPassword: pulumi.secret(args.grafanaAdminPassword),
          datasources: plan.grafana.datasources,
          datasourcesYaml: plan.grafana.datasourcesYaml,
          dashboardProviderYaml: plan.grafana.dashboardProviderYaml,
          dashboards: plan.grafana.dashboards,
          folders: plan.grafana.folders,
          rootUrl: plan.urls.grafana,
        },
        resources: cfg.resources,
      },
      { parent: this },
    );
    this.prometheusUrl = stack.prometheusUrl;
    this.prometheusPublicUrl = stack.prometheusPublicUrl;
    this.grafanaUrl = stack.grafanaUrl;
    this.grafanaAdminUser = stack.grafanaAdminUser;
    this.registerOutputs({
      prometheusUrl: this.prometheusUrl,
      prometheusPublicUrl: this.prometheusPublicUrl,
      grafanaUrl: this.grafanaUrl,
      grafanaAdminUser: this.grafanaAdminUser,
    });
  }
}
