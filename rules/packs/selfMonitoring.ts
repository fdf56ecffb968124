/**
 * The monitoring stack watching itself: if Prometheus, Alertmanager or the
 * pipelines feeding them break, every other alert goes quiet, so these are
 * what tell a silent night from a blind one.
 */
import { jobs } from "../../model/conventions";
import { exporterIds, scrapedDirectly } from "../../model/vocabulary";
import { anyOf, num } from "../promql";
import type { RuleContext, RulePack } from "../types";

/**
 * Stack jobs whose absence has no alert of its own. Node, RabbitMQ, services
 * and probes are left out: HostDown, RabbitmqDown, ServiceDown and EndpointDown
 * already say more than "target missing" would.
 */
export function stackJobs(ctx: RuleContext): string[] {
  const exporters = exporterIds.filter((x) => ctx.exporters[x] && !scrapedDirectly.includes(x)).map((x) => jobs[x]);
  return [
    jobs.prometheus,
    jobs.alertmanager,
    jobs.grafana,
    jobs.cadvisor,
    jobs.blackboxExporter,
    ...exporters,
    ...(ctx.logging ? [jobs.loki, jobs.alloy] : []),
    ...(ctx.tracing ? [jobs.otelCollector, jobs.tempo, jobs.jaeger] : []),
  ];
}

export const selfMonitoringPack: RulePack = {
  id: "selfMonitoring",
  file: "self-monitoring.rules.yml",
  dashboard: "selfHealth",
  enabledByDefault: () => true,
  groups: (ctx, t) => [
    {
      name: "self-monitoring-alerts",
      rules: [
        {
          alert: "Watchdog",
          expr: "vector(1)",
          severity: "info",
          dashboard: null,
          summary: "Alerting pipeline heartbeat",
          description:
            "Always firing, on purpose. Alertmanager forwards it to the dead-man's switch; if the heartbeat stops arriving, Prometheus, Alertmanager or the path between them is broken.",
        },
        {
          alert: "PrometheusTargetMissing",
          expr: `up{job=~"${anyOf(stackJobs(ctx))}"} == 0`,
          for: "5m",
          severity: "warning",
          summary: "Monitoring target {{ $labels.job }} at {{ $labels.instance }} is down",
          description: "Prometheus has failed to scrape {{ $labels.job }} at {{ $labels.instance }} for 5 minutes; the alerts that depend on its metrics cannot fire.",
        },
        {
          alert: "PrometheusRuleEvaluationFailures",
          expr: `increase(prometheus_rule_evaluation_failures_total[5m]) > 0`,
          for: "5m",
          severity: "critical",
          summary: "Prometheus {{ $labels.instance }} fails to evaluate rules",
          description: "{{ $value | humanize }} rule evaluations failed in group {{ $labels.rule_group }} over 5 minutes; alerts in that group may never fire.",
        },
        {
          alert: "PrometheusNotificationsFailing",
          expr: `increase(prometheus_notifications_errors_total[5m]) > 0`,
          for: "10m",
          severity: "critical",
          summary: "Prometheus {{ $labels.instance }} cannot send alerts to Alertmanager",
          description:
            "Prometheus {{ $labels.instance }} failed to deliver {{ $value | humanize }} alert batches to {{ $labels.alertmanager }} in 5 minutes; firing alerts may not reach anyone.",
        },
        {
          alert: "AlertmanagerNotificationsFailing",
          expr: `sum by (instance, integration) (rate(alertmanager_notifications_failed_total[5m])) > 0`,
          for: "10m",
          severity: "critical",
          summary: "Alertmanager {{ $labels.instance }} cannot deliver {{ $labels.integration }} notifications",
          description: "Alertmanager {{ $labels.instance }} is failing {{ $value | humanize }} {{ $labels.integration }} notifications/s; that channel receives nothing.",
        },
        {
          alert: "AlertmanagerConfigReloadFailed",
          expr: `alertmanager_config_last_reload_successful == 0`,
          for: "10m",
          severity: "warning",
          summary: "Alertmanager {{ $labels.instance }} failed to reload its configuration",
          description: "Alertmanager {{ $labels.instance }} rejected its latest configuration and still runs the previous one; routing changes have not taken effect.",
        },
        {
          alert: "AlertmanagerClusterDegraded",
          // Each replica counts the peers it sees; fewer than are scraped means a partition.
          expr: `alertmanager_cluster_members{job="${jobs.alertmanager}"}\n` + `< on (job) group_left () count by (job) (alertmanager_cluster_members{job="${jobs.alertmanager}"})`,
          for: "10m",
          severity: "critical",
          summary: "Alertmanager {{ $labels.instance }} sees only {{ $value }} cluster members",
          description:
            "Alertmanager {{ $labels.instance }} sees {{ $value }} peers, fewer than are running: silences and notification state are not shared, so notifications may be duplicated or lost.",
        },
        {
          alert: "PrometheusConfigReloadFailed",
          expr: `prometheus_config_last_reload_successful == 0`,
          for: "10m",
          severity: "warning",
          summary: "Prometheus {{ $labels.instance }} failed to reload its configuration",
          description: "Prometheus {{ $labels.instance }} rejected its latest configuration and still runs the previous one; new scrape jobs and rules are not active.",
        },
        {
          alert: "PrometheusTsdbCompactionsFailing",
          expr: `increase(prometheus_tsdb_compactions_failed_total[3h]) > 0`,
          severity: "warning",
          summary: "Prometheus {{ $labels.instance }} fails to compact its TSDB",
          description: "{{ $value | humanize }} TSDB compactions failed on {{ $labels.instance }} in 3 hours; disk use grows and queries slow down until it is fixed.",
        },
        {
          alert: "PrometheusStorageFillingUp",
          // Needs --storage.tsdb.retention.size (limit 0 means unset). Past the
          // limit Prometheus deletes blocks early and history is shorter than
          // `retention` promises.
          expr: `prometheus_tsdb_storage_blocks_bytes\n/ (prometheus_tsdb_retention_limit_bytes > 0)\n> ${num(t.prometheusStorageRatio)}`,
          for: "30m",
          severity: "warning",
          summary: "Prometheus {{ $labels.instance }} storage is {{ $value | humanizePercentage }} of its size limit",
          description: `TSDB blocks on {{ $labels.instance }} use {{ $value | humanizePercentage }} of the retention size limit (threshold ${num(t.prometheusStorageRatio * 100)}%); beyond it the oldest data is deleted before ${ctx.retention} are kept.`,
        },
        ...(ctx.logging
          ? [
              {
                alert: "LokiRequestErrors",
                expr:
                  `sum by (job, route) (rate(loki_request_duration_seconds_count{status_code=~"5.."}[5m]))\n` +
                  `/ (sum by (job, route) (rate(loki_request_duration_seconds_count[5m])) > 0)\n> ${num(t.lokiErrorRatio)}`,
                for: "15m",
                severity: "warning" as const,
                dashboard: "logsTraces" as const,
                summary: "Loki answers {{ $value | humanizePercentage }} of {{ $labels.route }} requests with errors",
                description: `{{ $value | humanizePercentage }} of Loki requests on {{ $labels.route }} failed over 5 minutes (threshold ${num(t.lokiErrorRatio * 100)}%); log queries or ingestion are failing.`,
              },
            ]
          : []),
        ...(ctx.tracing
          ? [
              {
                alert: "OtelCollectorExportFailures",
                // Newer collectors suffix counters with _total; match both spellings.
                expr: `sum by (job, exporter) (rate({__name__=~"otelcol_exporter_send_failed_(spans|metric_points|log_records)(_total)?"}[5m])) > 0`,
                for: "10m",
                severity: "warning" as const,
                dashboard: "logsTraces" as const,
                summary: "OpenTelemetry Collector exporter {{ $labels.exporter }} is failing",
                description: "The collector's {{ $labels.exporter }} exporter drops {{ $value | humanize }} items/s it cannot send; traces or metrics are being lost.",
              },
            ]
          : []),
      ],
    },
  ],
};
