/** PrometheusStack on Kubernetes: CRDs first, then kube-prometheus-stack and the objects that use them. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse, stringify } from "yaml";
import { ports } from "../conventions";
import { restrictedContainerAs, restrictedPod } from "../platform/security";
import { exporterLabel, exporterLabels } from "../production/network";
import { type KubernetesTarget, kubeResources, resourcesFor } from "../platform/targets";
import type { Resources } from "../shared/primitives";
import { charts } from "../versions";
import { pulledImage, pulledImageParts } from "../platform/mirror";
import { helmRelease } from "../platform/helm";
import type { PrometheusStackArgs } from "./index";
import type { RemoteWriteEntry } from "./spec";
import { monitorFor } from "./monitors";
import { grafanaSidecarRole, kubePrometheusStackValues } from "./values";

/** The chart's release name; its Services and the Prometheus CR are named after it. */
export const kpsRelease = "watchpost-kps";
/** The Secret holding remote-write credentials; the Prometheus CR's entries reference its keys. */
export const remoteWriteSecretName = "watchpost-remote-write-credentials";

/** Remote-write entries for the Prometheus CR: SigV4, or credentials by reference to `remoteWriteSecretName`. */
export function remoteWriteSpecs(entries: RemoteWriteEntry[]): Array<Record<string, unknown>> {
  const ref = (key: string) => ({ name: remoteWriteSecretName, key });
  return entries.map((rw) => ({
    url: rw.url,
    ...(rw.sigv4Region ? { sigv4: { region: rw.sigv4Region } } : {}),
    ...(rw.basicAuth ? { basicAuth: { username: ref("username"), password: ref("password") } } : {}),
    ...(rw.bearerToken ? { authorization: { type: "Bearer", credentials: ref("bearer-token") } } : {}),
  }));
}

export function createKubernetesPrometheus(parent: pulumi.Resource, name: string, args: PrometheusStackArgs, target: KubernetesTarget) {
  const opts = { parent, provider: target.provider, dependsOn: target.dependsOn };
  const ns = target.namespaceName;
  // Step 1: the prometheus-operator CRDs, from their own pinned chart (a versioned, signed release
  // rather than a file fetched at deploy time), on their own. Installing them through
  // kube-prometheus-stack in the same step as objects that use them fails on a fresh cluster, and
  // Helm never upgrades a chart's crds/ folder, while this chart ships them as templates it does upgrade.
  const crds = helmRelease(`${name}-crds`, "prometheus-operator-crds", charts.prometheusOperatorCrds, target, {}, opts);
  const afterCrds = { parent, provider: target.provider, dependsOn: [...(target.dependsOn ?? []), crds] };

  const adminSecret = new k8s.core.v1.Secret(
    `${name}-grafana-admin`,
    {
      metadata: { namespace: target.namespace, name: "watchpost-grafana-admin" },
      type: "Opaque",
      stringData: { "admin-user": args.grafana.adminUser, "admin-password": pulumi.secret(args.grafana.adminPassword) },
    },
    opts,
  );
  const sidecarRole = new k8s.rbac.v1.Role(
    `${name}-grafana-sidecar`,
    { metadata: { namespace: target.namespace, name: grafanaSidecarRole.name }, rules: grafanaSidecarRole.rules.map((r) => ({ ...r, apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })) },
    opts,
  );
  const scrapeConfigs = (parse(args.prometheusConfig) as { scrape_configs: unknown[] }).scrape_configs;
  const additional = new k8s.core.v1.Secret(
    `${name}-additional-scrape-configs`,
    {
      metadata: { namespace: target.namespace, name: "watchpost-additional-scrape-configs" },
      stringData: { "scrape-configs.yaml": stringify(scrapeConfigs, { lineWidth: 0 }) },
    },
    opts,
  );
  const credentials = args.remoteWriteCredentials ?? {};
  const remoteWriteSecret =
    credentials.password !== undefined || credentials.bearerToken !== undefined
      ? new k8s.core.v1.Secret(
          `${name}-remote-write-credentials`,
          {
            metadata: { namespace: target.namespace, name: remoteWriteSecretName },
            type: "Opaque",
            stringData: {
              ...(credentials.username !== undefined ? { username: credentials.username } : {}),
              ...(credentials.password !== undefined ? { password: pulumi.secret(credentials.password) } : {}),
              ...(credentials.bearerToken !== undefined ? { "bearer-token": pulumi.secret(credentials.bearerToken) } : {}),
            },
          },
          opts,
        )
      : undefined;
  // Amazon Managed Service for Prometheus: SigV4-signed remote write with the IRSA role of the Prometheus service account.
  const amp = target.aws?.remoteWrite;
  const values = kubePrometheusStackValues({
    namespace: ns,
    environment: args.environment,
    clusterLabel: args.clusterLabel,
    replicas: args.replicas ?? 2,
    scrapeInterval: args.scrapeInterval,
    evaluationInterval: args.evaluationInterval,
    retention: args.retention ?? "30d",
    retentionSize: args.retentionSize,
    volumeSize: args.volumeSize,
    storageClass: target.storageClass,
    additionalScrapeConfigs: { name: "watchpost-additional-scrape-configs", key: "scrape-configs.yaml" },
    remoteWrite: [...(args.remoteWrite ?? []), ...(amp ? [{ url: amp.url, sigv4: { region: amp.region } }] : [])],
    serviceAccountAnnotations: { ...(args.serviceAccountAnnotations ?? {}), ...(amp ? { "eks.amazonaws.com/role-arn": amp.roleArn } : {}) },
    agentsNamespace: target.agentsNamespace,
    enableAdminAPI: args.enableAdminAPI ?? false,
    grafana: {
      adminSecretName: "watchpost-grafana-admin",
      datasources: args.grafana.datasources,
      rootUrl: args.grafana.rootUrl,
      volumeSize: args.grafana.volumeSize ?? "5Gi",
      env: {},
    },
    resources: args.resources,
    registryMirror: target.registryMirror,
  });
  const release = helmRelease(
    `${name}-kps`,
    kpsRelease,
    charts.kubePrometheusStack,
    target,
    values,
    { ...afterCrds, dependsOn: [...afterCrds.dependsOn, adminSecret, additional, sidecarRole, ...(remoteWriteSecret ? [remoteWriteSecret] : [])] },
    { skipCrds: true, atomic: true, timeout: 900 },
  );

  for (const file of args.rules) {
    new k8s.apiextensions.CustomResource(
      `${name}-rules-${file.name.replace(/\.rules\.ya?ml$|\.ya?ml$/, "")}`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { namespace: target.namespace, name: `watchpost-${file.name.replace(/\.rules\.ya?ml$|\.ya?ml$/, "").replace(/[^a-z0-9-]/g, "-")}` },
        spec: { groups: file.groups },
      },
      afterCrds,
    );
  }

  for (const svc of args.services) {
    const monitor = monitorFor(svc, ns);
    new k8s.apiextensions.CustomResource(
      `${name}-${monitor.kind.toLowerCase()}-${svc.name}`,
      { ...monitor, metadata: { ...monitor.metadata, namespace: target.namespace } },
      afterCrds,
    );
  }

  for (const [file, json] of Object.entries(args.grafana.dashboards)) {
    new k8s.core.v1.ConfigMap(
      `${name}-dashboard-${file.replace(/\.json$/, "")}`,
      {
        metadata: { namespace: target.namespace, name: file.replace(/\.json$/, ""), labels: { grafana_dashboard: "1" } },
        data: { [file]: json },
      },
      opts,
    );
  }

  const blackbox = pulledImageParts("blackboxExporter", target.registryMirror);
  helmRelease(
    `${name}-blackbox-exporter`,
    "blackbox-exporter",
    charts.blackboxExporter,
    target,
    {
      fullnameOverride: "blackbox-exporter",
      // The network policies give exporters their egress by this label.
      commonLabels: exporterLabels("blackbox"),
      image: { registry: blackbox.registry, repository: blackbox.path, tag: blackbox.tag },
      config: parse(args.blackboxConfig),
      resources: kubeResources(resourcesFor("blackboxExporter", args.resources)),
      // The chart's container context already drops ALL and runs as 1000; the pod adds the seccomp profile.
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      serviceMonitor: { selfMonitor: { enabled: true, labels: {} } },
    },
    afterCrds,
  );
  createKubernetesExporters(parent, name, args, target, afterCrds);

  return {
    crds,
    release,
    prometheusUrl: `http://${kpsRelease}-prometheus.${ns}.svc:${ports.prometheus}`,
  };
}

function createKubernetesExporters(
  parent: pulumi.Resource,
  name: string,
  args: PrometheusStackArgs,
  target: KubernetesTarget,
  opts: pulumi.CustomResourceOptions,
) {
  const e = args.exporters;
  const secrets = args.exporterSecrets ?? {};
  const mirror = target.registryMirror;
  const release = (role: string, chart: (typeof charts)[keyof typeof charts], values: Record<string, unknown>) =>
    helmRelease(`${name}-${role}`, role, chart, target, { fullnameOverride: role, ...values }, opts);
  const secret = (role: string, key: string, value: pulumi.Input<string>) =>
    new k8s.core.v1.Secret(`${name}-${role}-credentials`, { metadata: { namespace: target.namespace, name: `${role}-credentials` }, stringData: { [key]: pulumi.secret(value) } }, opts);

  const postgres = pulledImageParts("postgresExporter", mirror);
  const redis = pulledImageParts("redisExporter", mirror);
  const elasticsearch = pulledImageParts("elasticsearchExporter", mirror);
  if (e.postgres) {
    if (secrets.postgresPassword) secret("postgres-exporter", "password", secrets.postgresPassword);
    release("postgres-exporter", charts.postgresExporter, {
      config: {
        datasource: {
          host: e.postgres.host,
          port: String(e.postgres.port),
          user: e.postgres.user,
          database: e.postgres.database,
          sslmode: e.postgres.sslMode,
          passwordSecret: { name: "postgres-exporter-credentials", key: "password" },
        },
      },
      podLabels: exporterLabels("postgres"),
      // The pinned image rather than the chart's appVersion, so both platforms run one release.
      image: { registry: postgres.registry, repository: postgres.path, tag: postgres.tag },
      resources: kubeResources(resourcesFor("postgresExporter", args.resources)),
    });
  }
  if (e.redis) {
    if (secrets.redisPassword) secret("redis-exporter", "password", secrets.redisPassword);
    release("redis-exporter", charts.redisExporter, {
      redisAddress: `redis://${e.redis.address}`,
      customLabels: exporterLabels("redis"),
      // The chart takes the repository whole (registry included); the pinned image, not the chart's appVersion.
      image: { repository: redis.repository, tag: redis.tag },
      ...(secrets.redisPassword ? { auth: { enabled: true, secret: { name: "redis-exporter-credentials", key: "password" } } } : {}),
      resources: kubeResources(resourcesFor("redisExporter", args.resources)),
      // The redis_exporter image's own user.
      podSecurityContext: restrictedPod(59000),
      securityContext: restrictedContainerAs(59000),
    });
  }
  if (e.nginx) createNginxExporter(name, target, e.nginx.statusUrl, resourcesFor("nginxExporter", args.resources), opts);
  if (e.elasticsearch) {
    if (secrets.elasticsearchPassword) secret("elasticsearch-exporter", "password", secrets.elasticsearchPassword);
    release("elasticsearch-exporter", charts.elasticsearchExporter, {
      es: { uri: e.elasticsearch.url, all: true, indices: true },
      podLabels: exporterLabels("elasticsearch"),
      // The chart's repository includes its registry; the pinned image, not the chart's appVersion.
      image: { repository: elasticsearch.repository, tag: elasticsearch.tag },
      // The exporter reads ES_USERNAME and ES_PASSWORD; the password comes from the Secret, never from values.
      env: e.elasticsearch.username ? { ES_USERNAME: e.elasticsearch.username } : {},
      extraEnvSecrets: secrets.elasticsearchPassword ? { ES_PASSWORD: { secret: "elasticsearch-exporter-credentials", key: "password" } } : {},
      resources: kubeResources(resourcesFor("elasticsearchExporter", args.resources)),
    });
  }
}

/**
 * The NGINX exporter as our own Deployment and Service: its chart has no securityContext values,
 * so its pod could not run in a namespace that enforces Pod Security "restricted".
 * Prometheus scrapes it as a static target `nginx-exporter.<namespace>.svc:9113`.
 */
function createNginxExporter(name: string, target: KubernetesTarget, statusUrl: string, resources: Resources, opts: pulumi.CustomResourceOptions) {
  const selector = { "app.kubernetes.io/name": "nginx-exporter", "app.kubernetes.io/part-of": "watchpost", ...exporterLabel };
  // The exporter's own label stays out of the selector, which a Deployment cannot change in place.
  const labels = { ...selector, ...exporterLabels("nginx") };
  new k8s.apps.v1.Deployment(
    `${name}-nginx-exporter`,
    {
      metadata: { namespace: target.namespace, name: "nginx-exporter", labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPod(65534),
            containers: [
              {
                name: "nginx-exporter",
                image: pulledImage("nginxExporter", target.registryMirror),
                args: [`--nginx.scrape-uri=${statusUrl}`],
                ports: [{ name: "metrics", containerPort: ports.nginxExporter, protocol: "TCP" }],
                readinessProbe: { httpGet: { path: "/metrics", port: "metrics" }, periodSeconds: 15 },
                resources: kubeResources(resources),
                securityContext: restrictedContainerAs(65534),
              },
            ],
          },
        },
      },
    },
    opts,
  );
  new k8s.core.v1.Service(
    `${name}-nginx-exporter`,
    {
      metadata: { namespace: target.namespace, name: "nginx-exporter", labels: selector },
      spec: { selector, ports: [{ name: "metrics", port: ports.nginxExporter, targetPort: "metrics", protocol: "TCP" }] },
    },
    opts,
  );
}
