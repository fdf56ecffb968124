/**
 * Business and custom alerts declared under `alerts.custom`: `expr op
 * threshold` for `for`. They pass through the same decoration and PromQL
 * check as the built-in packs. One that names a `service` carries that
 * service's `team` (from `services[].team`) as a fixed label: its expression
 * usually aggregates the `service` label away, so the owner join the built-in
 * packs use (see decorate.ts) would find nothing to join on.
 */
import { labels as conventionLabels } from "../model/conventions";
import { checkRuleExpressions, describe, lintExpression, syntaxErrors, typeFix } from "./check";
import type { CustomAlertSpec } from "./spec";
import type { AuthoredAlert, RuleContext, RulePack } from "./types";

/**
 * @param services the stack's services; a custom alert naming one gets its `team`
 *   unless its own `labels` give one.
 */
export function customAlert(spec: CustomAlertSpec, services: RuleContext["services"] = []): AuthoredAlert {
  const labels: Record<string, string> = { ...spec.labels };
  if (spec.service !== undefined) {
    labels[conventionLabels.service] = spec.service;
    const team = services.find((s) => s.name === spec.service)?.team;
    if (team !== undefined && labels[conventionLabels.team] === undefined) labels[conventionLabels.team] = team;
  }
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
  groups: (ctx) => [{ name: "custom-alerts", rules: ctx.alerts.custom.map((spec) => customAlert(spec, ctx.services)) }],
};

/**
 * What is wrong with a custom alert's expression, in words for its author:
 * the expression alone must parse, type-check and be an instant vector, and
 * the rule built from it (`(expr) op threshold`) must too.
 */
export function customExpressionProblems(spec: CustomAlertSpec): string[] {
  const errors = syntaxErrors(spec.expr);
  if (errors.length > 0) return [`not valid PromQL (syntax error at ${describe(spec.expr, errors[0].from)})`];
  const { diagnostics, type } = lintExpression(spec.expr);
  if (diagnostics.length > 0) return diagnostics.map((d) => `not valid PromQL: ${d.message} (at ${describe(spec.expr, d.from)})${typeFix(d.message)}`);
  if (type === "matrix")
    return ["the expression is a range vector; an alert needs an instant vector: apply a function over the range, such as rate(x[5m]) or max_over_time(x[5m])"];
  if (type === "scalar")
    return ["the expression is a scalar, which has no labels to alert on; an alert needs an instant vector: use the vector inside scalar(...), or wrap the number in vector(...)"];
  if (type !== "vector") return [`the expression is a ${type}; an alert needs an instant vector`];
  const rendered = customAlert(spec);
  return checkRuleExpressions([{ name: "custom", groups: [{ name: "custom", rules: [{ alert: rendered.alert, expr: rendered.expr, labels: {}, annotations: {} }] }] }]).map(
    (p) => `the rule built from it does not check: ${p.message}`,
  );
}
