/**
 * Renders prometheus.yml and blackbox.yml from plain data. The same function
 * serves both platforms: Docker gets static targets on the stack network,
 * Kubernetes gets service discovery (the operator adds ServiceMonitor jobs).
 */
import { configuredExporters } from "../exporters/index";
import { stringify } from "yaml";
import { configPaths, jobs, labels, ports } from "../../model/conventions";
import type { ExportersSpec, ProbeSpec, PrometheusSpec, RemoteWriteEntry, ServiceSpec } from "./spec";
import type { TracingBackend, Platform } from "../../model/vocabulary";
import { operatedServices, stackHost } from "../../model/addresses";
import { metricRelabelConfigs } from "./metric-mapping";

export type { Platform } from "../../model/vocabulary";

export interface PrometheusRenderInput {
  platform: Platform;
  environment: string;
  clusterLabel: string;
  prometheus: Omit<PrometheusSpec, "remoteWrite"> & { remoteWrite: RemoteWriteEntry[] };
  services: ServiceSpec[];
  probes: ProbeSpec[];
  exporters: ExportersSpec;
  /** Alertmanager replicas; Prometheus sends to every one of them, never through a load balancer. */
  alertmanagerReplicas: number;
  logging: boolean;
  tracing: TracingBackend | "none";
  /** Kubernetes namespace of the stack (service DNS names). */
  namespace: string;
  /** Extra remote-write targets resolved by the platform (e.g. the AMP workspace), with SigV4 region. */
  extraRemoteWrite?: Array<{ url: string; sigv4Region?: string }>;
}

export { stackHost } from "../../model/addresses";

/** One `scrape_configs` entry of prometheus.yml. */
export interface ScrapeConfig {
  job_name: string;
  [key: string]: unknown;
}

function staticJob(job: string, targets: string[], extra: Record<string, unknown> = {}, targetLabels: Record<string, string> = {}): ScrapeConfig {
  return { job_name: job, ...extra, static_configs: [{ targets, labels: { [labels.service]: job, ...targetLabels } }] };
}

/** Exporter jobs; present only when their backing service is configured. */
export function exporterTargets(
  input: Pick<PrometheusRenderInput, "exporters" | "platform" | "namespace">,
): Array<{ job: string; target: string; metricsPath?: string; labels: Record<string, string> }> {
  return configuredExporters(input.exporters).map(({ id, entry, config, process, targetLabels }) => ({
    job: jobs[id],
    // An exporter Watchpost runs is reached by its in-stack name; a service scraped directly, at its own address.
    target: process ? `${stackHost(input.platform, process.name, input.namespace)}:${process.port}` : (entry.directTarget?.(config) ?? ""),
    ...(entry.metricsPath ? { metricsPath: entry.metricsPath } : {}),
    // An instance of a list: its name and labels on every series, so alerts and dashboards tell the instances apart.
    labels: targetLabels,
  }));
}

/**
 * One job per exporter: the single-object form as one static target; the instances of a list as one
 * static group each (one job, so the alert rules select them all), each group with its own labels.
 */
function exporterJobs(input: PrometheusRenderInput): ScrapeConfig[] {
  const targets = exporterTargets(input);
  const jobNames = [...new Set(targets.map((t) => t.job))];
  return jobNames.map((job) => {
    const own = targets.filter((t) => t.job === job);
    const extra = own[0].metricsPath ? { metrics_path: own[0].metricsPath } : {};
    if (own.length === 1 && Object.keys(own[0].labels).length === 0) return staticJob(job, [own[0].target], extra);
    return { job_name: job, ...extra, static_configs: own.map((t) => ({ targets: [t.target], labels: { [labels.service]: job, ...t.labels } })) };
  });
}

/** Jobs for the stack's own components (Docker; on Kubernetes the charts' ServiceMonitors cover them). */
function selfJobs(input: PrometheusRenderInput): ScrapeConfig[] {
  const out: ScrapeConfig[] = [
    staticJob(jobs.prometheus, [`localhost:${ports.prometheus}`]),
    staticJob(jobs.alertmanager, alertmanagerTargets(input)),
    staticJob(jobs.grafana, [`grafana:${ports.grafana}`]),
    staticJob(jobs.node, [`node-exporter:${ports.nodeExporter}`]),
    staticJob(jobs.cadvisor, [`cadvisor:${ports.cadvisor}`]),
    staticJob(jobs.blackboxExporter, [`blackbox-exporter:${ports.blackboxExporter}`]),
  ];
  if (input.logging) {
    out.push(staticJob(jobs.loki, [`loki:${ports.loki}`]), staticJob(jobs.alloy, [`alloy:${ports.alloy}`]));
  }
  if (input.tracing !== "none") {
    out.push(staticJob(jobs.otelCollector, [`otel-collector:${ports.otelCollectorMetrics}`]));
    out.push(input.tracing === "tempo" ? staticJob(jobs.tempo, [`tempo:${ports.tempo}`]) : staticJob(jobs.jaeger, [`jaeger:${ports.jaegerMetrics}`]));
  }
  return out;
}

export function alertmanagerTargets(input: Pick<PrometheusRenderInput, "platform" | "alertmanagerReplicas" | "namespace">): string[] {
  return Array.from({ length: input.alertmanagerReplicas }, (_, i) => `alertmanager-${i}:${ports.alertmanager}`);
}

/** DNS probes resolve the probe's target through this resolver. */
export function dnsResolver(platform: Platform): string {
  return platform === "docker" ? "127.0.0.11:53" : "kube-dns.kube-system.svc:53";
}

function probeJobs(input: PrometheusRenderInput): ScrapeConfig[] {
  const exporter = `${stackHost(input.platform, "blackbox-exporter", input.namespace)}:${ports.blackboxExporter}`;
  return input.probes.map((probe) => {
    const module = probe.module === "dns" ? `dns_${probe.name}` : probe.module;
    const target = probe.module === "dns" ? dnsResolver(input.platform) : probe.target;
    const targetLabels: Record<string, string> = { probe: probe.name };
    if (probe.service) targetLabels[labels.service] = probe.service;
    return {
      job_name: `${jobs.blackbox}-${probe.name}`,
      metrics_path: "/probe",
      params: { module: [module] },
      static_configs: [{ targets: [target], labels: { ...targetLabels, probe_module: probe.module } }],
      relabel_configs: [
        { source_labels: ["__address__"], target_label: "__param_target" },
        { target_label: "instance", replacement: probe.module === "dns" ? probe.target : target },
        { target_label: "__address__", replacement: exporter },
        { target_label: labels.job, replacement: jobs.blackbox },
      ],
    };
  });
}

function serviceJobs(input: PrometheusRenderInput): ScrapeConfig[] {
  if (input.platform === "kubernetes") return []; // ServiceMonitors, one per service
  return input.services.map((svc) => {
    const mapping = metricRelabelConfigs(svc.metrics);
    const job = staticJob(svc.name, svc.targets, { metrics_path: svc.metricsPath, scheme: svc.scheme }, svc.team ? { [labels.team]: svc.team } : {});
    return mapping.length > 0 ? { ...job, metric_relabel_configs: mapping } : job;
  });
}

/** Annotation-based discovery: pods annotated `prometheus.io/scrape: "true"` (Kubernetes only). */
function annotatedPodsJob(): ScrapeConfig {
  const annotation = (name: string) => `__meta_kubernetes_pod_annotation_prometheus_io_${name}`;
  return {
    job_name: "kubernetes-annotated-pods",
    kubernetes_sd_configs: [{ role: "pod" }],
    relabel_configs: [
      { source_labels: [annotation("scrape")], action: "keep", regex: "true" },
      { source_labels: [annotation("path")], action: "replace", target_label: "__metrics_path__", regex: "(.+)" },
      {
        source_labels: ["__address__", annotation("port")],
        action: "replace",
        regex: "([^:]+)(?::\\d+)?;(\\d+)",
        replacement: "$1:$2",
        target_label: "__address__",
      },
      { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
      { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
      { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], target_label: labels.service },
      { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], target_label: labels.job },
    ],
  };
}

/** Scrape jobs that are not ServiceMonitors; on Kubernetes they become `additionalScrapeConfigs`. */
export function scrapeConfigs(input: PrometheusRenderInput): ScrapeConfig[] {
  const exporters = exporterJobs(input);
  if (input.platform === "docker") return [...selfJobs(input), ...serviceJobs(input), ...exporters, ...probeJobs(input)];
  return [annotatedPodsJob(), ...exporters, ...probeJobs(input)];
}

/** Where Prometheus reads each remote-write credential (Docker: uploaded as secret files). */
export const remoteWriteSecretFiles = {
  remoteWritePassword: `${configPaths.prometheusSecretsDir}/remoteWritePassword`,
  remoteWriteBearerToken: `${configPaths.prometheusSecretsDir}/remoteWriteBearerToken`,
} as const;

/** remote_write entries; credentials only as file paths, their values never enter the config. */
export function remoteWriteConfigs(input: PrometheusRenderInput): Array<Record<string, unknown>> {
  return [...input.prometheus.remoteWrite, ...(input.extraRemoteWrite ?? [])].map((rw: RemoteWriteEntry) => ({
    url: rw.url,
    ...(rw.sigv4Region ? { sigv4: { region: rw.sigv4Region } } : {}),
    ...(rw.basicAuth ? { basic_auth: { username: rw.basicAuth.username, password_file: remoteWriteSecretFiles.remoteWritePassword } } : {}),
    ...(rw.bearerToken ? { authorization: { type: "Bearer", credentials_file: remoteWriteSecretFiles.remoteWriteBearerToken } } : {}),
  }));
}

/** prometheus.yml as data: Docker gets its text, Kubernetes its `scrape_configs` as additional scrape configs. */
export interface PrometheusConfigDocument {
  global: Record<string, unknown>;
  alerting: Record<string, unknown>;
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
  remote_write?: Array<Record<string, unknown>>;
}

export function prometheusConfigDocument(input: PrometheusRenderInput): PrometheusConfigDocument {
  const alerting =
    input.platform === "docker"
      ? { alertmanagers: [{ api_version: "v2", static_configs: [{ targets: alertmanagerTargets(input) }] }] }
      : {
          // Endpoints discovery reaches every replica of the gossip cluster directly.
          alertmanagers: [
            {
              api_version: "v2",
              kubernetes_sd_configs: [{ role: "endpoints", namespaces: { names: [input.namespace] } }],
              relabel_configs: [
                { source_labels: ["__meta_kubernetes_service_name"], action: "keep", regex: operatedServices.alertmanager },
                { source_labels: ["__meta_kubernetes_endpoint_port_name"], action: "keep", regex: "http-web" },
              ],
            },
          ],
        };
  const doc: PrometheusConfigDocument = {
    global: {
      scrape_interval: input.prometheus.scrapeInterval,
      evaluation_interval: input.prometheus.evaluationInterval,
      external_labels: { [labels.environment]: input.environment, [labels.cluster]: input.clusterLabel },
    },
    alerting,
    rule_files: [`${configPaths.prometheusRulesDir}/*.yml`],
    scrape_configs: scrapeConfigs(input),
  };
  const remoteWrite = remoteWriteConfigs(input);
  if (remoteWrite.length > 0) doc.remote_write = remoteWrite;
  return doc;
}

export function renderPrometheusConfig(input: PrometheusRenderInput): string {
  return renderConfigText(prometheusConfigDocument(input));
}

/** The one YAML form of our own configuration documents: no line folding. */
export function renderConfigText(doc: unknown): string {
  return stringify(doc, { lineWidth: 0 });
}

/** blackbox.yml as data: the blackbox exporter chart's `config` value, and the file on Docker. */
export interface BlackboxConfigDocument {
  modules: Record<string, unknown>;
}

/** blackbox.yml: one module per probe kind, plus one DNS module per DNS probe (it carries the name to resolve). */
export function blackboxConfigDocument(probes: ProbeSpec[]): BlackboxConfigDocument {
  const modules: Record<string, unknown> = {
    http_2xx: {
      prober: "http",
      timeout: "10s",
      http: { preferred_ip_protocol: "ip4", valid_status_codes: [], follow_redirects: true },
    },
    tcp_connect: { prober: "tcp", timeout: "5s", tcp: { preferred_ip_protocol: "ip4" } },
    tls: { prober: "tcp", timeout: "10s", tcp: { preferred_ip_protocol: "ip4", tls: true } },
  };
  for (const probe of probes.filter((p) => p.module === "dns")) {
    modules[`dns_${probe.name}`] = {
      prober: "dns",
      timeout: "5s",
      dns: { query_name: probe.target, query_type: "A", preferred_ip_protocol: "ip4", valid_rcodes: ["NOERROR"] },
    };
  }
  return { modules };
}

export function renderBlackboxConfig(probes: ProbeSpec[]): string {
  return renderConfigText(blackboxConfigDocument(probes));
}
