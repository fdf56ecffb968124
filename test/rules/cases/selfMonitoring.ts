import { fires, type PackCases, quiet, s } from "./types";

const prom = 'job="prometheus",instance="prometheus:9090"';
const p = { job: "prometheus", instance: "prometheus:9090" };
const am = (i: number) => `job="alertmanager",instance="am-${i}:9093"`;
const members = (seen: number[]) => seen.map((n, i) => s(`alertmanager_cluster_members{${am(i)}}`, `${n}x15`));
const loki = (errorsPerMin: number) => [
  s('loki_request_duration_seconds_count{job="loki",route="loki_api_v1_push",status_code="204"}', `0+${100 - errorsPerMin}x25`),
  s('loki_request_duration_seconds_count{job="loki",route="loki_api_v1_push",status_code="500"}', `0+${errorsPerMin}x25`),
];

export const selfMonitoringCases: PackCases = {
  files: ["self-monitoring.rules.yml"],
  cases: [
    fires("Watchdog", "fires with no input at all", "1m", [], [{ labels: { severity: "info" } }]),
    fires("Watchdog", "keeps firing", "1h", [], [{ labels: { severity: "info" } }]),
    fires(
      "PrometheusTargetMissing",
      "Grafana unscraped for 7m",
      "7m",
      [s('up{job="grafana",instance="grafana:3000"}', "0x10")],
      [{ labels: { severity: "warning", job: "grafana", instance: "grafana:3000" } }],
    ),
    quiet("PrometheusTargetMissing", "services have ServiceDown instead", "7m", [s('up{job="api",instance="api:8080"}', "0x10")]),
    fires(
      "PrometheusRuleEvaluationFailures",
      "1 failure/min",
      "12m",
      [s(`prometheus_rule_evaluation_failures_total{${prom},rule_group="hosts.rules.yml;hosts-alerts"}`, "0+1x15")],
      [{ labels: { severity: "critical", ...p, rule_group: "hosts.rules.yml;hosts-alerts" }, value: "5" }],
    ),
    quiet("PrometheusRuleEvaluationFailures", "no failures", "12m", [s(`prometheus_rule_evaluation_failures_total{${prom},rule_group="g"}`, "4x15")]),
    fires(
      "PrometheusNotificationsFailing",
      "2 errors/min",
      "15m",
      [s(`prometheus_notifications_errors_total{${prom},alertmanager="http://am:9093/api/v2/alerts"}`, "0+2x20")],
      [{ labels: { severity: "critical", ...p, alertmanager: "http://am:9093/api/v2/alerts" }, value: "10" }],
    ),
    quiet("PrometheusNotificationsFailing", "failing for 5m only", "5m", [
      s(`prometheus_notifications_errors_total{${prom},alertmanager="http://am:9093/api/v2/alerts"}`, "0+2x20"),
    ]),
    fires(
      "AlertmanagerNotificationsFailing",
      "Slack failing",
      "15m",
      [s(`alertmanager_notifications_failed_total{${am(0)},integration="slack"}`, "0+6x20")],
      [{ labels: { severity: "critical", instance: "am-0:9093", integration: "slack" }, value: "100m" }],
    ),
    quiet("AlertmanagerNotificationsFailing", "no failures", "15m", [s(`alertmanager_notifications_failed_total{${am(0)},integration="slack"}`, "2x20")]),
    fires(
      "AlertmanagerConfigReloadFailed",
      "reload failed 12m ago",
      "12m",
      [s(`alertmanager_config_last_reload_successful{${am(0)}}`, "0x15")],
      [{ labels: { severity: "warning", job: "alertmanager", instance: "am-0:9093" } }],
    ),
    quiet("AlertmanagerConfigReloadFailed", "reload succeeded", "12m", [s(`alertmanager_config_last_reload_successful{${am(0)}}`, "1x15")]),
    fires("AlertmanagerClusterDegraded", "am-2 sees only 2 of 3", "12m", members([3, 3, 2]), [
      { labels: { severity: "critical", job: "alertmanager", instance: "am-2:9093" }, value: "2" },
    ]),
    quiet("AlertmanagerClusterDegraded", "all see 3", "12m", members([3, 3, 3])),
    fires(
      "PrometheusConfigReloadFailed",
      "reload failed 12m ago",
      "12m",
      [s(`prometheus_config_last_reload_successful{${prom}}`, "0x15")],
      [{ labels: { severity: "warning", ...p } }],
    ),
    quiet("PrometheusConfigReloadFailed", "reload succeeded", "12m", [s(`prometheus_config_last_reload_successful{${prom}}`, "1x15")]),
    fires(
      "PrometheusTsdbCompactionsFailing",
      "a failed compaction",
      "9m",
      [s(`prometheus_tsdb_compactions_failed_total{${prom}}`, "0x4 1x6")],
      [{ labels: { severity: "warning", ...p }, value: "1" }],
    ),
    quiet("PrometheusTsdbCompactionsFailing", "no failures", "9m", [s(`prometheus_tsdb_compactions_failed_total{${prom}}`, "2x10")]),
    fires(
      "PrometheusStorageFillingUp",
      "85% of the size limit",
      "35m",
      [s(`prometheus_tsdb_storage_blocks_bytes{${prom}}`, "85x40"), s(`prometheus_tsdb_retention_limit_bytes{${prom}}`, "100x40")],
      [{ labels: { severity: "warning", ...p }, value: "85%" }],
    ),
    quiet("PrometheusStorageFillingUp", "no size limit configured", "35m", [
      s(`prometheus_tsdb_storage_blocks_bytes{${prom}}`, "85x40"),
      s(`prometheus_tsdb_retention_limit_bytes{${prom}}`, "0x40"),
    ]),
    fires("LokiRequestErrors", "10% of pushes fail", "20m", loki(10), [{ labels: { severity: "warning", job: "loki", route: "loki_api_v1_push" }, value: "10%" }]),
    quiet("LokiRequestErrors", "2% of pushes fail", "20m", loki(2)),
    fires(
      "OtelCollectorExportFailures",
      "1 span/s dropped",
      "15m",
      [s('otelcol_exporter_send_failed_spans_total{job="otel-collector",exporter="otlp/tempo"}', "0+60x20")],
      [{ labels: { severity: "warning", job: "otel-collector", exporter: "otlp/tempo" }, value: "1" }],
    ),
    quiet("OtelCollectorExportFailures", "older collectors' unsuffixed name, no failures", "15m", [
      s('otelcol_exporter_send_failed_spans{job="otel-collector",exporter="otlp/tempo"}', "3x20"),
    ]),
  ],
};
