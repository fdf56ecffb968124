/**
 * LoggingStack: Loki with Grafana Alloy shipping container logs (Docker) or
 * pod logs (Kubernetes) to it. Promtail is end-of-life and not used.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { alertHistory, configPaths, ports } from "../../model/conventions";
import { dockerService, publishedUrl } from "../platform/docker";
import { claimTarget } from "../platform/names";
import { type DockerTarget, type KubernetesTarget, type PlatformTarget, type ResourceOverrides, resourcesFor } from "../platform/targets";
import { charts } from "../../model/versions";
import { helmRelease } from "../platform/helm";
import type { LoggingStackArgs } from "./args";
import { planKubernetesLogging } from "./plan";

export { lokiValues } from "./plan";

export type { LoggingStackArgs } from "./args";
export { loggingStackDefaults } from "./args";

export class LoggingStack extends pulumi.ComponentResource {
  /** In-stack Loki URL (Grafana datasource, Alloy). */
  readonly lokiUrl: pulumi.Output<string>;
  /** Loki URL for a person or a script on the host. */
  readonly lokiPublicUrl: pulumi.Output<string>;

  constructor(name: string, args: LoggingStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before anything is registered: a second instance on this target would take the first one's names.
    claimTarget(args.target, "LoggingStack", name);
    super("watchpost:logging:LoggingStack", name, {}, opts);
    if (args.target.kind === "docker") {
      this.createDocker(name, args, args.target);
      this.lokiUrl = pulumi.output(`http://loki:${ports.loki}`);
      this.lokiPublicUrl = pulumi.output(publishedUrl(args.target, ports.loki));
    } else {
      this.createKubernetes(name, args, args.target);
      this.lokiUrl = pulumi.output(`http://loki.${args.target.namespaceName}.svc:${ports.loki}`);
      this.lokiPublicUrl = this.lokiUrl;
    }
    this.registerOutputs({ lokiUrl: this.lokiUrl, lokiPublicUrl: this.lokiPublicUrl });
  }

  private createDocker(name: string, args: LoggingStackArgs, target: DockerTarget) {
    dockerService(this, `${name}-loki`, target, {
      alias: "loki",
      image: "loki",
      command: [`-config.file=${configPaths.lokiConfig}`],
      files: { [configPaths.lokiConfig]: args.lokiConfig },
      ports: [{ internal: ports.loki, external: ports.loki }],
      dataPath: "/loki",
      // The Loki image has no shell or HTTP client to run a health check with.
      resources: resourcesFor("loki", args.resources),
    });
    dockerService(this, `${name}-alloy`, target, {
      alias: "alloy",
      image: "alloy",
      command: ["run", `--server.http.listen-addr=0.0.0.0:${ports.alloy}`, "--storage.path=/var/lib/alloy/data", configPaths.alloyConfig],
      files: { [configPaths.alloyConfig]: args.alloyConfig },
      // Alloy discovers containers, their names and labels, and tails their logs through the Docker API.
      // Read-only applies to the socket file, not to the API: this mount is root on the host (README,
      // "What the dev stack can do to its host", also for why log files are not read instead).
      hostMounts: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }],
      ports: [{ internal: ports.alloy, external: ports.alloy }],
      dataPath: "/var/lib/alloy/data",
      resources: resourcesFor("alloy", args.resources),
    });
    // The alert history's collector: reached by Alertmanager on the stack network only, no published port.
    // Its image is built from scratch, with no shell for a health check command.
    if (args.alertHistoryConfig !== undefined)
      dockerService(this, `${name}-alert-history`, target, {
        alias: alertHistory.host,
        image: "otelCollector",
        command: [`--config=${configPaths.otelConfig}`],
        files: { [configPaths.otelConfig]: args.alertHistoryConfig },
        resources: resourcesFor("alertHistory", args.resources),
      });
  }

  private createKubernetes(name: string, args: LoggingStackArgs, target: KubernetesTarget) {
    const opts = { parent: this, dependsOn: target.dependsOn };
    const plan =
      args.kubernetes ??
      planKubernetesLogging({
        retention: args.retention,
        volumeSize: args.volumeSize,
        resources: args.resources,
        alloyConfig: args.alloyConfig,
        storageClass: target.storageClass,
        registryMirror: target.registryMirror,
        s3: target.aws?.loki,
      });
    helmRelease(`${name}-loki`, "loki", charts.loki, target, plan.charts.loki, opts);
    helmRelease(`${name}-alloy`, "alloy", charts.alloy, target, plan.charts.alloy, opts);
    if (args.alertHistoryConfig !== undefined && !plan.alertHistory)
      throw new pulumi.InputPropertyError({
        propertyPath: "kubernetes",
        reason: "the alert history on Kubernetes needs its planned objects: pass planKubernetesLogging({ ..., alertHistory }) (planStack's kubernetes.logging)",
      });
    if (plan.alertHistory) {
      const { configMap, deployment, service } = plan.alertHistory;
      const inNamespace = (m: { name: string; labels?: Record<string, string> }) => ({ ...m, namespace: target.namespace });
      const config = new k8s.core.v1.ConfigMap(`${name}-alert-history`, { metadata: inNamespace(configMap.metadata), data: configMap.data as Record<string, string> }, opts);
      new k8s.apps.v1.Deployment(
        `${name}-alert-history`,
        { metadata: inNamespace(deployment.metadata), spec: deployment.spec as k8s.types.input.apps.v1.DeploymentSpec },
        { ...opts, dependsOn: [...(target.dependsOn ?? []), config] },
      );
      new k8s.core.v1.Service(`${name}-alert-history`, { metadata: inNamespace(service.metadata), spec: service.spec as k8s.types.input.core.v1.ServiceSpec }, opts);
    }
  }
}
