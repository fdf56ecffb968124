/**
 * What the dashboards need to know about a stack: a plain slice of the stack
 * config, so dashboards build without Pulumi and without the config parser.
 */
import type { ExporterFlags, LoggingBackend, TracingBackend } from "../model/vocabulary";

export interface DashboardContext {
  environment: string;
  services: Array<{ name: string; slos: Array<{ name: string; type: "availability" | "latency"; objective: number }> }>;
  exporters: ExporterFlags;
  logging: LoggingBackend | "none";
  tracing: TracingBackend | "none";
}
