/**
 * Inhibit rules: when the cause is already alerting, its symptoms stay quiet.
 * `equal` on a label both alerts lack counts as equal in Alertmanager, so each
 * source requires its key labels to be present; otherwise a label-less
 * ServiceDown or HostDown would silence every label-less alert, Watchdog included.
 */
import { type AmInhibitRule, matchEq, matchNotEq, matchRegex } from "./amconfig";
import { policyAlertNames as names, routingLabels as l } from "../../model/routing";

const present = ".+";

export function inhibitRules(): AmInhibitRule[] {
  return [
    // A critical alert already pages; its warning and info siblings add nothing.
    {
      source_matchers: [matchEq(l.severity, "critical")],
      target_matchers: [matchRegex(l.severity, "warning|info")],
      equal: [l.alertname, l.service],
    },
    // A service that is down also has errors, latency, burning SLOs and failing probes.
    {
      source_matchers: [matchEq(l.alertname, names.serviceDown), matchRegex(l.service, present)],
      target_matchers: [matchNotEq(l.alertname, names.serviceDown), matchNotEq(l.alertname, names.watchdog)],
      equal: [l.service],
    },
    // A host that is down cannot report its disk, memory or CPU truthfully.
    {
      source_matchers: [matchEq(l.alertname, names.hostDown), matchRegex(l.instance, present)],
      target_matchers: [matchRegex(l.alertname, `${names.hostPrefix}.+`), matchNotEq(l.alertname, names.hostDown)],
      equal: [l.instance],
    },
    // The fast burn of an SLO implies its slow burn; one page is enough.
    {
      source_matchers: [matchEq(l.alertname, names.sloFastBurn), matchRegex(l.slo, present), matchRegex(l.service, present)],
      target_matchers: [matchEq(l.alertname, names.sloSlowBurn)],
      equal: [l.slo, l.service],
    },
  ];
}
