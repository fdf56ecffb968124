/** The PostgreSQL row of the Database & cache dashboard. */
import type { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { jobs } from "../../model/conventions";
import { prom, row, stacked, statPanel, thresholds, timeseriesPanel, upDownMappings } from "../base";
import type { DatabaseRow } from "../databases";
import { byJob, rate, sel } from "../selectors";
import type { Matchers } from "../selectors";

function add(builder: DashboardBuilder, scope: Matchers = {}): void {
  const pg = { ...byJob(jobs.postgres), ...scope };
  const hits = `sum by (instance) (${rate(sel("pg_stat_database_blks_hit", pg))})`;
  const reads = `sum by (instance) (${rate(sel("pg_stat_database_blks_read", pg))})`;
  builder
    .withRow(row("PostgreSQL"))
    .withPanel(
      statPanel({
        title: "PostgreSQL up",
        description: "Whether postgres_exporter can connect to the server and run its queries.",
        targets: [prom(`min(${sel("pg_up", pg)})`, { instant: true })],
      }).mappings(upDownMappings),
    )
    .withPanel(
      statPanel({
        title: "Connections used",
        description: "Open connections as a share of max_connections. Near 100% new clients are refused.",
        targets: [
          prom(`max(sum by (instance) (${sel("pg_stat_activity_count", pg)}) / max by (instance) (${sel("pg_settings_max_connections", pg)}))`, {
            instant: true,
          }),
        ],
        unit: "percentunit",
      }).thresholds(thresholds([null, "green"], [0.75, "orange"], [0.9, "red"])),
    )
    .withPanel(
      statPanel({
        title: "Cache hit ratio",
        description: "Share of block reads served from shared buffers rather than disk. Below about 99% the working set no longer fits in memory.",
        targets: [prom(`min(${hits} / (${hits} + ${reads}))`, { instant: true })],
        unit: "percentunit",
      }).thresholds(thresholds([null, "red"], [0.95, "orange"], [0.99, "green"])),
    )
    .withPanel(
      statPanel({
        title: "Replication lag",
        description: "How far the replica's replay trails the primary. Reads from the replica are this stale.",
        targets: [prom(`max(${sel("pg_replication_lag_seconds", pg)})`, { instant: true })],
        unit: "s",
      })
        .thresholds(thresholds([null, "green"], [30, "orange"], [300, "red"]))
        .noValue("no replica"),
    )
    .withPanel(
      timeseriesPanel({
        title: "Connections by state",
        description: "Backends by state. Many `idle in transaction` sessions hold locks and block vacuum.",
        targets: [prom(`sum by (state) (${sel("pg_stat_activity_count", pg)})`, { legend: "{{state}}" })],
      }).stacking(stacked()),
    )
    .withPanel(
      timeseriesPanel({
        title: "Transactions",
        description: "Commits and rollbacks per second per database. A rise in rollbacks usually means application errors.",
        targets: [
          prom(`sum by (datname) (${rate(sel("pg_stat_database_xact_commit", pg))})`, { legend: "{{datname}} commit" }),
          prom(`sum by (datname) (${rate(sel("pg_stat_database_xact_rollback", pg))})`, { legend: "{{datname}} rollback" }),
        ],
        unit: "ops",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Deadlocks",
        description: "Deadlocks detected per second. Any sustained value means two code paths take locks in opposite order.",
        targets: [prom(`sum by (datname) (${rate(sel("pg_stat_database_deadlocks", pg))})`, { legend: "{{datname}}" })],
        unit: "ops",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Database size",
        description: "On-disk size of each database.",
        targets: [prom(sel("pg_database_size_bytes", pg), { legend: "{{datname}}" })],
        unit: "bytes",
      }),
    );
}

export const postgresRow: DatabaseRow = {
  title: "PostgreSQL",
  add,
  /** postgres_exporter. Upstream: github.com/prometheus-community/postgres_exporter (collector/ and queries for pg_stat_*). */
  metrics: [
    "pg_up",
    "pg_stat_database_xact_commit",
    "pg_stat_database_xact_rollback",
    "pg_stat_database_blks_hit",
    "pg_stat_database_blks_read",
    "pg_stat_database_deadlocks",
    "pg_settings_max_connections",
    "pg_stat_activity_count",
    "pg_replication_lag_seconds",
    "pg_database_size_bytes",
  ],
};
