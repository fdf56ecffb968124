/**
 * Notification channels and routing policy, as a stack declares them.
 * Credentials are not here: they are Pulumi secrets (see `secretKeys`).
 */
import { z } from "zod";
import { goDurationSpec, promDuration } from "../../model/durations";
import { credentialFreeUrl, durationOrZero, email, hostPort, labelNameProblem, resourceName } from "../../model/primitives";
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

export { maintenanceWindowSpec, type MaintenanceWindowSpec } from "./maintenance";

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
    groupBy: z
      .array(
        z
          .string({ error: "expected a label name such as service" })
          .superRefine((name, ctx) => {
            const problem = name === "..." ? undefined : labelNameProblem(name);
            if (problem) ctx.addIssue({ code: "custom", message: problem });
          })
          .describe('label name, or "..." alone for every label'),
      )
      .min(1, { error: "expected at least one label name, such as alertname" })
      .superRefine((names, ctx) => {
        if (names.includes("...") && names.length > 1)
          ctx.addIssue({ code: "custom", message: '"..." groups by every label and must stand alone; expected ["..."] or a list of label names' });
      })
      .default(["alertname", "service"]),
    timing: z
      .strictObject({
        critical: timing("10s", "1m", "30m"),
        warning: timing("30s", "5m", "4h"),
        info: timing("1m", "10m", "24h"),
      })
      .prefault({}),
    /** Alerts with `team=<name>` go to the team's channel first, then on to the severity routes. */
    teams: z.array(z.strictObject({ name: resourceName, slackChannel, email: z.array(email).optional() })).default([]),
    security: z
      .strictObject({
        email: z.array(email).default([]),
        slackChannel: slackChannel.default("#security-alerts"),
      })
      .prefault({}),
    maintenanceWindows: z.array(maintenanceWindowSpec).default([]),
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
