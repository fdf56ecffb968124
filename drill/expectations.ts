/**
 * What the configuration says should happen to an alert, worked out from the
 * files the drill runs rather than written down by hand: its labels from the
 * rule files, its receivers from the Alertmanager route tree (asked of the
 * real `amtool config routes test`), each receiver's channels from the
 * rendered receivers, and the pipeline floor on its notification latency.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { parse } from "yaml";
import { serviceOwner } from "../rules/names";
import { durationSeconds } from "../model/primitives";

export interface ExpectedAlert {
  alertname: string;
  /** Labels that pick one of several rules with the same name (e.g. `slo`). */
  labels?: Record<string, string>;
}

export interface ServiceContext {
  name: string;
  team?: string;
}

interface RuleDoc {
  groups: Array<{ rules: Array<{ alert?: string; expr: string; for?: string; labels?: Record<string, string> }> }>;
}

/**
 * The labels an alert reaches Alertmanager with, as far as routing cares:
 * its name, the service, the rule's severity, and the owner's team when the
 * rule joins `service:owner:info` (rules/decorate.ts does that for service alerts).
 */
export function routingLabels(ruleFiles: string[], alert: ExpectedAlert, service: ServiceContext): Record<string, string> {
  const rules = ruleFiles.flatMap((c) => (parse(c) as RuleDoc).groups.flatMap((g) => g.rules)).filter((r) => r.alert === alert.alertname);
  if (rules.length === 0) throw new Error(`no alerting rule named ${alert.alertname} in the stack's rule files`);
  const rule = rules[0];
  const labels: Record<string, string> = { alertname: alert.alertname, service: service.name, ...(rule.labels ?? {}), ...(alert.labels ?? {}) };
  if (service.team !== undefined && rule.expr.includes(serviceOwner)) labels.team = service.team;
  return labels;
}

/** The scaled `for` of an alert, in seconds (the longest of its rules). */
export function holdSeconds(ruleFiles: string[], alertname: string): number {
  const rules = ruleFiles.flatMap((c) => (parse(c) as RuleDoc).groups.flatMap((g) => g.rules)).filter((r) => r.alert === alertname);
  return Math.max(0, ...rules.map((r) => (r.for ? durationSeconds(r.for) : 0)));
}

/** Receiver names the route tree sends these labels to, from the real amtool. */
export async function receiversFor(amtool: string, configFile: string, labels: Record<string, string>): Promise<string[]> {
  const args = ["config", "routes", "test", `--config.file=${configFile}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
  const { stdout } = await promisify(execFile)(amtool, args, { timeout: 10_000 });
  return stdout.trim().split(",").filter(Boolean);
}

interface ReceiverDoc {
  receivers: Array<{
    name: string;
    slack_configs?: Array<{ channel: string }>;
    pagerduty_configs?: unknown[];
    email_configs?: Array<{ to: string }>;
    webhook_configs?: Array<{ url?: string; url_file?: string }>;
  }>;
}

/** Channels, named as drill/observe.ts names deliveries, that these receivers notify. */
export function channelsOf(configFile: string, receivers: string[]): string[] {
  const doc = parse(readFileSync(configFile, "utf8")) as ReceiverDoc;
  const out = new Set<string>();
  for (const name of receivers) {
    const r = doc.receivers.find((x) => x.name === name);
    if (!r) throw new Error(`receiver ${name} is not in ${configFile}`);
    for (const s of r.slack_configs ?? []) out.add(`slack:${s.channel}`);
    if ((r.pagerduty_configs ?? []).length > 0) out.add("pagerduty");
    for (const e of r.email_configs ?? []) for (const to of e.to.split(",")) out.add(`email:${to.trim()}`);
    for (const w of r.webhook_configs ?? []) out.add(/heartbeat/.test(w.url ?? w.url_file ?? "") ? "heartbeat" : "webhook");
  }
  return [...out].sort();
}

export interface Floor {
  scrapeSeconds: number;
  evaluationSeconds: number;
  forSeconds: number;
  groupWaitSeconds: number;
  totalMs: number;
}

/**
 * The pipeline floor: the soonest the configuration's clocks let a
 * notification follow a fault, each in its worst phase: one scrape to see it,
 * one evaluation to act on it, the rule's `for`, and the route's group_wait.
 * Window-based rules (rates, burn rates) need their window to fill on top of
 * this; the ideal floor (drill/floor.ts) counts that, and the ratio uses it.
 */
export function floorOf(scrapeSeconds: number, evaluationSeconds: number, forSeconds: number, groupWait: string): Floor {
  const groupWaitSeconds = durationSeconds(groupWait);
  return { scrapeSeconds, evaluationSeconds, forSeconds, groupWaitSeconds, totalMs: (scrapeSeconds + evaluationSeconds + forSeconds + groupWaitSeconds) * 1000 };
}
