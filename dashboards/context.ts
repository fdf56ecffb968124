/**
 * What the dashboards need to know about a stack: a plain slice of the stack
 * config, so dashboards build without Pulumi and without the config parser.
 */
export interface DashboardContext {
  environment: string;
  services: Array<{ name: string; slos: Array<{ name: string; type: "availability" | "latency"; objective: number }> }>;
  exporters: { postgres: boolean; redis: boolean; rabbitmq: boolean; nginx: boolean; elasticsearch: boolean };
  logging: "loki" | "elasticsearch" | "none";
  tracing: "tempo" | "jaeger" | "none";
}
