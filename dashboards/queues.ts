/**
 * Queues: the application's own job queues (a Watchpost convention every
 * service may expose) and, when configured, RabbitMQ through its built-in
 * rabbitmq_prometheus plugin.
 */
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { dashboardUids, jobs } from "../model/conventions";
import type { DashboardContext } from "./context";
import { baseDashboard, exporterInstanceVariable, finish, prom, row, serviceVariable, statPanel, thresholds, timeseriesPanel } from "./base";
import { byExporterInstance, byJob, byService, rate, sel } from "./selectors";

export function queuesDashboard(ctx: DashboardContext): Dashboard {
  const builder = baseDashboard(dashboardUids.queues, "Queues", ctx.environment)
    .description("Backlog, failures and consumers of application job queues and RabbitMQ.")
    .withVariable(serviceVariable())
    .withRow(row("Application job queues"))
    .withPanel(
      timeseriesPanel({
        title: "Jobs waiting",
        description: "Jobs queued and not yet picked up, per queue. A backlog that only grows means workers cannot keep up.",
        targets: [prom(`sum by (queue) (${sel("queue_jobs_waiting", byService)})`, { legend: "{{queue}}" })],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Jobs failed",
        description: "Jobs failing per second, per queue.",
        targets: [prom(`sum by (queue) (${rate(sel("queue_jobs_failed_total", byService))})`, { legend: "{{queue}}" })],
        unit: "ops",
      }),
    );

  if (ctx.exporters.rabbitmq) {
    // A list of named instances: a variable picks the instances the row shows.
    const listed = ctx.exporterInstances?.rabbitmq !== undefined;
    const rabbit = { ...byJob(jobs.rabbitmq), ...(listed ? byExporterInstance("rabbitmq") : {}) };
    if (listed) builder.withVariable(exporterInstanceVariable("rabbitmq", jobs.rabbitmq, "RabbitMQ"));
    builder
      .withRow(row("RabbitMQ"))
      .withPanel(
        statPanel({
          title: "Connections",
          description: "Client connections open on the broker.",
          targets: [prom(`sum(${sel("rabbitmq_connections", rabbit)})`, { instant: true })],
        }),
      )
      .withPanel(
        statPanel({
          title: "Channels",
          description: "Channels open over those connections. Many more channels than connections may mean a channel leak.",
          targets: [prom(`sum(${sel("rabbitmq_channels", rabbit)})`, { instant: true })],
        }),
      )
      .withPanel(
        statPanel({
          title: "Memory alarm",
          description: "1 while a node is above its memory high watermark: RabbitMQ then blocks every publisher.",
          targets: [prom(`max(${sel("rabbitmq_alarms_memory_used_watermark", rabbit)})`, { instant: true })],
        }).thresholds(thresholds([null, "green"], [1, "red"])),
      )
      .withPanel(
        statPanel({
          title: "Disk alarm",
          description: "1 while a node's free disk is below its limit: RabbitMQ then blocks every publisher.",
          targets: [prom(`max(${sel("rabbitmq_alarms_free_disk_space_watermark", rabbit)})`, { instant: true })],
        }).thresholds(thresholds([null, "green"], [1, "red"])),
      )
      .withPanel(
        timeseriesPanel({
          title: "Messages ready",
          description: "Messages waiting for a consumer. Split by queue when RabbitMQ serves per-object metrics (/metrics/per-object); otherwise one total per node.",
          targets: [prom(`sum by (vhost, queue) (${sel("rabbitmq_queue_messages_ready", rabbit)})`, { legend: "{{vhost}} {{queue}}" })],
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: "Messages unacknowledged",
          description: "Messages delivered to consumers and not yet acknowledged. Growth means consumers are slow or stuck.",
          targets: [prom(`sum by (vhost, queue) (${sel("rabbitmq_queue_messages_unacked", rabbit)})`, { legend: "{{vhost}} {{queue}}" })],
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: "Consumers",
          description: "Consumers attached per queue. A queue with messages and no consumers never drains.",
          targets: [prom(`sum by (vhost, queue) (${sel("rabbitmq_queue_consumers", rabbit)})`, { legend: "{{vhost}} {{queue}}" })],
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: "Publish and deliver rate",
          description: "Messages received from publishers and delivered to consumers per second, across the cluster.",
          targets: [
            prom(`sum(${rate(sel("rabbitmq_global_messages_received_total", rabbit))})`, { legend: "published" }),
            prom(`sum(${rate(sel("rabbitmq_global_messages_delivered_total", rabbit))})`, { legend: "delivered" }),
          ],
          unit: "ops",
        }),
      );
  }
  return finish(builder);
}
