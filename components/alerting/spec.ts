/**
 * Notification channels and routing policy, as a stack declares them.
 * Credentials are not here: they are Pulumi secrets (see `secretKeys`).
 */
import { z } from "zod";
import { goDurationSpec, promDuration } from "../shared/durations";
import { durationOrZero, email, hostPort, httpUrl, resourceName } from "../shared/primitives";

const slackChannel = z
  .string({ error: "expected a Slack channel such as #alerts" })
  .regex(/^#[a-z0-9][a-z0-9._-]*$/, { error: "expected a Slack channel such as #alerts" });

const timing = (groupWait: string, groupInterval: string, repeatInterval: string) =>
  z
    .strictObject({
      /** 0s sends a new group at once. */
      groupWait: durationOrZero.default(groupWait),
      groupInterval: promDuration({ zeroMeans: "Alertmanager refuses a group_interval of 0" }).default(groupInterval),
      repeatInterval: promDuration({ zeroMeans: "Alertmanager refuses a repeat_interval of 0" }).default(repeatInterval),
    })
    .prefault({});

const weekday = z.enum(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
const clock = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, { error: "expected a time of day such as 22:00" });

/** A named Alertmanager time interval that mutes the routes it names. */
export const maintenanceWindowSpec = z.strictObject({
  name: resourceName,
  intervals: z
    .array(
      z.strictObject({
        weekdays: z.array(weekday).optional(),
        times: z.array(z.strictObject({ start: clock, end: clock })).optional(),
        daysOfMonth: z.array(z.string().regex(/^-?\d+(:-?\d+)?$/)).optional(),
        months: z.array(z.string()).optional(),
        years: z.array(z.string().regex(/^\d{4}(:\d{4})?$/)).optional(),
        /** IANA time zone. @default "UTC" */
        location: z.string().default("UTC"),
      }),
    )
    .min(1, { error: "expected at least one interval" }),
  /** Routes it mutes: critical, warning, info, security, or team:<name>. */
  mutes: z
    .array(z.string().regex(/^(critical|warning|info|security|team:[a-z][a-z0-9-]*)$/, {
      error: "expected critical, warning, info, security or team:<name>",
    }))
    .min(1, { error: "expected at least one route to mute" }),
});
export type MaintenanceWindowSpec = z.infer<typeof maintenanceWindowSpec>;

export const notificationsSpec = z
  .strictObject({
    email: z
      .strictObject({
        enabled: z.boolean().default(false),
        to: z.array(email).default([]),
        from: email.optional(),
        /** SMTP relay as host:port. */
        smarthost: hostPort.optional(),
        username: z.string().optional(),
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
        url: httpUrl.optional(),
      })
      .prefault({}),
    webhook: z.strictObject({ enabled: z.boolean().default(false) }).prefault({}),
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
    /** @default ["alertname", "service"] */
    groupBy: z.array(z.string()).min(1).default(["alertname", "service"]),
    timing: z
      .strictObject({
        critical: timing("10s", "1m", "30m"),
        warning: timing("30s", "5m", "4h"),
        info: timing("1m", "10m", "24h"),
      })
      .prefault({}),
    /** Alerts with `team=<name>` go to the team's channel first, then on to the severity routes. */
    teams: z
      .array(z.strictObject({ name: resourceName, slackChannel, email: z.array(email).optional() }))
      .default([]),
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
    retention: goDurationSpec("Alertmanager's retention (--data.retention on Docker, the Alertmanager resource's retention on Kubernetes)").default("120h"),
  })
  .prefault({});
