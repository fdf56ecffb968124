/** The Redis row of the Database & cache dashboard. */
import type { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { jobs } from "../../model/conventions";
import { prom, row, statPanel, thresholds, timeseriesPanel, upDownMappings } from "../base";
import type { DatabaseRow } from "../databases";
import { byJob, rate, sel } from "../selectors";
import type { Matchers } from "../selectors";

function add(builder: DashboardBuilder, scope: Matchers = {}): void {
  const redis = { ...byJob(jobs.redis), ...scope };
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

export const redisRow: DatabaseRow = {
  title: "Redis",
  add,
  /** redis_exporter. Upstream: github.com/oliver006/redis_exporter (exporter/metrics.go, INFO field mapping). */
  metrics: [
    "redis_up",
    "redis_memory_used_bytes",
    "redis_memory_max_bytes",
    "redis_keyspace_hits_total",
    "redis_keyspace_misses_total",
    "redis_evicted_keys_total",
    "redis_connected_clients",
    "redis_commands_processed_total",
    "redis_db_keys",
  ],
};
