/**
 * The names the routing policy relies on: receiver names, the labels routes
 * match on, and the alert names that inhibit others. Alert rules must use
 * these exact names for routing and inhibition to take effect, so they live
 * in one place that rules/ can import.
 */
import { labels, type Severity } from "./conventions";
import { namedKey } from "./primitives";

/** Receiver names as they appear in alertmanager.yml and in `amtool config routes test`. */
export const receiverNames = {
  /** Root receiver: alerts without a known severity. Same channels as `warning`, so a rule bug is still seen. */
  fallback: "default",
  /** No integrations: where the Watchdog goes when the heartbeat is disabled. */
  blackhole: "blackhole",
  heartbeat: "heartbeat",
  critical: "critical",
  warning: "warning",
  info: "info",
  security: "security",
} as const;

/** The receiver of one team's route. */
export function teamReceiverName(team: string): string {
  return `team-${team}`;
}

/** The receiver that pages a team's own PagerDuty service with its critical alerts (`routing.teams[].pagerduty`). */
export function teamPageReceiverName(team: string): string {
  return `critical-team-${team}`;
}

/** The team name of the stack's managed PagerDuty service (`notifications.pagerduty.managed`): it is `<environment>-watchpost`. */
export const stackPagerDutyTeam = "watchpost";

/** The base of a team's PagerDuty routing key secret and file: `pagerdutyRoutingKey` + the team name in PascalCase. */
export const teamRoutingKeyBase = "pagerdutyRoutingKey";

/** The secret and file holding a team's own PagerDuty routing key: `pagerdutyRoutingKeyOrdersEu` for `orders-eu`. */
export function teamRoutingKey(team: string): `pagerdutyRoutingKey${Capitalize<string>}` {
  return namedKey(teamRoutingKeyBase, team) as `pagerdutyRoutingKey${Capitalize<string>}`;
}

/** Labels the route tree and inhibit rules match on, beyond `severity`, `service` and `team` (see conventions). */
export const routingLabels = {
  alertname: "alertname",
  /** `category="security"` sends an alert to the security route only. */
  category: "category",
  securityCategory: "security",
  /** Host alerts are told apart by instance. */
  instance: "instance",
  slo: "slo",
  severity: labels.severity,
  service: labels.service,
  team: labels.team,
  /** `escalation="level-<n>"` marks an escalation alert and picks its level's route. */
  escalation: "escalation",
  /** The name of the alert an escalation alert escalates: what a silence of both matches on. */
  escalatedAlertname: "escalated_alertname",
} as const;

/** Alert names with a meaning to routing and inhibition. */
export const policyAlertNames = {
  /** Always firing; proves the alerting pipeline works end to end. Goes to the heartbeat only. */
  watchdog: "Watchdog",
  /** A service is down: every other alert with the same `service` is noise. */
  serviceDown: "ServiceDown",
  /** A host is down: the other `Host*` alerts of the same `instance` are noise. */
  hostDown: "HostDown",
  /** Host alerts share this prefix. */
  hostPrefix: "Host",
  /** Multi-window burn-rate alerts of one SLO; the fast one supersedes the slow one. */
  sloFastBurn: "SLOErrorBudgetFastBurn",
  sloSlowBurn: "SLOErrorBudgetSlowBurn",
  /** Fires when an alert routing.escalation covers is still firing after a level's delay; one rule per level. */
  escalation: "AlertEscalated",
} as const;

/** Routes a maintenance window may mute: `critical`, `warning`, `info`, `security`, `team:<name>` or `route:<name>` (routing.routes). */
export type MutableRoute = Severity | "security" | `team:${string}` | `route:${string}`;

/**
 * Notification channels a route can name (`routing.channels.<severity>`, `routing.routes[].channels`),
 * in the order their integrations are written into a receiver.
 */
export const channelNames = ["pagerduty", "opsgenie", "slack", "msteams", "email", "webhook", "sns"] as const;
export type ChannelName = (typeof channelNames)[number];

/**
 * Today's policy, the default when `routing.channels.<severity>` is unset: paging channels on critical
 * only, chat, email and the webhook on critical and warning, info to chat and the webhook (no email).
 * A channel that is not enabled under `notifications` is skipped here, never an error.
 */
export const defaultSeverityChannels: Record<Severity, readonly ChannelName[]> = {
  critical: ["pagerduty", "opsgenie", "slack", "msteams", "email", "webhook", "sns"],
  warning: ["slack", "msteams", "email", "webhook"],
  info: ["slack", "msteams", "webhook"],
};

/** Receiver of a `routing.routes[]` entry. */
export function customRouteReceiverName(route: string): string {
  return `route-${route}`;
}

/**
 * The value of the `escalation` label for `routing.escalation.levels[index]`: the alert's own notification
 * is level 1, so the first configured level is level 2.
 */
export function escalationLevelName(index: number): string {
  return `level-${index + 2}`;
}

/** Receiver of an escalation level. */
export function escalationReceiverName(index: number): string {
  return `escalation-${escalationLevelName(index)}`;
}
