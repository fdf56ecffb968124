/**
 * The alert history. Alertmanager cannot log what it sends, so every receiver that tells
 * someone also posts the same notification to a small OpenTelemetry Collector (the pinned
 * contrib image): its webhook event receiver turns each POST into a log record whose body is
 * Alertmanager's JSON (receiver, status, labels, startsAt/endsAt), and it exports the record to
 * Loki's OTLP endpoint in the stream `{service_name="alertmanager-notifications"}`, which Loki
 * keeps for `notifications.history.retention`. Pure.
 */
import { stackHost } from "../../model/addresses";
import { alertHistory, ports } from "../../model/conventions";
import type { Platform } from "../../model/vocabulary";
import type { AmReceiver } from "./amconfig";
import { receiverNames } from "../../model/routing";

/** The history collector's pod labels on Kubernetes (its Deployment's selector, the network policies). */
export const alertHistoryPodLabels = { "app.kubernetes.io/name": alertHistory.host, "app.kubernetes.io/part-of": "watchpost" } as const;

/** Receivers that tell nobody: the blackhole drops, the heartbeat is a dead-man's switch, not a notification. */
const silentReceivers: ReadonlySet<string> = new Set([receiverNames.blackhole, receiverNames.heartbeat]);

/** Adds the history webhook to every receiver that tells someone; the others stay as they are. */
export function withHistory(receivers: AmReceiver[], url: string): AmReceiver[] {
  return receivers.map((r) => (silentReceivers.has(r.name) ? r : { ...r, webhook_configs: [...(r.webhook_configs ?? []), { url, send_resolved: true, max_alerts: 0 }] }));
}

/** The history collector's URL: its container on the stack network, or its Service in the namespace. */
export function alertHistoryUrl(platform: Platform, namespace: string): string {
  return `http://${stackHost(platform, alertHistory.host, namespace)}:${ports.alertHistory}${alertHistory.path}`;
}

/** The history collector's config as data: webhook in, `service.name` set, OTLP/HTTP out to Loki. */
export function alertHistoryCollectorDocument(lokiUrl: string): Record<string, unknown> {
  return {
    extensions: { health_check: { endpoint: `0.0.0.0:${ports.otelCollectorHealth}` } },
    receivers: {
      webhookevent: {
        endpoint: `0.0.0.0:${ports.alertHistory}`,
        path: alertHistory.path,
        // Alertmanager's webhook timeout is 10s; a notification is a few kilobytes.
        read_timeout: "5s",
        write_timeout: "5s",
      },
    },
    processors: {
      resource: { attributes: [{ key: "service.name", value: alertHistory.serviceName, action: "upsert" }] },
      batch: {},
    },
    exporters: {
      // Loki's native OTLP ingestion: /otlp/v1/logs; `service.name` becomes the `service_name` label.
      "otlp_http/loki": { endpoint: `${lokiUrl}/otlp`, tls: { insecure: true } },
    },
    service: {
      extensions: ["health_check"],
      telemetry: { metrics: { readers: [{ pull: { exporter: { prometheus: { host: "0.0.0.0", port: ports.otelCollectorMetrics } } } }] } },
      pipelines: { logs: { receivers: ["webhookevent"], processors: ["resource", "batch"], exporters: ["otlp_http/loki"] } },
    },
  };
}

/** Loki's per-stream retention for the history (`limits_config.retention_stream`). */
export function alertHistoryRetentionStream(retention: string): { selector: string; priority: number; period: string } {
  return { selector: `{service_name="${alertHistory.serviceName}"}`, priority: 1, period: retention };
}
