/**
 * Infrastructure: hosts (node_exporter) and containers (cAdvisor), plus the
 * NGINX front door when its exporter is configured.
 */
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { dashboardUids, jobs } from "../model/conventions";
import { hostCpuUtilisation, hostMemoryUtilisation } from "../rules/names";
import { alertThresholds, type DashboardContext } from "./context";
import { baseDashboard, exporterInstanceVariable, finish, instanceVariable, prom, row, statPanel, thresholds, timeseriesPanel, upDownMappings } from "./base";
import { byExporterInstance, byInstance, byJob, neq, nre, rate, sel } from "./selectors";

const node = byJob(jobs.node);
const cadvisor = byJob(jobs.cadvisor);
/** Real filesystems only: pseudo and overlay mounts report sizes that mean nothing for capacity. */
const realFilesystems = { fstype: nre("tmpfs|overlay|squashfs|nsfs|ramfs"), mountpoint: neq("") };
const fs = (metric: string) => sel(metric, node, byInstance, realFilesystems);
/** `image!=""` keeps real containers and drops cAdvisor's cgroup hierarchy totals, on Docker and Kubernetes alike. */
const containers = { image: neq("") };
/** Container label on Docker (`name`) and on Kubernetes (`namespace/pod/container`); the absent ones render empty. */
const containerLegend = "{{name}}{{namespace}}/{{pod}}/{{container}}";
/** One series per container, whichever of those labels the platform sets. */
const perContainer = (expr: string) => `sum by (instance, name, namespace, pod, container) (${expr})`;

export function infrastructureDashboard(ctx: DashboardContext): Dashboard {
  // The disk panel turns orange and red where HostHighDiskUsage and HostCriticalDiskUsage fire.
  const alert = alertThresholds(ctx);
  const builder = baseDashboard(dashboardUids.infrastructure, "Infrastructure", ctx.environment)
    .description("CPU, memory, disk and network per host and per container.")
    .withVariable(instanceVariable(sel("node_uname_info", node)))
    .withRow(row("Hosts"))
    .withPanel(
      timeseriesPanel({
        title: "CPU utilisation",
        description: "Share of each host's CPU time spent busy (all cores, 5-minute rate).",
        targets: [prom(sel(hostCpuUtilisation, byInstance), { legend: "{{instance}}" })],
        unit: "percentunit",
      })
        .min(0)
        .max(1),
    )
    .withPanel(
      timeseriesPanel({
        title: "Memory utilisation",
        description: "Share of each host's memory not available to new processes (page cache counts as available).",
        targets: [prom(sel(hostMemoryUtilisation, byInstance), { legend: "{{instance}}" })],
        unit: "percentunit",
      })
        .min(0)
        .max(1),
    )
    .withPanel(
      timeseriesPanel({
        title: "Disk space used",
        description: "Share of each real filesystem that is full. Plan before 85%: databases and Prometheus need headroom to compact.",
        targets: [prom(`1 - ${fs("node_filesystem_avail_bytes")} / ${fs("node_filesystem_size_bytes")}`, { legend: "{{instance}} {{mountpoint}}" })],
        unit: "percentunit",
      })
        .min(0)
        .max(1)
        .thresholds(thresholds([null, "green"], [alert.hostDiskWarning, "orange"], [alert.hostDiskCritical, "red"])),
    )
    .withPanel(
      timeseriesPanel({
        title: "Disk busy",
        description: "Share of time each disk was busy with I/O. Near 100% the disk is the bottleneck.",
        targets: [prom(rate(sel("node_disk_io_time_seconds_total", node, byInstance)), { legend: "{{instance}} {{device}}" })],
        unit: "percentunit",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Network traffic",
        description: "Bytes per second received (positive) and sent (negative) per host, loopback excluded.",
        targets: [
          prom(`sum by (instance) (${rate(sel("node_network_receive_bytes_total", node, byInstance, { device: neq("lo") }))})`, {
            legend: "{{instance}} in",
          }),
          prom(`-sum by (instance) (${rate(sel("node_network_transmit_bytes_total", node, byInstance, { device: neq("lo") }))})`, {
            legend: "{{instance}} out",
          }),
        ],
        unit: "Bps",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Load average (1m)",
        description: "Runnable and waiting processes per host. Compare with the host's core count.",
        targets: [prom(sel("node_load1", node, byInstance), { legend: "{{instance}}" })],
        unit: "short",
      }),
    )
    .withRow(row("Containers"))
    .withPanel(
      timeseriesPanel({
        title: "Container CPU",
        description: "CPU cores used by each container, on every host.",
        targets: [prom(perContainer(rate(sel("container_cpu_usage_seconds_total", cadvisor, containers))), { legend: containerLegend })],
        unit: "short",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Container memory",
        description: "Working-set memory of each container: what the kernel counts against its memory limit.",
        targets: [prom(perContainer(sel("container_memory_working_set_bytes", cadvisor, containers)), { legend: containerLegend })],
        unit: "bytes",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Container network",
        description: "Bytes per second received (positive) and sent (negative) per container.",
        targets: [
          prom(`sum by (instance, name, namespace, pod) (${rate(sel("container_network_receive_bytes_total", cadvisor, containers))})`, {
            legend: "{{name}}{{namespace}}/{{pod}} in",
          }),
          prom(`-sum by (instance, name, namespace, pod) (${rate(sel("container_network_transmit_bytes_total", cadvisor, containers))})`, {
            legend: "{{name}}{{namespace}}/{{pod}} out",
          }),
        ],
        unit: "Bps",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Container filesystem",
        description: "Bytes each container has written to its writable layer. Growth here is data that a restart throws away.",
        targets: [prom(perContainer(sel("container_fs_usage_bytes", cadvisor, containers)), { legend: containerLegend })],
        unit: "bytes",
      }),
    );

  if (ctx.exporters.nginx) {
    // A list of named instances: a variable picks the instances the row shows.
    const listed = ctx.exporterInstances?.nginx !== undefined;
    const nginx = { ...byJob(jobs.nginx), ...(listed ? byExporterInstance("nginx") : {}) };
    if (listed) builder.withVariable(exporterInstanceVariable("nginx", jobs.nginx, "NGINX"));
    builder
      .withRow(row("NGINX"))
      .withPanel(
        statPanel({
          title: "NGINX up",
          description: "Whether the exporter can read NGINX's stub_status page.",
          targets: [prom(`min(${sel("nginx_up", nginx)})`, { instant: true })],
        }).mappings(upDownMappings),
      )
      .withPanel(
        statPanel({
          title: "Active connections",
          description: "Client connections NGINX holds open now, including idle keep-alives.",
          targets: [prom(`sum(${sel("nginx_connections_active", nginx)})`, { instant: true })],
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: "NGINX requests",
          description: "Requests per second NGINX serves, all virtual hosts together.",
          targets: [prom(`sum by (instance) (${rate(sel("nginx_http_requests_total", nginx))})`, { legend: "{{instance}}" })],
          unit: "reqps",
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: "Dropped connections",
          description: "Connections accepted but not handled, per second — NGINX hit a worker_connections or file-descriptor limit.",
          targets: [prom(`sum by (instance) (${rate(sel("nginx_connections_accepted", nginx))} - ${rate(sel("nginx_connections_handled", nginx))})`, { legend: "{{instance}}" })],
          unit: "ops",
        }),
      );
  }
  return finish(builder);
}
