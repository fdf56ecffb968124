/** One pinned Helm chart installed as a release in the stack's namespace. */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ChartRef } from "../../model/versions";
import type { KubernetesTarget } from "./targets";

export function helmRelease(
  resourceName: string,
  releaseName: string,
  chart: ChartRef,
  target: KubernetesTarget,
  values: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
  extra: Partial<k8s.helm.v3.ReleaseArgs> = {},
): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    resourceName,
    {
      name: releaseName,
      chart: chart.chart,
      version: chart.version,
      repositoryOpts: { repo: chart.repo },
      namespace: target.namespace,
      values,
      ...extra,
    },
    opts,
  );
}
