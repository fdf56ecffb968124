/**
 * Every image tag and Helm chart version Watchpost deploys, in one place.
 * Bumping a version is a one-line change here; tests assert that nothing else
 * in the tree names an image or chart version.
 */

export const images = {
  prometheus: "quay.io/prometheus/prometheus:v3.16.0",
  alertmanager: "quay.io/prometheus/alertmanager:v0.35.0",
  grafana: "grafana/grafana:13.2.2",
  nodeExporter: "quay.io/prometheus/node-exporter:v1.12.1",
  cadvisor: "ghcr.io/google/cadvisor:0.60.5",
  blackboxExporter: "quay.io/prometheus/blackbox-exporter:v0.28.0",
  postgresExporter: "quay.io/prometheuscommunity/postgres-exporter:v0.20.1",
  redisExporter: "oliver006/redis_exporter:v1.91.1",
  nginxExporter: "nginx/nginx-prometheus-exporter:1.5.3",
  elasticsearchExporter: "quay.io/prometheuscommunity/elasticsearch-exporter:v1.11.0",
  mysqldExporter: "quay.io/prometheus/mysqld-exporter:v0.18.0",
  loki: "grafana/loki:3.7.6",
  alloy: "grafana/alloy:v1.19.2",
  tempo: "grafana/tempo:3.0.3",
  jaeger: "jaegertracing/jaeger:2.21.0",
  otelCollector: "otel/opentelemetry-collector-contrib:0.160.0",
  elasticsearch: "docker.elastic.co/elasticsearch/elasticsearch:9.5.1",
  kibana: "docker.elastic.co/kibana/kibana:9.5.1",
  filebeat: "docker.elastic.co/beats/filebeat:9.5.1",
  /** The ECK operator (Kubernetes): runs Elasticsearch, Kibana and Filebeat from their custom resources. */
  eckOperator: "docker.elastic.co/eck/eck-operator:3.5.0",
  /** OIDC sign-in in front of Prometheus, Alertmanager and the Jaeger UI (Kubernetes). */
  oauth2Proxy: "quay.io/oauth2-proxy/oauth2-proxy:v7.15.4",
  /** Triggers the Prometheus TSDB snapshot in the backup CronJob. */
  curl: "curlimages/curl:8.21.0",
  /** Uploads the TSDB snapshot to S3 in the backup CronJob. */
  awsCli: "public.ecr.aws/aws-cli/aws-cli:2.36.44",
} as const;

export type ImageName = keyof typeof images;

/** The user an image's process runs as when the container does not set one. */
export interface ImageUser {
  uid: number;
  /** Primary group: the one a file's group bits are checked against. */
  gid: number;
  /** Where the uid and gid come from. */
  source: string;
}

/**
 * The user of every pinned image, from its upstream Dockerfile. The Docker platform
 * uses it to run a container that reads secret files in group 0, which owns them
 * (components/platform/docker.ts); adding an image without its user fails to compile.
 */
export const imageUsers = {
  prometheus: { uid: 65534, gid: 65534, source: "prometheus/prometheus Dockerfile: USER nobody (busybox base: nobody 65534, group nogroup 65534)" },
  alertmanager: { uid: 65534, gid: 65534, source: "prometheus/alertmanager Dockerfile: USER nobody" },
  grafana: { uid: 472, gid: 0, source: "grafana/grafana Dockerfile: ARG GF_UID=472, GF_GID=0; USER $GF_UID, whose primary group is root" },
  nodeExporter: { uid: 65534, gid: 65534, source: "prometheus/node_exporter Dockerfile: USER nobody" },
  cadvisor: { uid: 0, gid: 0, source: "google/cadvisor deploy/Dockerfile: no USER (it reads every container's cgroups)" },
  blackboxExporter: { uid: 0, gid: 0, source: "prometheus/blackbox_exporter Dockerfile: no USER, root for ICMP (upstream issue #787)" },
  postgresExporter: { uid: 65534, gid: 65534, source: "prometheus-community/postgres_exporter Dockerfile: USER nobody" },
  redisExporter: { uid: 59000, gid: 59000, source: "oliver006/redis_exporter Dockerfile: USER 59000:59000 (scratch)" },
  nginxExporter: { uid: 1001, gid: 1001, source: "nginx/nginx-prometheus-exporter build/Dockerfile: USER 1001:1001 (scratch)" },
  elasticsearchExporter: { uid: 65534, gid: 65534, source: "prometheus-community/elasticsearch_exporter Dockerfile: USER nobody (busybox base)" },
  mysqldExporter: { uid: 65534, gid: 65534, source: "prometheus/mysqld_exporter Dockerfile: USER nobody (busybox base)" },
  loki: { uid: 10001, gid: 10001, source: "grafana/loki cmd/loki/Dockerfile: adduser -u 10001 -G loki (gid 10001); USER 10001" },
  alloy: { uid: 0, gid: 0, source: "grafana/alloy Dockerfile: creates user alloy (473) but sets no USER" },
  tempo: { uid: 10001, gid: 10001, source: "grafana/tempo cmd/tempo/Dockerfile: USER 10001:10001" },
  jaeger: { uid: 10001, gid: 0, source: "jaegertracing/jaeger cmd/jaeger/Dockerfile: USER ${USER_UID} (10001), no group and no passwd entry, so gid 0" },
  otelCollector: { uid: 10001, gid: 10001, source: "opentelemetry-collector-releases distributions/otelcol-contrib/Dockerfile: USER ${USER_UID}:${USER_GID} (10001:10001)" },
  elasticsearch: { uid: 1000, gid: 0, source: "elastic/elasticsearch Dockerfile: USER 1000:0" },
  kibana: { uid: 1000, gid: 1000, source: "elastic/kibana Dockerfile: useradd --uid 1000 --gid 1000 -G 0; USER 1000" },
  filebeat: { uid: 1000, gid: 1000, source: "elastic/beats filebeat Dockerfile: useradd --uid 1000 --gid 1000 --groups 0; USER filebeat" },
  eckOperator: { uid: 65532, gid: 65532, source: "elastic/cloud-on-k8s build/Dockerfile: gcr.io/distroless/static:nonroot base (65532:65532), no USER of its own" },
  oauth2Proxy: { uid: 65532, gid: 65532, source: "oauth2-proxy Dockerfile: distroless static:nonroot, USER 65532:65532" },
  curl: { uid: 100, gid: 101, source: "curl/curl-container Dockerfile: USER curl_user (alpine adduser -S: uid 100, group curl_group 101)" },
  awsCli: { uid: 0, gid: 0, source: "aws/aws-cli docker/Dockerfile: amazonlinux base, no USER" },
} as const satisfies Record<ImageName, ImageUser>;

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
  /**
   * The prometheus-operator CRDs, installed as their own release before kube-prometheus-stack (whose own CRD
   * install is off). Its appVersion must be the operator release the kube-prometheus-stack chart ships
   * (kube-prometheus-stack 88.5.3: v0.93.1; prometheus-operator-crds 31.0.1: v0.93.1): bump the two together.
   */
  prometheusOperatorCrds: {
    chart: "prometheus-operator-crds",
    version: "31.0.1",
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
  tempo: { chart: "tempo", version: "3.0.0", repo: "https://grafana-community.github.io/helm-charts" },
  alloy: { chart: "alloy", version: "1.11.1", repo: "https://grafana.github.io/helm-charts" },
  jaeger: { chart: "jaeger", version: "4.11.1", repo: "https://jaegertracing.github.io/helm-charts" },
  otelCollector: {
    chart: "opentelemetry-collector",
    version: "0.170.0",
    repo: "https://open-telemetry.github.io/opentelemetry-helm-charts",
  },
  certManager: { chart: "cert-manager", version: "v1.21.1", repo: "https://charts.jetstack.io" },
  eckOperator: { chart: "eck-operator", version: "3.5.0", repo: "https://helm.elastic.co" },
  /** The ECK CRDs: the eck-operator chart's own dependency, installed as a release of its own before the operator. */
  eckOperatorCrds: { chart: "eck-operator-crds", version: "3.5.0", repo: "https://helm.elastic.co" },
  awsLoadBalancerController: {
    chart: "aws-load-balancer-controller",
    version: "3.5.0",
    repo: "https://aws.github.io/eks-charts",
  },
} as const satisfies Record<string, ChartRef>;

export type ChartName = keyof typeof charts;

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
