/**
 * PostgreSQL, from postgres_exporter (default collectors).
 */
import { jobs } from "../../model/conventions";
import { num } from "../promql";
import type { RulePack } from "../types";

const pg = `job="${jobs.postgres}"`;

export const postgresPack: RulePack = {
  id: "postgres",
  file: "postgres.rules.yml",
  dashboard: "databases",
  enabledByDefault: (ctx) => ctx.exporters.postgres,
  groups: (_ctx, t) => [
    {
      name: "postgres-alerts",
      rules: [
        {
          alert: "PostgresDown",
          // pg_up is the exporter's own connection to the server; a missing
          // exporter is PrometheusTargetMissing.
          expr: `pg_up{${pg}} == 0`,
          for: "1m",
          severity: "critical",
          summary: "PostgreSQL {{ $labels.instance }} is down",
          description: "postgres_exporter cannot connect to PostgreSQL at {{ $labels.instance }} for over a minute; applications using it are failing.",
        },
        {
          alert: "PostgresTooManyConnections",
          expr: `sum by (instance) (pg_stat_activity_count{${pg}})\n` + `/ max by (instance) (pg_settings_max_connections{${pg}})\n> ${num(t.postgresConnectionsOfMax)}`,
          for: "5m",
          severity: "warning",
          summary: "PostgreSQL {{ $labels.instance }} uses {{ $value | humanizePercentage }} of max_connections",
          description: `{{ $labels.instance }} has {{ $value | humanizePercentage }} of max_connections in use (threshold ${num(t.postgresConnectionsOfMax * 100)}%); at 100% new connections are refused.`,
        },
        {
          alert: "PostgresReplicationLag",
          expr: `pg_replication_lag_seconds{${pg}} > ${num(t.postgresReplicationLagSeconds)}`,
          for: "5m",
          severity: "warning",
          summary: "PostgreSQL replica {{ $labels.instance }} lags {{ $value | humanizeDuration }}",
          description: `Replica {{ $labels.instance }} is {{ $value | humanizeDuration }} behind its primary (threshold ${num(t.postgresReplicationLagSeconds)}s); reads from it are stale and a failover would lose that much.`,
        },
        {
          alert: "PostgresHighTransactionRate",
          expr:
            `sum by (instance) (rate(pg_stat_database_xact_commit{${pg}}[5m]) + rate(pg_stat_database_xact_rollback{${pg}}[5m]))\n` + `> ${num(t.postgresTransactionsPerSecond)}`,
          for: "10m",
          severity: "warning",
          summary: "PostgreSQL {{ $labels.instance }} runs {{ $value | humanize }} transactions/s",
          description: `{{ $labels.instance }} has run {{ $value | humanize }} transactions/s for 10 minutes (threshold ${num(t.postgresTransactionsPerSecond)}/s), well above its usual load.`,
        },
        {
          alert: "PostgresSlowQueries",
          expr: `max by (instance, datname) (pg_stat_activity_max_tx_duration{${pg},state="active"}) > ${num(t.postgresSlowQuerySeconds)}`,
          for: "2m",
          severity: "warning",
          summary: "PostgreSQL {{ $labels.instance }}/{{ $labels.datname }} has a transaction running {{ $value | humanizeDuration }}",
          description: `The oldest active transaction in {{ $labels.datname }} on {{ $labels.instance }} has run for {{ $value | humanizeDuration }} (threshold ${num(t.postgresSlowQuerySeconds)}s); it holds locks and blocks vacuum.`,
        },
        {
          alert: "PostgresDeadlocks",
          expr: `sum by (instance, datname) (increase(pg_stat_database_deadlocks{${pg}}[10m])) > ${num(t.postgresDeadlocks)}`,
          severity: "warning",
          summary: "PostgreSQL {{ $labels.instance }}/{{ $labels.datname }} had deadlocks",
          description: `{{ $value | humanize }} deadlocks in {{ $labels.datname }} on {{ $labels.instance }} over 10 minutes; the transactions PostgreSQL aborted were retried or failed.`,
        },
      ],
    },
  ],
};
