/** The MySQL row of the Database & cache dashboard. */
import type { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { jobs } from "../../model/conventions";
import { prom, row, statPanel, thresholds, timeseriesPanel, upDownMappings } from "../base";
import type { DatabaseRow } from "../databases";
import { byJob, rate, sel } from "../selectors";
import type { Matchers } from "../selectors";

function add(builder: DashboardBuilder, scope: Matchers = {}): void {
  const my = { ...byJob(jobs.mysql), ...scope };
  builder
    .withRow(row("MySQL"))
    .withPanel(
      statPanel({
        title: "MySQL up",
        description: "Whether mysqld_exporter can connect to the server.",
        targets: [prom(`min(${sel("mysql_up", my)})`, { instant: true })],
      }).mappings(upDownMappings),
    )
    .withPanel(
      statPanel({
        title: "Connections used",
        description: "Connected threads as a share of max_connections. Near 100% new clients are refused.",
        targets: [
          prom(`max(max by (instance) (${sel("mysql_global_status_threads_connected", my)}) / max by (instance) (${sel("mysql_global_variables_max_connections", my)}))`, {
            instant: true,
          }),
        ],
        unit: "percentunit",
      }).thresholds(thresholds([null, "green"], [0.75, "orange"], [0.9, "red"])),
    )
    .withPanel(
      statPanel({
        title: "Replication lag",
        description: "How far the replica trails its source. Reads from the replica are this stale.",
        targets: [prom(`max(${sel("mysql_slave_status_seconds_behind_master", my)})`, { instant: true })],
        unit: "s",
      })
        .thresholds(thresholds([null, "green"], [30, "orange"], [300, "red"]))
        .noValue("no replica"),
    )
    .withPanel(
      statPanel({
        title: "Uptime",
        description: "Time since the server last started. A short uptime nobody planned is a crash or an out-of-memory kill.",
        targets: [prom(`min(${sel("mysql_global_status_uptime", my)})`, { instant: true })],
        unit: "s",
      }).thresholds(thresholds([null, "orange"], [3600, "green"])),
    )
    .withPanel(
      timeseriesPanel({
        title: "Queries",
        description: "Statements per second, and those slower than long_query_time.",
        targets: [
          prom(`sum by (instance) (${rate(sel("mysql_global_status_queries", my))})`, { legend: "{{instance}} queries" }),
          prom(`sum by (instance) (${rate(sel("mysql_global_status_slow_queries", my))})`, { legend: "{{instance}} slow" }),
        ],
        unit: "reqps",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Threads",
        description: "Connected threads and those running a statement. Many connected but few running is an idle pool; many running is contention.",
        targets: [
          prom(`sum by (instance) (${sel("mysql_global_status_threads_connected", my)})`, { legend: "{{instance}} connected" }),
          prom(`sum by (instance) (${sel("mysql_global_status_threads_running", my)})`, { legend: "{{instance}} running" }),
        ],
      }),
    );
}

export const mysqlRow: DatabaseRow = {
  title: "MySQL",
  add,
  /** mysqld_exporter. Upstream: github.com/prometheus/mysqld_exporter (collector/global_status.go, global_variables.go, slave_status.go). */
  metrics: [
    "mysql_up",
    "mysql_global_status_threads_connected",
    "mysql_global_status_threads_running",
    "mysql_global_variables_max_connections",
    "mysql_slave_status_seconds_behind_master",
    "mysql_global_status_queries",
    "mysql_global_status_slow_queries",
    "mysql_global_status_uptime",
  ],
};
