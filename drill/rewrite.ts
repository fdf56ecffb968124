/**
 * The drill's rewrites of rendered artifacts, and nothing else. The drill runs
 * what the stack deploys, so every difference is made here, in one place, as a
 * pure function with its reason:
 *
 *   - timings are multiplied by one `timeScale` (1/15 turns a 15s scrape into 1s),
 *     so an incident the stack would page on after minutes plays out in seconds;
 *   - addresses on the stack network become loopback ports of local processes,
 *     and scrape jobs with no local stand-in (Grafana, cAdvisor, Loki...) are dropped,
 *     since they would only raise target-missing alerts about the drill itself;
 *   - absolute container paths become paths under the drill's temp dir.
 *
 * Channel endpoints are not rewritten here: the drill overlays them at config
 * level (drill/config.ts) so the real renderers produce the Alertmanager config.
 */
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { configPaths } from "../model/conventions";
import { durationSeconds, formatDuration } from "../model/primitives";
import { alertForGracePeriod } from "../components/prometheus/flags";

/** Smallest scaled timing: Prometheus and Alertmanager tick in whole seconds here, and sub-second waits only add noise. */
export const minimumSeconds = 1;

/**
 * Multiplies a duration by `timeScale`, rounded to whole seconds and never
 * below `min` seconds. Zero stays zero (a rule without `for`, a 0s group_wait).
 */
export function scaleDuration(value: string, timeScale: number, min = minimumSeconds): string {
  const seconds = durationSeconds(value);
  if (seconds === 0) return "0s";
  return formatDuration(Math.max(min, Math.round(seconds * timeScale)));
}

export function scaleSeconds(value: string, timeScale: number, min = minimumSeconds): number {
  return durationSeconds(scaleDuration(value, timeScale, min));
}

const promDuration = "(?:\\d+(?:ms|[smhdwy]))+";
const rangeSelector = new RegExp(`\\[(${promDuration})(?::(${promDuration})?)?\\]`, "g");
const offsetModifier = new RegExp(`\\boffset\\s+(-?)(${promDuration})`, "g");

/**
 * Scales every range, subquery and offset duration of a PromQL expression.
 * Windows keep at least `minWindowSeconds` so a rate() still sees several
 * scrapes; the label matchers of this catalogue hold no bracketed durations,
 * and the drill test re-checks the result with promtool.
 */
export function scaleExpression(expr: string, timeScale: number, minWindowSeconds: number): string {
  return expr
    .replace(rangeSelector, (_m, range: string, step?: string) => {
      const scaledRange = scaleDuration(range, timeScale, minWindowSeconds);
      if (step === undefined) return _m.includes(":") ? `[${scaledRange}:]` : `[${scaledRange}]`;
      return `[${scaledRange}:${scaleDuration(step, timeScale)}]`;
    })
    .replace(offsetModifier, (_m, sign: string, d: string) => `offset ${sign}${scaleDuration(d, timeScale)}`);
}

interface RuleDoc {
  groups: Array<{
    name: string;
    interval?: string;
    rules: Array<{ alert?: string; record?: string; expr: string; for?: string; keep_firing_for?: string; labels?: Record<string, string> }>;
  }>;
}

/** One rendered rule file with its `for`, group intervals and expression windows scaled. */
export function scaleRuleFile(content: string, timeScale: number, minWindowSeconds: number): string {
  const doc = parse(content) as RuleDoc;
  for (const group of doc.groups) {
    if (group.interval !== undefined) group.interval = scaleDuration(group.interval, timeScale);
    for (const rule of group.rules) {
      rule.expr = scaleExpression(rule.expr, timeScale, minWindowSeconds);
      if (rule.for !== undefined) rule.for = scaleDuration(rule.for, timeScale);
      if (rule.keep_firing_for !== undefined) rule.keep_firing_for = scaleDuration(rule.keep_firing_for, timeScale);
    }
  }
  return `# Rewritten by the Watchpost fire drill: durations × ${timeScale.toPrecision(3)} (drill/rewrite.ts).\n${stringify(doc, { lineWidth: 0 })}`;
}

/** Every alerting rule's scaled `for`, in seconds, by alert name (the longest when a name has several rules). */
export function holdSecondsByAlert(scaledRuleFiles: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const content of scaledRuleFiles) {
    for (const group of (parse(content) as RuleDoc).groups)
      for (const rule of group.rules) if (rule.alert !== undefined) out.set(rule.alert, Math.max(out.get(rule.alert) ?? 0, rule.for ? durationSeconds(rule.for) : 0));
  }
  return out;
}

/** Static labels (`severity`, `window`...) of each alerting rule, by alert name. */
export function ruleLabelsByAlert(ruleFiles: string[]): Map<string, Array<Record<string, string>>> {
  const out = new Map<string, Array<Record<string, string>>>();
  for (const content of ruleFiles)
    for (const group of (parse(content) as RuleDoc).groups)
      for (const rule of group.rules) if (rule.alert !== undefined) out.set(rule.alert, [...(out.get(rule.alert) ?? []), rule.labels ?? {}]);
  return out;
}

/** Stack-network address (`host:port`) → loopback address of the local process standing in for it. */
export type AddressMap = Record<string, string>;

function toLoopback(value: string, addresses: AddressMap): string | undefined {
  if (value in addresses) return addresses[value];
  const url = /^(https?:\/\/)([^/]+)(.*)$/.exec(value);
  if (url && url[2] in addresses) return `${url[1]}${addresses[url[2]]}${url[3]}`;
  return undefined;
}

interface ScrapeJob {
  job_name: string;
  static_configs?: Array<{ targets: string[]; labels?: Record<string, string> }>;
  relabel_configs?: Array<{ replacement?: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

export interface RewrittenPrometheusConfig {
  text: string;
  /** Jobs removed because nothing local stands in for their targets, with those targets. */
  dropped: Array<{ job: string; targets: string[] }>;
}

/**
 * prometheus.yml pointed at loopback: targets, probe targets, the exporter a
 * probe goes through and the Alertmanager replicas. `scrape_timeout` follows
 * the shortened interval, since Prometheus rejects a timeout longer than it.
 */
export function rewritePrometheusConfig(content: string, addresses: AddressMap, rulesDir: string): RewrittenPrometheusConfig {
  const doc = parse(content) as {
    global: Record<string, unknown>;
    alerting: { alertmanagers: Array<{ static_configs?: Array<{ targets: string[] }> }> };
    rule_files: string[];
    scrape_configs: ScrapeJob[];
  };
  doc.global.scrape_timeout = doc.global.scrape_interval;
  doc.rule_files = [join(rulesDir, "*.yml")];
  for (const am of doc.alerting.alertmanagers)
    for (const sc of am.static_configs ?? [])
      sc.targets = sc.targets.map((t) => {
        const local = toLoopback(t, addresses);
        if (local === undefined) throw new Error(`no local Alertmanager stands in for ${t}`);
        return local;
      });
  const dropped: RewrittenPrometheusConfig["dropped"] = [];
  const kept: ScrapeJob[] = [];
  for (const job of doc.scrape_configs) {
    const targets = (job.static_configs ?? []).flatMap((sc) => sc.targets);
    const local = targets.map((t) => toLoopback(t, addresses));
    const relabelled = (job.relabel_configs ?? []).map((r) => (r.replacement === undefined ? r.replacement : (toLoopback(r.replacement, addresses) ?? r.replacement)));
    if (targets.length === 0 || local.some((t) => t === undefined)) {
      dropped.push({ job: job.job_name, targets });
      continue;
    }
    for (const sc of job.static_configs ?? []) sc.targets = sc.targets.map((t) => toLoopback(t, addresses) as string);
    (job.relabel_configs ?? []).forEach((r, i) => {
      if (r.replacement !== undefined) r.replacement = relabelled[i];
    });
    kept.push(job);
  }
  doc.scrape_configs = kept;
  return { text: `# Rewritten by the Watchpost fire drill: loopback targets (drill/rewrite.ts).\n${stringify(doc, { lineWidth: 0 })}`, dropped };
}

/** Container paths in the rendered Alertmanager files become paths under `dir`. */
export function relocateAlertmanagerPaths(content: string, dir: string): string {
  return content.replaceAll(configPaths.alertmanagerTemplatesDir, join(dir, "templates")).replaceAll(configPaths.alertmanagerSecretsDir, join(dir, "secrets"));
}

/**
 * Prometheus' alert timing flags, scaled like everything else: the resend
 * delay and outage tolerance the stack leaves at their defaults, and the
 * stack's own `--rules.alert.for-grace-period` (1m; see
 * components/prometheus/flags.ts), below which a rule's `for` state would
 * not be restored after a restart.
 */
export function prometheusTimingFlags(timeScale: number): string[] {
  return [
    `--rules.alert.resend-delay=${scaleDuration("1m", timeScale)}`,
    `--rules.alert.for-outage-tolerance=${scaleDuration("1h", timeScale)}`,
    `--rules.alert.for-grace-period=${scaleDuration(alertForGracePeriod, timeScale)}`,
  ];
}

/**
 * How long the Alertmanager replica at position n waits (n × this) before it
 * notifies, unless the gossiped notification log says an earlier one did:
 * Alertmanager's default 15s, scaled, but at least 1.5s. Right after a replica
 * dies, gossip between the others took over a second on a loaded machine, and
 * a shorter timeout paged twice.
 */
export function peerTimeoutMs(timeScale: number): number {
  return Math.max(1500, Math.round(15_000 * timeScale));
}

/**
 * The shortest group_interval the drill lets a route have. Each flush of the
 * last replica in line is in flight for (replicas − 1) × peer timeout; if the
 * next flush comes sooner, a RESOLVED sent meanwhile by the first replica is
 * followed by that replica's stale FIRING. The stack keeps well clear of it
 * (critical: 1m against 2 × 15s); scaled naively the drill would not.
 */
export function minGroupIntervalSeconds(replicas: number, timeScale: number): number {
  return Math.ceil(((replicas - 1) * peerTimeoutMs(timeScale) + 1000) / 1000);
}

/**
 * The shortest heartbeat interval the drill lets the stack have. When the
 * replica that sends the heartbeat dies, the next beat comes from a survivor
 * after its place-in-line wait, up to (replicas − 1) × peer timeout late. The
 * stack's interval is twice that or more (1m against 2 × 15s), so a failover
 * never stretches a gap past the receiver's 2 × interval; scaled naively
 * (2s against 2 × 1.5s) it would.
 */
export function minHeartbeatSeconds(replicas: number, timeScale: number): number {
  return 2 * minGroupIntervalSeconds(replicas, timeScale);
}

/**
 * Gossip timings of the Alertmanager cluster; loopback gossip itself needs
 * milliseconds. Failure detection keeps Alertmanager's default probe interval
 * (1s): a replica takes its place in line (its wait, position × peer timeout)
 * when its flush starts. With a 300ms probe interval a SIGKILLed member was
 * declared dead about 1s after the kill, right as the survivors flushed
 * (group_wait is 1s after scaling); on a busy machine one survivor took its
 * place before the death was noticed (second in line) and the other after
 * (first), both sent, and every channel got the page twice. Noticed 2–3s after
 * the kill, the death comes after both survivors have taken their places.
 */
export function alertmanagerClusterFlags(timeScale: number): string[] {
  return [
    `--cluster.peer-timeout=${peerTimeoutMs(timeScale)}ms`,
    "--cluster.gossip-interval=100ms",
    "--cluster.pushpull-interval=2s",
    "--cluster.probe-interval=1s",
    "--cluster.settle-timeout=10s",
  ];
}
