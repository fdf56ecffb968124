/**
 * Monitoring self-health: is the monitoring itself working? Prometheus,
 * Alertmanager, the log and trace pipelines, and `up` of every stack job.
 * A quiet alert channel means nothing if this dashboard is red.
 */
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { dashboardUids, jobs } from "../model/conventions";
import { exporterIds } from "../model/vocabulary";
import type { DashboardContext } from "./context";
import { baseDashboard, binaryMappings, finish, prom, row, statPanel, thresholds, timeseriesPanel, upDownMappings } from "./base";
import { byJob, byJobs, rate, sel, serverErrors } from "./selectors";

type Job = (typeof jobs)[keyof typeof jobs];

/** Scrape jobs of the stack's own components for this context, in a stable order. */
export function stackJobs(ctx: DashboardContext): Job[] {
  const list: Job[] = [jobs.prometheus, jobs.alertmanager, jobs.grafana, jobs.node, jobs.cadvisor, jobs.blackboxExporter];
  for (const name of exporterIds) {
    if (ctx.exporters[name]) list.push(jobs[name]);
  }
  if (ctx.logging === "loki") list.push(jobs.loki, jobs.alloy);
  if (ctx.tracing !== "none") list.push(jobs.otelCollector, ctx.tracing === "tempo" ? jobs.tempo : jobs.jaeger);
  return list;
}

export function selfHealthDashboard(ctx: DashboardContext): Dashboard {
  const prometheus = byJob(jobs.prometheus);
  const alertmanager = byJob(jobs.alertmanager);
  const builder = baseDashboard(dashboardUids.selfHealth, "Monitoring self-health", ctx.environment)
    .description("Health of Watchpost's own components: scrapes, rule evaluation, notification delivery, log and trace pipelines.")
    .withRow(row("Stack targets"))
    .withPanel(
      statPanel({
        title: "Stack jobs up",
        description: "Worst target of each stack component's scrape job. DOWN: that component is not running or Prometheus cannot reach it.",
        targets: [prom(`min by (job) (${sel("up", byJobs(stackJobs(ctx)))})`, { instant: true, legend: "{{job}}" })],
      })
        .mappings(upDownMappings)
        .span(24),
    )
    .withRow(row("Prometheus"))
    .withPanel(
      timeseriesPanel({
        title: "Head series",
        description: "Active series in memory. Memory use and query cost follow this number; a jump means a new high-cardinality label.",
        targets: [prom(sel("prometheus_tsdb_head_series", prometheus), { legend: "{{instance}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Samples ingested",
        description: "Samples appended per second across all scrapes and rules.",
        targets: [prom(rate(sel("prometheus_tsdb_head_samples_appended_total", prometheus)), { legend: "{{instance}}" })],
        unit: "ops",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Rule group duration / interval",
        description: "How much of its interval each rule group takes to evaluate. Above 100% evaluations are skipped and alerts arrive late.",
        targets: [
          prom(`max by (rule_group) (${sel("prometheus_rule_group_last_duration_seconds", prometheus)} / ${sel("prometheus_rule_group_interval_seconds", prometheus)})`, {
            legend: "{{rule_group}}",
          }),
        ],
        unit: "percentunit",
      }).thresholds(thresholds([null, "green"], [0.8, "orange"], [1, "red"])),
    )
    .withPanel(
      timeseriesPanel({
        title: "Rule evaluation failures",
        description: "Failed rule evaluations per second per group. Any value means some recording rule or alert is not being computed.",
        targets: [prom(`sum by (rule_group) (${rate(sel("prometheus_rule_evaluation_failures_total", prometheus))})`, { legend: "{{rule_group}}" })],
        unit: "ops",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Alert delivery to Alertmanager",
        description: "Alerts Prometheus failed to send or dropped, per second. Non-zero: alerts are firing that nobody will hear about.",
        targets: [
          prom(`sum by (alertmanager) (${rate(sel("prometheus_notifications_errors_total", prometheus))})`, { legend: "errors {{alertmanager}}" }),
          prom(`sum(${rate(sel("prometheus_notifications_dropped_total", prometheus))})`, { legend: "dropped" }),
        ],
        unit: "ops",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Scrape duration",
        description: "Slowest target per job. Close to the scrape timeout, scrapes start failing and `up` flaps.",
        targets: [prom(`max by (job) (${sel("scrape_duration_seconds")})`, { legend: "{{job}}" })],
        unit: "s",
      }),
    )
    .withPanel(
      statPanel({
        title: "Prometheus config reload",
        description: "Whether the last configuration reload succeeded. A failed reload keeps the previous rules and targets.",
        targets: [prom(`min(${sel("prometheus_config_last_reload_successful", prometheus)})`, { instant: true })],
      }).mappings(binaryMappings("FAILED", "OK")),
    )
    .withPanel(
      statPanel({
        title: "Alertmanager config reload",
        description: "Whether Alertmanager's last configuration reload succeeded.",
        targets: [prom(`min(${sel("alertmanager_config_last_reload_successful", alertmanager)})`, { instant: true })],
      }).mappings(binaryMappings("FAILED", "OK")),
    )
    .withRow(row("Alertmanager"))
    .withPanel(
      statPanel({
        title: "Cluster members",
        description: "Peers each Alertmanager sees in its gossip cluster. Replicas disagreeing means a split cluster and duplicate notifications.",
        targets: [prom(`${sel("alertmanager_cluster_members", alertmanager)}`, { instant: true, legend: "{{instance}}" })],
      }).span(6),
    )
    .withPanel(
      timeseriesPanel({
        title: "Notifications",
        description: "Notifications sent and failed per second, by integration (slack, msteamsv2, pagerduty, opsgenie, email, webhook).",
        targets: [
          prom(`sum by (integration) (${rate(sel("alertmanager_notifications_total", alertmanager))})`, { legend: "sent {{integration}}" }),
          prom(`sum by (integration) (${rate(sel("alertmanager_notifications_failed_total", alertmanager))})`, { legend: "failed {{integration}}" }),
        ],
        unit: "ops",
      }).span(18),
    );

  if (ctx.logging === "loki") {
    const loki = byJob(jobs.loki);
    const alloy = byJob(jobs.alloy);
    builder
      .withRow(row("Log pipeline (Alloy → Loki)"))
      .withPanel(
        timeseriesPanel({
          title: "Lines shipped and dropped by Alloy",
          description: "Log entries Alloy sent to Loki and dropped after retries, per second. Dropped entries are lost logs.",
          targets: [
            prom(`sum(${rate(sel("loki_write_sent_entries_total", alloy))})`, { legend: "sent" }),
            prom(`sum by (reason) (${rate(sel("loki_write_dropped_entries_total", alloy))})`, { legend: "dropped {{reason}}" }),
          ],
          unit: "ops",
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: "Alloy components",
          description: "Alloy pipeline components by health. Anything but healthy means part of log collection has stopped.",
          targets: [prom(`sum by (health_type) (${sel("alloy_component_controller_running_components", alloy)})`, { legend: "{{health_type}}" })],
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: "Loki ingestion",
          description: "Log lines and bytes Loki receives per second.",
          targets: [
            prom(`sum(${rate(sel("loki_distributor_lines_received_total", loki))})`, { legend: "lines/s" }),
            prom(`sum(${rate(sel("loki_distributor_bytes_received_total", loki))})`, { legend: "bytes/s" }),
          ],
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: "Loki rejected and failing",
          description: "Samples Loki discarded (rate limits, too old, too long) and its 5xx responses per second.",
          targets: [
            prom(`sum by (reason) (${rate(sel("loki_discarded_samples_total", loki))})`, { legend: "discarded {{reason}}" }),
            prom(`sum by (route) (${rate(sel("loki_request_duration_seconds_count", loki, serverErrors))})`, { legend: "5xx {{route}}" }),
          ],
          unit: "ops",
        }),
      );
  }

  if (ctx.tracing !== "none") {
    // Jaeger v2 is itself an OpenTelemetry Collector build, so it reports the same otelcol_* series.
    const collectors = byJobs(ctx.tracing === "jaeger" ? [jobs.otelCollector, jobs.jaeger] : [jobs.otelCollector]);
    builder
      .withRow(row("Trace pipeline (OpenTelemetry Collector)"))
      .withPanel(
        timeseriesPanel({
          title: "Spans received",
          description: "Spans the collectors' receivers accepted and refused per second. Refused spans were pushed back to the sender.",
          targets: [
            prom(`sum by (job, receiver) (${rate(sel("otelcol_receiver_accepted_spans_total", collectors))})`, { legend: "accepted {{job}} {{receiver}}" }),
            prom(`sum by (job, receiver) (${rate(sel("otelcol_receiver_refused_spans_total", collectors))})`, { legend: "refused {{job}} {{receiver}}" }),
          ],
          unit: "ops",
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: "Spans exported",
          description: "Spans sent on and failed per second, per exporter. Failures after retries are lost traces.",
          targets: [
            prom(`sum by (job, exporter) (${rate(sel("otelcol_exporter_sent_spans_total", collectors))})`, { legend: "sent {{job}} {{exporter}}" }),
            prom(`sum by (job, exporter) (${rate(sel("otelcol_exporter_send_failed_spans_total", collectors))})`, { legend: "failed {{job}} {{exporter}}" }),
          ],
          unit: "ops",
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: "Export queue fill",
          description: "How full each exporter's sending queue is. At 100% new data is rejected.",
          targets: [
            prom(`max by (job, exporter) (${sel("otelcol_exporter_queue_size", collectors)} / ${sel("otelcol_exporter_queue_capacity", collectors)})`, {
              legend: "{{job}} {{exporter}}",
            }),
          ],
          unit: "percentunit",
        })
          .min(0)
          .max(1),
      );
    if (ctx.tracing === "tempo") {
      builder.withPanel(
        timeseriesPanel({
          title: "Tempo spans received",
          description: "Spans Tempo's distributor accepts per second; should match what the collector exports.",
          targets: [prom(`sum(${rate(sel("tempo_distributor_spans_received_total", byJob(jobs.tempo)))})`, { legend: "spans/s" })],
          unit: "ops",
        }),
      );
    }
  }
  return finish(builder);
}
