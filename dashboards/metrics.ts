/**
 * Metric names the dashboards may read, grouped by who exposes them. A test
 * walks every dashboard query and fails on a name that is neither here nor a
 * recording rule from rules/names.ts, so a typo or a metric renamed upstream
 * shows up in review rather than as an empty panel.
 *
 * Only names the dashboards use are listed, not each exporter's full catalogue.
 * When an upstream renames a metric, change it here and in the query together.
 */
import * as names from "../rules/names";

export const exposedMetrics = {
  /** Series Prometheus writes for every scrape and every alerting rule. Upstream: prometheus.io/docs/concepts/jobs_instances and /docs/prometheus/latest/configuration/alerting_rules. */
  prometheusSynthetic: ["up", "scrape_duration_seconds", "ALERTS"],

  /** Watchpost's application conventions (see README, "Instrumenting a service"), plus the process metrics every official client library exports by default. */
  application: [
    "http_requests_total",
    "auth_failures_total",
    "queue_jobs_waiting",
    "queue_jobs_failed_total",
    "db_connection_pool_used",
    "db_connection_pool_size",
    "process_cpu_seconds_total",
    "process_resident_memory_bytes",
  ],

  /** node_exporter. Upstream: github.com/prometheus/node_exporter (collectors cpu, meminfo, filesystem, diskstats, netdev, loadavg). */
  node: [
    "node_filesystem_avail_bytes",
    "node_filesystem_size_bytes",
    "node_disk_io_time_seconds_total",
    "node_network_receive_bytes_total",
    "node_network_transmit_bytes_total",
    "node_load1",
    "node_uname_info",
  ],

  /** cAdvisor. Upstream: github.com/google/cadvisor/blob/master/docs/storage/prometheus.md. */
  cadvisor: [
    "container_cpu_usage_seconds_total",
    "container_memory_working_set_bytes",
    "container_network_receive_bytes_total",
    "container_network_transmit_bytes_total",
    "container_fs_usage_bytes",
  ],

  /** blackbox_exporter probe results. Upstream: github.com/prometheus/blackbox_exporter (prober/http.go, dns.go, tls). */
  blackbox: ["probe_success", "probe_duration_seconds", "probe_ssl_earliest_cert_expiry", "probe_http_status_code", "probe_http_duration_seconds", "probe_dns_lookup_time_seconds"],

  /** RabbitMQ's built-in rabbitmq_prometheus plugin. Upstream: github.com/rabbitmq/rabbitmq-server/blob/main/deps/rabbitmq_prometheus/metrics.md. */
  rabbitmq: [
    "rabbitmq_queue_messages_ready",
    "rabbitmq_queue_messages_unacked",
    "rabbitmq_queue_consumers",
    "rabbitmq_connections",
    "rabbitmq_channels",
    "rabbitmq_global_messages_received_total",
    "rabbitmq_global_messages_delivered_total",
    "rabbitmq_alarms_memory_used_watermark",
    "rabbitmq_alarms_free_disk_space_watermark",
  ],

  /** nginx-prometheus-exporter (stub_status). Upstream: github.com/nginx/nginx-prometheus-exporter README, "Exported Metrics". */
  nginx: ["nginx_up", "nginx_connections_active", "nginx_connections_accepted", "nginx_connections_handled", "nginx_http_requests_total"],

  /** Prometheus server self-metrics. Upstream: the /metrics page of prometheus itself (tsdb, rules, notifier packages). */
  prometheus: [
    "prometheus_tsdb_head_series",
    "prometheus_tsdb_head_samples_appended_total",
    "prometheus_rule_group_last_duration_seconds",
    "prometheus_rule_group_interval_seconds",
    "prometheus_rule_evaluation_failures_total",
    "prometheus_notifications_errors_total",
    "prometheus_notifications_dropped_total",
    "prometheus_config_last_reload_successful",
  ],

  /** Alertmanager self-metrics. Upstream: github.com/prometheus/alertmanager (notify/notify.go, cluster/cluster.go). */
  alertmanager: ["alertmanager_cluster_members", "alertmanager_notifications_total", "alertmanager_notifications_failed_total", "alertmanager_config_last_reload_successful"],

  /** Loki self-metrics. Upstream: grafana.com/docs/loki/latest/operations/meta-monitoring. */
  loki: ["loki_distributor_lines_received_total", "loki_distributor_bytes_received_total", "loki_discarded_samples_total", "loki_request_duration_seconds_count"],

  /** Grafana Alloy self-metrics, including its loki.write component. Upstream: grafana.com/docs/alloy/latest (component reference, "Debug metrics"). */
  alloy: ["alloy_component_controller_running_components", "loki_write_sent_entries_total", "loki_write_dropped_entries_total"],

  /**
   * OpenTelemetry Collector internal telemetry (also Jaeger v2, which is built on the collector).
   * Upstream: opentelemetry.io/docs/collector/internal-telemetry — counters carry the `_total` suffix
   * since the collector moved to the OpenTelemetry Go SDK's Prometheus exporter.
   */
  otelCollector: [
    "otelcol_receiver_accepted_spans_total",
    "otelcol_receiver_refused_spans_total",
    "otelcol_exporter_sent_spans_total",
    "otelcol_exporter_send_failed_spans_total",
    "otelcol_exporter_queue_size",
    "otelcol_exporter_queue_capacity",
  ],

  /** Tempo self-metrics. Upstream: grafana.com/docs/tempo/latest/operations/monitor. */
  tempo: ["tempo_distributor_spans_received_total"],
} as const satisfies Record<string, readonly string[]>;

export type MetricSource = keyof typeof exposedMetrics;

/** Every recording rule name rules/names.ts exports, SLO windows expanded. */
export function recordingRuleNames(): string[] {
  return [
    names.serviceRequestRate,
    names.serviceErrorRatio,
    names.serviceRouteLatencyBuckets,
    names.serviceLatencyBuckets,
    ...Object.values(names.serviceLatency),
    ...names.sloWindows.map((w) => names.sloErrorRatio(w)),
    names.sloObjective,
    names.sloBudgetRemaining,
    names.sloPeriodErrorRatio,
    names.hostCpuUtilisation,
    names.hostMemoryUtilisation,
    names.hostFilesystemUsage,
    names.hostFilesystemAvailTrend,
  ];
}

/** Names a dashboard query may use: exporter metrics (these and the database rows' own) plus recording rules. */
export function knownMetricNames(rows: ReadonlyArray<{ metrics: readonly string[] }>): ReadonlySet<string> {
  return new Set<string>([...Object.values(exposedMetrics).flat(), ...rows.flatMap((r) => r.metrics), ...recordingRuleNames()]);
}
