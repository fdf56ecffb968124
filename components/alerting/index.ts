/**
 * AlertRouting: Alertmanager running the rendered routing configuration, with
 * credentials mounted as files (never in alertmanager.yml). Docker runs N
 * replicas wired as one gossip cluster; Kubernetes runs an Alertmanager CR with
 * a PodDisruptionBudget, and Prometheus reaches every replica through endpoints.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { configPaths, ports } from "../../model/conventions";
import { dockerService, publishedUrl } from "../platform/docker";
import { claimTarget } from "../platform/names";
import { type DockerTarget, type KubernetesTarget, type PlatformTarget, type ResourceOverrides, resourcesFor } from "../platform/targets";
import { type AlertingKubernetesPlan, alertmanagerObjectNames, planKubernetesAlerting } from "./plan";
import { operatedServices, serviceUrl } from "../../model/addresses";
import { type AlertRoutingArgs, alertRoutingDefaults } from "./args";

export type { AlertRoutingArgs } from "./args";
export { alertRoutingDefaults } from "./args";

export { alertmanagerName } from "./plan";

export class AlertRouting extends pulumi.ComponentResource {
  /** URLs a person opens, one per replica on Docker. */
  readonly urls: pulumi.Output<string[]>;
  /** Alertmanager replicas, one gossip cluster. */
  readonly replicas: pulumi.Output<number>;
  private readonly replicaCount: number;

  constructor(name: string, args: AlertRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before anything is registered: a second instance on this target would take the first one's names.
    claimTarget(args.target, "AlertRouting", name);
    super("watchpost:alerting:AlertRouting", name, {}, opts);
    const missing = Object.keys(args.secretFiles).filter((k) => !(k in args.secretValues));
    if (missing.length > 0) {
      throw new pulumi.InputPropertyError({ propertyPath: "secretValues", reason: `no value for secret(s) ${missing.join(", ")} that the rendered config reads` });
    }
    this.replicaCount = args.replicas ?? alertRoutingDefaults.replicas[args.target.kind];
    this.replicas = pulumi.output(this.replicaCount);
    this.urls = args.target.kind === "docker" ? pulumi.output(this.createDocker(name, args, args.target)) : pulumi.output(this.createKubernetes(name, args, args.target));
    this.registerOutputs({ urls: this.urls, replicas: this.replicas });
  }

  private secretPaths(args: AlertRoutingArgs): Record<string, pulumi.Input<string>> {
    return Object.fromEntries(Object.entries(args.secretFiles).map(([key, path]) => [path, args.secretValues[key]]));
  }

  private createDocker(name: string, args: AlertRoutingArgs, target: DockerTarget): string[] {
    const files = Object.fromEntries(Object.entries(args.files).map(([f, c]) => [`${configPaths.alertmanagerDir}/${f}`, c]));
    const peers = Array.from({ length: this.replicaCount }, (_, i) => `alertmanager-${i}:${ports.alertmanagerCluster}`);
    return Array.from({ length: this.replicaCount }, (_, i) => {
      const cluster =
        this.replicaCount > 1
          ? [`--cluster.listen-address=0.0.0.0:${ports.alertmanagerCluster}`, ...peers.filter((_, j) => j !== i).map((p) => `--cluster.peer=${p}`)]
          : ["--cluster.listen-address="];
      dockerService(this, `${name}-alertmanager-${i}`, target, {
        alias: `alertmanager-${i}`,
        image: "alertmanager",
        command: [
          `--config.file=${configPaths.alertmanagerDir}/alertmanager.yml`,
          "--storage.path=/alertmanager",
          `--data.retention=${args.retention ?? alertRoutingDefaults.retention}`,
          `--web.external-url=${publishedUrl(target, ports.alertmanager + i * 100)}`,
          ...cluster,
        ],
        files,
        secretFiles: this.secretPaths(args),
        // SNS with a key pair: the AWS SDK reads it from this mounted file (sigv4 has no *_file fields).
        ...(args.secretFiles.snsCredentials === undefined ? {} : { envs: { AWS_SHARED_CREDENTIALS_FILE: args.secretFiles.snsCredentials } }),
        // Receivers (SMTP smarthost, webhook, heartbeat) may be services on the host.
        reachesHost: true,
        ports: [{ internal: ports.alertmanager, external: ports.alertmanager + i * 100 }],
        dataPath: "/alertmanager",
        healthcheck: ["wget", "-q", "--spider", `http://127.0.0.1:${ports.alertmanager}/-/healthy`],
        resources: resourcesFor("alertmanager", args.resources),
      });
      return publishedUrl(target, ports.alertmanager + i * 100);
    });
  }

  private createKubernetes(name: string, args: AlertRoutingArgs, target: KubernetesTarget): string[] {
    const opts = { parent: this, dependsOn: [...(target.dependsOn ?? []), ...(args.dependsOn ?? [])] };
    const templates = Object.fromEntries(
      Object.entries(args.files)
        .filter(([f]) => f.startsWith("templates/"))
        .map(([f, c]) => [f.slice("templates/".length), c]),
    );
    const config = new k8s.core.v1.Secret(
      `${name}-config`,
      { metadata: { namespace: target.namespace, name: alertmanagerObjectNames.config }, stringData: { "alertmanager.yaml": args.files["alertmanager.yml"] } },
      opts,
    );
    const templatesMap = new k8s.core.v1.ConfigMap(
      `${name}-templates`,
      { metadata: { namespace: target.namespace, name: alertmanagerObjectNames.templates }, data: templates },
      opts,
    );
    const credentials = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: { namespace: target.namespace, name: alertmanagerObjectNames.credentials },
        stringData: Object.fromEntries(Object.keys(args.secretFiles).map((key) => [key, pulumi.secret(args.secretValues[key])])),
      },
      opts,
    );
    const plan =
      args.kubernetes ??
      planKubernetesAlerting({
        namespace: target.namespaceName,
        replicas: this.replicaCount,
        retention: args.retention,
        volumeSize: args.volumeSize,
        storageClass: target.storageClass,
        registryMirror: target.registryMirror,
        resources: args.resources,
        awsSharedCredentialsFile: args.secretFiles.snsCredentials,
      });
    const serviceAccount = plan.serviceAccount
      ? [new k8s.core.v1.ServiceAccount(`${name}-service-account`, { metadata: { ...plan.serviceAccount.metadata, namespace: target.namespace } }, opts)]
      : [];
    new k8s.apiextensions.CustomResource(
      `${name}-alertmanager`,
      { ...plan.alertmanager, metadata: { ...plan.alertmanager.metadata, namespace: target.namespace } },
      { ...opts, dependsOn: [...opts.dependsOn, config, templatesMap, credentials, ...serviceAccount] },
    );
    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      { metadata: { ...plan.podDisruptionBudget.metadata, namespace: target.namespace }, spec: plan.podDisruptionBudget.spec },
      opts,
    );
    return [serviceUrl(operatedServices.alertmanager, target.namespaceName, ports.alertmanager)];
  }
}
