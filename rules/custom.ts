/**
 * Business and custom alerts declared under `alerts.custom`: `expr op
 * threshold` for `for`. They pass through the same decoration and PromQL
 * check as the built-in packs.
 */
import type { CustomAlertSpec } from "./spec";
import type { AuthoredAlert, RulePack } from "./types";

export function customAlert(spec: CustomAlertSpec): AuthoredAlert {
  const labels: Record<string, string> = { ...spec.labels };
  if (spec.service !== undefined) labels.service = spec.service;
  return {
    alert: spec.name,
    // A PromQL comment runs to the end of its line: end the user's line before our closing parenthesis.
    expr: `(${spec.expr}${spec.expr.includes("#") ? "\n" : ""}) ${spec.op} ${spec.threshold}`,
    for: spec.for,
    severity: spec.severity,
    labels,
    runbook: spec.runbook ?? spec.name,
    // A custom alert about a service belongs on that service's dashboard.
    dashboard: spec.service !== undefined ? "serviceHealth" : null,
    summary: spec.summary,
    description: spec.description ?? `Observed value {{ $value | humanize }}; the alert fires when it is ${spec.op} ${spec.threshold} for ${spec.for}.`,
  };
}

export const customPack: RulePack = {
  id: "custom",
  file: "custom.rules.yml",
  enabledByDefault: (ctx) => ctx.alerts.custom.length > 0,
  groups: (ctx) => [{ name: "custom-alerts", rules: ctx.alerts.custom.map(customAlert) }],
};
