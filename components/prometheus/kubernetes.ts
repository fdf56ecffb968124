/** PrometheusStack on Kubernetes: CRDs first, then kube-prometheus-stack and the objects that use them. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ports } from "../../model/conventions";
import { restrictedContainerAs, restrictedPod } from "../platform/security";
import { configuredExporters, exporterSecret } from "../exporters/index";
import type { DeploymentPlacement, ExporterProcess } from "../exporters/types";
import { exporterLabel, exporterLabels } from "../production/network";
import type { ExporterId } from "../../model/vocabulary";
import { type KubernetesTarget, kubeResources, type ResourceName, resourcesFor } from "../platform/targets";
import type { Resources } from "../../model/primitives";
import { charts, prometheusOperatorCrdsUrl } from "../../model/versions";
import { pulledImage } from "../platform/mirror";
import { helmRelease } from "../platform/helm";
import type { PrometheusStackArgs } from "./index";
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
  // Step 1: the prometheus-operator CRDs, server-side applied on their own. Installing them
  // through the chart in the same step as objects that use them fails on a fresh cluster.
  const crds = new k8s.yaml.v2.ConfigFile(`${name}-crds`, { file: prometheusOperatorCrdsUrl }, opts);
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
  const sidecarRole = new k8s.rbac.v1.Role(
    `${name}-grafana-sidecar`,
    { metadata: { namespace: target.namespace, name: grafanaSidecarRole.name }, rules: grafanaSidecarRole.rules.map((r) => ({ ...r, apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })) },
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
  const release = helmRelease(
    `${name}-kps`,
    kpsRelease,
    charts.kubePrometheusStack,
    target,
    plan.charts[kpsRelease],
    { ...afterCrds, dependsOn: [...afterCrds.dependsOn, adminSecret, additional, sidecarRole, ...(remoteWriteSecret ? [remoteWriteSecret] : [])] },
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

/** The exporters the stack configures, each as its registry entry places it: a pinned chart, or our own Deployment. */
function createKubernetesExporters(parent: pulumi.Resource, name: string, args: PrometheusStackArgs, target: KubernetesTarget, opts: pulumi.CustomResourceOptions) {
  for (const { id, entry, config, process } of configuredExporters(args.exporters)) {
    if (!process) continue;
    const secret = exporterSecret(entry, args.exporterSecrets ?? {});
    const credentials = { name: `${process.name}-credentials`, key: "password" };
    const placement = process.kubernetes({
      config,
      secret,
      credentials,
      registryMirror: target.registryMirror,
      resources: kubeResources(resourcesFor(process.resourceName as ResourceName, args.resources)),
      labels: exporterLabels(id),
    });
    const content = placement.credentialsContent ? placement.credentialsContent(secret) : secret;
    if (content !== undefined) {
      new k8s.core.v1.Secret(
        `${name}-${process.name}-credentials`,
        { metadata: { namespace: target.namespace, name: credentials.name }, stringData: { [credentials.key]: pulumi.secret(content) } },
        opts,
      );
    }
    if (placement.kind === "chart")
      helmRelease(`${name}-${process.name}`, process.name, charts[placement.chart], target, { fullnameOverride: process.name, ...placement.values }, opts);
    else createExporterDeployment(name, target, id, process, placement, content !== undefined ? credentials.name : undefined, resourcesFor(process.resourceName as ResourceName, args.resources), opts);
  }
}

/**
 * An exporter as our own Deployment and Service, for one whose chart could not run in a namespace
 * that enforces Pod Security "restricted" (NGINX) or that has no chart. Prometheus scrapes it as a
 * static target `<name>.<namespace>.svc:<port>`.
 */
function createExporterDeployment(
  name: string,
  target: KubernetesTarget,
  id: ExporterId,
  process: ExporterProcess<unknown>,
  placement: DeploymentPlacement,
  credentialsSecret: string | undefined,
  resources: Resources,
  opts: pulumi.CustomResourceOptions,
) {
  const selector = { "app.kubernetes.io/name": process.name, "app.kubernetes.io/part-of": "watchpost", ...exporterLabel };
  // The exporter's own label stays out of the selector, which a Deployment cannot change in place.
  const labels = { ...selector, ...exporterLabels(id) };
  const credentials = credentialsSecret && placement.credentialsDir ? { name: "credentials", dir: placement.credentialsDir, secret: credentialsSecret } : undefined;
  new k8s.apps.v1.Deployment(
    `${name}-${process.name}`,
    {
      metadata: { namespace: target.namespace, name: process.name, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPod(placement.uid),
            containers: [
              {
                name: process.name,
                image: pulledImage(process.image, target.registryMirror),
                args: placement.args,
                ports: [{ name: "metrics", containerPort: process.port, protocol: "TCP" }],
                readinessProbe: { httpGet: { path: "/metrics", port: "metrics" }, periodSeconds: 15 },
                resources: kubeResources(resources),
                securityContext: restrictedContainerAs(placement.uid),
                ...(credentials ? { volumeMounts: [{ name: credentials.name, mountPath: credentials.dir, readOnly: true }] } : {}),
              },
            ],
            // Readable by the exporter's user only (the pod's fsGroup is its own group).
            ...(credentials ? { volumes: [{ name: credentials.name, secret: { secretName: credentials.secret, defaultMode: 0o440 } }] } : {}),
          },
        },
      },
    },
    opts,
  );
  new k8s.core.v1.Service(
    `${name}-${process.name}`,
    {
      metadata: { namespace: target.namespace, name: process.name, labels: selector },
      spec: { selector, ports: [{ name: "metrics", port: process.port, targetPort: "metrics", protocol: "TCP" }] },
    },
    opts,
  );
}
