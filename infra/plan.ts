/**
 * The pure half of a deployment: from a validated StackConfig to every file the
 * stack would load. synth writes it to disk; the Pulumi program hands it to the
 * components. No Pulumi, no I/O, no secret values.
 */
import { managedPaging } from "./paging";
import { stringify } from "yaml";
import { type AlertmanagerArtifacts, renderAlertmanagerConfig } from "../components/alerting/render";
import { hostFor, type ingressHosts, ports } from "../model/conventions";
import { exporterFlags, exporterInstanceLabels } from "../components/exporters/index";
import type { PermittedFolder } from "../components/grafana-access/plan";
import { planTeamDashboards, type TeamFolder } from "../components/grafana/dashboards";
import { type Datasource, type GrafanaRenderInput, grafanaDatasources, renderGrafanaDashboardProvider, renderGrafanaDatasources } from "../components/grafana/render";
import { type GrafanaAuthInput, grafanaAuthIni, grafanaSecretFiles, grafanaSecretKeys, grafanaSecretName, renderIni } from "../components/grafana/sso";
import { elasticsearchUrl, kibanaUrl } from "../components/logging/elk/names";
import { type EckResources, renderEckResources } from "../components/logging/elk/eck";
import { elkSetupFiles, elkSetupRequests, elkSetupScript, type SetupRequest } from "../components/logging/elk/setup";
import { pulledImage } from "../components/platform/mirror";
import { renderAlloyConfig, renderLokiConfig } from "../components/logging/render";
import { alertHistoryCollectorDocument, alertHistoryUrl } from "../components/alerting/history";
import type { RuleFileData } from "../components/prometheus/index";
import { kpsRelease, remoteWriteSecretName } from "../components/prometheus/kubernetes";
import {
  type BlackboxConfigDocument,
  blackboxConfigDocument,
  type PrometheusConfigDocument,
  prometheusConfigDocument,
  remoteWriteSecretFiles,
  renderConfigText,
} from "../components/prometheus/render";
import { planPrometheusStorage, type StoragePlan } from "../components/prometheus/sizing";
import { resourcesFor } from "../components/platform/targets";
import { sizeBytes } from "../model/primitives";
import { agentsNamespaceFor } from "./config/schema";
import { jaegerConfigDocument, otelCollectorConfigDocument, tempoConfigDocument } from "../components/tracing/render";
import { renderDashboards } from "../components/catalogue";
import type { DashboardContext } from "../dashboards/context";
import type { ExporterFlags, ExporterInstanceLabels } from "../model/vocabulary";
import type { RuleContext } from "../rules/index";
import { resolveThresholds, type Thresholds } from "../rules/thresholds";
import { buildRuleFiles, renderRuleFiles } from "../components/catalogue";

import type { AwsWiring } from "../components/production/wiring";
import { type SecretKey, secretDescription, type StackConfig } from "./config/schema";
import type { LoggingBackend, TracingBackend } from "../model/vocabulary";
import { operatedServices } from "../model/addresses";
import { type KubernetesPlan, kubernetesArtifacts, placeholderWiring, planKubernetes } from "./kubernetes";

export interface StackUrls {
  /** URLs a person opens. */
  grafana: string;
  prometheus: string;
  alertmanager: string;
  loki?: string;
  kibana?: string;
  traces?: string;
  /**
   * Where `pulumi up` reaches Grafana's API to set team folders' permissions: Docker's published port
   * (not `grafana.rootUrl`, which may be a proxy's); on Kubernetes its Ingress host, none without `ingress.domain`.
   */
  grafanaApi?: string;
  /** In-stack URLs the components use to reach each other. */
  internal: { prometheus: string; alertmanager: string; loki?: string; elasticsearch?: string; traces?: string };
}

/** What the logging backend loads: Loki's and Alloy's configs, or the Elasticsearch setup's requests. */
export type LoggingPlan =
  | { backend: "loki"; lokiConfig: string; alloyConfig: string /** The alert history's collector config (`notifications.history`). */; alertHistoryConfig?: string }
  | { backend: "elasticsearch"; setupRequests: SetupRequest[]; setupScript: string; eck?: EckResources };

/** The Elasticsearch backend's plan: what the setup sends and, on Kubernetes, the ECK resources. */
function elasticsearchPlan(cfg: StackConfig): LoggingPlan {
  const setupRequests = elkSetupRequests(cfg.logging.elasticsearch, cfg.environment);
  const es = cfg.logging.elasticsearch;
  const mirror = cfg.images.registryMirror;
  const eck =
    cfg.platform === "kubernetes"
      ? renderEckResources({
          namespace: cfg.kubernetes.namespace,
          agentsNamespace: agentsNamespaceFor(cfg.kubernetes.namespace),
          environment: cfg.environment,
          storageClass: cfg.kubernetes.storageClass,
          volumeSize: es.volumeSize,
          heapBytes: sizeBytes(es.heapSize),
          images: { elasticsearch: pulledImage("elasticsearch", mirror), kibana: pulledImage("kibana", mirror), filebeat: pulledImage("filebeat", mirror) },
          resources: {
            elasticsearch: resourcesFor("elasticsearch", cfg.resources),
            kibana: resourcesFor("kibana", cfg.resources),
            filebeat: resourcesFor("filebeat", cfg.resources),
          },
        })
      : undefined;
  return { backend: "elasticsearch", setupRequests, setupScript: elkSetupScript(cfg.platform, setupRequests), eck };
}

export interface StackPlan {
  config: StackConfig;
  urls: StackUrls;
  storage: StoragePlan;
  /** prometheus.yml and blackbox.yml as data; the texts below are rendered from them. */
  prometheus: { document: PrometheusConfigDocument; blackbox: BlackboxConfigDocument };
  prometheusConfig: string;
  blackboxConfig: string;
  rules: RuleFileData[];
  alertmanager: AlertmanagerArtifacts;
  /** `folders`: the teams' dashboard folders (`watchpost:dashboards`), each provisioned into its own Grafana folder. */
  grafana: {
    datasources: Datasource[];
    datasourcesYaml: string;
    dashboardProviderYaml: string;
    dashboards: Record<string, string>;
    folders: TeamFolder[];
    /** Grafana's sign-in (`grafana.sso`) and external database (`grafana.database`), when either is configured. */
    auth?: GrafanaAuthInput;
    /** The team folders' permissions, set through Grafana's API at `url`, when any folder has `permissions`. */
    access?: { url: string; folders: PermittedFolder[] };
  };
  logging?: LoggingPlan;
  tracing?: { backend: TracingBackend; collectorConfig: string; storeConfig: string };
  /** Kubernetes stacks: every chart's values and every object, as the components create them. */
  kubernetes?: KubernetesPlan;
  /** Every file, by synth path. */
  artifacts: Record<string, string>;
}

/**
 * What Grafana's sign-in and database settings are made from: the `grafana` slice and the issuer's
 * gate of `ingress.auth` (the same email domains; none with `allowAnyAccountOfIssuer`).
 */
export function grafanaAuthOf(cfg: StackConfig): GrafanaAuthInput | undefined {
  const { sso, database } = cfg.grafana;
  if (!sso && !database) return undefined;
  const auth = cfg.ingress.auth;
  return { sso, emailDomains: auth && !auth.allowAnyAccountOfIssuer ? auth.emailDomains : [], database };
}

/** The logging backend deployed, if any. */
export function loggingBackend(cfg: StackConfig): "loki" | "elasticsearch" | "none" {
  return cfg.logging.enabled ? cfg.logging.backend : "none";
}

function stackUrls(cfg: StackConfig): StackUrls {
  const backend = loggingBackend(cfg);
  const logging = backend === "loki";
  const elastic = backend === "elasticsearch";
  const tracing = cfg.tracing.enabled ? cfg.tracing.backend : undefined;
  const tracePort = tracing === "jaeger" ? ports.jaegerUi : ports.tempo;
  if (cfg.platform === "docker") {
    const host = cfg.docker.bindAddress === "0.0.0.0" ? "localhost" : cfg.docker.bindAddress;
    const pub = (port: number) => `http://${host}:${port + cfg.docker.portOffset}`;
    return {
      grafana: cfg.grafana.rootUrl ?? pub(ports.grafana),
      grafanaApi: pub(ports.grafana),
      prometheus: pub(ports.prometheus),
      alertmanager: pub(ports.alertmanager),
      loki: logging ? pub(ports.loki) : undefined,
      kibana: elastic ? pub(ports.kibana) : undefined,
      traces: tracing ? pub(tracePort) : undefined,
      internal: {
        prometheus: `http://prometheus:${ports.prometheus}`,
        alertmanager: `http://alertmanager-0:${ports.alertmanager}`,
        loki: logging ? `http://loki:${ports.loki}` : undefined,
        elasticsearch: elastic ? elasticsearchUrl("docker", "") : undefined,
        traces: tracing ? `http://${tracing}:${tracePort}` : undefined,
      },
    };
  }
  const ns = cfg.kubernetes.namespace;
  const svc = (name: string, port: number) => `http://${name}.${ns}.svc:${port}`;
  const internal = {
    prometheus: svc(`${kpsRelease}-prometheus`, ports.prometheus),
    alertmanager: svc(operatedServices.alertmanager, ports.alertmanager),
    loki: logging ? svc("loki", ports.loki) : undefined,
    elasticsearch: elastic ? elasticsearchUrl("kubernetes", ns) : undefined,
    traces: tracing ? svc(tracing, tracePort) : undefined,
  };
  // With an Ingress, links in alerts and Grafana's redirects use the public https:// hosts.
  const domain = cfg.ingress.domain;
  const pub = (role: keyof typeof ingressHosts) => (domain ? `https://${hostFor(role, domain)}` : undefined);
  return {
    grafana: cfg.grafana.rootUrl ?? pub("grafana") ?? svc(`${kpsRelease}-grafana`, 80),
    // Grafana's own Ingress host (not grafana.rootUrl, which may be a proxy's); none without an Ingress.
    grafanaApi: pub("grafana"),
    prometheus: pub("prometheus") ?? internal.prometheus,
    alertmanager: pub("alertmanager") ?? internal.alertmanager,
    loki: internal.loki,
    // Kibana has no Ingress host: reached with kubectl port-forward (README).
    kibana: elastic ? kibanaUrl("kubernetes", ns) : undefined,
    // Tempo has no UI of its own: traces are browsed in Grafana. Jaeger's UI gets its own host.
    traces: (tracing === "jaeger" ? pub("traces") : undefined) ?? internal.traces,
    internal,
  };
}

/**
 * What the rules and the dashboards know about a stack, computed once from the config:
 * both contexts derive from it, so an `alerts.thresholds` override moves an alert and
 * the panel that mirrors it together.
 */
export interface StackFacts {
  environment: string;
  platform: StackConfig["platform"];
  services: StackConfig["services"];
  probes: Array<{ name: string; service?: string; module: StackConfig["probes"][number]["module"] }>;
  exporters: ExporterFlags;
  /** The labels of list-form exporters' instances. */
  exporterInstances: ExporterInstanceLabels;
  logging: LoggingBackend | "none";
  tracing: TracingBackend | "none";
  alerts: StackConfig["alerts"];
  /** `alerts.thresholds` over the defaults. */
  thresholds: Thresholds;
  /** Every notification is kept in Loki (`notifications.history`). */
  alertHistory: boolean;
  grafanaUrl: string;
  retention: string;
  /** `routing.escalation`, as its rules need it. */
  escalation?: RuleContext["escalation"];
}

export function stackFacts(cfg: StackConfig, grafanaUrl: string): StackFacts {
  return {
    environment: cfg.environment,
    platform: cfg.platform,
    services: cfg.services,
    probes: cfg.probes.map((p) => ({ name: p.name, service: p.service, module: p.module })),
    exporters: exporterFlags(cfg.exporters),
    exporterInstances: exporterInstanceLabels(cfg.exporters),
    logging: loggingBackend(cfg),
    tracing: cfg.tracing.enabled ? cfg.tracing.backend : "none",
    alerts: cfg.alerts,
    thresholds: resolveThresholds(cfg.alerts.thresholds),
    alertHistory: cfg.notifications.history.enabled && loggingBackend(cfg) === "loki",
    grafanaUrl,
    retention: cfg.prometheus.retention,
    ...(cfg.routing.escalation === undefined
      ? {}
      : { escalation: { matchers: [...cfg.routing.escalation.matchers], levels: cfg.routing.escalation.levels.map((level) => ({ after: level.after })) } }),
  };
}

export function ruleContext(cfg: StackConfig, grafanaUrl: string): RuleContext {
  return ruleContextOf(stackFacts(cfg, grafanaUrl));
}

function ruleContextOf(facts: StackFacts): RuleContext {
  return {
    environment: facts.environment,
    platform: facts.platform,
    services: facts.services.map((s) => ({ name: s.name, team: s.team, slos: s.slos })),
    probes: facts.probes,
    exporters: facts.exporters,
    ...(Object.keys(facts.exporterInstances).length > 0 ? { exporterInstances: facts.exporterInstances } : {}),
    // Loki's and Alloy's own health; the Elasticsearch backend is watched through its exporter.
    logging: facts.logging === "loki",
    tracing: facts.tracing !== "none",
    alerts: facts.alerts,
    grafanaUrl: facts.grafanaUrl,
    retention: facts.retention,
    ...(facts.escalation === undefined ? {} : { escalation: facts.escalation }),
  };
}

function dashboardContextOf(facts: StackFacts): DashboardContext {
  return {
    environment: facts.environment,
    services: facts.services.map((s) => ({ name: s.name, slos: s.slos.map((slo) => ({ name: slo.name, type: slo.type, objective: slo.objective })) })),
    exporters: facts.exporters,
    ...(Object.keys(facts.exporterInstances).length > 0 ? { exporterInstances: facts.exporterInstances } : {}),
    logging: facts.logging,
    tracing: facts.tracing,
    thresholds: facts.thresholds,
    alertHistory: facts.alertHistory,
  };
}

function datasourceInputOf(cfg: StackConfig, urls: StackUrls): GrafanaRenderInput {
  const tracing = cfg.tracing.enabled ? cfg.tracing.backend : undefined;
  return {
    prometheusUrl: urls.internal.prometheus,
    alertmanagerUrl: urls.internal.alertmanager,
    lokiUrl: urls.internal.loki,
    elasticsearch: urls.internal.elasticsearch ? { url: urls.internal.elasticsearch, tls: cfg.platform === "kubernetes" } : undefined,
    trace: tracing && urls.internal.traces ? { backend: tracing, url: urls.internal.traces } : undefined,
  };
}

/** The datasources Grafana gets on this stack: what the teams' dashboards may use. */
export function stackDatasources(cfg: StackConfig): Datasource[] {
  return grafanaDatasources(datasourceInputOf(cfg, stackUrls(cfg)));
}

/**
 * `aws`: the identifiers the AWS side of an eks stack makes (buckets, role ARNs, certificate, VPC CIDR).
 * @default placeholders such as `<aws:backups-bucket>` (synth); deployStack passes the real Outputs
 */
export function planStack(cfg: StackConfig, aws: AwsWiring | undefined = placeholderWiring(cfg)): StackPlan {
  const urls = stackUrls(cfg);
  const tracing = cfg.tracing.enabled ? cfg.tracing.backend : "none";
  const storage = planPrometheusStorage({
    retention: cfg.prometheus.retention,
    scrapeInterval: cfg.prometheus.scrapeInterval,
    expectedActiveSeries: cfg.prometheus.expectedActiveSeries,
    volumeSize: cfg.prometheus.volumeSize,
  });
  const namespace = cfg.kubernetes.namespace;
  const prometheusDocument = prometheusConfigDocument({
    platform: cfg.platform,
    environment: cfg.environment,
    clusterLabel: cfg.clusterLabel,
    prometheus: cfg.prometheus,
    services: cfg.services,
    probes: cfg.probes,
    exporters: cfg.exporters,
    alertmanagerReplicas: cfg.alertmanager.replicas,
    logging: loggingBackend(cfg) === "loki",
    tracing,
    namespace,
  });
  const prometheusConfig = renderConfigText(prometheusDocument);
  const blackbox = blackboxConfigDocument(cfg.probes);
  const blackboxConfig = renderConfigText(blackbox);
  const facts = stackFacts(cfg, urls.grafana);
  const ruleCtx = ruleContextOf(facts);
  const ruleTexts = renderRuleFiles(ruleCtx);
  const rules: RuleFileData[] = buildRuleFiles(ruleCtx).map((file) => ({ name: file.name, groups: file.groups, content: ruleTexts[file.name] }));
  const backend = loggingBackend(cfg);
  // Every notification also goes to the history's collector, which writes it to Loki (validation
  // refuses the history without the Loki backend).
  const history = facts.alertHistory ? alertHistoryCollectorDocument(urls.internal.loki ?? "") : undefined;
  const alertmanager = renderAlertmanagerConfig({
    notifications: cfg.notifications,
    routing: cfg.routing,
    // A managed PagerDuty service's integration key takes its routing key's file (infra/stack.ts).
    secrets: new Set([...cfg.secrets, ...Object.keys(managedPaging(cfg).keyFiles)]),
    grafanaUrl: urls.grafana,
    alertmanagerUrl: urls.alertmanager,
    environment: cfg.environment,
    historyUrl: history ? alertHistoryUrl(cfg.platform, namespace) : undefined,
    // On eks the Alertmanager's service account has an IAM role (IRSA) that may publish to the topic.
    snsAuth: cfg.profile === "eks" ? "role" : "keys",
  });
  const datasourceInput = datasourceInputOf(cfg, urls);
  const dashboards = renderDashboards(dashboardContextOf(facts));
  const datasources = grafanaDatasources(datasourceInput);
  const team = planTeamDashboards(cfg.dashboards.folders, cfg.dashboards.files, datasources, cfg.environment);
  // Validation refuses such a config first (infra/config/dashboard-checks.ts): this is a programming error.
  if (team.problems.length > 0) throw new Error(`the team dashboards do not check: ${team.problems.map((p) => p.message).join("; ")}`);
  const permitted = team.folders.flatMap((folder, i) => {
    const permissions = cfg.dashboards.folders[i].permissions;
    return permissions === undefined ? [] : [{ name: folder.name, uid: folder.uid, permissions }];
  });
  // Validation refuses permissions where Grafana's API has no address (Kubernetes without an Ingress).
  if (permitted.length > 0 && urls.grafanaApi === undefined) throw new Error("team folder permissions need Grafana's API address, which this platform does not have");
  const grafana = {
    datasources,
    datasourcesYaml: renderGrafanaDatasources(datasourceInput),
    dashboardProviderYaml: renderGrafanaDashboardProvider(team.folders),
    dashboards,
    folders: team.folders,
    auth: grafanaAuthOf(cfg),
    access: urls.grafanaApi !== undefined && permitted.length > 0 ? { url: urls.grafanaApi, folders: permitted } : undefined,
  };
  const logging: LoggingPlan | undefined =
    backend === "loki"
      ? {
          backend,
          lokiConfig: renderLokiConfig(cfg.logging, history ? cfg.notifications.history.retention : undefined),
          alloyConfig: renderAlloyConfig(cfg.platform, urls.internal.loki ?? ""),
          ...(history ? { alertHistoryConfig: renderConfigText(history) } : {}),
        }
      : backend === "elasticsearch"
        ? elasticsearchPlan(cfg)
        : undefined;
  const collectorMiB = Math.floor(sizeBytes(resourcesFor("otelCollector", cfg.resources).memory) / 2 ** 20);
  const traceHost = cfg.platform === "docker" ? cfg.tracing.backend : `${cfg.tracing.backend}.${namespace}.svc`;
  const traceDocuments =
    tracing !== "none"
      ? {
          backend: tracing,
          collector: otelCollectorConfigDocument(traceHost, collectorMiB),
          store: tracing === "tempo" ? tempoConfigDocument(cfg.tracing) : jaegerConfigDocument(cfg.tracing),
        }
      : undefined;
  const tracingPlan = traceDocuments
    ? { backend: traceDocuments.backend, collectorConfig: renderConfigText(traceDocuments.collector), storeConfig: renderConfigText(traceDocuments.store) }
    : undefined;

  const kubernetes =
    cfg.platform === "kubernetes"
      ? planKubernetes(
          cfg,
          {
            grafanaUrl: urls.grafana,
            datasources: grafana.datasources,
            grafanaAuth: grafana.auth,
            teamFolders: grafana.folders,
            rules,
            retentionSize: storage.retentionSize,
            volumeSize: storage.volumeSize,
            scrapeConfigs: prometheusDocument.scrape_configs,
            blackbox,
            alloyConfig: logging?.backend === "loki" ? logging.alloyConfig : undefined,
            alertHistory: history ? { config: history, retention: cfg.notifications.history.retention } : undefined,
            traces: traceDocuments,
            alertmanagerSecretFiles: alertmanager.secretFiles,
          },
          aws,
        )
      : undefined;

  const artifacts: Record<string, string> = {
    "prometheus/prometheus.yml": prometheusConfig,
    "blackbox/blackbox.yml": blackboxConfig,
    "grafana/provisioning/datasources/watchpost.yaml": grafana.datasourcesYaml,
    "grafana/provisioning/dashboards/watchpost.yaml": grafana.dashboardProviderYaml,
    "secrets.yaml": renderSecretsManifest(cfg, alertmanager),
    "storage.txt": `${storage.explanation}\n`,
  };
  for (const file of rules) artifacts[`prometheus/rules/${file.name}`] = file.content;
  for (const [file, content] of Object.entries(alertmanager.files)) artifacts[`alertmanager/${file}`] = content;
  for (const [file, json] of Object.entries(dashboards)) artifacts[`grafana/dashboards/${file}`] = json;
  for (const folder of team.folders) for (const [file, json] of Object.entries(folder.dashboards)) artifacts[`grafana/team-dashboards/${folder.directory}/${file}`] = json;
  // Grafana's sign-in and database settings as it reads them: GF_ variables on Docker, chart values on Kubernetes.
  if (grafana.auth) artifacts["grafana/auth.ini"] = renderIni(grafanaAuthIni(grafana.auth));
  if (logging?.backend === "loki") {
    artifacts["loki/config.yaml"] = logging.lokiConfig;
    artifacts["alloy/config.alloy"] = logging.alloyConfig;
    if (logging.alertHistoryConfig) artifacts["alert-history/config.yaml"] = logging.alertHistoryConfig;
  }
  // The setup step and the bodies it sends, and the ECK resources beside the plan's other Kubernetes
  // objects; Filebeat's and Kibana's Docker config files carry passwords and are made at deploy time.
  if (logging?.backend === "elasticsearch") {
    for (const [file, body] of Object.entries(elkSetupFiles(logging.setupRequests))) artifacts[`elasticsearch/${file}`] = body;
    artifacts["elasticsearch/setup.sh"] = logging.setupScript;
    for (const resource of Object.values(logging.eck ?? {}))
      artifacts[`kubernetes/${resource.kind.toLowerCase()}/${resource.metadata.name}.yaml`] = stringify(resource, { lineWidth: 0 });
  }
  if (tracingPlan) {
    artifacts["otel-collector/config.yaml"] = tracingPlan.collectorConfig;
    artifacts[`${tracingPlan.backend}/config.yaml`] = tracingPlan.storeConfig;
  }
  if (kubernetes) Object.assign(artifacts, kubernetesArtifacts(kubernetes));
  return {
    config: cfg,
    urls,
    storage,
    prometheus: { document: prometheusDocument, blackbox },
    prometheusConfig,
    blackboxConfig,
    rules,
    alertmanager,
    grafana,
    logging,
    tracing: tracingPlan,
    kubernetes,
    artifacts,
  };
}

/** Which secret goes where: names and mount paths only, never values. */
function renderSecretsManifest(cfg: StackConfig, am: AlertmanagerArtifacts): string {
  const entries = [...cfg.secrets].sort().map((key: SecretKey) => ({
    key: `watchpost:${key}`,
    what: secretDescription(key),
    mountedAt:
      am.secretFiles[key] ??
      (key === "snsAccessKeyId" || key === "snsSecretAccessKey" ? am.secretFiles.snsCredentials : undefined) ??
      (key in remoteWriteSecretFiles
        ? `${remoteWriteSecretFiles[key as keyof typeof remoteWriteSecretFiles]} (Docker) or Secret ${remoteWriteSecretName} (Kubernetes)`
        : key in grafanaSecretKeys
          ? `${grafanaSecretFiles[key as keyof typeof grafanaSecretKeys]} in Grafana's container: an uploaded file (Docker) or Secret ${grafanaSecretName} (Kubernetes)`
          : "(exporter, ingress or cluster credential: a Kubernetes Secret or container secret file; see README)"),
  }));
  return stringify(
    {
      generated: {
        "grafana-admin-password": "generated by @pulumi/random; mounted at /run/secrets/grafana-admin-password (Docker) or Secret watchpost-grafana-admin (Kubernetes)",
      },
      secrets: entries,
    },
    { lineWidth: 0 },
  );
}
