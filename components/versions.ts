/**
 * Every image tag and Helm chart version Watchpost deploys, in one place.
 * Bumping a version is a one-line change here; tests assert that nothing else
 * in the tree names an image or chart version.
 */

export const images = {
  prometheus: "prom/prometheus:v3.14.0",
  alertmanager: "prom/alertmanager:v0.34.0",
  grafana: "grafana/grafana:13.2.0",
  nodeExporter: "prom/node-exporter:v1.12.1",
  cadvisor: "ghcr.io/google/cadvisor:0.60.5",
  blackboxExporter: "prom/blackbox-exporter:v0.28.0",
  postgresExporter: "prometheuscommunity/postgres-exporter:v0.20.1",
  redisExporter: "oliver006/redis_exporter:v1.89.0",
  nginxExporter: "nginx/nginx-prometheus-exporter:1.5.3",
  elasticsearchExporter: "prometheuscommunity/elasticsearch-exporter:v1.11.0",
  loki: "grafana/loki:3.7.6",
  alloy: "grafana/alloy:v1.18.1",
  tempo: "grafana/tempo:2.10.8",
  jaeger: "jaegertracing/jaeger:2.19.0",
  otelCollector: "otel/opentelemetry-collector-contrib:0.158.0",
  elasticsearch: "docker.elastic.co/elasticsearch/elasticsearch:9.5.1",
  kibana: "docker.elastic.co/kibana/kibana:9.5.1",
  filebeat: "docker.elastic.co/beats/filebeat:9.5.1",
  /** OIDC sign-in in front of Prometheus, Alertmanager and the Jaeger UI (Kubernetes). */
  oauth2Proxy: "quay.io/oauth2-proxy/oauth2-proxy:v7.15.3",
  /** Triggers the Prometheus TSDB snapshot in the backup CronJob. */
  curl: "curlimages/curl:8.12.1",
  /** Uploads the TSDB snapshot to S3 in the backup CronJob. */
  awsCli: "public.ecr.aws/aws-cli/aws-cli:2.36.44",
} as const;

export type ImageName = keyof typeof images;

export interface ChartRef {
  chart: string;
  version: string;
  repo: string;
}

export const charts = {
  kubePrometheusStack: {
    chart: "kube-prometheus-stack",
    version: "88.5.3",
    repo: "https://prometheus-community.github.io/helm-charts",
  },
  blackboxExporter: {
    chart: "prometheus-blackbox-exporter",
    version: "11.17.2",
    repo: "https://prometheus-community.github.io/helm-charts",
  },
  postgresExporter: {
    chart: "prometheus-postgres-exporter",
    version: "8.2.0",
    repo: "https://prometheus-community.github.io/helm-charts",
  },
  redisExporter: {
    chart: "prometheus-redis-exporter",
    version: "6.29.0",
    repo: "https://prometheus-community.github.io/helm-charts",
  },
  elasticsearchExporter: {
    chart: "prometheus-elasticsearch-exporter",
    version: "7.4.0",
    repo: "https://prometheus-community.github.io/helm-charts",
  },
  loki: { chart: "loki", version: "18.11.0", repo: "https://grafana-community.github.io/helm-charts" },
  tempo: { chart: "tempo", version: "2.2.4", repo: "https://grafana-community.github.io/helm-charts" },
  alloy: { chart: "alloy", version: "1.11.1", repo: "https://grafana.github.io/helm-charts" },
  jaeger: { chart: "jaeger", version: "4.11.1", repo: "https://jaegertracing.github.io/helm-charts" },
  otelCollector: {
    chart: "opentelemetry-collector",
    version: "0.170.0",
    repo: "https://open-telemetry.github.io/opentelemetry-helm-charts",
  },
  certManager: { chart: "cert-manager", version: "v1.21.1", repo: "https://charts.jetstack.io" },
  awsLoadBalancerController: {
    chart: "aws-load-balancer-controller",
    version: "3.5.0",
    repo: "https://aws.github.io/eks-charts",
  },
} as const satisfies Record<string, ChartRef>;

/** The prometheus-operator release that kube-prometheus-stack 88.5.3 ships; its CRDs are applied first, on their own. */
export const prometheusOperatorVersion = "v0.93.1";
export const prometheusOperatorCrdsUrl =
  `https://github.com/prometheus-operator/prometheus-operator/releases/download/${prometheusOperatorVersion}/stripped-down-crds.yaml`;

/** Splits "repo/name:tag" into its parts; used to feed chart `image.repository`/`image.tag` values. */
export interface ImageParts {
  /** Everything before the tag, registry host included when the reference names one (`grafana/loki`, `quay.io/oauth2-proxy/oauth2-proxy`). */
  repository: string;
  /** Registry host: `docker.io` where the reference names none. */
  registry: string;
  /** The repository without its registry host, for charts that take `registry` and `repository` apart. */
  path: string;
  tag: string;
}

export function imageParts(name: ImageName): ImageParts {
  const ref: string = images[name];
  const at = ref.lastIndexOf(":");
  const repository = ref.slice(0, at);
  const first = repository.split("/")[0];
  const hasHost = first.includes(".") || first.includes(":");
  return {
    repository,
    registry: hasHost ? first : "docker.io",
    path: hasHost ? repository.slice(first.length + 1) : repository,
    tag: ref.slice(at + 1),
  };
}
