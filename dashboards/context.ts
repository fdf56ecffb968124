/**
 * What the dashboards need to know about a stack: a plain slice of the stack
 * config, so dashboards build without Pulumi and without the config parser.
 */
import type { ExporterFlags, ExporterInstanceLabels, LoggingBackend, TracingBackend } from "../model/vocabulary";
import { defaultThresholds, type Thresholds } from "../rules/thresholds";

export interface DashboardContext {
  environment: string;
  services: Array<{ name: string; slos: Array<{ name: string; type: "availability" | "latency"; objective: number }> }>;
  exporters: ExporterFlags;
  /** The labels of list-form exporters' instances: their rows get a variable to pick the instance. @default none */
  exporterInstances?: ExporterInstanceLabels;
  logging: LoggingBackend | "none";
  tracing: TracingBackend | "none";
  /** Every notification is kept in Loki (`notifications.history`): the Alerts dashboard shows the history. @default false */
  alertHistory?: boolean;
  /** The alert thresholds (`alerts.thresholds` resolved): panels that mirror an alert are coloured by them. @default the defaults */
  thresholds?: Thresholds;
}

/** The alert thresholds the panels' colours mirror. */
export function alertThresholds(ctx: DashboardContext): Thresholds {
  return ctx.thresholds ?? defaultThresholds;
}
