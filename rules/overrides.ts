/**
 * `alerts.overrides`: a stack tunes built-in alerts by name (`for`, severity,
 * extra labels, or drops them) without forking the catalogue. Applied to the
 * authored alerts before decoration, so runbook, dashboard and pack labels
 * are added the same way as for an untouched alert.
 */
import { policyAlertNames, routingLabels } from "../model/routing";
import { nearest } from "../model/suggest";
import type { AlertOverrideSpec } from "./spec";
import type { AuthoredAlert, AuthoredGroup, RecordingRule } from "./types";
import { isAuthoredAlert } from "./types";

/**
 * Labels an override may not set: `severity` has its own field, and the
 * others are what routes and inhibit rules match on or what the expression
 * itself carries per series (`service`, `team` from the service owner,
 * `instance`, `slo`). A static value would send every series of the alert
 * to one team or merge them for inhibition.
 */
export const overrideRefusedLabels: ReadonlySet<string> = new Set(Object.values(routingLabels));

export function applyOverrides(groups: AuthoredGroup[], overrides: Record<string, AlertOverrideSpec>): AuthoredGroup[] {
  return groups.map((g) => ({
    ...g,
    rules: g.rules.flatMap((r): Array<AuthoredAlert | RecordingRule> => {
      if (!isAuthoredAlert(r)) return [r];
      const o = overrides[r.alert];
      if (o === undefined) return [r];
      if (o.disabled === true) return [];
      return [
        {
          ...r,
          ...(o.for !== undefined ? { for: o.for } : {}),
          ...(o.severity !== undefined ? { severity: o.severity } : {}),
          ...(o.labels !== undefined ? { labels: { ...r.labels, ...o.labels } } : {}),
        },
      ];
    }),
  }));
}

export interface OverrideProblem {
  /** Path under `alerts`, such as ["overrides", "HighErrorRate", "labels", "team"]. */
  path: PropertyKey[];
  value: unknown;
  message: string;
}

export interface OverrideScope {
  /** Every built-in alert name, with the pack that holds it. */
  catalogue: ReadonlyMap<string, string>;
  /** Built-in alert names this stack renders, before overrides. */
  produced: ReadonlySet<string>;
  /** Packs that run in this stack. */
  enabledPacks: ReadonlySet<string>;
  customNames: readonly string[];
}

/** What is wrong with a stack's overrides and custom alert names, against the built-in catalogue. */
export function overrideProblems(overrides: Record<string, AlertOverrideSpec>, scope: OverrideScope): OverrideProblem[] {
  const problems: OverrideProblem[] = [];
  for (const [name, o] of Object.entries(overrides)) {
    const pack = scope.catalogue.get(name);
    if (pack === undefined) {
      const near = nearest(name, scope.catalogue.keys());
      const custom = scope.customNames.includes(name) ? " (it is a custom alert: set its fields under alerts.custom instead)" : "";
      problems.push({
        path: ["overrides", name],
        value: name,
        message: `unknown built-in alert${custom}; expected a built-in alert name${near ? `; did you mean ${near}?` : " (see the runbooks/ folder for the catalogue)"}`,
      });
      continue;
    }
    if (!scope.produced.has(name)) {
      const [why, fix] = scope.enabledPacks.has(pack)
        ? [`this stack does not render it (the ${pack} pack makes it only when what it watches is configured)`, "configure what it watches"]
        : pack === "slo"
          ? ["this stack declares no SLO", "declare one under services[].slos"]
          : [`its pack ${pack} is off in this stack`, `turn the pack on with alerts.packs.${pack}: true`];
      problems.push({ path: ["overrides", name], value: name, message: `${why}, so the override would change nothing; remove the override, or ${fix}` });
    }
    if (name === policyAlertNames.watchdog && o.disabled === true)
      problems.push({
        path: ["overrides", name, "disabled"],
        value: true,
        message:
          "Watchdog is the heartbeat that proves rules are evaluated and alerts delivered; it cannot be disabled; remove disabled (the heartbeat receiver is configured under notifications)",
      });
    for (const [label, value] of Object.entries(o.labels ?? {}))
      if (overrideRefusedLabels.has(label))
        problems.push({
          path: ["overrides", name, "labels", label],
          value,
          message:
            label === routingLabels.severity
              ? `set alerts.overrides.${name}.severity instead`
              : `${label} is a label Watchpost routes or inhibits on, set from the alert's series (or services[].team); a fixed value would misroute the alert; route a service's alerts with services[].team, or choose another label name`,
        });
  }
  for (const [i, name] of scope.customNames.entries()) {
    const pack = scope.catalogue.get(name);
    if (pack !== undefined)
      problems.push({
        path: ["custom", i, "name"],
        value: name,
        message: `is the name of the built-in alert ${name} (pack ${pack}); rename the custom alert, or tune the built-in one with alerts.overrides.${name}`,
      });
  }
  return problems;
}
