/**
 * MySQL and MariaDB, from mysqld_exporter (default collectors: global status
 * and variables, replica status). Thresholds are written here; tune `for` and
 * severity with `alerts.overrides`, or turn the pack off with `alerts.packs.mysql`.
 */
import { jobs } from "../../model/conventions";
import { grouping, instanceText } from "../promql";
import type { RulePack } from "../types";

const my = `job="${jobs.mysql}"`;
/** Share of max_connections in use that warns. */
const connectionsOfMax = 0.8;
/** Seconds a replica may trail its source. */
const replicationLagSeconds = 300;
/** Slow queries per second (over long_query_time) that warn. */
const slowQueriesPerSecond = 1;

export const mysqlPack: RulePack = {
  id: "mysql",
  file: "mysql.rules.yml",
  dashboard: "databases",
  enabledByDefault: (ctx) => ctx.exporters.mysql,
  groups: (ctx) => {
    const who = instanceText(ctx, "mysql");
    return [
      {
        name: "mysql-alerts",
        rules: [
          {
            alert: "MysqlDown",
            // mysql_up is the exporter's own connection to the server; a missing exporter is PrometheusTargetMissing.
            expr: `mysql_up{${my}} == 0`,
            for: "1m",
            severity: "critical",
            summary: `MySQL ${who} is down`,
            description: `mysqld_exporter cannot connect to MySQL at ${who} for over a minute; applications using it are failing.`,
          },
          {
            alert: "MysqlTooManyConnections",
            expr: `max by (${grouping(ctx, "mysql", "instance")}) (mysql_global_status_threads_connected{${my}})\n/ max by (${grouping(ctx, "mysql", "instance")}) (mysql_global_variables_max_connections{${my}})\n> ${connectionsOfMax}`,
            for: "5m",
            severity: "warning",
            summary: `MySQL ${who} uses {{ $value | humanizePercentage }} of max_connections`,
            description: `${who} has {{ $value | humanizePercentage }} of max_connections in use (threshold ${connectionsOfMax * 100}%); at 100% new connections are refused with "Too many connections".`,
          },
          {
            alert: "MysqlReplicationStopped",
            expr: `min by (${grouping(ctx, "mysql", "instance")}) (mysql_slave_status_slave_io_running{${my}} * mysql_slave_status_slave_sql_running{${my}}) == 0`,
            for: "2m",
            severity: "critical",
            summary: `MySQL replica ${who} stopped replicating`,
            description:
              "The replication IO or SQL thread of {{ $labels.instance }} is not running; the replica falls further behind every second and a failover to it would lose data.",
          },
          {
            alert: "MysqlReplicationLag",
            expr: `max by (${grouping(ctx, "mysql", "instance")}) (mysql_slave_status_seconds_behind_master{${my}}) > ${replicationLagSeconds}`,
            for: "5m",
            severity: "warning",
            summary: `MySQL replica ${who} lags {{ $value | humanizeDuration }}`,
            description: `Replica ${who} is {{ $value | humanizeDuration }} behind its source (threshold ${replicationLagSeconds}s); reads from it are stale.`,
          },
          {
            alert: "MysqlSlowQueries",
            expr: `sum by (${grouping(ctx, "mysql", "instance")}) (rate(mysql_global_status_slow_queries{${my}}[5m])) > ${slowQueriesPerSecond}`,
            for: "10m",
            severity: "warning",
            summary: `MySQL ${who} logs {{ $value | humanize }} slow queries/s`,
            description: `${who} has run {{ $value | humanize }} queries/s longer than long_query_time for 10 minutes (threshold ${slowQueriesPerSecond}/s).`,
          },
        ],
      },
    ];
  },
};
