/**
 * PrometheusStack: Prometheus, node exporter, cAdvisor, the blackbox exporter,
 * the exporters of configured backing services, and Grafana with provisioned
 * datasources and dashboards. On Docker as containers on the stack network; on
 * Kubernetes through kube-prometheus-stack, its CRDs applied first on their own.
 */
import * as pulumi from "@pulumi/pulumi";
import { ports } from "../../model/conventions";
import { claimTarget } from "../platform/names";
import type { DockerTarget, KubernetesTarget } from "../platform/targets";
import { createDockerPrometheus } from "./docker";
import { createKubernetesPrometheus } from "./kubernetes";
import type { PrometheusStackArgs } from "./args";

export type { PrometheusStackArgs, RuleFileData } from "./args";
export { prometheusStackDefaults } from "./args";

export class PrometheusStack extends pulumi.ComponentResource {
  /** In-stack URL Grafana and other components use to reach Prometheus. */
  readonly prometheusUrl: pulumi.Output<string>;
  /** URL for a person: published port on Docker, Service DNS on Kubernetes. */
  readonly prometheusPublicUrl: pulumi.Output<string>;
  readonly grafanaUrl: pulumi.Output<string>;
  readonly grafanaAdminUser: pulumi.Output<string>;
  /** Kubernetes only: the CRDs, for components that create monitoring.coreos.com objects. */
  readonly crds?: pulumi.Resource;

  constructor(name: string, args: PrometheusStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before anything is registered: a second instance on this target would take the first one's names.
    claimTarget(args.target, "PrometheusStack", name);
    super("watchpost:metrics:PrometheusStack", name, {}, opts);
    if (args.target.kind === "docker") {
      const out = createDockerPrometheus(this, name, args, args.target as DockerTarget);
      this.prometheusUrl = pulumi.output(`http://prometheus:${ports.prometheus}`);
      this.prometheusPublicUrl = pulumi.output(out.prometheusPublicUrl);
      this.grafanaUrl = pulumi.output(out.grafanaPublicUrl);
    } else {
      const out = createKubernetesPrometheus(this, name, args, args.target as KubernetesTarget);
      this.crds = out.crds;
      this.prometheusUrl = pulumi.output(out.prometheusUrl);
      this.prometheusPublicUrl = pulumi.output(out.prometheusUrl);
      this.grafanaUrl = pulumi.output(args.grafana.rootUrl);
    }
    this.grafanaAdminUser = pulumi.output(args.grafana.adminUser);
    this.registerOutputs({
      prometheusUrl: this.prometheusUrl,
      prometheusPublicUrl: this.prometheusPublicUrl,
      grafanaUrl: this.grafanaUrl,
      grafanaAdminUser: this.grafanaAdminUser,
    });
  }
}
