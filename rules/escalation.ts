/**
 * Escalation without a paging service (`routing.escalation`): one alert per level over Prometheus's own
 * `ALERTS` series. While a covered alert is firing, its `ALERTS{alertstate="firing"}` series exists; a rule
 * with `for: <after>` over it fires once the alert has been firing that long, and resolves the moment the
 * series goes, which is when the alert resolves. The escalation alert keeps every label of the alert it
 * escalates, its name in `escalated_alertname`, and `escalation="level-<n>"`, which routes it to the level's
 * receiver (components/alerting/routes.ts).
 */
import { formatMatcher, parseMatcher } from "../model/matchers";
import { escalationLevelName, policyAlertNames, routingLabels } from "../model/routing";
import type { AuthoredAlert, EscalationRules, RulePack } from "./types";

/** PromQL label matchers of the alerts that escalate: firing, covered by the matchers, not the Watchdog nor an escalation itself. */
export function escalationSelector(matchers: readonly string[]): string {
  const own = matchers.map((m) => {
    const parsed = parseMatcher(m);
    // Config validation reports unparsable matchers with their key path; a PromQL check catches any left.
    return "problem" in parsed ? m : formatMatcher(parsed);
  });
  const fixed = [
    'alertstate="firing"',
    `${routingLabels.alertname}!=${JSON.stringify(policyAlertNames.watchdog)}`,
    `${routingLabels.alertname}!=${JSON.stringify(policyAlertNames.escalation)}`,
  ];
  return `ALERTS{${[...fixed, ...own].join(", ")}}`;
}

export function escalationAlerts(spec: EscalationRules): AuthoredAlert[] {
  const selector = escalationSelector(spec.matchers);
  const l = routingLabels;
  // `alertstate` is dropped: Prometheus sets it on the escalation alert's own ALERTS series.
  const expr = `max without (alertstate) (\n  label_replace(${selector}, "${l.escalatedAlertname}", "$1", "${l.alertname}", "(.+)")\n)`;
  return spec.levels.map((level, i) => {
    const name = escalationLevelName(i);
    return {
      alert: policyAlertNames.escalation,
      expr,
      for: level.after,
      severity: "critical",
      labels: { [l.escalation]: name },
      runbook: policyAlertNames.escalation,
      dashboard: null,
      summary: `{{ $labels.${l.escalatedAlertname} }} is still firing after ${level.after}: escalated to ${name}`,
      description:
        `{{ $labels.${l.escalatedAlertname} }}{{ with $labels.service }} of {{ . }}{{ end }} has been firing for ${level.after} without resolving, so it goes to the ${name} receiver. ` +
        `This alert resolves when {{ $labels.${l.escalatedAlertname} }} does; to stop it, silence ${l.escalatedAlertname}="{{ $labels.${l.escalatedAlertname} }}" as well as the alert itself.`,
    };
  });
}

export const escalationPack: RulePack = {
  id: "escalation",
  file: "escalation.rules.yml",
  enabledByDefault: (ctx) => ctx.escalation !== undefined && ctx.escalation.levels.length > 0,
  groups: (ctx) => (ctx.escalation === undefined ? [] : [{ name: "escalation", rules: escalationAlerts(ctx.escalation) }]),
};
