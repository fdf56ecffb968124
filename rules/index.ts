/**
 * Watchpost's alert-rule catalogue: typed rule packs in, Prometheus rule files
 * out. Pure data and functions; no Pulumi. On Kubernetes each file's groups
 * become one PrometheusRule's spec.groups unchanged.
 */
import { stringify } from "yaml";
import { checkRuleExpressions } from "./check";
import { customPack } from "./custom";
import { escalationPack } from "./escalation";
import { decorateGroup, needsServiceOwners, serviceOwnerGroup } from "./decorate";
import { containersPack } from "./packs/containers";
import { hostsPack } from "./packs/hosts";
import { kubernetesPack } from "./packs/kubernetes";
import { securityPack } from "./packs/security";
import { applyOverrides, type OverrideProblem, overrideProblems } from "./overrides";
import { selfMonitoringPack } from "./packs/selfMonitoring";
import { servicePack } from "./packs/service";
import { uptimePack } from "./packs/uptime";
import { sloPack } from "./slo";
import { type RecordingRuleProblem, recordingPack, recordingRuleProblems as recordingProblems } from "./recording";
import { type AlertPack, alertPacks, alertsSpec } from "./spec";
import { resolveThresholds } from "./thresholds";
import type { RuleContext, RuleFile, RulePack } from "./types";
import { defaults, type ExporterId, exporterIds } from "../model/vocabulary";
import { isAlertRule } from "./types";
import { serviceOwner } from "./names";

export type { AlertRule, EscalationRules, RecordingRule, RuleContext, RuleFile, RuleGroup } from "./types";
export { checkRuleExpressions, type RuleExpressionProblem } from "./check";
export type { RecordingRuleProblem } from "./recording";

/**
 * The built-in packs around the exporters' own, in the order files are rendered. SLO and custom
 * alerts follow their config, not a toggle. The exporters' packs live in rules/packs/ too, but the
 * exporter registry (`components/exporters/`) lists them, with everything else an exporter brings.
 */
const leadingPacks: readonly RulePack[] = [servicePack, sloPack, hostsPack, containersPack, kubernetesPack];
const trailingPacks: readonly RulePack[] = [uptimePack, securityPack, selfMonitoringPack, recordingPack, customPack, escalationPack];

/** Packs whose rules come from the stack's config as written: overrides do not tune them, and they are not built-ins. */
const declaredPacks: readonly RulePack[] = [recordingPack, customPack, escalationPack];

/** File holding the service-owner series that service-scoped alerts join for `team`. */
export const serviceOwnersFile = "service-owners.rules.yml";

function isToggle(id: string): id is AlertPack {
  return (alertPacks as readonly string[]).includes(id);
}

/** Whether a pack runs: its `alerts.packs` toggle when given, else its default for this stack. */
export function packEnabled(pack: RulePack, ctx: RuleContext): boolean {
  const toggle = isToggle(pack.id) ? ctx.alerts.packs[pack.id] : undefined;
  return toggle ?? pack.enabledByDefault(ctx);
}

export class RuleExpressionError extends Error {
  constructor(readonly problems: ReturnType<typeof checkRuleExpressions>) {
    super(`Invalid PromQL in ${problems.length} rule(s):\n${problems.map((p) => `  - ${p.file}: ${p.message}`).join("\n")}`);
    this.name = "RuleExpressionError";
  }
}

/** A stack with every pack on and everything they watch configured: the whole built-in catalogue. */
function catalogueContext(platform: RuleContext["platform"]): RuleContext {
  return {
    environment: "catalogue",
    platform,
    services: [
      {
        name: "api",
        team: "platform",
        slos: [
          { name: "availability", type: "availability", objective: 99.9, period: defaults.sloPeriod },
          { name: "latency", type: "latency", objective: 99, period: defaults.sloPeriod, threshold: "500ms" },
        ],
      },
    ],
    probes: [{ name: "api-public", service: "api", module: "http_2xx" }],
    exporters: Object.fromEntries(exporterIds.map((id) => [id, true])) as Record<ExporterId, boolean>,
    logging: true,
    tracing: true,
    alerts: alertsSpec.parse({ packs: Object.fromEntries(alertPacks.map((p) => [p, true])) }),
    grafanaUrl: "http://grafana",
    retention: defaults.retention,
  };
}

export interface RuleCatalogue {
  /** Every pack, in the order files are rendered. */
  packs: readonly RulePack[];
  buildRuleFiles(ctx: RuleContext): RuleFile[];
  /**
   * File name -> Prometheus rule-file YAML.
   * @throws RuleExpressionError naming every rule whose expression does not parse.
   */
  renderRuleFiles(ctx: RuleContext): Record<string, string>;
  /** Distinct alert names of the enabled packs, sorted. */
  alertNames(ctx: RuleContext): string[];
  /** Built-in alert name -> the pack that holds it, over both platforms. Custom alerts are not in it. */
  builtInAlerts(): Map<string, string>;
  /** What is wrong with `alerts.overrides` (and custom alert names) for this stack; paths are under `alerts`. */
  alertOverrideProblems(ctx: RuleContext): OverrideProblem[];
  /** Built-in recording rule name -> the pack that records it, over both platforms. */
  builtInRecords(): Map<string, string>;
  /** What is wrong with `alerts.recording`: names taken by built-in rules or the conventions, duplicates, expressions. */
  recordingRuleProblems(ctx: RuleContext): RecordingRuleProblem[];
}

/** The whole catalogue: the built-in packs with the exporters' packs in their place. */
export function ruleCatalogue(exporterPacks: readonly RulePack[]): RuleCatalogue {
  const packs = [...leadingPacks, ...exporterPacks, ...trailingPacks];

  function buildRuleFiles(ctx: RuleContext): RuleFile[] {
    const thresholds = resolveThresholds(ctx.alerts.thresholds);
    const files: RuleFile[] = [];
    let ownersNeeded = false;
    for (const pack of packs.filter((p) => packEnabled(p, ctx))) {
      const authored = pack.groups(ctx, thresholds);
      // Overrides tune built-in alerts only; a custom alert is tuned in its own entry.
      const tuned = declaredPacks.includes(pack) ? authored : applyOverrides(authored, ctx.alerts.overrides);
      const groups = tuned.filter((g) => g.rules.length > 0);
      if (groups.length === 0) continue;
      ownersNeeded ||= needsServiceOwners(groups);
      files.push({ name: pack.file, groups: groups.map((g) => decorateGroup(g, pack, ctx)) });
    }
    if (ownersNeeded && ctx.services.length > 0) files.push({ name: serviceOwnersFile, groups: [serviceOwnerGroup(ctx)] });
    return files;
  }

  /**
   * File name -> Prometheus rule-file YAML.
   * @throws RuleExpressionError naming every rule whose expression does not parse.
   */
  function renderRuleFiles(ctx: RuleContext): Record<string, string> {
    const files = buildRuleFiles(ctx);
    const problems = checkRuleExpressions(files);
    if (problems.length > 0) throw new RuleExpressionError(problems);
    const header = "# Generated by Watchpost from rules/ — edit the packs there, not this file.\n";
    return Object.fromEntries(files.map((f) => [f.name, header + stringify({ groups: f.groups }, { lineWidth: 0, aliasDuplicateObjects: false })]));
  }

  /** Distinct alert names of the enabled packs, sorted. */
  function alertNames(ctx: RuleContext): string[] {
    const names = new Set<string>();
    for (const file of buildRuleFiles(ctx)) for (const group of file.groups) for (const rule of group.rules) if (isAlertRule(rule)) names.add(rule.alert);
    return [...names].sort();
  }

  /** Rule name -> pack over every built-in rule of both platforms, alerts (`alert`) or recording rules (`record`). */
  const builtInCache = new Map<"alert" | "record", Map<string, string>>();
  function builtIn(kind: "alert" | "record"): Map<string, string> {
    // The catalogue contexts are fixed, so each map is computed once; callers get a copy to keep.
    const cached = builtInCache.get(kind);
    if (cached) return new Map(cached);
    const catalogue = new Map<string, string>();
    for (const platform of ["docker", "kubernetes"] as const) {
      const ctx = catalogueContext(platform);
      const thresholds = resolveThresholds({});
      for (const pack of packs.filter((p) => !declaredPacks.includes(p)))
        for (const group of pack.groups(ctx, thresholds))
          for (const rule of group.rules) {
            if (kind === "alert" && "alert" in rule) catalogue.set(rule.alert, pack.id);
            if (kind === "record" && "record" in rule) catalogue.set(rule.record, pack.id);
          }
    }
    builtInCache.set(kind, catalogue);
    return new Map(catalogue);
  }

  /** Built-in alert name -> the pack that holds it, over both platforms. Custom alerts are not in it. */
  function builtInAlerts(): Map<string, string> {
    return builtIn("alert");
  }

  function builtInRecords(): Map<string, string> {
    // The owner series are recorded beside the packs, for services that have owned alerts.
    return new Map([...builtIn("record"), [serviceOwner, "service"]]);
  }

  function recordingRuleProblems(ctx: RuleContext): RecordingRuleProblem[] {
    if (ctx.alerts.recording.length === 0) return [];
    return recordingProblems(ctx.alerts.recording, builtInRecords());
  }

  /** What is wrong with `alerts.overrides` (and custom alert names) for this stack; paths are under `alerts`. */
  function alertOverrideProblems(ctx: RuleContext): OverrideProblem[] {
    const untouched: RuleContext = { ...ctx, alerts: { ...ctx.alerts, overrides: {} } };
    const enabled = packs.filter((p) => packEnabled(p, untouched));
    const catalogue = builtInAlerts();
    return overrideProblems(ctx.alerts.overrides, {
      catalogue,
      produced: new Set(alertNames(untouched).filter((n) => catalogue.has(n))),
      enabledPacks: new Set(enabled.map((p) => p.id)),
      customNames: ctx.alerts.custom.map((a) => a.name),
    });
  }

  return { packs, buildRuleFiles, renderRuleFiles, alertNames, builtInAlerts, alertOverrideProblems, builtInRecords, recordingRuleProblems };
}
