/**
 * Loki (single binary, filesystem storage, retention by the compactor) and
 * Grafana Alloy shipping container logs (Docker) or pod logs (Kubernetes).
 */
import { stringify } from "yaml";
import { ports } from "../../model/conventions";
import type { LoggingSpec } from "./spec";
import { alertHistoryRetentionStream } from "../alerting/history";
import type { Platform } from "../../model/vocabulary";

/**
 * `historyRetention`: the alert history's stream is kept this long (`notifications.history`).
 * @default no per-stream retention
 */
export function renderLokiConfig(spec: Pick<LoggingSpec, "retention">, historyRetention?: string): string {
  return stringify(
    {
      auth_enabled: false,
      server: { http_listen_port: ports.loki, grpc_listen_port: 9095, log_level: "info" },
      common: {
        instance_addr: "127.0.0.1",
        path_prefix: "/loki",
        replication_factor: 1,
        ring: { kvstore: { store: "inmemory" } },
        storage: { filesystem: { chunks_directory: "/loki/chunks", rules_directory: "/loki/rules" } },
      },
      schema_config: {
        configs: [{ from: "2024-01-01", store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "index_", period: "24h" } }],
      },
      limits_config: {
        retention_period: spec.retention,
        allow_structured_metadata: true,
        volume_enabled: true,
        ...(historyRetention ? { retention_stream: [alertHistoryRetentionStream(historyRetention)] } : {}),
      },
      compactor: {
        working_directory: "/loki/compactor",
        retention_enabled: true,
        delete_request_store: "filesystem",
      },
      analytics: { reporting_enabled: false },
    },
    { lineWidth: 0 },
  );
}

/** Alloy pipeline: discover, label with `service`, ship to Loki. */
export function renderAlloyConfig(platform: Platform, lokiUrl: string): string {
  const write = `loki.write "default" {
  endpoint {
    url = "${lokiUrl}/loki/api/v1/push"
  }
}
`;
  if (platform === "docker") {
    return `// Ships the logs of every container on this Docker engine to Loki.
discovery.docker "containers" {
  host = "unix:///var/run/docker.sock"
}

discovery.relabel "containers" {
  targets = discovery.docker.containers.targets

  rule {
    source_labels = ["__meta_docker_container_name"]
    regex         = "/(.*)"
    target_label  = "container"
  }
  rule {
    source_labels = ["__meta_docker_container_label_com_docker_compose_service", "__meta_docker_container_label_watchpost_service"]
    separator     = ""
    target_label  = "service"
  }
}

loki.source.docker "containers" {
  host          = "unix:///var/run/docker.sock"
  targets       = discovery.relabel.containers.output
  relabel_rules = discovery.relabel.containers.rules
  forward_to    = [loki.write.default.receiver]
}

${write}`;
  }
  return `// Ships the logs of every pod on this node to Loki through the Kubernetes API.
discovery.kubernetes "pods" {
  role = "pod"
  selectors {
    role  = "pod"
    field = "spec.nodeName=" + coalesce(sys.env("HOSTNAME"), constants.hostname)
  }
}

discovery.relabel "pods" {
  targets = discovery.kubernetes.pods.targets

  rule {
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]
    target_label  = "service"
  }
}

loki.source.kubernetes "pods" {
  targets    = discovery.relabel.pods.output
  forward_to = [loki.write.default.receiver]
}

${write}`;
}
