/**
 * Notification channels and routing policy, as a stack declares them.
 * Credentials are not here: they are Pulumi secrets (see `secretKeys`).
 */
import { z } from "zod";
import { goDurationSpec, promDuration } from "../../model/durations";
import { alertmanagerTemplates, templateProblem } from "../../model/go-template";
import { matcherProblem } from "../../model/matchers";
import { credentialFreeUrl, durationOrZero, email, hostPort, labelNameProblem, resourceName } from "../../model/primitives";
import { channelNames } from "../../model/routing";
import { nearest } from "../../model/suggest";
import { maintenanceWindowSpec } from "./maintenance";

const slackChannel = z.string({ error: "expected a Slack channel such as #alerts" }).regex(/^#[a-z0-9][a-z0-9._-]*$/, { error: "expected a Slack channel such as #alerts" });

const timing = (groupWait: string, groupInterval: string, repeatInterval: string) =>
  z
    .strictObject({
      /** 0s sends a new group at once. */
      groupWait: durationOrZero.default(groupWait),
      groupInterval: promDuration({ zeroMeans: "Alertmanager refuses a group_interval of 0" }).default(groupInterval),
      repeatInterval: promDuration({ zeroMeans: "Alertmanager refuses a repeat_interval of 0" }).default(repeatInterval),
    })
    .prefault({});

const labelNameOrAll = z
  .string({ error: "expected a label name such as service" })
  .superRefine((name, ctx) => {
    const problem = name === "..." ? undefined : labelNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe('label name, or "..." alone for every label');

const groupBySpec = z
  .array(labelNameOrAll)
  .min(1, { error: "expected at least one label name, such as alertname" })
  .superRefine((names, ctx) => {
    if (names.includes("...") && names.length > 1)
      ctx.addIssue({ code: "custom", message: '"..." groups by every label and must stand alone; expected ["..."] or a list of label names' });
  });

const channelsExpected = `expected a channel name: one of ${channelNames.join(", ")}`;
/** A channel a route notifies; it must also be enabled under `notifications.<channel>`. */
const channelName = z
  .string({ error: channelsExpected })
  .superRefine((name, ctx) => {
    if ((channelNames as readonly string[]).includes(name)) return;
    const near = nearest(name, channelNames);
    ctx.addIssue({ code: "custom", message: `unknown channel; ${near ? `did you mean ${near}? ` : ""}${channelsExpected}` });
  })
  .describe(`channel name: ${channelNames.join(", ")}`);

const channelList = z
  .array(channelName)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((c, i) => {
      if (seen.has(c)) ctx.addIssue({ code: "custom", path: [i], message: `lists ${c} twice; name each channel once` });
      seen.add(c);
    });
  })
  .describe(`list of channel names (${channelNames.join(", ")}); [] notifies no one`);

/** Alertmanager matcher syntax, checked here so a typo is reported with its key path. */
const matcher = z
  .string({ error: 'expected an Alertmanager matcher such as service="payments"' })
  .superRefine((text, ctx) => {
    const problem = matcherProblem(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe('Alertmanager matcher: <label><op>"<value>", op one of =, !=, =~, !~, such as service="payments"');

const messageTemplate = (what: string) =>
  z
    .string({ error: `expected ${what} as an Alertmanager (Go) template` })
    .min(1, { error: `expected ${what}; remove the key to keep the built-in one` })
    .superRefine((text, ctx) => {
      const problem = templateProblem(text, alertmanagerTemplates);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .describe(`${what}: Alertmanager (Go) template text`);

/**
 * Subject line and message text that replace the built-in ones (Go templates over the notification group:
 * `.Alerts`, `.CommonLabels`, `.CommonAnnotations`; the building blocks `watchpost.title`,
 * `watchpost.silenceUrl`, `watchpost.alert.dashboardUrl`, `watchpost.alert.silenceUrl` can be called).
 */
const messageSpec = z.strictObject({
  /** Email subject, Slack and Teams title, PagerDuty description, Opsgenie message, SNS subject. @default the built-in title */
  subject: messageTemplate("a subject line").optional(),
  /** Slack, Teams, email (text and HTML), Opsgenie description and SNS message body. @default the built-in text with runbook, dashboard and silence links */
  text: messageTemplate("a message text").optional(),
});
export type MessageSpec = z.infer<typeof messageSpec>;

/**
 * One route of the stack's own: alerts matching every matcher go to these channels. Tried after the
 * Watchdog, security and team routes, in order, before the severity routes.
 */
const customRouteSpec = z.strictObject({
  /** Names the receiver `route-<name>`. */
  name: resourceName,
  /** Every matcher must match. */
  matchers: z.array(matcher).min(1, { error: 'expected at least one matcher, such as service="payments"' }),
  channels: channelList,
  /** Slack channel of this route. @default notifications.slack.channels.warning */
  slackChannel: slackChannel.optional(),
  /** Addresses this route emails. @default notifications.email.to */
  email: z.array(email).min(1, { error: "expected at least one address" }).optional(),
  /** @default routing.groupBy */
  groupBy: groupBySpec.optional(),
  /** Unset timing fields: with none set, each severity keeps its routing.timing; otherwise they are inherited from the root (routing.timing.warning). */
  groupWait: durationOrZero.optional(),
  groupInterval: promDuration({ zeroMeans: "Alertmanager refuses a group_interval of 0" }).optional(),
  repeatInterval: promDuration({ zeroMeans: "Alertmanager refuses a repeat_interval of 0" }).optional(),
  /** true: after this route, the alert goes on to the severity routes too (such as a digest beside the usual channels). @default false */
  continue: z.boolean().default(false),
  subject: messageSpec.shape.subject,
  text: messageSpec.shape.text,
});
export type CustomRouteSpec = z.infer<typeof customRouteSpec>;

/**
 * One escalation level: who is told when an alert is still firing `after` it started firing. The alert's own
 * notification (its severity route) is level 1; `levels[0]` is level 2.
 */
const escalationLevelSpec = z.strictObject({
  /** How long the alert has been firing before this level is told; counted from when it started firing, not from the previous level. */
  after: promDuration({ zeroMeans: "a level told at once is not an escalation; add its channels to the severity route instead" }),
  channels: channelList
    .refine((list) => list.length > 0, { error: "expected at least one channel, such as [slack]; a level that notifies no one is not an escalation" })
    .describe(`list of channel names (${channelNames.join(", ")}), at least one`),
  /** Slack channel of this level. @default notifications.slack.channels.critical */
  slackChannel: slackChannel.optional(),
  /** Addresses this level emails. @default notifications.email.to */
  email: z.array(email).min(1, { error: "expected at least one address" }).optional(),
});
export type EscalationLevelSpec = z.infer<typeof escalationLevelSpec>;

/**
 * Escalation by Prometheus and Alertmanager alone: an alert covered by `matchers` that is still firing after a
 * level's `after` raises `AlertEscalated` with `escalation="level-<n>"`, routed to that level's channels first
 * of all routes after the Watchdog's. No acknowledgement: only resolving the alert, or silencing both it and
 * `escalated_alertname="<its name>"`, stops the levels.
 */
const escalationSpec = z.strictObject({
  /** Alertmanager matchers over the alerts' labels; every one must match. @default ['severity="critical"'] */
  matchers: z.array(matcher).min(1, { error: 'expected at least one matcher, such as severity="critical"' }).default(['severity="critical"']),
  /** In order of their delays, each longer than the one before. */
  levels: z.array(escalationLevelSpec).min(1, { error: "expected at least one level, such as {after: 15m, channels: [slack]}" }),
});
export type EscalationSpec = z.infer<typeof escalationSpec>;

export { maintenanceWindowSpec, type MaintenanceWindowSpec } from "./maintenance";

const pagerdutyId = z
  .string({ error: "expected a PagerDuty id such as PABC123" })
  .regex(/^[A-Z0-9]{2,}$/, { error: "expected a PagerDuty id such as PABC123 (upper-case letters and digits, from the user's or schedule's URL)" });

/** A PagerDuty escalation policy: who is paged first, and after how many minutes without acknowledgement the next. */
const pagerdutyManagedSpec = z.strictObject({
  /** In order: level 1 is paged first. */
  levels: z
    .array(
      z
        .strictObject({
          /** Minutes an incident stays at this level unacknowledged before it escalates to the next. */
          escalateAfterMinutes: z
            .number({ error: "expected a whole number of minutes" })
            .int({ error: "expected a whole number of minutes" })
            .min(1, { error: "expected at least 1 minute" }),
          /** PagerDuty user ids. @default [] */
          users: z.array(pagerdutyId).default([]),
          /** PagerDuty schedule ids (on-call rotations). @default [] */
          schedules: z.array(pagerdutyId).default([]),
        })
        .refine((l) => l.users.length + l.schedules.length > 0, { error: "no one to page; expected at least one id under users or schedules" }),
    )
    .min(1, { error: "expected at least one level, such as {escalateAfterMinutes: 5, schedules: [PSCHED1]}" }),
  /** Times the policy starts over after its last level. @default 0 */
  numLoops: z.number().int({ error: "expected a whole number" }).min(0).max(9).default(0),
  /** PagerDuty team the policy belongs to. @default none */
  teamId: pagerdutyId.optional(),
});

export const notificationsSpec = z
  .strictObject({
    email: z
      .strictObject({
        enabled: z.boolean().default(false),
        to: z.array(email).default([]),
        from: email.optional(),
        /** SMTP relay as host:port. */
        smarthost: hostPort.optional(),
        username: z.string().min(1, { error: "expected an SMTP user name" }).describe("SMTP user name; its password is the secret smtpPassword").optional(),
        /** @default true */
        requireTls: z.boolean().default(true),
      })
      .prefault({}),
    slack: z
      .strictObject({
        enabled: z.boolean().default(false),
        channels: z
          .strictObject({
            critical: slackChannel.default("#critical-alerts"),
            warning: slackChannel.default("#alerts"),
            info: slackChannel.default("#alerts-info"),
          })
          .prefault({}),
      })
      .prefault({}),
    pagerduty: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** Events v2 endpoint override. @default Alertmanager's built-in PagerDuty URL */
        url: credentialFreeUrl("the routing key is the credential: pulumi config set --secret watchpost:pagerdutyRoutingKey <Events v2 routing key>").optional(),
        /**
         * PagerDuty's side as code: the stack creates an escalation policy with these levels, a service on it
         * and its Events API v2 integration, whose key Alertmanager uses (the secret pagerdutyRoutingKey is then
         * not set). Needs the pagerduty provider plugin and pulumi config set --secret pagerduty:token. @default none: the routing key is the secret pagerdutyRoutingKey
         */
        managed: pagerdutyManagedSpec.optional(),
      })
      .prefault({}),
    /** Like PagerDuty, Opsgenie pages: it receives critical alerts only. Its API key is the secret opsgenieApiKey. */
    opsgenie: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** Alert API base URL override, such as https://api.eu.opsgenie.com/ for the EU instance. @default Alertmanager's built-in Opsgenie URL */
        url: credentialFreeUrl("the API key is the credential: pulumi config set --secret watchpost:opsgenieApiKey <Opsgenie API key>").optional(),
      })
      .prefault({}),
    /** Microsoft Teams through a Workflows (Power Automate) webhook; like Slack's general channels it sees every severity. Its URL is the secret msteamsWebhookUrl. */
    msteams: z.strictObject({ enabled: z.boolean().default(false) }).prefault({}),
    /** Alertmanager's JSON payload, to a URL read from the secret webhookUrl (`url_file`); for machines: chat-ops, ticketing. */
    webhook: z.strictObject({ enabled: z.boolean().default(false) }).prefault({}),
    /**
     * The alert history: every notification any receiver sends (firing and resolved, with the
     * receiver's name: who was told) is also kept as a log line in Loki, queryable in Grafana's
     * "Alert history" dashboard. Needs `logging.backend: loki`.
     */
    history: z
      .strictObject({
        /** @default false */
        enabled: z.boolean().default(false),
        /** How long the history is kept: Loki's retention of its stream, in whole days. @default "365d" */
        retention: promDuration({ zeroMeans: "Loki would keep the history forever with a retention of 0" }).default("365d"),
      })
      .prefault({}),
    /**
     * Amazon SNS: Alertmanager publishes to one topic, which fans out to its SMS and email subscriptions. Signed with
     * the Alertmanager's own IAM role on eks (IRSA: the stack grants it sns:Publish on this topic), with the access key
     * pair of the secrets snsAccessKeyId and snsSecretAccessKey elsewhere.
     */
    sns: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** The topic to publish to; its region is the one signed for. */
        topicArn: z
          .string({ error: "expected an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:watchpost-alerts" })
          .regex(/^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$/, {
            error:
              "expected an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:watchpost-alerts (a standard topic: FIFO topics need a message group id Alertmanager does not send)",
          })
          .describe("an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:watchpost-alerts")
          .optional(),
        /** SNS API endpoint override, such as a VPC endpoint's. @default the region's public endpoint */
        url: credentialFreeUrl("SNS requests are signed; set the credentials as secrets, not in the URL").optional(),
      })
      .prefault({}),
    heartbeat: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** How often the Watchdog notification repeats. @default "1m" */
        interval: promDuration({ zeroMeans: "the heartbeat is the Watchdog route's repeat_interval, which Alertmanager refuses at 0" }).default("1m"),
      })
      .prefault({}),
  })
  .prefault({});
export type NotificationsSpec = z.infer<typeof notificationsSpec>;

export const routingSpec = z
  .strictObject({
    /** Labels notifications are grouped by; "..." alone groups by every label. @default ["alertname", "service"] */
    groupBy: groupBySpec.default(["alertname", "service"]),
    timing: z
      .strictObject({
        critical: timing("10s", "1m", "30m"),
        warning: timing("30s", "5m", "4h"),
        info: timing("1m", "10m", "24h"),
      })
      .prefault({}),
    /**
     * Channels each severity route notifies, such as `critical: [pagerduty, slack]`. Each must be enabled under
     * `notifications`. @default critical: pagerduty, opsgenie, slack, msteams, email, webhook, sns; warning: slack,
     * msteams, email, webhook; info: slack, msteams, webhook (each one that is enabled). Alerts without a known
     * severity get warning's channels.
     */
    channels: z
      .strictObject({
        critical: channelList.optional(),
        warning: channelList.optional(),
        info: channelList.optional(),
      })
      .prefault({}),
    /** Subject line and text per severity route. @default the built-in templates */
    messages: z
      .strictObject({
        critical: messageSpec.optional(),
        warning: messageSpec.optional(),
        info: messageSpec.optional(),
      })
      .prefault({}),
    /** The stack's own routes by label matchers, with their channels, timing and messages. @default [] */
    routes: z.array(customRouteSpec).default([]),
    /** Alerts with `team=<name>` go to the team's channel first, then on to the severity routes. */
    teams: z
      .array(
        z.strictObject({
          name: resourceName,
          slackChannel,
          email: z.array(email).optional(),
          /**
           * The team's own PagerDuty service: its critical alerts page it instead of the stack's. With `managed`,
           * the stack creates the service, its escalation policy and integration (like notifications.pagerduty.managed);
           * without, the routing key is the secret pagerdutyRoutingKey<Name> (pagerdutyRoutingKeyPayments for payments).
           * @default none: the team's critical alerts page the stack's service
           */
          pagerduty: z.strictObject({ managed: pagerdutyManagedSpec.optional() }).optional(),
        }),
      )
      .default([]),
    security: z
      .strictObject({
        email: z.array(email).default([]),
        slackChannel: slackChannel.default("#security-alerts"),
      })
      .prefault({}),
    maintenanceWindows: z.array(maintenanceWindowSpec).default([]),
    /** Who is told next when an alert stays unresolved. @default none: no escalation */
    escalation: escalationSpec.optional(),
  })
  .prefault({});
export type RoutingSpec = z.infer<typeof routingSpec>;

export const alertmanagerSpec = z
  .strictObject({
    /** @default 1 on Docker, 3 on Kubernetes */
    replicas: z.number().int({ error: "expected a whole number" }).min(1).max(7).optional(),
    /** How long silences and the notification log are kept. @default "120h" */
    retention: goDurationSpec("Alertmanager's retention (the Alertmanager resource's retention on Kubernetes, also --data.retention on Docker)").default("120h"),
  })
  .prefault({});
