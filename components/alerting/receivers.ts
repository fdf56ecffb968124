/**
 * Receivers: which channels each route notifies. A disabled channel adds no
 * integration anywhere; a receiver left with none is a valid no-op, so the
 * route tree keeps the same shape in every environment and only its reach changes.
 * Every credential is read by Alertmanager from a mounted file (`*_file`).
 */
import type { AmEmailConfig, AmMsteamsV2Config, AmOpsgenieConfig, AmPagerdutyConfig, AmReceiver, AmSlackConfig, AmWebhookConfig } from "./amconfig";
import { receiverNames, teamReceiverName } from "../../model/routing";
import type { NotificationsSpec, RoutingSpec } from "./spec";
import { templateRefs as t } from "./templates";

/** Credential secrets the receivers may read, by key of `secretKeys` in infra/config/schema.ts. */
export const alertingSecretKeys = ["slackWebhookUrl", "pagerdutyRoutingKey", "opsgenieApiKey", "msteamsWebhookUrl", "smtpPassword", "webhookUrl", "heartbeatUrl"] as const;
export type AlertingSecretKey = (typeof alertingSecretKeys)[number];

export interface ReceiverContext {
  notifications: NotificationsSpec;
  routing: RoutingSpec;
  /** Absolute path of each secret's mounted file. */
  secretPath: (key: AlertingSecretKey) => string;
  alertmanagerUrl: string;
  environment: string;
}

function slackTo(ctx: ReceiverContext, channel: string): AmSlackConfig[] {
  if (!ctx.notifications.slack.enabled) return [];
  return [
    {
      api_url_file: ctx.secretPath("slackWebhookUrl"),
      channel,
      send_resolved: true,
      title: t.slackTitle,
      text: t.slackText,
      color: t.slackColor,
    },
  ];
}

function emailTo(ctx: ReceiverContext, to: readonly string[]): AmEmailConfig[] {
  const email = ctx.notifications.email;
  // from/smarthost are checked by render.ts before any receiver is built.
  if (!email.enabled || to.length === 0 || email.from === undefined || email.smarthost === undefined) return [];
  const auth = email.username === undefined ? {} : { auth_username: email.username, auth_password_file: ctx.secretPath("smtpPassword") };
  return [
    {
      to: to.join(", "),
      from: email.from,
      smarthost: email.smarthost,
      require_tls: email.requireTls,
      ...auth,
      send_resolved: true,
      headers: { Subject: t.emailSubject },
      html: t.emailHtml,
      text: t.emailText,
    },
  ];
}

function pagerduty(ctx: ReceiverContext): AmPagerdutyConfig[] {
  const pd = ctx.notifications.pagerduty;
  if (!pd.enabled) return [];
  return [
    {
      routing_key_file: ctx.secretPath("pagerdutyRoutingKey"),
      ...(pd.url === undefined ? {} : { url: pd.url }),
      send_resolved: true,
      description: t.pagerdutyDescription,
      severity: t.pagerdutySeverity,
      client: `Watchpost Alertmanager (${ctx.environment})`,
      client_url: ctx.alertmanagerUrl,
      details: {
        environment: ctx.environment,
        summary: "{{ .CommonAnnotations.summary }}",
        description: "{{ .CommonAnnotations.description }}",
        severity: "{{ .CommonLabels.severity }}",
        labels: "{{ range .CommonLabels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}",
        runbook: "{{ .CommonAnnotations.runbook_url }}",
        dashboard: "{{ .CommonAnnotations.dashboard_url }}",
        silence: t.silenceUrl,
        alerts: t.pagerdutyAlerts,
      },
    },
  ];
}

/** Opsgenie pages like PagerDuty, so it is only on the critical receiver. */
function opsgenie(ctx: ReceiverContext): AmOpsgenieConfig[] {
  const og = ctx.notifications.opsgenie;
  if (!og.enabled) return [];
  return [
    {
      api_key_file: ctx.secretPath("opsgenieApiKey"),
      // Alertmanager appends "v2/alerts" to the path as it is, so a base URL needs its trailing slash.
      ...(og.url === undefined ? {} : { api_url: og.url.endsWith("/") ? og.url : `${og.url}/` }),
      send_resolved: true,
      message: t.opsgenieMessage,
      description: t.opsgenieDescription,
      priority: t.opsgeniePriority,
      source: `Watchpost Alertmanager (${ctx.environment})`,
      details: {
        environment: ctx.environment,
        severity: "{{ .CommonLabels.severity }}",
        runbook: "{{ .CommonAnnotations.runbook_url }}",
        dashboard: "{{ .CommonAnnotations.dashboard_url }}",
        silence: t.silenceUrl,
      },
    },
  ];
}

/**
 * Teams has one workflow webhook, not a channel per severity; it goes where
 * Slack's general channels go (every severity), not to security or team routes,
 * which have channels of their own.
 */
function msteams(ctx: ReceiverContext): AmMsteamsV2Config[] {
  if (!ctx.notifications.msteams.enabled) return [];
  return [{ webhook_url_file: ctx.secretPath("msteamsWebhookUrl"), send_resolved: true, title: t.msteamsTitle, text: t.msteamsText }];
}

/** The generic webhook is for machines (chat-ops, ticketing), so it sees every severity. */
function webhook(ctx: ReceiverContext): AmWebhookConfig[] {
  if (!ctx.notifications.webhook.enabled) return [];
  return [{ url_file: ctx.secretPath("webhookUrl"), send_resolved: true }];
}

function receiver(name: string, parts: Omit<AmReceiver, "name">): AmReceiver {
  const out: AmReceiver = { name };
  for (const [field, list] of Object.entries(parts) as Array<[keyof Omit<AmReceiver, "name">, unknown[]]>) {
    if (list.length > 0) (out as unknown as Record<string, unknown>)[field] = list;
  }
  return out;
}

export function buildReceivers(ctx: ReceiverContext): AmReceiver[] {
  const n = ctx.notifications;
  const ch = n.slack.channels;
  const onCall = n.email.to;
  const security = ctx.routing.security;
  return [
    // Unknown severity is a rule bug; treat it like a warning so someone sees it.
    receiver(receiverNames.fallback, {
      slack_configs: slackTo(ctx, ch.warning),
      msteamsv2_configs: msteams(ctx),
      email_configs: emailTo(ctx, onCall),
      webhook_configs: webhook(ctx),
    }),
    receiver(receiverNames.blackhole, {}),
    ...(n.heartbeat.enabled ? [receiver(receiverNames.heartbeat, { webhook_configs: [{ url_file: ctx.secretPath("heartbeatUrl"), send_resolved: false }] })] : []),
    receiver(receiverNames.critical, {
      pagerduty_configs: pagerduty(ctx),
      opsgenie_configs: opsgenie(ctx),
      slack_configs: slackTo(ctx, ch.critical),
      msteamsv2_configs: msteams(ctx),
      email_configs: emailTo(ctx, onCall),
      webhook_configs: webhook(ctx),
    }),
    receiver(receiverNames.warning, {
      slack_configs: slackTo(ctx, ch.warning),
      msteamsv2_configs: msteams(ctx),
      email_configs: emailTo(ctx, onCall),
      webhook_configs: webhook(ctx),
    }),
    receiver(receiverNames.info, { slack_configs: slackTo(ctx, ch.info), msteamsv2_configs: msteams(ctx), webhook_configs: webhook(ctx) }),
    // Security findings stay out of the general channels and the generic webhook.
    receiver(receiverNames.security, { slack_configs: slackTo(ctx, security.slackChannel), email_configs: emailTo(ctx, security.email) }),
    ...ctx.routing.teams.map((team) => receiver(teamReceiverName(team.name), { slack_configs: slackTo(ctx, team.slackChannel), email_configs: emailTo(ctx, team.email ?? []) })),
  ];
}

/** The secrets the rendered receivers read; only these are mounted. */
export function usedSecrets(n: NotificationsSpec): AlertingSecretKey[] {
  const used: AlertingSecretKey[] = [];
  if (n.slack.enabled) used.push("slackWebhookUrl");
  if (n.pagerduty.enabled) used.push("pagerdutyRoutingKey");
  if (n.opsgenie.enabled) used.push("opsgenieApiKey");
  if (n.msteams.enabled) used.push("msteamsWebhookUrl");
  if (n.email.enabled && n.email.username !== undefined) used.push("smtpPassword");
  if (n.webhook.enabled) used.push("webhookUrl");
  if (n.heartbeat.enabled) used.push("heartbeatUrl");
  return used;
}
