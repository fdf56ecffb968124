/**
 * The stack configuration the drill runs: the stack's own `watchpost:*` values
 * with an overlay applied at config level, so the real validator and renderers
 * (infra/config, infra/plan.ts) produce every file. The overlay:
 *
 *   - enables Slack, PagerDuty, email and the heartbeat, pointed at the local
 *     sinks (the dev stack ships with every channel off), with their secrets
 *     marked as set; the values go to files in the drill's temp dir only;
 *   - runs 3 Alertmanager replicas, so a replica can die mid-incident;
 *   - scales scrape and evaluation intervals, routing timings and the
 *     heartbeat interval by `timeScale` (drill/rewrite.ts for the rest),
 *     keeping group_interval above the cluster's notification wait.
 */
import { randomBytes } from "node:crypto";
import { durationSeconds } from "../model/primitives";
import type { SecretKey, StackConfig } from "../infra/config/schema";
import { parseStackConfig, type RawStackConfig } from "../infra/config/validate";
import { planStack, type StackPlan } from "../infra/plan";
import { minGroupIntervalSeconds, minHeartbeatSeconds, scaleDuration } from "./rewrite";

/** Where the local sinks listen. */
export interface SinkAddresses {
  /** Base URL of the HTTP sink (Slack, PagerDuty, heartbeat, webhook by path). */
  http: string;
  /** host:port of the SMTP sink. */
  smtp: string;
}

export const drillEmail = {
  to: "oncall@drill.watchpost.test",
  from: "alertmanager@drill.watchpost.test",
  username: "alertmanager",
} as const;

export const alertmanagerReplicas = 3;

export interface DrillConfig {
  raw: RawStackConfig;
  /** Values of the overlaid secrets; written to files, never logged. */
  secretValues: Partial<Record<SecretKey, string>>;
}

/** The stack's scrape interval decides the default scale: it becomes 1s. */
export function defaultTimeScale(cfg: StackConfig): number {
  return 1 / Math.max(1, durationSeconds(cfg.prometheus.scrapeInterval));
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" ? { ...(value as Record<string, unknown>) } : {};
}

/**
 * Overlays the drill's settings on a stack's raw values. `stackConfig` is the
 * stack parsed as is: its defaults are what gets scaled.
 */
export function drillOverlay(raw: RawStackConfig, stackConfig: StackConfig, timeScale: number, sinks: SinkAddresses): DrillConfig {
  if (stackConfig.platform !== "docker") throw new Error(`the drill runs a docker stack's rendering on loopback; stack '${stackConfig.stack}' is ${stackConfig.platform}`);
  const values = { ...raw.values };
  const scale = (d: string) => scaleDuration(d, timeScale);
  values.prometheus = {
    ...record(values.prometheus),
    scrapeInterval: scale(stackConfig.prometheus.scrapeInterval),
    evaluationInterval: scale(stackConfig.prometheus.evaluationInterval),
  };
  values.alertmanager = { ...record(values.alertmanager), replicas: alertmanagerReplicas };
  const n = stackConfig.notifications;
  const notifications = record(values.notifications);
  values.notifications = {
    ...notifications,
    slack: { ...record(notifications.slack), enabled: true },
    pagerduty: { ...record(notifications.pagerduty), enabled: true, url: `${sinks.http}/pagerduty` },
    email: {
      enabled: true,
      to: n.email.to.length > 0 ? n.email.to : [drillEmail.to],
      from: n.email.from ?? drillEmail.from,
      smarthost: sinks.smtp,
      username: drillEmail.username,
      // The SMTP sink speaks plain SMTP on loopback; it still requires the password from its file.
      requireTls: false,
    },
    heartbeat: { enabled: true, interval: scaleDuration(n.heartbeat.interval, timeScale, minHeartbeatSeconds(alertmanagerReplicas, timeScale)) },
  };
  const routing = record(values.routing);
  const minInterval = minGroupIntervalSeconds(alertmanagerReplicas, timeScale);
  const timing = Object.fromEntries(
    (["critical", "warning", "info"] as const).map((sev) => {
      const t = stackConfig.routing.timing[sev];
      return [sev, { groupWait: scale(t.groupWait), groupInterval: scaleDuration(t.groupInterval, timeScale, minInterval), repeatInterval: scale(t.repeatInterval) }];
    }),
  );
  values.routing = { ...routing, timing };

  const secretValues: DrillConfig["secretValues"] = {
    slackWebhookUrl: `${sinks.http}/slack`,
    pagerdutyRoutingKey: `drill-routing-key-${randomBytes(4).toString("hex")}`,
    smtpPassword: randomBytes(12).toString("hex"),
    heartbeatUrl: `${sinks.http}/heartbeat`,
  };
  if (n.webhook.enabled) secretValues.webhookUrl = `${sinks.http}/webhook`;
  const secrets = new Set([...raw.secrets, ...Object.keys(secretValues)]);
  return { raw: { values, secrets }, secretValues };
}

export interface DrillPlan {
  /** The stack as configured, before the overlay. */
  stack: StackConfig;
  plan: StackPlan;
  secretValues: DrillConfig["secretValues"];
  timeScale: number;
}

/** Validates the stack, applies the overlay and plans it with the real renderers. */
export function planDrill(stackName: string, raw: RawStackConfig, sinks: SinkAddresses, timeScale?: number): DrillPlan {
  const { config: stack } = parseStackConfig(stackName, raw);
  const scale = timeScale ?? defaultTimeScale(stack);
  if (!(scale > 0 && scale <= 1)) throw new Error(`timeScale must be in (0, 1]; got ${scale}`);
  const overlaid = drillOverlay(raw, stack, scale, sinks);
  const { config } = parseStackConfig(stackName, overlaid.raw);
  return { stack, plan: planStack(config), secretValues: overlaid.secretValues, timeScale: scale };
}
