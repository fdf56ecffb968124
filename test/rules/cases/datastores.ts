import { fires, type PackCases, quiet, s } from "./types";

const pg = 'job="postgres",instance="db:9187"';
const db = { instance: "db:9187" };
const connections = (used: number) => [s(`pg_stat_activity_count{${pg},datname="app",state="active"}`, `${used}x10`), s(`pg_settings_max_connections{${pg}}`, "100x10")];
const transactions = (perSecond: number) => [
  s(`pg_stat_database_xact_commit{${pg},datname="app"}`, `0+${perSecond * 60}x20`),
  s(`pg_stat_database_xact_rollback{${pg},datname="app"}`, "0x20"),
];

const redis = 'job="redis",instance="redis:9121"';
const r = { job: "redis", instance: "redis:9121" };
const hits = (hitsPerMin: number, missesPerMin: number) => [
  s(`redis_keyspace_hits_total{${redis}}`, `0+${hitsPerMin}x30`),
  s(`redis_keyspace_misses_total{${redis}}`, `0+${missesPerMin}x30`),
];

export const postgresCases: PackCases = {
  files: ["postgres.rules.yml"],
  cases: [
    fires("PostgresDown", "exporter cannot connect", "3m", [s(`pg_up{${pg}}`, "0x5")], [{ labels: { severity: "critical", job: "postgres", ...db } }]),
    quiet("PostgresDown", "connected", "3m", [s(`pg_up{${pg}}`, "1x5")]),
    fires("PostgresTooManyConnections", "85 of 100", "8m", connections(85), [{ labels: { severity: "warning", ...db }, value: "85%" }]),
    quiet("PostgresTooManyConnections", "75 of 100", "8m", connections(75)),
    fires(
      "PostgresReplicationLag",
      "45s behind",
      "8m",
      [s(`pg_replication_lag_seconds{${pg}}`, "45x10")],
      [{ labels: { severity: "warning", job: "postgres", ...db }, value: "45s" }],
    ),
    quiet("PostgresReplicationLag", "10s behind", "8m", [s(`pg_replication_lag_seconds{${pg}}`, "10x10")]),
    fires("PostgresHighTransactionRate", "1200/s", "15m", transactions(1200), [{ labels: { severity: "warning", ...db }, value: "1.2k" }]),
    quiet("PostgresHighTransactionRate", "800/s", "15m", transactions(800)),
    fires(
      "PostgresSlowQueries",
      "a 2-minute transaction",
      "5m",
      [s(`pg_stat_activity_max_tx_duration{${pg},datname="app",state="active"}`, "120x10")],
      [{ labels: { severity: "warning", datname: "app", ...db }, value: "2m 0s" }],
    ),
    quiet("PostgresSlowQueries", "idle-in-transaction is not a slow query", "5m", [
      s(`pg_stat_activity_max_tx_duration{${pg},datname="app",state="idle in transaction"}`, "120x10"),
    ]),
    fires(
      "PostgresDeadlocks",
      "one deadlock",
      "9m",
      [s(`pg_stat_database_deadlocks{${pg},datname="app"}`, "0x4 1x6")],
      [{ labels: { severity: "warning", datname: "app", ...db }, value: "1" }],
    ),
    quiet("PostgresDeadlocks", "no deadlocks", "9m", [s(`pg_stat_database_deadlocks{${pg},datname="app"}`, "3x10")]),
  ],
};

export const redisCases: PackCases = {
  files: ["redis.rules.yml"],
  cases: [
    fires("RedisDown", "unreachable", "3m", [s(`redis_up{${redis}}`, "0x5")], [{ labels: { severity: "critical", ...r } }]),
    quiet("RedisDown", "reachable", "3m", [s(`redis_up{${redis}}`, "1x5")]),
    fires(
      "RedisHighMemoryUsage",
      "95% of maxmemory",
      "8m",
      [s(`redis_memory_used_bytes{${redis}}`, "95x10"), s(`redis_memory_max_bytes{${redis}}`, "100x10")],
      [{ labels: { severity: "warning", ...r }, value: "95%" }],
    ),
    quiet("RedisHighMemoryUsage", "no maxmemory set", "8m", [s(`redis_memory_used_bytes{${redis}}`, "95x10"), s(`redis_memory_max_bytes{${redis}}`, "0x10")]),
    fires("RedisHighEvictionRate", "20 evictions/s", "10m", [s(`redis_evicted_keys_total{${redis}}`, "0+1200x15")], [{ labels: { severity: "warning", ...r }, value: "20" }]),
    quiet("RedisHighEvictionRate", "5 evictions/s", "10m", [s(`redis_evicted_keys_total{${redis}}`, "0+300x15")]),
    fires("RedisRejectedConnections", "rejections", "6m", [s(`redis_rejected_connections_total{${redis}}`, "0+1x10")], [{ labels: { severity: "critical", ...r }, value: "5" }]),
    quiet("RedisRejectedConnections", "none rejected", "6m", [s(`redis_rejected_connections_total{${redis}}`, "7x10")]),
    fires("RedisLowHitRate", "half the lookups miss", "25m", hits(3000, 3000), [{ labels: { severity: "warning", ...r }, value: "50%" }]),
    quiet("RedisLowHitRate", "95% hits", "25m", hits(5700, 300)),
    quiet("RedisLowHitRate", "an idle cache has no hit rate", "25m", hits(0, 0)),
  ],
};
