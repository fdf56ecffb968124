import { fires, type PackCases, quiet, s } from "./types";

const my = 'job="mysql",instance="mysql:9104"';
const db = { instance: "mysql:9104" };
const connections = (connected: number) => [s(`mysql_global_status_threads_connected{${my}}`, `${connected}x10`), s(`mysql_global_variables_max_connections{${my}}`, "150x10")];
const replication = (io: number, sql: number) => [
  s(`mysql_slave_status_slave_io_running{${my},channel_name=""}`, `${io}x10`),
  s(`mysql_slave_status_slave_sql_running{${my},channel_name=""}`, `${sql}x10`),
];

export const mysqlCases: PackCases = {
  files: ["mysql.rules.yml"],
  cases: [
    fires("MysqlDown", "exporter cannot connect", "3m", [s(`mysql_up{${my}}`, "0x5")], [{ labels: { severity: "critical", job: "mysql", ...db } }]),
    quiet("MysqlDown", "connected", "3m", [s(`mysql_up{${my}}`, "1x5")]),
    fires("MysqlTooManyConnections", "135 of 150", "8m", connections(135), [{ labels: { severity: "warning", ...db }, value: "90%" }]),
    quiet("MysqlTooManyConnections", "90 of 150", "8m", connections(90)),
    fires("MysqlReplicationStopped", "SQL thread stopped", "5m", replication(1, 0), [{ labels: { severity: "critical", ...db } }]),
    quiet("MysqlReplicationStopped", "both threads running", "5m", replication(1, 1)),
    fires(
      "MysqlReplicationLag",
      "10 minutes behind",
      "8m",
      [s(`mysql_slave_status_seconds_behind_master{${my},channel_name=""}`, "600x10")],
      [{ labels: { severity: "warning", ...db }, value: "10m 0s" }],
    ),
    quiet("MysqlReplicationLag", "a minute behind", "8m", [s(`mysql_slave_status_seconds_behind_master{${my},channel_name=""}`, "60x10")]),
    fires("MysqlSlowQueries", "2 slow queries/s", "15m", [s(`mysql_global_status_slow_queries{${my}}`, "0+120x20")], [{ labels: { severity: "warning", ...db }, value: "2" }]),
    quiet("MysqlSlowQueries", "one slow query a minute", "15m", [s(`mysql_global_status_slow_queries{${my}}`, "0+1x20")]),
  ],
};
