/**
 * Workloads and nodes on Kubernetes, from kube-state-metrics and the kubelet.
 */
import { num } from "../promql";
import type { RulePack } from "../types";

export const kubernetesPack: RulePack = {
  id: "kubernetes",
  file: "kubernetes.rules.yml",
  dashboard: "infrastructure",
  enabledByDefault: (ctx) => ctx.platform === "kubernetes",
  groups: (_ctx, t) => [
    {
      name: "kubernetes-alerts",
      rules: [
        {
          alert: "PodCrashLooping",
          // The waiting reason, not the restart counter: back-off makes restarts
          // rare exactly when the pod is most broken.
          expr: `max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1`,
          for: "15m",
          severity: "warning",
          summary: "Pod {{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is crash looping",
          description: "Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} has been in CrashLoopBackOff for 15 minutes.",
        },
        {
          alert: "PodNotReady",
          // Completed Job pods are never ready and are not a problem.
          expr: `sum by (namespace, pod) (kube_pod_status_ready{condition="false"}) > 0\n` + `unless on (namespace, pod) (kube_pod_status_phase{phase="Succeeded"} == 1)`,
          for: "5m",
          severity: "warning",
          summary: "Pod {{ $labels.namespace }}/{{ $labels.pod }} is not ready",
          description: "{{ $labels.namespace }}/{{ $labels.pod }} has not been ready for 5 minutes, so it receives no traffic from its Services.",
        },
        {
          alert: "DeploymentReplicaMismatch",
          expr: `kube_deployment_spec_replicas != kube_deployment_status_replicas_available`,
          for: "15m",
          severity: "warning",
          summary: "Deployment {{ $labels.namespace }}/{{ $labels.deployment }} is missing replicas",
          description:
            "{{ $labels.namespace }}/{{ $labels.deployment }} wants {{ $value }} replicas but has had a different number available for 15 minutes: a rollout is stuck or pods cannot be scheduled.",
        },
        {
          alert: "PVCNearlyFull",
          expr: `kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes > ${num(t.pvcUsage)}`,
          for: "5m",
          severity: "warning",
          summary: "Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full",
          description: `PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full (threshold ${num(t.pvcUsage * 100)}%).`,
        },
        {
          alert: "NodeNotReady",
          expr: `kube_node_status_condition{condition="Ready",status="true"} == 0`,
          for: "5m",
          severity: "critical",
          summary: "Node {{ $labels.node }} is not ready",
          description: "Kubernetes node {{ $labels.node }} has not been Ready for 5 minutes; its pods are being evicted or are unreachable.",
        },
        {
          alert: "NodeMemoryPressure",
          expr: `kube_node_status_condition{condition="MemoryPressure",status="true"} == 1`,
          for: "5m",
          severity: "warning",
          summary: "Node {{ $labels.node }} is under memory pressure",
          description: "The kubelet on {{ $labels.node }} reports MemoryPressure: it is evicting pods and will not admit new ones.",
        },
        {
          alert: "NodeDiskPressure",
          expr: `kube_node_status_condition{condition="DiskPressure",status="true"} == 1`,
          for: "5m",
          severity: "warning",
          summary: "Node {{ $labels.node }} is under disk pressure",
          description: "The kubelet on {{ $labels.node }} reports DiskPressure: it is garbage-collecting images and evicting pods.",
        },
      ],
    },
  ],
};
