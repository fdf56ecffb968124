/**
 * Names of the Elasticsearch backend that several parts must agree on: the ECK
 * resources and the Secrets the operator makes for them, the in-stack URLs, the
 * log streams and the files the setup step and Grafana read.
 */
import { ports } from "../../../model/conventions";

/** Name of the Elasticsearch and Kibana resources (ECK) and of the Docker containers' aliases' prefix. */
export const elkClusterName = "watchpost";

/** Secrets ECK makes for an Elasticsearch named `elkClusterName` (its documented `<name>-es-*` names). */
export const eckSecrets = {
  /** The `elastic` superuser's password, under the key `elastic`. */
  elasticUser: `${elkClusterName}-es-elastic-user`,
  elasticUserKey: "elastic",
  /** The HTTP layer's CA certificate (`ca.crt`), for clients that verify the cluster. */
  httpCa: `${elkClusterName}-es-http-certs-public`,
} as const;

/** The built-in superuser the setup step, Grafana and the exporter sign in as. */
export const elasticUser = "elastic";

/**
 * In-stack URL of Elasticsearch. Docker: plain HTTP on the stack network, security on.
 * Kubernetes: the operator's `<name>-es-http` Service, TLS with the operator's CA.
 */
export function elasticsearchUrl(platform: "docker" | "kubernetes", namespace: string): string {
  return platform === "docker" ? `http://elasticsearch:${ports.elasticsearch}` : `https://${elkClusterName}-es-http.${namespace}.svc:${ports.elasticsearch}`;
}

/** In-stack URL of Kibana (the operator's `<name>-kb-http` Service serves TLS). */
export function kibanaUrl(platform: "docker" | "kubernetes", namespace: string): string {
  return platform === "docker" ? `http://kibana:${ports.kibana}` : `https://${elkClusterName}-kb-http.${namespace}.svc:${ports.kibana}`;
}

/**
 * Files Grafana reads the cluster's credentials from: on Docker secret uploads, on Kubernetes the
 * operator's Secrets mounted whole (so the file names are the Secrets' keys).
 */
export const grafanaElasticsearchFiles = {
  passwordDir: "/etc/grafana/elasticsearch-user",
  password: `/etc/grafana/elasticsearch-user/${eckSecrets.elasticUserKey}`,
  caDir: "/etc/grafana/elasticsearch-ca",
  ca: "/etc/grafana/elasticsearch-ca/ca.crt",
} as const;

/**
 * The log streams: every line lands in `app-logs-<environment>` unless the ingest pipeline
 * reroutes it to one of the others. Data streams, so rollover and ILM need no aliases.
 */
export const logStreams = ["app-logs", "errors", "security", "performance"] as const;
export type LogStream = (typeof logStreams)[number];

/** The data stream of one log type in one environment (`errors-prod`); Kibana's data views match `<stream>-*`. */
export function streamName(stream: LogStream, environment: string): string {
  return `${stream}-${environment}`;
}

/** Name of the ingest pipeline, the ILM policy and the component template. */
export const elkObjectNames = {
  pipeline: "watchpost-logs",
  policy: "watchpost-logs",
  mappings: "watchpost-logs-mappings",
} as const;

/** Pod labels of the backend's parts on Kubernetes: the operator's chart and ECK label them so; the setup Job is ours. */
export const elkPodLabels = {
  operator: { "app.kubernetes.io/name": "elastic-operator" },
  elasticsearch: { "elasticsearch.k8s.elastic.co/cluster-name": elkClusterName },
  kibana: { "kibana.k8s.elastic.co/name": elkClusterName },
  filebeat: { "beat.k8s.elastic.co/name": elkClusterName },
  setup: { "app.kubernetes.io/name": "watchpost-elk-setup" },
} as const;

/** Where the setup step reads each password: Docker secret uploads; on Kubernetes the Secrets mounted (the operator's for `elastic`). */
export const setupSecretFiles = {
  docker: { elastic: "/run/secrets/elastic-password", kibanaSystem: "/run/secrets/kibana-system-password", shipper: "/run/secrets/shipper-password" },
  kubernetes: { elastic: "/etc/elastic-user/password", shipper: "/etc/shipper-user/password", ca: "/etc/elasticsearch-ca/ca.crt" },
} as const;
