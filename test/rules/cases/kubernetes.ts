import { fires, type PackCases, quiet, s } from "./types";

const pod = 'namespace="apps",pod="api-1"';
const condition = (type: string, value: number) => [s(`kube_node_status_condition{node="n1",condition="${type}",status="true"}`, `${value}x10`)];

export const kubernetesCases: PackCases = {
  files: ["kubernetes.rules.yml"],
  cases: [
    fires(
      "PodCrashLooping",
      "in CrashLoopBackOff for 20m",
      "20m",
      [s(`kube_pod_container_status_waiting_reason{${pod},container="api",reason="CrashLoopBackOff"}`, "1x25")],
      [{ labels: { severity: "warning", namespace: "apps", pod: "api-1", container: "api", reason: "CrashLoopBackOff" } }],
    ),
    quiet("PodCrashLooping", "in back-off for 10m only", "10m", [s(`kube_pod_container_status_waiting_reason{${pod},container="api",reason="CrashLoopBackOff"}`, "1x25")]),
    fires(
      "PodNotReady",
      "running but not ready for 7m",
      "7m",
      [s(`kube_pod_status_ready{${pod},condition="false"}`, "1x10"), s(`kube_pod_status_phase{${pod},phase="Running"}`, "1x10")],
      [{ labels: { severity: "warning", namespace: "apps", pod: "api-1" } }],
    ),
    quiet("PodNotReady", "a completed Job pod", "7m", [s(`kube_pod_status_ready{${pod},condition="false"}`, "1x10"), s(`kube_pod_status_phase{${pod},phase="Succeeded"}`, "1x10")]),
    fires(
      "DeploymentReplicaMismatch",
      "2 of 3 available for 20m",
      "20m",
      [s('kube_deployment_spec_replicas{namespace="apps",deployment="api"}', "3x25"), s('kube_deployment_status_replicas_available{namespace="apps",deployment="api"}', "2x25")],
      [{ labels: { severity: "warning", namespace: "apps", deployment: "api" }, value: "3" }],
    ),
    quiet("DeploymentReplicaMismatch", "3 of 3 available", "20m", [
      s('kube_deployment_spec_replicas{namespace="apps",deployment="api"}', "3x25"),
      s('kube_deployment_status_replicas_available{namespace="apps",deployment="api"}', "3x25"),
    ]),
    fires(
      "PVCNearlyFull",
      "95% used",
      "10m",
      [
        s('kubelet_volume_stats_used_bytes{namespace="apps",persistentvolumeclaim="data"}', "95x10"),
        s('kubelet_volume_stats_capacity_bytes{namespace="apps",persistentvolumeclaim="data"}', "100x10"),
      ],
      [{ labels: { severity: "warning", namespace: "apps", persistentvolumeclaim: "data" }, value: "95%" }],
    ),
    quiet("PVCNearlyFull", "85% used", "10m", [
      s('kubelet_volume_stats_used_bytes{namespace="apps",persistentvolumeclaim="data"}', "85x10"),
      s('kubelet_volume_stats_capacity_bytes{namespace="apps",persistentvolumeclaim="data"}', "100x10"),
    ]),
    fires("NodeNotReady", "not ready for 8m", "8m", condition("Ready", 0), [{ labels: { severity: "critical", node: "n1", condition: "Ready", status: "true" } }]),
    quiet("NodeNotReady", "ready", "8m", condition("Ready", 1)),
    fires("NodeMemoryPressure", "under memory pressure", "8m", condition("MemoryPressure", 1), [
      { labels: { severity: "warning", node: "n1", condition: "MemoryPressure", status: "true" } },
    ]),
    quiet("NodeMemoryPressure", "no pressure", "8m", condition("MemoryPressure", 0)),
    fires("NodeDiskPressure", "under disk pressure", "8m", condition("DiskPressure", 1), [
      { labels: { severity: "warning", node: "n1", condition: "DiskPressure", status: "true" } },
    ]),
    quiet("NodeDiskPressure", "no pressure", "8m", condition("DiskPressure", 0)),
  ],
};
