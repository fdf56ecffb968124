/**
 * Machines, from node exporter. Every alert keeps `instance`, so routing can
 * inhibit a host's other alerts while HostDown fires for it.
 */
import { jobs } from "../../model/conventions";
import { hostCpuUtilisation, hostFilesystemAvailTrend, hostFilesystemUsage, hostMemoryUtilisation } from "../names";
import { num } from "../promql";
import type { AuthoredAlert, RulePack } from "../types";

const node = `job="${jobs.node}"`;
// Pseudo and container filesystems fill and empty by design.
const realFs = `${node},fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs|fuse.*",mountpoint!~"/(run|var/lib/docker|var/lib/kubelet)/.*"`;
const filesystem = "instance, device, mountpoint";

function usageAlert(resource: "CPU" | "memory" | "disk", name: string, source: string, threshold: number, severity: "warning" | "critical", forDuration: string): AuthoredAlert {
  const where = resource === "disk" ? " ({{ $labels.mountpoint }})" : "";
  return {
    alert: name,
    expr: `${source} > ${num(threshold)}`,
    for: forDuration,
    severity,
    summary: `Host {{ $labels.instance }}${where} ${resource} usage is {{ $value | humanizePercentage }}`,
    description: `${resource === "disk" ? "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is" : `{{ $labels.instance }} is using`} {{ $value | humanizePercentage }} ${resource === "disk" ? "full" : `of its ${resource}`} (threshold ${num(threshold * 100)}% for ${forDuration}).`,
  };
}

export const hostsPack: RulePack = {
  id: "hosts",
  file: "hosts.rules.yml",
  dashboard: "infrastructure",
  enabledByDefault: () => true,
  groups: (_ctx, t) => [
    {
      name: "hosts-recording",
      rules: [
        { record: hostCpuUtilisation, expr: `1 - avg by (instance) (rate(node_cpu_seconds_total{${node},mode="idle"}[5m]))` },
        {
          record: hostMemoryUtilisation,
          expr: `1 - sum by (instance) (node_memory_MemAvailable_bytes{${node}}) / sum by (instance) (node_memory_MemTotal_bytes{${node}})`,
        },
        // Read-only filesystems do not fill; recorded once for the three disk alerts.
        {
          record: hostFilesystemUsage,
          expr: `(1 - node_filesystem_avail_bytes{${realFs}} / node_filesystem_size_bytes{${realFs}})\n` + `and on (${filesystem}) node_filesystem_readonly{${realFs}} == 0`,
        },
      ],
    },
    {
      // A 6-hour trend needs no 15-second resolution: one 5-minute mean every
      // 5 minutes reads each raw sample once and leaves HostDiskWillFillIn24Hours
      // 72 points per filesystem to fit instead of 1,440 (at a 15s scrape).
      name: "hosts-recording-5m",
      interval: "5m",
      rules: [{ record: hostFilesystemAvailTrend, expr: `avg_over_time(node_filesystem_avail_bytes{${realFs}}[5m])` }],
    },
    {
      name: "hosts-alerts",
      rules: [
        {
          alert: "HostDown",
          expr: `up{${node}} == 0`,
          for: "1m",
          severity: "critical",
          summary: "Host {{ $labels.instance }} is down",
          description:
            "node exporter on {{ $labels.instance }} has not answered for over a minute: the machine is down, unreachable, or the exporter stopped. Its other host alerts are inhibited while this fires.",
        },
        usageAlert("CPU", "HostHighCpuUsage", hostCpuUtilisation, t.hostCpuWarning, "warning", "5m"),
        usageAlert("CPU", "HostCriticalCpuUsage", hostCpuUtilisation, t.hostCpuCritical, "critical", "3m"),
        usageAlert("memory", "HostHighMemoryUsage", hostMemoryUtilisation, t.hostMemoryWarning, "warning", "5m"),
        usageAlert("memory", "HostCriticalMemoryUsage", hostMemoryUtilisation, t.hostMemoryCritical, "critical", "2m"),
        usageAlert("disk", "HostHighDiskUsage", hostFilesystemUsage, t.hostDiskWarning, "warning", "5m"),
        usageAlert("disk", "HostCriticalDiskUsage", hostFilesystemUsage, t.hostDiskCritical, "critical", "1m"),
        {
          alert: "HostDiskWillFillIn24Hours",
          // Extrapolating a 6h trend of 5-minute means (their mid-points lag
          // 2.5 minutes, nothing against 24 hours); only for disks already past
          // 60% so a freshly written empty disk does not page.
          expr: `${hostFilesystemUsage} > 0.6\n` + `and on (${filesystem}) predict_linear(${hostFilesystemAvailTrend}[6h], 24 * 3600) < 0`,
          for: "1h",
          severity: "warning",
          summary: "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} will fill within 24 hours",
          description:
            "At the rate of the last 6 hours, {{ $labels.mountpoint }} on {{ $labels.instance }} runs out of space within a day; it is {{ $value | humanizePercentage }} full now.",
        },
        {
          alert: "HostOutOfInodes",
          expr: `node_filesystem_files_free{${realFs}} / node_filesystem_files{${realFs}} < ${num(t.hostInodesFree)}`,
          for: "5m",
          severity: "warning",
          summary: "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is out of inodes",
          description: `Only {{ $value | humanizePercentage }} of inodes are free on {{ $labels.mountpoint }} ({{ $labels.instance }}); new files fail even with space left (threshold ${num(t.hostInodesFree * 100)}%).`,
        },
        {
          alert: "HostNetworkErrors",
          expr:
            `(rate(node_network_receive_errs_total{${node}}[5m]) + rate(node_network_transmit_errs_total{${node}}[5m]))\n` +
            `/ (rate(node_network_receive_packets_total{${node}}[5m]) + rate(node_network_transmit_packets_total{${node}}[5m]))\n` +
            `> ${num(t.hostNetworkErrorRatio)}`,
          for: "5m",
          severity: "warning",
          summary: "Network interface {{ $labels.device }} on {{ $labels.instance }} is dropping packets",
          description: `{{ $value | humanizePercentage }} of packets on {{ $labels.device }} ({{ $labels.instance }}) had errors over 5 minutes (threshold ${num(t.hostNetworkErrorRatio * 100)}%).`,
        },
        {
          alert: "HostClockSkew",
          expr: `abs(node_timex_offset_seconds{${node}}) > ${num(t.hostClockSkewSeconds)}`,
          for: "10m",
          severity: "warning",
          summary: "Clock on {{ $labels.instance }} is off by {{ $value | humanizeDuration }}",
          description: `The clock of {{ $labels.instance }} is {{ $value | humanizeDuration }} away from its NTP reference (threshold ${num(t.hostClockSkewSeconds)}s). Skewed clocks break TLS, token expiry and metric timestamps.`,
        },
      ],
    },
  ],
};
