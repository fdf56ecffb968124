/**
 * Composes one environment: validates config (before any resource exists),
 * plans every artifact, then places the four components on the platform.
 */
import { configuredSecretKeys } from "../components/exporters/index";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AlertRouting } from "../components/alerting/index";
import { awsCredentialsFile } from "../components/alerting/receivers";
import { GrafanaAccess } from "../components/grafana-access/index";
import { ElasticLogging } from "../components/logging/elk/index";
import { PagerDutyEscalation } from "../components/pagerduty/index";
import { LoggingStack } from "../components/logging/index";
import { PrometheusStack } from "../components/prometheus/index";
import { kpsRelease, remoteWriteSpecs } from "../components/prometheus/kubernetes";
import { PrometheusBackup } from "../components/production/backup";
import { defaultUiBackends, PublicAccess } from "../components/production/ingress";
import { NetworkPolicies } from "../components/production/network";
import { TracingStack } from "../components/tracing/index";
import type { PlatformTarget } from "../components/platform/targets";
import type { AwsWiring } from "../components/production/wiring";
import type { SecretKey } from "./config/schema";
import { ConfigError, parseStackConfig, type RawStackConfig } from "./config/validate";
import { managedPaging } from "./paging";
import { planStack } from "./plan";
import { dockerPlatform, eksPlatform, type KubernetesPlatform, kubernetesPlatform } from "./platform";
import { profiles } from "./profiles";

export interface StackOutputs {
  platform: string;
  grafanaUrl: pulumi.Output<string>;
  grafanaAdminUser: pulumi.Output<string>;
  grafanaAdminPassword: pulumi.Output<string>;
  prometheusUrl: pulumi.Output<string>;
  alertmanagerUrls: pulumi.Output<string[]>;
  lokiUrl?: pulumi.Output<string>;
  /** Kibana, with the Elasticsearch logging backend. */
  kibanaUrl?: pulumi.Output<string>;
  /** The generated `elastic` password (Docker; on Kubernetes it is in the operator's Secret watchpost-es-elastic-user). */
  elasticPassword?: pulumi.Output<string>;
  tracesUrl?: pulumi.Output<string>;
  otlpGrpcEndpoint?: pulumi.Output<string>;
  otlpHttpEndpoint?: pulumi.Output<string>;
  prometheusVolume: string;
  /** EKS: bucket names, IRSA role ARNs, the AMP remote-write URL, the certificate ARN. */
  aws?: Record<string, pulumi.Output<string>>;
}

/** Reads a secret's value; only called for keys the config says are set. */
export type SecretReader = (key: SecretKey) => pulumi.Output<string>;

export interface DeployOptions {
  /** AWS wiring handed to the Kubernetes components instead of what the platform creates (tests, or resources made elsewhere). */
  aws?: AwsWiring;
}

/**
 * Runs the program so that invalid configuration ends it with the list of
 * problems only: Pulumi prints a RunError's message without a stack trace.
 */
export function withoutTraceForConfigErrors<T>(program: () => T): T {
  try {
    return program();
  } catch (error) {
    if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

export function deployStack(stack: string, raw: RawStackConfig, readSecret: SecretReader, options: DeployOptions = {}): StackOutputs {
  const { config: cfg, warnings } = parseStackConfig(stack, raw);
  for (const warning of warnings) pulumi.log.warn(warning);
  const plan = planStack(cfg);
  const secret = (key: SecretKey) => (cfg.secrets.has(key) ? readSecret(key) : undefined);

  const profile = profiles[cfg.profile];
  const clusters: Record<typeof cfg.profile, () => KubernetesPlatform | undefined> = {
    docker: () => undefined,
    kubernetes: () => kubernetesPlatform(cfg, secret("kubeconfig")),
    eks: () => eksPlatform(cfg, secret("kubeconfig"), options.aws),
  };
  const kube = clusters[cfg.profile]();
  const platform = kube ?? dockerPlatform(cfg);
  const target: PlatformTarget = platform.target;
  // The Docker or Kubernetes provider travels in each component's resource options; the children inherit it.
  const withProvider = (opts: pulumi.ComponentResourceOptions = {}): pulumi.ComponentResourceOptions => ({ ...opts, providers: platform.provider ? [platform.provider] : [] });
  const adminPassword = new random.RandomPassword("grafana-admin-password", { length: 32, special: false });
  // With an Ingress, Grafana's links and redirects use its public https:// address.
  const publicDomain = target.kind === "kubernetes" && profile.addons.ingressTls.includes(cfg.ingress.tls) ? cfg.ingress.domain : undefined;
  const grafanaRootUrl = plan.urls.grafana;
  // Before the metrics stack: Grafana and the exporter read its generated password (Docker).
  const elastic =
    plan.logging?.backend === "elasticsearch"
      ? new ElasticLogging(
          "elastic-logging",
          {
            target,
            environment: cfg.environment,
            spec: cfg.logging.elasticsearch,
            setupRequests: plan.logging.setupRequests,
            setupScript: plan.logging.setupScript,
            eck: plan.logging.eck,
            resources: cfg.resources,
          },
          withProvider(),
        )
      : undefined;
  // The Kubernetes objects planned again with what the AWS side hands over (Outputs), as synth plans them with placeholders.
  const kubePlan = target.kind === "kubernetes" ? planStack(cfg, target.aws).kubernetes : undefined;
  // TSDB snapshots to S3 need the backups bucket the AWS side makes.
  const backupBucket = kubePlan?.backup?.bucket;

  const metrics = new PrometheusStack(
    "metrics",
    {
      target,
      prometheusConfig: plan.prometheusConfig,
      blackboxConfig: plan.blackboxConfig,
      kubernetes: kubePlan?.prometheus,
      rules: plan.rules,
      retention: cfg.prometheus.retention,
      retentionSize: plan.storage.retentionSize,
      volumeSize: plan.storage.volumeSize,
      replicas: cfg.prometheus.replicas,
      enableAdminAPI: backupBucket !== undefined,
      scrapeInterval: cfg.prometheus.scrapeInterval,
      evaluationInterval: cfg.prometheus.evaluationInterval,
      environment: cfg.environment,
      clusterLabel: cfg.clusterLabel,
      remoteWrite: remoteWriteSpecs(cfg.prometheus.remoteWrite),
      remoteWriteCredentials: {
        username: cfg.prometheus.remoteWrite.find((rw) => rw.basicAuth)?.basicAuth?.username,
        password: secret("remoteWritePassword"),
        bearerToken: secret("remoteWriteBearerToken"),
      },
      services: cfg.services,
      exporters: cfg.exporters,
      exporterSecrets: {
        ...Object.fromEntries(configuredSecretKeys(cfg.exporters).map((key) => [key, secret(key as SecretKey)])),
        // The logging cluster's exporter signs in as `elastic` with its generated password.
        ...(elastic ? { elasticsearchPassword: elastic.elasticPassword } : {}),
      },
      logsElasticsearch: elastic ? { password: elastic.elasticPassword } : undefined,
      grafana: {
        adminUser: cfg.grafana.adminUser,
        adminPassword: adminPassword.result,
        datasources: plan.grafana.datasources,
        datasourcesYaml: plan.grafana.datasourcesYaml,
        dashboardProviderYaml: plan.grafana.dashboardProviderYaml,
        dashboards: plan.grafana.dashboards,
        folders: plan.grafana.folders,
        rootUrl: grafanaRootUrl,
        auth: plan.grafana.auth,
        oidcClientSecret: secret("grafanaOidcClientSecret"),
        databasePassword: secret("grafanaDatabasePassword"),
      },
      resources: cfg.resources,
    },
    withProvider(),
  );

  // Team folders' permissions through Grafana's API, once Grafana is up and has provisioned the folders.
  if (plan.grafana.access)
    new GrafanaAccess("grafana-access", {
      url: plan.grafana.access.url,
      adminUser: cfg.grafana.adminUser,
      adminPassword: adminPassword.result,
      folders: plan.grafana.access.folders,
      dependsOn: [metrics],
    });

  // PagerDuty's side as code: each managed service's Events API v2 key is a routing key, never copied by hand.
  const managed = managedPaging(cfg);
  const paging = managed.teams.length === 0 ? undefined : new PagerDutyEscalation("pagerduty", { environment: cfg.environment, teams: managed.teams });
  // Each file holds one secret, but SNS's key pair, which becomes one AWS shared credentials file.
  const secretFileValue = (key: string): pulumi.Input<string> => {
    if (key === "snsCredentials") return pulumi.all([readSecret("snsAccessKeyId"), readSecret("snsSecretAccessKey")]).apply(([id, secretKey]) => awsCredentialsFile(id, secretKey));
    const team = managed.keyFiles[key];
    if (team !== undefined && paging !== undefined) return paging.routingKeys[team];
    return readSecret(key as SecretKey);
  };
  const secretValues = Object.fromEntries(Object.keys(plan.alertmanager.secretFiles).map((key) => [key, secretFileValue(key)]));
  const alerting = new AlertRouting(
    "alerting",
    {
      target,
      files: plan.alertmanager.files,
      secretFiles: plan.alertmanager.secretFiles,
      secretValues,
      replicas: cfg.alertmanager.replicas,
      retention: cfg.alertmanager.retention,
      dependsOn: metrics.crds ? [metrics.crds] : [],
      resources: cfg.resources,
      kubernetes: kubePlan?.alerting,
    },
    withProvider(),
  );

  const logging =
    plan.logging?.backend === "loki"
      ? new LoggingStack(
          "logging",
          {
            target,
            lokiConfig: plan.logging.lokiConfig,
            alloyConfig: plan.logging.alloyConfig,
            alertHistoryConfig: plan.logging.alertHistoryConfig,
            retention: cfg.logging.retention,
            volumeSize: cfg.logging.volumeSize,
            resources: cfg.resources,
            kubernetes: kubePlan?.logging,
          },
          withProvider(),
        )
      : undefined;
  const tracing = plan.tracing
    ? new TracingStack(
        "tracing",
        {
          target,
          backend: plan.tracing.backend,
          collectorConfig: plan.tracing.collectorConfig,
          storeConfig: plan.tracing.storeConfig,
          volumeSize: cfg.tracing.volumeSize,
          resources: cfg.resources,
          kubernetes: kubePlan?.tracing,
        },
        withProvider(),
      )
    : undefined;

  const publicAccess =
    target.kind === "kubernetes" && publicDomain
      ? new PublicAccess(
          "public-access",
          {
            target,
            ingress: cfg.ingress,
            oidcClientSecret: readSecret("oidcClientSecret"),
            clusterName: target.aws?.clusterName ?? cfg.cluster.name,
            ...defaultUiBackends(kpsRelease),
            traces: plan.tracing ? { backend: plan.tracing.backend } : undefined,
          },
          withProvider({ dependsOn: [metrics, alerting, ...(tracing ? [tracing] : [])] }),
        )
      : undefined;

  if (target.kind === "kubernetes" && backupBucket)
    new PrometheusBackup(
      "backup",
      { target, bucket: backupBucket, schedule: cfg.backup.snapshotSchedule, prometheusName: `${kpsRelease}-prometheus` },
      withProvider({ dependsOn: [metrics] }),
    );
  // The policies as planned; on this path publicAccess exists exactly when the plan has Ingresses.
  if (target.kind === "kubernetes" && kubePlan?.network) {
    const { namespace: _namespace, ...network } = kubePlan.network.input;
    new NetworkPolicies("network", { target, ...network }, withProvider());
  }

  // An undefined output makes the engine warn "Undefined value (aws) will not show as a stack output".
  return definedOnly({
    platform: cfg.platform,
    grafanaUrl: publicAccess ? pulumi.output(publicAccess.urls.grafana) : metrics.grafanaUrl,
    grafanaAdminUser: metrics.grafanaAdminUser,
    grafanaAdminPassword: pulumi.secret(adminPassword.result),
    prometheusUrl: publicAccess ? pulumi.output(publicAccess.urls.prometheus) : metrics.prometheusPublicUrl,
    alertmanagerUrls: publicAccess ? pulumi.output([publicAccess.urls.alertmanager]) : alerting.urls,
    lokiUrl: logging?.lokiPublicUrl,
    kibanaUrl: elastic?.kibanaPublicUrl,
    elasticPassword: elastic?.elasticPassword,
    tracesUrl: publicAccess?.urls.traces ? pulumi.output(publicAccess.urls.traces) : tracing?.publicUrl,
    otlpGrpcEndpoint: tracing?.otlpGrpcEndpoint,
    otlpHttpEndpoint: tracing?.otlpHttpEndpoint,
    prometheusVolume: plan.storage.volumeSize,
    aws: kube && profile.aws && !options.aws ? kube.awsOutputs : undefined,
  });
}

/** The same object without its undefined entries. */
export function definedOnly<T extends object>(outputs: T): T {
  return Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined)) as T;
}
