/**
 * OpenTelemetry Collector (OTLP gRPC + HTTP in, OTLP out to the trace store),
 * and the trace stores: Tempo (default) or Jaeger v2.
 */
import { stringify } from "yaml";
import { ports } from "../../model/conventions";
import { goDuration } from "../../model/primitives";
import type { TracingSpec } from "./spec";

/** A trace component's config file as data: the chart's value on Kubernetes, rendered to text on Docker. */
export type ConfigDocument = Record<string, unknown>;

const render = (doc: ConfigDocument) => stringify(doc, { lineWidth: 0 });

export function renderOtelCollectorConfig(traceStoreHost: string, memoryLimitMiB: number): string {
  return render(otelCollectorConfigDocument(traceStoreHost, memoryLimitMiB));
}

export function otelCollectorConfigDocument(traceStoreHost: string, memoryLimitMiB: number): ConfigDocument {
  return {
    extensions: { health_check: { endpoint: `0.0.0.0:${ports.otelCollectorHealth}` } },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${ports.otlpGrpc}` },
          http: { endpoint: `0.0.0.0:${ports.otlpHttp}` },
        },
      },
    },
    processors: {
      // Keep the collector under its container limit instead of being OOM-killed.
      memory_limiter: { check_interval: "1s", limit_mib: Math.floor(memoryLimitMiB * 0.8), spike_limit_mib: Math.floor(memoryLimitMiB * 0.2) },
      batch: {},
    },
    // `otlp_grpc`: the OTLP gRPC exporter's name since collector 0.144; `otlp` is its deprecated alias.
    exporters: {
      "otlp_grpc/traces": { endpoint: `${traceStoreHost}:${ports.otlpGrpc}`, tls: { insecure: true } },
    },
    service: {
      extensions: ["health_check"],
      telemetry: {
        metrics: { readers: [{ pull: { exporter: { prometheus: { host: "0.0.0.0", port: ports.otelCollectorMetrics } } } }] },
      },
      pipelines: {
        traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["otlp_grpc/traces"] },
      },
    },
  };
}

export function renderTempoConfig(spec: TracingSpec): string {
  return render(tempoConfigDocument(spec));
}

/**
 * Tempo 3 in monolithic mode (the default target, `all`): the distributor hands spans to the
 * live-store in the same process (no Kafka), which answers for recent traces and cuts blocks
 * into storage; the backend scheduler plans compaction and retention jobs and the backend
 * worker runs them. Tempo 3 refuses the 2.x `ingester` and `compactor` blocks.
 */
export function tempoConfigDocument(spec: TracingSpec): ConfigDocument {
  const retention = goDuration(spec.retention);
  return {
    stream_over_http_enabled: true,
    server: { http_listen_port: ports.tempo, log_level: "info" },
    distributor: {
      receivers: {
        otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${ports.otlpGrpc}` }, http: { endpoint: `0.0.0.0:${ports.otlpHttp}` } } },
      },
    },
    // A block every 5 minutes (Tempo's default is 30), so traces reach storage soon after they end.
    live_store: { max_block_duration: "5m" },
    // The worker enforces retention and the scheduler plans from its own copy: both are set,
    // or either falls back to Tempo's default of 336h.
    backend_scheduler: { provider: { compaction: { compaction: { block_retention: retention } } } },
    backend_worker: { compaction: { block_retention: retention } },
    storage: { trace: { backend: "local", wal: { path: "/var/tempo/wal" }, local: { path: "/var/tempo/blocks" } } },
    usage_report: { reporting_enabled: false },
  };
}

/** Jaeger v2 (an OpenTelemetry Collector distribution) with Badger storage on a volume. */
export function renderJaegerConfig(spec: TracingSpec): string {
  return render(jaegerConfigDocument(spec));
}

export function jaegerConfigDocument(spec: TracingSpec): ConfigDocument {
  return {
    service: {
      extensions: ["jaeger_storage", "jaeger_query", "healthcheckv2"],
      pipelines: { traces: { receivers: ["otlp"], processors: ["batch"], exporters: ["jaeger_storage_exporter"] } },
      telemetry: {
        metrics: { level: "detailed", readers: [{ pull: { exporter: { prometheus: { host: "0.0.0.0", port: ports.jaegerMetrics } } } }] },
      },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: "0.0.0.0:13133" } },
      jaeger_query: { storage: { traces: "main" }, ui: {}, http: { endpoint: `0.0.0.0:${ports.jaegerUi}` } },
      jaeger_storage: {
        backends: {
          main: {
            badger: {
              directories: { keys: "/badger/keys", values: "/badger/values" },
              ephemeral: false,
              ttl: { spans: goDuration(spec.retention) },
            },
          },
        },
      },
    },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${ports.otlpGrpc}` }, http: { endpoint: `0.0.0.0:${ports.otlpHttp}` } } },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: "main" } },
  };
}
