/**
 * Containers, from cAdvisor. Docker and the kubelet's cAdvisor label the same
 * series differently, so the identifying labels come from a small platform
 * profile rather than conditions sprinkled through each expression.
 */
import { num } from "../promql";
import type { RuleContext, RulePack } from "../types";

interface ContainerProfile {
  /** Labels that name one container. */
  by: string;
  /** Drops the cgroup-level and pause-container series. */
  filter: string;
  /** How the container is named in summaries. */
  who: string;
}

const profiles: Record<RuleContext["platform"], ContainerProfile> = {
  docker: { by: "instance, name", filter: `name!=""`, who: "{{ $labels.name }} on {{ $labels.instance }}" },
  kubernetes: {
    by: "namespace, pod, container",
    filter: `container!="",container!="POD"`,
    who: "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }})",
  },
};

export const containersPack: RulePack = {
  id: "containers",
  file: "containers.rules.yml",
  dashboard: "infrastructure",
  enabledByDefault: () => true,
  groups: (ctx, t) => {
    const { by, filter, who } = profiles[ctx.platform];
    // Docker restarts keep the container id, so its start time changes in place;
    // the kubelet starts a new cgroup (a new series) per restart instead.
    const restarts =
      ctx.platform === "docker"
        ? `sum by (${by}) (changes(container_start_time_seconds{${filter}}[15m]))`
        : `count by (${by}) (last_over_time(container_start_time_seconds{${filter}}[15m])) - 1`;
    return [
      {
        name: "containers-alerts",
        rules: [
          {
            alert: "ContainerHighCpuUsage",
            expr:
              `sum by (${by}) (rate(container_cpu_usage_seconds_total{${filter}}[5m]))\n` +
              `/ (sum by (${by}) (container_spec_cpu_quota{${filter}} > 0) / sum by (${by}) (container_spec_cpu_period{${filter}} > 0))\n` +
              `> ${num(t.containerCpu)}`,
            for: "10m",
            severity: "warning",
            summary: `Container ${who} uses {{ $value | humanizePercentage }} of its CPU limit`,
            description: `${who} has used {{ $value | humanizePercentage }} of its CPU limit for 10 minutes (threshold ${num(t.containerCpu * 100)}%); it is being throttled.`,
          },
          {
            alert: "ContainerHighMemoryUsage",
            expr:
              `sum by (${by}) (container_memory_working_set_bytes{${filter}})\n` +
              `/ sum by (${by}) (container_spec_memory_limit_bytes{${filter}} > 0)\n` +
              `> ${num(t.containerMemoryOfLimit)}`,
            for: "5m",
            severity: "warning",
            summary: `Container ${who} uses {{ $value | humanizePercentage }} of its memory limit`,
            description: `${who} has a working set of {{ $value | humanizePercentage }} of its memory limit (threshold ${num(t.containerMemoryOfLimit * 100)}%); at 100% it is OOM-killed.`,
          },
        ],
      },
      {
        // Restarts and OOM kills are counted over 15 minutes, 60 samples per
        // container at a 15s scrape: the costliest reads of the pack. Neither
        // alert waits a `for`, and an event stays in the window for 15 minutes,
        // so evaluating once a minute reads those windows a quarter as often at
        // the price of reporting an event up to 45 s later (and of seeing two
        // restarts together only when they are at most 14, not 14¾, minutes apart).
        name: "containers-events",
        interval: "1m",
        rules: [
          {
            alert: "ContainerRestarting",
            expr: `${restarts} >= ${num(t.containerRestarts)}`,
            severity: "warning",
            summary: `Container ${who} restarted {{ $value }} times in 15 minutes`,
            description: `${who} restarted {{ $value }} times within 15 minutes (threshold ${num(t.containerRestarts)}). Check its logs from before the restart and its exit code.`,
          },
          {
            alert: "ContainerOomKilled",
            expr: `sum by (${by}) (increase(container_oom_events_total{${filter}}[15m])) > 0`,
            severity: "warning",
            summary: `Container ${who} was OOM-killed`,
            description: `The kernel killed ${who} for running out of memory {{ $value | humanize }} times in 15 minutes.`,
          },
        ],
      },
    ];
  },
};
