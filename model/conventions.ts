/**
 * Names shared by every part of Watchpost: ports, datasource uids, labels and
 * in-container paths. Renderers and components read them from here so that the
 * Grafana datasource, the scrape config and the container agree by construction.
 */
import { type ExporterId, exporterIds } from "./vocabulary";

export const ports = {
  prometheus: 9090,
  alertmanager: 9093,
  alertmanagerCluster: 9094,
  grafana: 3000,
  nodeExporter: 9100,
  cadvisor: 8080,
  blackboxExporter: 9115,
  rabbitmqPrometheus: 15692,
  loki: 3100,
  alloy: 12345,
  otlpGrpc: 4317,
  otlpHttp: 4318,
  otelCollectorMetrics: 8888,
  otelCollectorHealth: 13133,
  tempo: 3200,
  jaegerUi: 16686,
  jaegerMetrics: 8888,
  kibana: 5601,
  elasticsearch: 9200,
  /** The alert history's collector: Alertmanager's webhook in. */
  alertHistory: 8088,
} as const;

/** Fixed Grafana datasource uids: dashboards and cross-links refer to these. */
export const datasourceUids = {
  prometheus: "watchpost-prometheus",
  alertmanager: "watchpost-alertmanager",
  loki: "watchpost-loki",
  tempo: "watchpost-tempo",
  jaeger: "watchpost-jaeger",
  elasticsearch: "watchpost-elasticsearch",
} as const;

export const labels = {
  /** Set on every scraped target; equal to the service's name in config. */
  service: "service",
  job: "job",
  environment: "environment",
  cluster: "cluster",
  /** External label that tells Prometheus HA replicas apart. */
  replica: "prometheus_replica",
  severity: "severity",
  team: "team",
  /** Set on the targets of an exporter configured as a list of named instances: the instance's name. */
  instanceName: "instance_name",
} as const;

/** Where each image reads its configuration (Docker uploads and Kubernetes mounts use the same paths). */
export const configPaths = {
  prometheusDir: "/etc/prometheus",
  prometheusRulesDir: "/etc/prometheus/rules",
  /** Remote-write credentials, one file per secret key (Docker). */
  prometheusSecretsDir: "/etc/prometheus/secrets",
  alertmanagerDir: "/etc/alertmanager",
  alertmanagerTemplatesDir: "/etc/alertmanager/templates",
  alertmanagerSecretsDir: "/etc/alertmanager/secrets",
  blackboxConfig: "/etc/blackbox_exporter/config.yml",
  grafanaProvisioning: "/etc/grafana/provisioning",
  grafanaDashboards: "/var/lib/grafana/dashboards",
  /**
   * The teams' dashboard folders (`watchpost:dashboards`), a directory each (Docker): outside the stack's own
   * (a provider reads its path's subdirectories too) and outside Grafana's data volume, so a dashboard removed
   * from a folder leaves with the container it was uploaded to.
   */
  grafanaTeamDashboards: "/etc/grafana/team-dashboards",
  lokiConfig: "/etc/loki/config.yaml",
  alloyConfig: "/etc/alloy/config.alloy",
  otelConfig: "/etc/otelcol-contrib/config.yaml",
  tempoConfig: "/etc/tempo/config.yaml",
  jaegerConfig: "/etc/jaeger/config.yaml",
} as const;

/**
 * The alert history: every notification Alertmanager sends is posted to a collector that writes it
 * to Loki as one log line in the stream `{service_name="<serviceName>"}`.
 */
export const alertHistory = {
  /** The collector's host name (Docker container, Kubernetes Service). */
  host: "alert-history",
  /** The webhook path the collector listens on. */
  path: "/notifications",
  /** Loki's `service_name` label of the stream (the collector's resource attribute `service.name`). */
  serviceName: "alertmanager-notifications",
} as const;

/** Log levels (lower-cased) that count as errors: the ingest pipeline routes these to the errors stream, and the logs dashboard counts them. */
export const logErrorLevels = ["error", "fatal", "critical", "panic"] as const;

export const severities = ["critical", "warning", "info"] as const;
export type Severity = (typeof severities)[number];

const exporterJobs = Object.fromEntries(exporterIds.map((id) => [id, id])) as { readonly [K in ExporterId]: K };

/** Scrape job names. On Kubernetes, ServiceMonitors relabel `job` to these too. */
export const jobs = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  grafana: "grafana",
  node: "node",
  cadvisor: "cadvisor",
  blackbox: "blackbox",
  blackboxExporter: "blackbox-exporter",
  /** Each exporter's job is its id. */
  ...exporterJobs,
  loki: "loki",
  alloy: "alloy",
  otelCollector: "otel-collector",
  tempo: "tempo",
  jaeger: "jaeger",
} as const;

/** Stable dashboard uids; alert `dashboard_url` annotations link to `<grafana>/d/<uid>`. */
export const dashboardUids = {
  overview: "watchpost-overview",
  serviceHealth: "watchpost-service-health",
  infrastructure: "watchpost-infrastructure",
  databases: "watchpost-databases",
  queues: "watchpost-queues",
  slo: "watchpost-slo",
  alerts: "watchpost-alerts",
  uptime: "watchpost-uptime",
  logsTraces: "watchpost-logs-traces",
  selfHealth: "watchpost-self-health",
} as const;

/**
 * Kubernetes service accounts that assume AWS roles through IRSA. The IAM trust
 * policies name them (`system:serviceaccount:<namespace>:<name>`), so the charts
 * and the roles must agree: both read them from here.
 */
export const serviceAccounts = {
  prometheus: "watchpost-prometheus",
  /** Created by the stack on eks when SNS is on, so the Alertmanager can sign with its own IAM role. */
  alertmanager: "watchpost-alertmanager",
  loki: "loki",
  tempo: "tempo",
  backup: "watchpost-backup",
  loadBalancerController: "aws-load-balancer-controller",
} as const;

/** Hostnames under `ingress.domain`. */
export const ingressHosts = {
  grafana: "grafana",
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  traces: "traces",
} as const;

/** The public host of a UI, such as `grafana.monitoring.example.com`. */
export function hostFor(role: keyof typeof ingressHosts, domain: string): string {
  return `${ingressHosts[role]}.${domain}`;
}

/**
 * The application metrics Watchpost's service, SLO, security and queue alerts and dashboards read,
 * with the kind that decides how a service's own metric is mapped onto them (`services[].metrics`):
 * a histogram's `_bucket`, `_count` and `_sum` series follow its base name.
 */
export const applicationMetrics = {
  http_requests_total: "counter",
  http_request_duration_seconds: "histogram",
  auth_failures_total: "counter",
  security_suspicious_uploads_total: "counter",
  queue_jobs_waiting: "gauge",
  queue_jobs_failed_total: "counter",
  db_connection_pool_used: "gauge",
  db_connection_pool_size: "gauge",
} as const;
export type ApplicationMetric = keyof typeof applicationMetrics;

/** The labels of those metrics whose values the alerts and dashboards match or group by. */
export const applicationLabels = ["status_code", "method", "route", "reason", "queue"] as const;
export type ApplicationLabel = (typeof applicationLabels)[number];
