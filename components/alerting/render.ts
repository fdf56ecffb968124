/**
 * Renders alertmanager.yml and its notification templates from the stack's
 * notification and routing specs. Pure: no I/O, and no credential values —
 * only the paths where the platform mounts them (`secretFiles`).
 */
import { stringify } from "yaml";
import { configPaths } from "../../model/conventions";
import type { AmConfig, AmReceiver } from "./amconfig";
import { inhibitRules } from "./inhibit";
import { channelNames, teamRoutingKey } from "../../model/routing";
import { parseMatcher } from "../../model/matchers";
import { type AlertingSecretFile, buildReceivers, customMessages, type SnsAuth, severityChannels, teamRoutingKeys, usedSecretFiles, usedSecrets } from "./receivers";
import { buildRoute, buildTimeIntervals } from "./routes";
import type { NotificationsSpec, RoutingSpec } from "./spec";
import { renderTemplateFiles } from "./templates";
import { withHistory } from "./history";

const historyOf = (receivers: AmReceiver[], url: string | undefined) => (url === undefined ? receivers : withHistory(receivers, url));

export interface AlertmanagerRenderInput {
  notifications: NotificationsSpec;
  routing: RoutingSpec;
  /** Which credential secrets are set (keys of secretKeys in infra/config/schema.ts). */
  secrets: ReadonlySet<string>;
  /** Public Grafana URL, for dashboard links in notifications. */
  grafanaUrl: string;
  /** Public Alertmanager URL, for silence links (`${alertmanagerUrl}/#/silences/new?filter=...`). */
  alertmanagerUrl: string;
  environment: string;
  /** Where every notification is also posted for the alert history (`alertHistoryUrl`). @default none: no history */
  historyUrl?: string;
  /** How SNS requests are signed: the Alertmanager's own role (IRSA on eks) or the mounted key pair. @default "keys" */
  snsAuth?: SnsAuth;
}

export interface AlertmanagerArtifacts {
  /** File name relative to the Alertmanager config dir -> content. */
  files: Record<string, string>;
  /** Secret key -> absolute path where the platform must mount the secret's value. */
  secretFiles: Record<string, string>;
}

export class AlertmanagerRenderError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cannot render the Alertmanager configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "AlertmanagerRenderError";
  }
}

/** Where the platform mounts one secret file. */
export function alertmanagerSecretPath(key: AlertingSecretFile): string {
  return `${configPaths.alertmanagerSecretsDir}/${key}`;
}

/**
 * Config validation (infra/config) already reports these to the user with key
 * paths; the renderer repeats the checks so it can never emit a config that
 * points at an unmounted secret or an unknown team, whoever calls it.
 */
function problemsOf(input: AlertmanagerRenderInput): string[] {
  const problems: string[] = [];
  const n = input.notifications;
  for (const key of usedSecrets(n, input.snsAuth))
    if (!input.secrets.has(key))
      problems.push(`the secret watchpost:${key} is not set but its channel is enabled; set it with: pulumi config set --secret watchpost:${key} <value>`);
  if (n.email.enabled) {
    if (n.email.from === undefined) problems.push("notifications.email.from is required when email is enabled");
    if (n.email.smarthost === undefined) problems.push("notifications.email.smarthost is required when email is enabled");
    if (n.email.to.length === 0) problems.push("notifications.email.to: expected at least one address when email is enabled");
  }
  if (n.sns.enabled && n.sns.topicArn === undefined) problems.push("notifications.sns.topicArn is required when SNS is enabled");
  const enabled = (c: string) => (n as unknown as Record<string, { enabled: boolean }>)[c].enabled;
  for (const sev of ["critical", "warning", "info"] as const)
    if (input.routing.channels[sev] !== undefined)
      for (const c of severityChannels(input.routing, sev))
        if (!(channelNames as readonly string[]).includes(c) || !enabled(c))
          problems.push(`routing.channels.${sev}: '${c}' is not an enabled channel (notifications.${c}.enabled)`);
  input.routing.routes.forEach((r, i) => {
    for (const c of r.channels)
      if (!(channelNames as readonly string[]).includes(c) || !enabled(c))
        problems.push(`routing.routes[${i}].channels: '${c}' is not an enabled channel (notifications.${c}.enabled)`);
    for (const m of r.matchers) {
      const parsed = parseMatcher(m);
      if ("problem" in parsed) problems.push(`routing.routes[${i}].matchers: '${m}' ${parsed.problem}`);
    }
  });
  input.routing.escalation?.levels.forEach((level, i) => {
    for (const c of level.channels)
      if (!(channelNames as readonly string[]).includes(c) || !enabled(c))
        problems.push(`routing.escalation.levels[${i}].channels: '${c}' is not an enabled channel (notifications.${c}.enabled)`);
  });
  for (const m of input.routing.escalation?.matchers ?? []) {
    const parsed = parseMatcher(m);
    if ("problem" in parsed) problems.push(`routing.escalation.matchers: '${m}' ${parsed.problem}`);
  }
  input.routing.teams.forEach((team, i) => {
    if (team.pagerduty === undefined) return;
    const at = `routing.teams[${i}].pagerduty`;
    if (!n.pagerduty.enabled) problems.push(`${at} is set but PagerDuty is not enabled (notifications.pagerduty.enabled)`);
    else if (!severityChannels(input.routing, "critical").includes("pagerduty"))
      problems.push(`${at} is set but routing.channels.critical does not include pagerduty, so no critical alert pages PagerDuty`);
    const key = teamRoutingKey(team.name);
    if (!input.secrets.has(key))
      problems.push(`${at}: the secret watchpost:${key} is not set; set it with: pulumi config set --secret watchpost:${key} <the team's Events v2 routing key>`);
  });
  const teams = new Set(input.routing.teams.map((t) => t.name));
  input.routing.maintenanceWindows.forEach((w, i) => {
    w.mutes.forEach((m, j) => {
      if (m.startsWith("team:") && !teams.has(m.slice(5))) problems.push(`routing.maintenanceWindows[${i}].mutes[${j}]: '${m}' names a team that is not under routing.teams`);
      if (m.startsWith("route:") && !input.routing.routes.some((r) => r.name === m.slice(6)))
        problems.push(`routing.maintenanceWindows[${i}].mutes[${j}]: '${m}' names a route that is not under routing.routes`);
    });
  });
  for (const [field, url] of [
    ["grafanaUrl", input.grafanaUrl],
    ["alertmanagerUrl", input.alertmanagerUrl],
  ] as const)
    if (!/^https?:\/\/[^\s{}]+$/.test(url)) problems.push(`${field}: got '${url}'; expected an http(s) URL without spaces or braces`);
  return problems;
}

export function renderAlertmanagerConfig(input: AlertmanagerRenderInput): AlertmanagerArtifacts {
  const problems = problemsOf(input);
  if (problems.length > 0) throw new AlertmanagerRenderError(problems);

  const config: AmConfig = {
    route: buildRoute(input.notifications, input.routing),
    inhibit_rules: inhibitRules(),
    receivers: historyOf(
      buildReceivers({
        notifications: input.notifications,
        routing: input.routing,
        secretPath: alertmanagerSecretPath,
        alertmanagerUrl: input.alertmanagerUrl,
        environment: input.environment,
        snsAuth: input.snsAuth,
      }),
      input.historyUrl,
    ),
    ...(input.routing.maintenanceWindows.length === 0 ? {} : { time_intervals: buildTimeIntervals(input.routing.maintenanceWindows) }),
    templates: [`${configPaths.alertmanagerTemplatesDir}/*.tmpl`],
  };
  const header = `# Alertmanager configuration for environment '${input.environment}'.\n# Generated by Watchpost (components/alerting/render.ts); edit the stack config, not this file.\n`;
  const secretFiles: Record<string, string> = {};
  for (const key of [...usedSecretFiles(input.notifications, input.snsAuth), ...teamRoutingKeys(input.routing)]) secretFiles[key] = alertmanagerSecretPath(key);
  return {
    files: {
      "alertmanager.yml": header + stringify(config, { lineWidth: 0, aliasDuplicateObjects: false, version: "1.1" }),
      ...renderTemplateFiles(input, customMessages(input.routing)),
    },
    secretFiles,
  };
}
