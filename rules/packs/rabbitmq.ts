/**
 * RabbitMQ, from its built-in rabbitmq_prometheus plugin. Per-queue labels
 * (`vhost`, `queue`) appear only with per-object metrics enabled
 * (`prometheus.return_per_object_metrics = true`); without them the same
 * alerts fire on the node-wide totals.
 */
import { jobs } from "../../model/conventions";
import { grouping, instanceText, num } from "../promql";
import type { RulePack } from "../types";

const rabbit = `job="${jobs.rabbitmq}"`;

export const rabbitmqPack: RulePack = {
  id: "rabbitmq",
  file: "rabbitmq.rules.yml",
  dashboard: "queues",
  enabledByDefault: (ctx) => ctx.exporters.rabbitmq,
  groups: (ctx, t) => {
    // With a list of named instances (clusters), each cluster is up or down on its own.
    const cluster = grouping(ctx, "rabbitmq", "job");
    // The plugin is served by the broker itself, so a failed scrape is a down node.
    const nodesUp = `max by (${cluster}) (up{${rabbit}})`;
    const who = instanceText(ctx, "rabbitmq");
    const named = ctx.exporterInstances?.rabbitmq ? " {{ $labels.instance_name }}" : "";
    return [
      {
        name: "rabbitmq-alerts",
        rules: [
          {
            alert: "RabbitmqDown",
            expr: `${nodesUp} == 0`,
            for: "1m",
            severity: "critical",
            summary: `RabbitMQ${named} is down`,
            description: "No RabbitMQ node has answered for over a minute: publishers and consumers cannot connect.",
          },
          {
            alert: "RabbitmqNodeDown",
            // Only while others are up, so a whole-cluster outage is one alert.
            expr: `up{${rabbit}} == 0 and on (${cluster}) (${nodesUp} == 1)`,
            for: "1m",
            severity: "critical",
            summary: `RabbitMQ node ${who} is down`,
            description: `RabbitMQ node ${who} has not answered for over a minute while the rest of the cluster is up; queues led by it are unavailable or failing over.`,
          },
          {
            alert: "RabbitmqQueueBacklog",
            expr: `rabbitmq_queue_messages_ready{${rabbit}} > ${num(t.rabbitmqQueueDepth)}`,
            for: "10m",
            severity: "warning",
            summary: `RabbitMQ queue backlog of {{ $value | humanize }} messages on ${who}`,
            description: `{{ $value | humanize }} messages are waiting for delivery on ${who} {{ with $labels.queue }}in queue {{ . }}{{ end }} (threshold ${num(t.rabbitmqQueueDepth)}); consumers are not keeping up.`,
          },
          {
            alert: "RabbitmqQueueNoConsumers",
            // An empty queue with no consumer harms nobody; messages with nobody to take them do.
            expr: `rabbitmq_queue_consumers{${rabbit}} == 0 and rabbitmq_queue_messages_ready{${rabbit}} > 0`,
            for: "5m",
            severity: "critical",
            summary: `RabbitMQ messages wait with no consumer on ${who}`,
            description: `Messages are waiting on ${who} {{ with $labels.queue }}in queue {{ . }}{{ end }} but no consumer is subscribed; the workers that process them are down.`,
          },
          {
            alert: "RabbitmqTooManyUnackedMessages",
            expr: `rabbitmq_queue_messages_unacked{${rabbit}} > ${num(t.rabbitmqUnacked)}`,
            for: "10m",
            severity: "warning",
            summary: `{{ $value | humanize }} unacknowledged RabbitMQ messages on ${who}`,
            description: `Consumers hold {{ $value | humanize }} delivered but unacknowledged messages on ${who} (threshold ${num(t.rabbitmqUnacked)}); they are stuck or their prefetch is too large.`,
          },
          {
            alert: "RabbitmqTooManyConnections",
            expr: `sum by (${grouping(ctx, "rabbitmq", "instance")}) (rabbitmq_connections{${rabbit}}) > ${num(t.rabbitmqConnections)}`,
            for: "5m",
            severity: "warning",
            summary: `RabbitMQ ${who} has {{ $value | humanize }} connections`,
            description: `${who} holds {{ $value | humanize }} client connections (threshold ${num(t.rabbitmqConnections)}); a client is leaking connections instead of reusing them.`,
          },
        ],
      },
    ];
  },
};
