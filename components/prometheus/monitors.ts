/**
 * How the prometheus-operator finds a configured service on Kubernetes: a
 * ServiceMonitor (through its Service's endpoints) or a PodMonitor (straight
 * from its pods, for workloads without a Service). Pure: returns the object.
 */
import { labels } from "../../model/conventions";
import type { ServiceSpec } from "./spec";
import { operatorMetricRelabelings } from "./metric-mapping";

export interface MonitorObject {
  apiVersion: "monitoring.coreos.com/v1";
  kind: "ServiceMonitor" | "PodMonitor";
  metadata: { name: string; namespace: string };
  spec: Record<string, unknown>;
}

export function monitorFor(svc: ServiceSpec, namespace: string): MonitorObject {
  const kube = svc.kubernetes ?? { namespace: "default", port: "metrics", discovery: "service" as const };
  // The service's own metric names onto the conventions, as on Docker (metric-mapping.ts).
  const mapping = operatorMetricRelabelings(svc.metrics);
  const endpoint = {
    port: kube.port,
    path: svc.metricsPath,
    scheme: svc.scheme,
    // job and service equal the config name on both platforms, so rules and dashboards match either way.
    relabelings: [
      { action: "replace", targetLabel: labels.job, replacement: svc.name },
      { action: "replace", targetLabel: labels.service, replacement: svc.name },
      ...(svc.team ? [{ action: "replace", targetLabel: labels.team, replacement: svc.team }] : []),
    ],
    ...(mapping.length > 0 ? { metricRelabelings: mapping } : {}),
  };

  const common = {
    namespaceSelector: { matchNames: [kube.namespace] },
    selector: { matchLabels: kube.matchLabels ?? { "app.kubernetes.io/name": svc.name } },
  };
  const pod = kube.discovery === "pod";
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: pod ? "PodMonitor" : "ServiceMonitor",
    metadata: { name: `watchpost-${svc.name}`, namespace },
    spec: pod ? { ...common, podMetricsEndpoints: [endpoint] } : { ...common, endpoints: [endpoint] },
  };
}
