/**
 * The one pass that turns authored alerts into Prometheus rules, applying the
 * concerns every pack shares: severity and pack labels, runbook and dashboard
 * links, and the owning team of service-scoped alerts.
 */
import { dashboardUids, labels as conventionLabels } from "../model/conventions";
import { serviceOwner } from "./names";
import type { AlertRule, AuthoredAlert, AuthoredGroup, RecordingRule, RuleContext, RuleGroup, RulePack } from "./types";
import { isAuthoredAlert } from "./types";

/** Constant series naming each configured service's team, for `ownedByService` alerts to join. */
export function serviceOwnerGroup(ctx: RuleContext): RuleGroup {
  return {
    name: "service-owners",
    rules: ctx.services.map((svc) => {
      const labels: Record<string, string> = { [conventionLabels.service]: svc.name };
      if (svc.team !== undefined) labels[conventionLabels.team] = svc.team;
      return { record: serviceOwner, expr: "vector(1)", labels };
    }),
  };
}

function withOwner(expr: string): string {
  // group_left copies `team`; the owner series is 1, so the alert's value is unchanged.
  const indented = expr.replace(/^/gm, "  ");
  return `(\n${indented}\n)\n* on (service) group_left (team) ${serviceOwner}`;
}

function decorateAlert(a: AuthoredAlert, pack: RulePack, ctx: RuleContext): AlertRule {
  const dashboard = a.dashboard === undefined ? pack.dashboard : a.dashboard;
  const annotations: Record<string, string> = {
    summary: a.summary,
    description: a.description,
    runbook_url: `${ctx.alerts.runbookBaseUrl}/${a.runbook ?? a.alert}.md`,
  };
  if (dashboard !== undefined && dashboard !== null) annotations.dashboard_url = `${ctx.grafanaUrl}/d/${dashboardUids[dashboard]}`;
  // Key order is the order readers expect in the rendered YAML.
  const rule: AlertRule = {
    alert: a.alert,
    expr: a.ownedByService === true && ctx.services.length > 0 ? withOwner(a.expr) : a.expr,
    ...(a.for !== undefined ? { for: a.for } : {}),
    ...(a.keep_firing_for !== undefined ? { keep_firing_for: a.keep_firing_for } : {}),
    // Pack labels and severity last: a custom alert's labels cannot override them.
    labels: { ...a.labels, ...pack.commonLabels, [conventionLabels.severity]: a.severity },
    annotations,
  };
  return rule;
}

export function decorateGroup(group: AuthoredGroup, pack: RulePack, ctx: RuleContext): RuleGroup {
  const rules = group.rules.map((r): AlertRule | RecordingRule => (isAuthoredAlert(r) ? decorateAlert(r, pack, ctx) : r));
  return group.interval === undefined ? { name: group.name, rules } : { name: group.name, interval: group.interval, rules };
}

/** True when some alert of these groups joins the owner series. */
export function needsServiceOwners(groups: AuthoredGroup[]): boolean {
  return groups.some((g) => g.rules.some((r) => isAuthoredAlert(r) && r.ownedByService === true));
}
