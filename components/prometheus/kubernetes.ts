/** PrometheusStack on Kubernetes: CRDs first, then kube-prometheus-stack and the objects that use them. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ports } from "../../model/conventions";
import { teamFolderObjectName } from "../grafana/dashboards";
import { configuredExporters, exporterSecret } from "../exporters/index";
import { exporterLabels } from "../production/network";
import { type KubernetesTarget, kubeResources, type ResourceName, resourcesFor } from "../platform/targets";
import { charts } from "../../model/versions";
import { helmRelease } from "../platform/helm";
import type { PrometheusStackArgs } from "./args";
import { grafanaSecretValues } from "./grafana-secrets";
import { grafanaSecretKeys, grafanaSecretName } from "../grafana/sso";
import type { RemoteWriteEntry } from "./spec";
import { additionalScrapeConfigsSecret, grafanaAdminSecretName } from "./plan";
import { renderConfigText } from "./render";
import { grafanaSidecarRole } from "./values";

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
  // The plan hands over the charts' values and the objects as data (planStack's `kubernetes.prometheus`); our own text is never read back.
  const plan = args.kubernetes;
  if (!plan)
    throw new pulumi.InputPropertyError({
      propertyPath: "kubernetes",
      reason: `PrometheusStack "${name}" on Kubernetes needs its planned charts and objects: pass planKubernetesPrometheus(...) (planStack's kubernetes.prometheus)`,
    });
  const opts = { parent, dependsOn: target.dependsOn };
  const ns = target.namespaceName;
  // Step 1: the prometheus-operator CRDs, from their own pinned chart (a versioned, signed release
  // rather than a file fetched at deploy time), on their own. Installing them through
  // kube-prometheus-stack in the same step as objects that use them fails on a fresh cluster, and
  // Helm never upgrades a chart's crds/ folder, while this chart ships them as templates it does upgrade.
  const crds = helmRelease(`${name}-crds`, "prometheus-operator-crds", charts.prometheusOperatorCrds, target, {}, opts);
  const afterCrds = { parent, dependsOn: [...(target.dependsOn ?? []), crds] };

  const adminSecret = new k8s.core.v1.Secret(
    `${name}-grafana-admin`,
    {
      metadata: { namespace: target.namespace, name: grafanaAdminSecretName },
      type: "Opaque",
      stringData: { "admin-user": args.grafana.adminUser, "admin-password": pulumi.secret(args.grafana.adminPassword) },
    },
    opts,
  );
  // Grafana's OIDC client secret and database password, mounted where grafana.ini's $__file{…} reads them.
  const grafanaSecrets = Object.entries(grafanaSecretValues(args.grafana));
  const grafanaSecret =
    grafanaSecrets.length > 0
      ? new k8s.core.v1.Secret(
          `${name}-grafana-secrets`,
          {
            metadata: { namespace: target.namespace, name: grafanaSecretName },
            type: "Opaque",
            stringData: Object.fromEntries(grafanaSecrets.map(([key, value]) => [grafanaSecretKeys[key as keyof typeof grafanaSecretKeys], pulumi.secret(value)])),
          },
          opts,
        )
      : undefined;
  const sidecarRole = new k8s.rbac.v1.Role(
    `${name}-grafana-sidecar`,
    {
      metadata: { namespace: target.namespace, name: grafanaSidecarRole.name },
      rules: grafanaSidecarRole.rules.map((r) => ({ ...r, apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    },
    opts,
  );
  const additional = new k8s.core.v1.Secret(
    `${name}-additional-scrape-configs`,
    {
      metadata: { namespace: target.namespace, name: additionalScrapeConfigsSecret.name },
      stringData: { [additionalScrapeConfigsSecret.key]: renderConfigText(plan.scrapeConfigs) },
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
  // The teams' folders: a ConfigMap of each folder's dashboards, which the chart mounts for the folder's provider
  // (components/prometheus/values.ts); Grafana's pod waits for them, so they come first.
  const teamFolders = (args.grafana.folders ?? []).map(
    (folder) =>
      new k8s.core.v1.ConfigMap(
        `${name}-${teamFolderObjectName(folder.directory)}`,
        { metadata: { namespace: target.namespace, name: teamFolderObjectName(folder.directory) }, data: folder.dashboards },
        opts,
      ),
  );
  const release = helmRelease(
    `${name}-kps`,
    kpsRelease,
    charts.kubePrometheusStack,
    target,
    plan.charts[kpsRelease],
    {
      ...afterCrds,
      dependsOn: [
        ...afterCrds.dependsOn,
        adminSecret,
        additional,
        sidecarRole,
        ...teamFolders,
        ...(remoteWriteSecret ? [remoteWriteSecret] : []),
        ...(grafanaSecret ? [grafanaSecret] : []),
      ],
    },
    { skipCrds: true, atomic: true, timeout: 900 },
  );

  for (const rule of plan.rules) {
    new k8s.apiextensions.CustomResource(`${name}-rules-${rule.stem}`, { ...rule.object, metadata: { ...rule.object.metadata, namespace: target.namespace } }, afterCrds);
  }

  for (const { service, object: monitor } of plan.monitors) {
    new k8s.apiextensions.CustomResource(
      `${name}-${monitor.kind.toLowerCase()}-${service}`,
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

  helmRelease(`${name}-blackbox-exporter`, "blackbox-exporter", charts.blackboxExporter, target, plan.charts["blackbox-exporter"], afterCrds);
  createKubernetesExporters(parent, name, args, target, afterCrds);

  return {
    crds,
    release,
    prometheusUrl: `http://${kpsRelease}-prometheus.${ns}.svc:${ports.prometheus}`,
  };
}

/** The exporters the stack configures, as planned: a pinned chart, or our own Deployment; the credentials Secret from the real value. */
function createKubernetesExporters(_parent: pulumi.Resource, name: string, args: PrometheusStackArgs, target: KubernetesTarget, opts: pulumi.CustomResourceOptions) {
  const planned = args.kubernetes?.exporters ?? [];
  for (const configured of configuredExporters(args.exporters)) {
    const { id, config, process } = configured;
    const exporter = planned.find((p) => p.id === id && p.name === process?.name);
    if (!process || !exporter) continue;
    if (exporter.credentials) {
      const secret = exporterSecret(configured, args.exporterSecrets ?? {});
      // The placement builds the Secret's content from the value (a my.cnf, or the bare password); the plan never holds it.
      const placement = process.kubernetes({
        config,
        secret,
        credentials: exporter.credentials,
        registryMirror: target.registryMirror,
        resources: kubeResources(resourcesFor(process.resourceName as ResourceName, args.resources)),
        labels: exporterLabels(id),
      });
      const content = placement.credentialsContent ? placement.credentialsContent(secret) : secret;
      new k8s.core.v1.Secret(
        `${name}-${process.name}-credentials`,
        { metadata: { namespace: target.namespace, name: exporter.credentials.name }, stringData: { [exporter.credentials.key]: pulumi.secret(content ?? "") } },
        opts,
      );
    }
    if (exporter.chart) helmRelease(`${name}-${process.name}`, process.name, charts[exporter.chart.chart], target, exporter.chart.values, opts);
    if (exporter.objects) {
      const { deployment, service } = exporter.objects;
      new k8s.apps.v1.Deployment(
        `${name}-${process.name}`,
        { metadata: { ...deployment.metadata, namespace: target.namespace }, spec: deployment.spec as unknown as k8s.types.input.apps.v1.DeploymentSpec },
        opts,
      );
      new k8s.core.v1.Service(
        `${name}-${process.name}`,
        { metadata: { ...service.metadata, namespace: target.namespace }, spec: service.spec as unknown as k8s.types.input.core.v1.ServiceSpec },
        opts,
      );
    }
  }
}
