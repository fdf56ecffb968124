/**
 * The shapes rule packs are written in and the shapes they are rendered to.
 * Everything here is plain JSON-able data: on Kubernetes the same groups become
 * PrometheusRule resources, so no functions or class instances may hide inside.
 */
import type { dashboardUids, Severity } from "../model/conventions";
import type { ExporterFlags, ExporterInstanceLabels, Platform } from "../model/vocabulary";
import type { AlertsSpec, SloSpec } from "./spec";
import type { Thresholds } from "./thresholds";

export interface RuleContext {
  environment: string;
  platform: Platform;
  services: Array<{ name: string; team?: string; slos: SloSpec[] }>;
  probes: Array<{ name: string; service?: string; module: string }>;
  exporters: ExporterFlags;
  /** The labels of list-form exporters' instances, kept by their alerts' aggregations. @default none: every exporter is one object */
  exporterInstances?: ExporterInstanceLabels;
  /** Loki deployed. */
  logging: boolean;
  /** OpenTelemetry Collector deployed. */
  tracing: boolean;
  alerts: AlertsSpec;
  /** Base of `dashboard_url`: `${grafanaUrl}/d/<uid>`. */
  grafanaUrl: string;
  /** Prometheus retention. */
  retention: string;
  /** `routing.escalation`: one alert per level. @default none: no escalation rules */
  escalation?: EscalationRules;
}

/** What the escalation rules need of `routing.escalation`. */
export interface EscalationRules {
  /** Alertmanager matchers of the alerts that escalate, such as `severity="critical"`. */
  matchers: string[];
  /** Delay of each level, counted from when the alert started firing. */
  levels: Array<{ after: string }>;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Array<AlertRule | RecordingRule>;
}

/** One Prometheus rule file; `name` such as "service.rules.yml". */
export interface RuleFile {
  name: string;
  groups: RuleGroup[];
}

export type DashboardKey = keyof typeof dashboardUids;

/**
 * An alert as a pack writes it: only what is specific to the alert. Runbook and
 * dashboard links, pack labels and team ownership are added afterwards by
 * `decorateRules`, the same way for every pack.
 */
export interface AuthoredAlert {
  alert: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  severity: Severity;
  labels?: Record<string, string>;
  summary: string;
  description: string;
  /** Runbook file name under runbooks/, without `.md`. @default the alert name */
  runbook?: string;
  /** Overrides the pack's dashboard; `null` for none. */
  dashboard?: DashboardKey | null;
  /**
   * The expression keeps the `service` label of a configured service, so the
   * service's `team` can be joined on. Only set this where that holds: the join
   * drops series whose `service` is not declared in config.
   */
  ownedByService?: boolean;
}

export interface AuthoredGroup {
  name: string;
  interval?: string;
  rules: Array<AuthoredAlert | RecordingRule>;
}

export interface RulePack {
  /** The `alerts.packs` toggle, or an always-derived family (slo, custom). */
  id: string;
  file: string;
  dashboard?: DashboardKey;
  /** Labels every alert of the pack carries, such as `category: security`. */
  commonLabels?: Record<string, string>;
  enabledByDefault(ctx: RuleContext): boolean;
  groups(ctx: RuleContext, thresholds: Thresholds): AuthoredGroup[];
}

export function isAuthoredAlert(rule: AuthoredAlert | RecordingRule): rule is AuthoredAlert {
  return "alert" in rule;
}

export function isAlertRule(rule: AlertRule | RecordingRule): rule is AlertRule {
  return "alert" in rule;
}
