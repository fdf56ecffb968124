/**
 * The Kubernetes half of the plan: every chart's values and every object the
 * components create on a cluster, from the config and the AWS identifiers.
 * synth writes it under `kubernetes/` with placeholders for what AWS makes
 * (`<aws:backups-bucket>`); deployStack plans it again with the AWS side's
 * Outputs and hands it to the components. Secrets appear only by Secret name.
 */
import { stringify } from "yaml";
import type { Datasource, TeamFolderRef } from "../components/grafana/render";
import { configuredSecretKeys } from "../components/exporters/index";
import { type GrafanaAuthInput, postgresPort } from "../components/grafana/sso";
import type { RuleFileData } from "../components/prometheus/index";
import { kpsRelease, remoteWriteSpecs } from "../components/prometheus/kubernetes";
import { planKubernetesPrometheus, type PrometheusKubernetesPlan } from "../components/prometheus/plan";
import type { BlackboxConfigDocument, ScrapeConfig } from "../components/prometheus/render";
import { prometheusBackupObjects } from "../components/production/backup";
import { certManagerValues, letsEncryptIssuer, loadBalancerControllerValues } from "../components/production/controllers";
import { defaultUiBackends, publicAccessPlan } from "../components/production/ingress";
import { exporterEgressPorts, fromCidrs, fromNamespaces, type NetworkPlanInput, networkPolicyObjects } from "../components/production/network";
import type { AwsWiring, BucketAccess } from "../components/production/wiring";
import { type AlertingKubernetesPlan, planKubernetesAlerting } from "../components/alerting/plan";
import { type LoggingKubernetesPlan, planKubernetesLogging } from "../components/logging/plan";
import { planKubernetesTracing, type TracingKubernetesPlan } from "../components/tracing/plan";
import type { ConfigDocument } from "../components/tracing/render";
import { clusterName } from "./aws/plan";
import { agentsNamespaceFor, type SecretKey, type StackConfig } from "./config/schema";
import { profiles } from "./profiles";
import type { TracingBackend } from "../model/vocabulary";

export interface KubernetesPlan {
  prometheus: PrometheusKubernetesPlan;
  alerting: AlertingKubernetesPlan;
  logging?: LoggingKubernetesPlan;
  tracing?: TracingKubernetesPlan;
  /** The Ingresses in front of the UIs, when the profile and `ingress.domain` give them. */
  publicAccess?: ReturnType<typeof publicAccessPlan>;
  /** What serves the Ingresses: the AWS Load Balancer Controller (tls: acm) or cert-manager and its ClusterIssuer (tls: cert-manager). */
  controllers?: { charts: Record<string, Record<string, unknown>>; clusterIssuer?: Record<string, unknown> & { kind: string; metadata: { name: string } } };
  /** The TSDB snapshot backup: its bucket and its objects. */
  backup?: { bucket: BucketAccess; objects: ReturnType<typeof prometheusBackupObjects> };
  /** What NetworkPolicies is given (the profile's addon), and the policies it makes. */
  network?: { input: NetworkPlanInput; objects: ReturnType<typeof networkPolicyObjects> };
}

/** What planStack has already worked out that the Kubernetes objects need. */
export interface KubernetesPlanInput {
  grafanaUrl: string;
  datasources: Datasource[];
  /** Grafana's sign-in and external database, when configured. */
  grafanaAuth?: GrafanaAuthInput;
  /** The teams' dashboard folders (`watchpost:dashboards`), each with its fixed uid. @default [] */
  teamFolders?: TeamFolderRef[];
  rules: RuleFileData[];
  retentionSize: string;
  volumeSize: string;
  scrapeConfigs: ScrapeConfig[];
  blackbox: BlackboxConfigDocument;
  /** Secret file key -> mount path the rendered alertmanager.yml reads (the SNS credentials file sets AWS_SHARED_CREDENTIALS_FILE). */
  alertmanagerSecretFiles?: Record<string, string>;
  /** The rendered Alloy pipeline, when logging is on. */
  alloyConfig?: string;
  /** The alert history's collector config and retention, when `notifications.history` is on. */
  alertHistory?: { config: Record<string, unknown>; retention: string };
  /** The collector's and the trace store's configs, when tracing is on. */
  traces?: { backend: TracingBackend; collector: ConfigDocument; store: ConfigDocument };
}

/** The AWS identifiers of an eks stack as placeholders, for synth: `pulumi up` hands the real ones. */
export function placeholderWiring(cfg: StackConfig): AwsWiring | undefined {
  if (!profiles[cfg.profile].aws) return undefined;
  const region = cfg.cluster.region ?? "<aws:region>";
  const bucket = (role: string) => ({ bucket: `<aws:${role}-bucket>`, region, roleArn: `<aws:${role}-role-arn>` });
  return {
    region,
    clusterName: clusterName(cfg),
    vpcId: "<aws:vpc-id>",
    vpcCidr: "<aws:vpc-cidr>",
    loadBalancerCidrs: ["<aws:load-balancer-cidrs>"],
    loki: bucket("loki"),
    tempo: bucket("tempo"),
    backups: bucket("backups"),
    ...(cfg.prometheus.amp.enabled ? { remoteWrite: { url: "<aws:amp-remote-write-url>", region, roleArn: "<aws:prometheus-role-arn>" } } : {}),
    ...(cfg.ingress.tls === "acm" && cfg.ingress.domain ? { certificateArn: "<aws:certificate-arn>" } : {}),
    loadBalancerControllerRoleArn: "<aws:load-balancer-controller-role-arn>",
    ...(cfg.notifications.sns.enabled ? { alertmanagerRoleArn: "<aws:alertmanager-role-arn>" } : {}),
  };
}

/** Whether the TSDB snapshot backup runs: the profile allows it, the config asks for it and AWS gives a bucket. */
export function backupsBucket(cfg: StackConfig, aws: AwsWiring | undefined) {
  return profiles[cfg.profile].addons.backup && cfg.backup.enabled ? aws?.backups : undefined;
}

export function planKubernetes(cfg: StackConfig, input: KubernetesPlanInput, aws: AwsWiring | undefined): KubernetesPlan {
  const ns = cfg.kubernetes.namespace;
  // The Elasticsearch backend's ECK resources are planned by the logging plan (written under `kubernetes/` too); here its readers.
  const elasticsearch = cfg.logging.enabled && cfg.logging.backend === "elasticsearch";
  const prometheus = planKubernetesPrometheus({
    namespace: ns,
    environment: cfg.environment,
    clusterLabel: cfg.clusterLabel,
    replicas: cfg.prometheus.replicas,
    scrapeInterval: cfg.prometheus.scrapeInterval,
    evaluationInterval: cfg.prometheus.evaluationInterval,
    retention: cfg.prometheus.retention,
    retentionSize: input.retentionSize,
    volumeSize: input.volumeSize,
    storageClass: cfg.kubernetes.storageClass,
    agentsNamespace: agentsNamespaceFor(ns),
    registryMirror: cfg.images.registryMirror,
    remoteWrite: remoteWriteSpecs(cfg.prometheus.remoteWrite),
    amp: aws?.remoteWrite,
    enableAdminAPI: backupsBucket(cfg, aws) !== undefined,
    grafana: { datasources: input.datasources, rootUrl: input.grafanaUrl, teamFolders: input.teamFolders ?? [], auth: input.grafanaAuth },
    rules: input.rules,
    services: cfg.services,
    scrapeConfigs: input.scrapeConfigs,
    blackbox: input.blackbox,
    resources: cfg.resources,
    exporters: cfg.exporters,
    exporterSecretsSet: configuredSecretKeys(cfg.exporters).filter((key) => cfg.secrets.has(key as SecretKey)),
    logsElasticsearch: elasticsearch,
  });
  const alerting = planKubernetesAlerting({
    namespace: ns,
    replicas: cfg.alertmanager.replicas,
    retention: cfg.alertmanager.retention,
    storageClass: cfg.kubernetes.storageClass,
    registryMirror: cfg.images.registryMirror,
    resources: cfg.resources,
    awsRoleArn: aws?.alertmanagerRoleArn,
    awsSharedCredentialsFile: input.alertmanagerSecretFiles?.snsCredentials,
  });
  const logging =
    input.alloyConfig !== undefined
      ? planKubernetesLogging({
          alloyConfig: input.alloyConfig,
          retention: cfg.logging.retention,
          volumeSize: cfg.logging.volumeSize,
          resources: cfg.resources,
          storageClass: cfg.kubernetes.storageClass,
          registryMirror: cfg.images.registryMirror,
          s3: aws?.loki,
          alertHistory: input.alertHistory ? { ...input.alertHistory, namespace: ns } : undefined,
        })
      : undefined;
  const tracing = input.traces
    ? planKubernetesTracing({
        backend: input.traces.backend,
        collector: input.traces.collector,
        store: input.traces.store,
        namespace: ns,
        storageClass: cfg.kubernetes.storageClass,
        registryMirror: cfg.images.registryMirror,
        volumeSize: cfg.tracing.volumeSize,
        resources: cfg.resources,
        s3: aws?.tempo,
      })
    : undefined;
  const profile = profiles[cfg.profile];
  // With an Ingress, the UIs are public behind oauth2-proxy (Grafana with its own sign-in).
  const publicDomain = profile.addons.ingressTls.includes(cfg.ingress.tls) ? cfg.ingress.domain : undefined;
  const publicAccess = publicDomain
    ? publicAccessPlan({
        namespace: ns,
        ingress: cfg.ingress,
        ...defaultUiBackends(kpsRelease),
        traces: input.traces ? { backend: input.traces.backend } : undefined,
        certificateArn: aws?.certificateArn,
        registryMirror: cfg.images.registryMirror,
      })
    : undefined;
  const controllers = publicAccess ? planControllers(cfg, aws, publicAccess.issuerName) : undefined;
  const bucket = backupsBucket(cfg, aws);
  const backup = bucket
    ? {
        bucket,
        objects: prometheusBackupObjects({
          namespace: ns,
          bucket,
          schedule: cfg.backup.snapshotSchedule,
          prometheusName: `${kpsRelease}-prometheus`,
          registryMirror: cfg.images.registryMirror,
        }),
      }
    : undefined;
  let network: KubernetesPlan["network"];
  if (profile.addons.networkPolicies) {
    const smarthost = cfg.notifications.email.enabled ? cfg.notifications.email.smarthost : undefined;
    // Users come through the ALB (its subnets' addresses) or through your ingress controller (its namespace).
    const uiSources =
      cfg.ingress.tls === "acm" ? fromCidrs(aws?.loadBalancerCidrs ?? []) : fromNamespaces(cfg.ingress.controllerNamespace ? [cfg.ingress.controllerNamespace] : []);
    const networkInput: NetworkPlanInput = {
      namespace: ns,
      logging: logging !== undefined,
      alertHistory: logging?.alertHistory !== undefined,
      elasticsearch,
      agentsNamespace: agentsNamespaceFor(ns),
      tracing: input.traces?.backend,
      publicAccess: publicAccess !== undefined,
      acmeSolver: publicAccess !== undefined && cfg.ingress.tls === "cert-manager",
      backup: backup !== undefined,
      smtpPort: smarthost ? Number(smarthost.split(":").pop()) : undefined,
      ...(cfg.grafana.database ? { grafanaDatabasePort: postgresPort(cfg.grafana.database.host) } : {}),
      uiSources: publicAccess ? uiSources : undefined,
      // On eks the control plane's ENIs in the cluster's VPC; on any other cluster the addresses the stack file lists.
      apiServerSources: fromCidrs(aws?.vpcCidr ? [aws.vpcCidr] : cfg.kubernetes.apiServerCidrs),
      otlpNamespaces: cfg.tracing.otlpNamespaces,
      exporterPorts: exporterEgressPorts(cfg.exporters, cfg.probes),
    };
    network = { input: networkInput, objects: networkPolicyObjects(networkInput) };
  }
  return { prometheus, alerting, logging, tracing, publicAccess, controllers, backup, network };
}

/** The controller charts PublicAccess installs, with the values it gives them. */
function planControllers(cfg: StackConfig, aws: AwsWiring | undefined, issuerName: string): KubernetesPlan["controllers"] {
  const mirror = cfg.images.registryMirror;
  if (cfg.ingress.tls === "acm")
    return {
      charts: {
        "aws-load-balancer-controller": loadBalancerControllerValues(
          { clusterName: aws?.clusterName ?? clusterName(cfg), region: aws?.region, vpcId: aws?.vpcId, roleArn: aws?.loadBalancerControllerRoleArn },
          mirror,
        ),
      },
    };
  const issuer = letsEncryptIssuer(issuerName, cfg.ingress.acmeEmail ?? "", cfg.ingress.acmeEnvironment, cfg.ingress.className ?? "");
  return { charts: { "cert-manager": certManagerValues(mirror) }, clusterIssuer: issuer as NonNullable<KubernetesPlan["controllers"]>["clusterIssuer"] };
}

/** The plan as files: `kubernetes/charts/<release>.values.yaml` and `kubernetes/<kind>/<name>.yaml`. */
export function kubernetesArtifacts(plan: KubernetesPlan): Record<string, string> {
  const yaml = (doc: unknown) => stringify(doc, { lineWidth: 0 });
  const charts: Record<string, unknown> = { ...plan.prometheus.charts, ...plan.logging?.charts, ...plan.tracing?.charts, ...plan.controllers?.charts };
  for (const exporter of plan.prometheus.exporters) if (exporter.chart) charts[exporter.name] = exporter.chart.values;
  const objects: Array<{ kind: string; metadata: { name: string } }> = [
    ...plan.prometheus.rules.map((r) => r.object),
    ...plan.prometheus.monitors.map((m) => m.object),
    ...plan.prometheus.exporters.flatMap((e) => (e.objects ? [e.objects.deployment, e.objects.service] : [])),
    ...(plan.logging?.alertHistory ? [plan.logging.alertHistory.configMap, plan.logging.alertHistory.deployment, plan.logging.alertHistory.service] : []),
    plan.alerting.alertmanager,
    plan.alerting.podDisruptionBudget,
    ...(plan.alerting.serviceAccount ? [plan.alerting.serviceAccount] : []),
    ...(plan.tracing?.jaegerClaim ? [plan.tracing.jaegerClaim] : []),
    ...(plan.publicAccess?.ingresses.map((i) => i.object) ?? []),
    ...(plan.publicAccess?.proxies.flatMap((p) => [p.deployment, p.service]) ?? []),
    ...(plan.controllers?.clusterIssuer ? [plan.controllers.clusterIssuer] : []),
    ...(plan.backup ? [plan.backup.objects.serviceAccount, plan.backup.objects.cronJob] : []),
    ...(plan.network?.objects.map(({ role: _role, ...object }) => object) ?? []),
  ];
  const files: Record<string, string> = {};
  for (const [release, values] of Object.entries(charts)) files[`kubernetes/charts/${release}.values.yaml`] = yaml(values);
  for (const object of objects) files[`kubernetes/${object.kind.toLowerCase()}/${object.metadata.name}.yaml`] = yaml(object);
  return files;
}
