/**
 * The words every layer shares: where a stack runs, which backends it may
 * choose, which exporters exist. Each is a list (for schemas and loops) and
 * the union derived from it (for types), spelled once.
 */

/** Where the containers run: the local Docker engine, or a Kubernetes cluster. */
export const platforms = ["docker", "kubernetes"] as const;
export type Platform = (typeof platforms)[number];

export const loggingBackends = ["loki", "elasticsearch"] as const;
export type LoggingBackend = (typeof loggingBackends)[number];

export const tracingBackends = ["tempo", "jaeger"] as const;
export type TracingBackend = (typeof tracingBackends)[number];

/**
 * The backing services Watchpost watches through an exporter, in the order
 * their jobs, rule files and dashboard rows appear. `components/exporters/`
 * holds one entry per id; the compiler asks for a new id's entry there.
 */
export const exporterIds = ["postgres", "redis", "rabbitmq", "nginx", "elasticsearch", "mysql"] as const;
export type ExporterId = (typeof exporterIds)[number];

/** Which exporters a stack configures. */
export type ExporterFlags = Readonly<Record<ExporterId, boolean>>;

/**
 * For each exporter configured as a list of named instances, the labels its instances' series carry
 * (`instance_name` first, then the instances' own label names): aggregations keep them, so each
 * alert names its instance. Absent for exporters configured as one object.
 */
export type ExporterInstanceLabels = Readonly<Partial<Record<ExporterId, readonly string[]>>>;

/** Exporters Prometheus scrapes at the service itself (RabbitMQ's built-in plugin): Watchpost runs no process for them. */
export const scrapedDirectly: readonly ExporterId[] = ["rabbitmq"];

/** Defaults that more than one layer states. */
export const defaults = {
  /** Prometheus' time-based retention. */
  retention: "30d",
  /** The window an SLO's error budget is counted over. */
  sloPeriod: "30d",
} as const;
