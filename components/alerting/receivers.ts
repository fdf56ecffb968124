/**
 * Receivers: which channels each route notifies. A disabled channel adds no
 * integration anywhere; a receiver left with none is a valid no-op, so the
 * route tree keeps the same shape in every environment and only its reach changes.
 * Every credential is read by Alertmanager from a mounted file (`*_file`, or
 * the AWS shared credentials file for SNS).
 */
import type { Severity } from "../../model/conventions";
import {
  type ChannelName,
  channelNames,
  customRouteReceiverName,
  escalationReceiverName,
  defaultSeverityChannels,
  receiverNames,
  teamPageReceiverName,
  teamReceiverName,
  teamRoutingKey,
} from "../../model/routing";
import type { AmEmailConfig, AmMsteamsV2Config, AmOpsgenieConfig, AmPagerdutyConfig, AmReceiver, AmSlackConfig, AmSnsConfig, AmWebhookConfig } from "./amconfig";
import type { MessageSpec, NotificationsSpec, RoutingSpec } from "./spec";
import { type CustomMessages, customTemplateRef, templateRefs as t } from "./templates";

/** Credential secrets the receivers may read, by key of `secretKeys` in infra/config/schema.ts. */
export const alertingSecretKeys = [
  "slackWebhookUrl",
  "pagerdutyRoutingKey",
  "opsgenieApiKey",
  "msteamsWebhookUrl",
  "smtpPassword",
  "webhookUrl",
  "heartbeatUrl",
  "snsAccessKeyId",
  "snsSecretAccessKey",
] as const;
export type AlertingSecretKey = (typeof alertingSecretKeys)[number];

/**
 * Files the platform mounts for Alertmanager: one per secret, except SNS's, whose key pair becomes one
 * AWS shared credentials file (`snsCredentials`, see `awsCredentialsFile`): sigv4 has no `*_file` fields.
 */
export type AlertingSecretFile = Exclude<AlertingSecretKey, "snsAccessKeyId" | "snsSecretAccessKey"> | "snsCredentials" | TeamRoutingKey;

/** A team's own PagerDuty routing key (`routing.teams[].pagerduty`), as secret and as file: see `teamRoutingKey`. */
export type TeamRoutingKey = `pagerdutyRoutingKey${Capitalize<string>}`;

/** The profile of the SNS credentials file; `sigv4.profile` names it. */
export const snsCredentialsProfile = "watchpost-sns";

/**
 * How Alertmanager signs its SNS requests: `role`, with the AWS SDK's ambient credentials (on EKS the
 * Alertmanager service account's IRSA role); `keys`, with the access key pair from the mounted credentials file.
 */
export type SnsAuth = "role" | "keys";

export interface ReceiverContext {
  notifications: NotificationsSpec;
  routing: RoutingSpec;
  /** Absolute path of each mounted secret file. */
  secretPath: (file: AlertingSecretFile) => string;
  alertmanagerUrl: string;
  environment: string;
  /** @default "keys" */
  snsAuth?: SnsAuth;
}

/** Who a receiver reaches on the channels that have addressees, and its own messages (template references). */
interface Audience {
  slackChannel: string;
  emailTo: readonly string[];
  subject?: string;
  text?: string;
  /** The file of the PagerDuty routing key to page with. @default the stack's, pagerdutyRoutingKey */
  pagerdutyKey?: AlertingSecretFile;
}

function slackTo(ctx: ReceiverContext, a: Audience): AmSlackConfig[] {
  if (!ctx.notifications.slack.enabled) return [];
  return [
    {
      api_url_file: ctx.secretPath("slackWebhookUrl"),
      channel: a.slackChannel,
      send_resolved: true,
      title: a.subject ?? t.slackTitle,
      text: a.text ?? t.slackText,
      color: t.slackColor,
    },
  ];
}

function emailTo(ctx: ReceiverContext, a: Audience): AmEmailConfig[] {
  const email = ctx.notifications.email;
  // from/smarthost are checked by render.ts before any receiver is built.
  if (!email.enabled || a.emailTo.length === 0 || email.from === undefined || email.smarthost === undefined) return [];
  const auth = email.username === undefined ? {} : { auth_username: email.username, auth_password_file: ctx.secretPath("smtpPassword") };
  return [
    {
      to: a.emailTo.join(", "),
      from: email.from,
      smarthost: email.smarthost,
      require_tls: email.requireTls,
      ...auth,
      send_resolved: true,
      headers: { Subject: a.subject ?? t.emailSubject },
      // A text of the stack's own is shown as written in the HTML part too (html/template escapes it).
      html: a.text === undefined ? t.emailHtml : `<pre style="font-family: sans-serif; white-space: pre-wrap">${a.text}</pre>`,
      text: a.text ?? t.emailText,
    },
  ];
}

function pagerduty(ctx: ReceiverContext, a: Audience): AmPagerdutyConfig[] {
  const pd = ctx.notifications.pagerduty;
  if (!pd.enabled) return [];
  return [
    {
      routing_key_file: ctx.secretPath(a.pagerdutyKey ?? "pagerdutyRoutingKey"),
      ...(pd.url === undefined ? {} : { url: pd.url }),
      send_resolved: true,
      description: a.subject ?? t.pagerdutyDescription,
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

function opsgenie(ctx: ReceiverContext, a: Audience): AmOpsgenieConfig[] {
  const og = ctx.notifications.opsgenie;
  if (!og.enabled) return [];
  return [
    {
      api_key_file: ctx.secretPath("opsgenieApiKey"),
      // Alertmanager appends "v2/alerts" to the path as it is, so a base URL needs its trailing slash.
      ...(og.url === undefined ? {} : { api_url: og.url.endsWith("/") ? og.url : `${og.url}/` }),
      send_resolved: true,
      message: a.subject ?? t.opsgenieMessage,
      description: a.text ?? t.opsgenieDescription,
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

/** Teams has one workflow webhook, not a channel per route. */
function msteams(ctx: ReceiverContext, a: Audience): AmMsteamsV2Config[] {
  if (!ctx.notifications.msteams.enabled) return [];
  return [{ webhook_url_file: ctx.secretPath("msteamsWebhookUrl"), send_resolved: true, title: a.subject ?? t.msteamsTitle, text: a.text ?? t.msteamsText }];
}

/** The generic webhook is for machines (chat-ops, ticketing): Alertmanager's JSON payload, which carries every label and annotation. */
function webhook(ctx: ReceiverContext): AmWebhookConfig[] {
  if (!ctx.notifications.webhook.enabled) return [];
  return [{ url_file: ctx.secretPath("webhookUrl"), send_resolved: true }];
}

/** The region of an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>). */
export function snsTopicRegion(topicArn: string): string {
  return topicArn.split(":")[3];
}

/** Amazon SNS: one publish to the topic, which fans out to its SMS and email subscriptions. */
function sns(ctx: ReceiverContext, a: Audience): AmSnsConfig[] {
  const s = ctx.notifications.sns;
  // topicArn is checked by render.ts before any receiver is built.
  if (!s.enabled || s.topicArn === undefined) return [];
  const keys = (ctx.snsAuth ?? "keys") === "keys";
  return [
    {
      topic_arn: s.topicArn,
      ...(s.url === undefined ? {} : { api_url: s.url }),
      sigv4: { region: snsTopicRegion(s.topicArn), ...(keys ? { profile: snsCredentialsProfile } : {}) },
      send_resolved: true,
      subject: a.subject ?? t.snsSubject,
      message: a.text ?? t.snsMessage,
    },
  ];
}

/** A receiver's integrations for the channels it names, always in the order of `channelNames`. */
function integrations(ctx: ReceiverContext, channels: readonly ChannelName[], a: Audience): Omit<AmReceiver, "name"> {
  const on = new Set(channels);
  const parts: Record<ChannelName, () => Omit<AmReceiver, "name">> = {
    pagerduty: () => ({ pagerduty_configs: pagerduty(ctx, a) }),
    opsgenie: () => ({ opsgenie_configs: opsgenie(ctx, a) }),
    slack: () => ({ slack_configs: slackTo(ctx, a) }),
    msteams: () => ({ msteamsv2_configs: msteams(ctx, a) }),
    email: () => ({ email_configs: emailTo(ctx, a) }),
    webhook: () => ({ webhook_configs: webhook(ctx) }),
    sns: () => ({ sns_configs: sns(ctx, a) }),
  };
  return Object.assign({}, ...channelNames.filter((c) => on.has(c)).map((c) => parts[c]()));
}

function receiver(name: string, parts: Omit<AmReceiver, "name">): AmReceiver {
  const out: AmReceiver = { name };
  for (const [field, list] of Object.entries(parts) as Array<[keyof Omit<AmReceiver, "name">, unknown[]]>) {
    if (list.length > 0) (out as unknown as Record<string, unknown>)[field] = list;
  }
  return out;
}

/** The channels of a severity route: the stack's list, or today's policy. */
export function severityChannels(routing: RoutingSpec, severity: Severity): readonly ChannelName[] {
  return (routing.channels[severity] as ChannelName[] | undefined) ?? defaultSeverityChannels[severity];
}

function refs(receiverName: string, m: Pick<MessageSpec, "subject" | "text"> | undefined): Pick<Audience, "subject" | "text"> {
  return {
    ...(m?.subject === undefined ? {} : { subject: customTemplateRef(receiverName, "subject") }),
    ...(m?.text === undefined ? {} : { text: customTemplateRef(receiverName, "text") }),
  };
}

/** The stack's own messages, by the receiver whose templates they become. */
export function customMessages(routing: RoutingSpec): CustomMessages[] {
  const severityRoutes = (["critical", "warning", "info"] as const).map((sev) => ({ receiver: receiverNames[sev], ...routing.messages[sev] }));
  const own = routing.routes.map((r) => ({ receiver: customRouteReceiverName(r.name), subject: r.subject, text: r.text }));
  return [...severityRoutes, ...own].filter((m) => m.subject !== undefined || m.text !== undefined);
}

export function buildReceivers(ctx: ReceiverContext): AmReceiver[] {
  const n = ctx.notifications;
  const ch = n.slack.channels;
  const onCall = n.email.to;
  const security = ctx.routing.security;
  const bySeverity = (sev: Severity) =>
    receiver(
      receiverNames[sev],
      integrations(ctx, severityChannels(ctx.routing, sev), { slackChannel: ch[sev], emailTo: onCall, ...refs(receiverNames[sev], ctx.routing.messages[sev]) }),
    );
  return [
    // Unknown severity is a rule bug; treat it like a warning so someone sees it.
    receiver(receiverNames.fallback, integrations(ctx, severityChannels(ctx.routing, "warning"), { slackChannel: ch.warning, emailTo: onCall })),
    receiver(receiverNames.blackhole, {}),
    ...(n.heartbeat.enabled ? [receiver(receiverNames.heartbeat, { webhook_configs: [{ url_file: ctx.secretPath("heartbeatUrl"), send_resolved: false }] })] : []),
    bySeverity("critical"),
    bySeverity("warning"),
    bySeverity("info"),
    // Security findings stay out of the general channels and the generic webhook.
    receiver(receiverNames.security, integrations(ctx, ["slack", "email"], { slackChannel: security.slackChannel, emailTo: security.email })),
    ...ctx.routing.teams.map((team) =>
      receiver(teamReceiverName(team.name), integrations(ctx, ["slack", "email"], { slackChannel: team.slackChannel, emailTo: team.email ?? [] })),
    ),
    // A team with its own PagerDuty service: its critical alerts reach the critical channels, paging its service.
    ...pagedTeams(ctx.routing).map((team) =>
      receiver(
        teamPageReceiverName(team),
        integrations(ctx, severityChannels(ctx.routing, "critical"), {
          slackChannel: ch.critical,
          emailTo: onCall,
          pagerdutyKey: teamRoutingKey(team),
          ...refs(receiverNames.critical, ctx.routing.messages.critical),
        }),
      ),
    ),
    ...ctx.routing.routes.map((r) => {
      const name = customRouteReceiverName(r.name);
      return receiver(name, integrations(ctx, r.channels as ChannelName[], { slackChannel: r.slackChannel ?? ch.warning, emailTo: r.email ?? onCall, ...refs(name, r) }));
    }),
    ...(ctx.routing.escalation?.levels ?? []).map((level, i) =>
      receiver(
        escalationReceiverName(i),
        integrations(ctx, level.channels as ChannelName[], {
          slackChannel: level.slackChannel ?? ch.critical,
          emailTo: level.email ?? onCall,
          ...refs(receiverNames.critical, ctx.routing.messages.critical),
        }),
      ),
    ),
  ];
}

/** Teams with their own PagerDuty service (`routing.teams[].pagerduty`), in config order. */
export function pagedTeams(routing: RoutingSpec): string[] {
  return routing.teams.filter((t) => t.pagerduty !== undefined).map((t) => t.name);
}

/** The teams' own routing key files the receivers read (managed or not: a managed one is the integration's key). */
export function teamRoutingKeys(routing: RoutingSpec): TeamRoutingKey[] {
  return pagedTeams(routing).map(teamRoutingKey);
}

/** The secrets the enabled channels read (validation asks for each); `snsAuth` "role" needs none for SNS. */
export function usedSecrets(n: NotificationsSpec, snsAuth: SnsAuth = "keys"): AlertingSecretKey[] {
  const used: AlertingSecretKey[] = [];
  if (n.slack.enabled) used.push("slackWebhookUrl");
  if (n.pagerduty.enabled) used.push("pagerdutyRoutingKey");
  if (n.opsgenie.enabled) used.push("opsgenieApiKey");
  if (n.msteams.enabled) used.push("msteamsWebhookUrl");
  if (n.email.enabled && n.email.username !== undefined) used.push("smtpPassword");
  if (n.webhook.enabled) used.push("webhookUrl");
  if (n.heartbeat.enabled) used.push("heartbeatUrl");
  if (n.sns.enabled && snsAuth === "keys") used.push("snsAccessKeyId", "snsSecretAccessKey");
  return used;
}

/** The files the rendered receivers read; only these are mounted. */
export function usedSecretFiles(n: NotificationsSpec, snsAuth: SnsAuth = "keys"): AlertingSecretFile[] {
  const files = usedSecrets(n, snsAuth).filter((k): k is Exclude<AlertingSecretKey, "snsAccessKeyId" | "snsSecretAccessKey"> => !k.startsWith("sns"));
  return n.sns.enabled && snsAuth === "keys" ? [...files, "snsCredentials"] : files;
}

/** The AWS shared credentials file of SNS's key pair, as the platform mounts it (a secret). */
export function awsCredentialsFile(accessKeyId: string, secretAccessKey: string): string {
  return `[${snsCredentialsProfile}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
}
