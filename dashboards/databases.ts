/**
 * Database & cache: PostgreSQL, Redis and Elasticsearch, one row each, and
 * only for the exporters the stack configures — an empty row would read as
 * "healthy and idle" when it means "not watched".
 */
import type { Dashboard, DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { dashboardUids, jobs } from "../model/conventions";
import type { DashboardContext } from "./context";
import { baseDashboard, finish, notePanel, prom, row, stacked, statPanel, thresholds, timeseriesPanel, upDownMappings } from "./base";
import { byJob, eq, rate, sel } from "./selectors";

function postgresRow(builder: DashboardBuilder): void {
  const pg = byJob(jobs.postgres);
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

function redisRow(builder: DashboardBuilder): void {
  const redis = byJob(jobs.redis);
  const hits = rate(sel("redis_keyspace_hits_total", redis));
  const misses = rate(sel("redis_keyspace_misses_total", redis));
  builder
    .withRow(row("Redis"))
    .withPanel(
      statPanel({
        title: "Redis up",
        description: "Whether redis_exporter can reach the Redis server.",
        targets: [prom(`min(${sel("redis_up", redis)})`, { instant: true })],
      }).mappings(upDownMappings),
    )
    .withPanel(
      statPanel({
        title: "Memory used of maxmemory",
        description: "Used memory as a share of maxmemory. Empty when maxmemory is unlimited (0): then only the host's memory limits Redis.",
        // `> 0` drops the unlimited case instead of dividing by zero.
        targets: [prom(`max(${sel("redis_memory_used_bytes", redis)} / (${sel("redis_memory_max_bytes", redis)} > 0))`, { instant: true })],
        unit: "percentunit",
      })
        .thresholds(thresholds([null, "green"], [0.8, "orange"], [0.95, "red"]))
        .noValue("no maxmemory"),
    )
    .withPanel(
      statPanel({
        title: "Hit ratio",
        description: "Share of key lookups that found the key. A falling ratio means the cache is cold, too small, or keys expire too early.",
        targets: [prom(`sum(${hits}) / (sum(${hits}) + sum(${misses}))`, { instant: true })],
        unit: "percentunit",
      }).thresholds(thresholds([null, "red"], [0.8, "orange"], [0.9, "green"])),
    )
    .withPanel(
      statPanel({
        title: "Connected clients",
        description: "Client connections open now.",
        targets: [prom(`sum(${sel("redis_connected_clients", redis)})`, { instant: true })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Memory",
        description: "Memory Redis uses, against its maxmemory limit when one is set.",
        targets: [
          prom(sel("redis_memory_used_bytes", redis), { legend: "{{instance}} used" }),
          prom(`${sel("redis_memory_max_bytes", redis)} > 0`, { legend: "{{instance}} max" }),
        ],
        unit: "bytes",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Evictions",
        description: "Keys evicted per second to stay under maxmemory. Evictions of keys the application still needs show up as misses.",
        targets: [prom(`sum by (instance) (${rate(sel("redis_evicted_keys_total", redis))})`, { legend: "{{instance}}" })],
        unit: "ops",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Commands",
        description: "Commands processed per second.",
        targets: [prom(`sum by (instance) (${rate(sel("redis_commands_processed_total", redis))})`, { legend: "{{instance}}" })],
        unit: "ops",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Keys",
        description: "Keys per logical database.",
        targets: [prom(`sum by (db) (${sel("redis_db_keys", redis)})`, { legend: "{{db}}" })],
      }),
    );
}

function elasticsearchRow(builder: DashboardBuilder): void {
  const es = byJob(jobs.elasticsearch);
  const heap = { area: eq("heap") };
  builder
    .withRow(row("Elasticsearch"))
    .withPanel(
      statPanel({
        title: "Cluster status",
        description: "Elasticsearch cluster health. Yellow: replicas unassigned, data still complete. Red: primary shards missing.",
        targets: [prom(`max by (color) (${sel("elasticsearch_cluster_health_status", es)}) == 1`, { instant: true, legend: "{{color}}" })],
      }),
    )
    .withPanel(
      statPanel({
        title: "Nodes",
        description: "Nodes in the cluster, as the cluster itself reports.",
        targets: [prom(`max(${sel("elasticsearch_cluster_health_number_of_nodes", es)})`, { instant: true })],
      }),
    )
    .withPanel(
      statPanel({
        title: "Unassigned shards",
        description: "Shards no node holds. Above zero the cluster is yellow or red.",
        targets: [prom(`max(${sel("elasticsearch_cluster_health_unassigned_shards", es)})`, { instant: true })],
      }).thresholds(thresholds([null, "green"], [1, "orange"])),
    )
    .withPanel(
      statPanel({
        title: "Worst heap use",
        description: "The fullest JVM heap of any node. Sustained values above 85% lead to long garbage-collection pauses.",
        targets: [
          prom(`max(${sel("elasticsearch_jvm_memory_used_bytes", es, heap)} / ${sel("elasticsearch_jvm_memory_max_bytes", es, heap)})`, {
            instant: true,
          }),
        ],
        unit: "percentunit",
      }).thresholds(thresholds([null, "green"], [0.75, "orange"], [0.85, "red"])),
    )
    .withPanel(
      timeseriesPanel({
        title: "Data disk free",
        description: "Share of each node's data path that is free. Elasticsearch stops allocating shards to a node at its disk watermarks.",
        targets: [
          prom(`${sel("elasticsearch_filesystem_data_available_bytes", es)} / ${sel("elasticsearch_filesystem_data_size_bytes", es)}`, {
            legend: "{{name}}",
          }),
        ],
        unit: "percentunit",
      })
        .min(0)
        .max(1)
        .span(24),
    );
}

export function databasesDashboard(ctx: DashboardContext): Dashboard {
  const builder = baseDashboard(dashboardUids.databases, "Database & cache", ctx.environment).description(
    "PostgreSQL, Redis and Elasticsearch, for the exporters this stack configures.",
  );
  if (ctx.exporters.postgres) postgresRow(builder);
  if (ctx.exporters.redis) redisRow(builder);
  if (ctx.exporters.elasticsearch) elasticsearchRow(builder);
  if (!ctx.exporters.postgres && !ctx.exporters.redis && !ctx.exporters.elasticsearch) {
    builder.withPanel(
      notePanel(
        "No database exporters",
        "This stack configures no PostgreSQL, Redis or Elasticsearch exporter. Add one under `watchpost:exporters` to get its row here.",
      ),
    );
  }
  return finish(builder);
}
