/**
 * PostgreSQL, from postgres_exporter (default collectors).
 */
import { jobs } from "../../model/conventions";
import { grouping, instanceText, num } from "../promql";
import type { RulePack } from "../types";

const pg = `job="${jobs.postgres}"`;

export const postgresPack: RulePack = {
  id: "postgres",
  file: "postgres.rules.yml",
  dashboard: "databases",
  enabledByDefault: (ctx) => ctx.exporters.postgres,
  groups: (ctx, t) => {
    const who = instanceText(ctx, "postgres");
    return [
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
            summary: `PostgreSQL ${who} is down`,
            description: `postgres_exporter cannot connect to PostgreSQL at ${who} for over a minute; applications using it are failing.`,
          },
          {
            alert: "PostgresTooManyConnections",
            expr:
              `sum by (${grouping(ctx, "postgres", "instance")}) (pg_stat_activity_count{${pg}})\n` +
              `/ max by (${grouping(ctx, "postgres", "instance")}) (pg_settings_max_connections{${pg}})\n> ${num(t.postgresConnectionsOfMax)}`,
            for: "5m",
            severity: "warning",
            summary: `PostgreSQL ${who} uses {{ $value | humanizePercentage }} of max_connections`,
            description: `${who} has {{ $value | humanizePercentage }} of max_connections in use (threshold ${num(t.postgresConnectionsOfMax * 100)}%); at 100% new connections are refused.`,
          },
          {
            alert: "PostgresReplicationLag",
            expr: `pg_replication_lag_seconds{${pg}} > ${num(t.postgresReplicationLagSeconds)}`,
            for: "5m",
            severity: "warning",
            summary: `PostgreSQL replica ${who} lags {{ $value | humanizeDuration }}`,
            description: `Replica ${who} is {{ $value | humanizeDuration }} behind its primary (threshold ${num(t.postgresReplicationLagSeconds)}s); reads from it are stale and a failover would lose that much.`,
          },
          {
            alert: "PostgresHighTransactionRate",
            expr:
              `sum by (${grouping(ctx, "postgres", "instance")}) (rate(pg_stat_database_xact_commit{${pg}}[5m]) + rate(pg_stat_database_xact_rollback{${pg}}[5m]))\n` +
              `> ${num(t.postgresTransactionsPerSecond)}`,
            for: "10m",
            severity: "warning",
            summary: `PostgreSQL ${who} runs {{ $value | humanize }} transactions/s`,
            description: `${who} has run {{ $value | humanize }} transactions/s for 10 minutes (threshold ${num(t.postgresTransactionsPerSecond)}/s), well above its usual load.`,
          },
          {
            alert: "PostgresSlowQueries",
            expr: `max by (${grouping(ctx, "postgres", "instance", "datname")}) (pg_stat_activity_max_tx_duration{${pg},state="active"}) > ${num(t.postgresSlowQuerySeconds)}`,
            for: "2m",
            severity: "warning",
            summary: `PostgreSQL ${who}/{{ $labels.datname }} has a transaction running {{ $value | humanizeDuration }}`,
            description: `The oldest active transaction in {{ $labels.datname }} on ${who} has run for {{ $value | humanizeDuration }} (threshold ${num(t.postgresSlowQuerySeconds)}s); it holds locks and blocks vacuum.`,
          },
          {
            alert: "PostgresDeadlocks",
            expr: `sum by (${grouping(ctx, "postgres", "instance", "datname")}) (increase(pg_stat_database_deadlocks{${pg}}[10m])) > ${num(t.postgresDeadlocks)}`,
            severity: "warning",
            summary: `PostgreSQL ${who}/{{ $labels.datname }} had deadlocks`,
            description: `{{ $value | humanize }} deadlocks in {{ $labels.datname }} on ${who} over 10 minutes; the transactions PostgreSQL aborted were retried or failed.`,
          },
        ],
      },
    ];
  },
};
