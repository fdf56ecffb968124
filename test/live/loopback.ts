/**
 * Rewriting a synthesized prometheus.yml so a real Prometheus can run
 * it on this machine: every in-stack address (a Docker alias such as
 * `node-exporter:9100`, or `host.docker.internal:8080`) becomes a 127.0.0.1
 * port where a real process listens, and the jobs of components that cannot
 * run here are removed — by name, with the reason, never silently. A target
 * left pointing anywhere but loopback is an error, so a new job in the
 * renderer makes this fail until the test decides what to do with it.
 */
import { parse, stringify } from "yaml";

export interface LoopbackRewrite {
  /** In-stack address (`host:port`, as it appears in targets and URLs) → the `127.0.0.1:<port>` serving it here. */
  addresses: Record<string, string>;
  /** job_name → why it cannot run here. Every listed job must exist in the config. */
  drop: Record<string, string>;
  /** Replaces `rule_files` (the container path /etc/prometheus/rules/*.yml). */
  ruleFiles: string[];
  /** Replaces the global scrape and evaluation intervals (and any per-job one), so a test sees several cycles in seconds. */
  interval: string;
}

export interface DroppedJob {
  job: string;
  targets: string[];
  reason: string;
}

export interface LoopbackConfig {
  yaml: string;
  dropped: DroppedJob[];
  /** Jobs left in the config, each with its rewritten targets. */
  kept: Record<string, string[]>;
}

const loopbackHost = "127.0.0.1";

/** Host part of `host:port` or of a URL. */
export function hostOf(target: string): string {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(\[[^\]]+\]|[^/:?#]+)/i.exec(target);
  if (!m) throw new Error(`cannot read a host from target '${target}'`);
  return m[1];
}

function replaceAddresses(value: string, addresses: Record<string, string>): string {
  let out = value;
  for (const [from, to] of Object.entries(addresses)) out = out.split(from).join(to);
  return out;
}

function assertLoopback(where: string, target: string): void {
  if (hostOf(target) !== loopbackHost)
    throw new Error(`${where}: target '${target}' is not on ${loopbackHost}; map its address in 'addresses' or list the job in 'drop' with the reason`);
}

export function rewriteForLoopback(prometheusYml: string, opts: LoopbackRewrite): LoopbackConfig {
  const doc = parse(prometheusYml);
  const jobs: any[] = doc.scrape_configs ?? [];
  const unknownDrops = Object.keys(opts.drop).filter((job) => !jobs.some((j) => j.job_name === job));
  if (unknownDrops.length > 0) throw new Error(`drop lists job(s) the config does not have: ${unknownDrops.join(", ")}`);

  const dropped: DroppedJob[] = [];
  const kept: Record<string, string[]> = {};
  doc.scrape_configs = jobs.filter((job) => {
    const targets: string[] = (job.static_configs ?? []).flatMap((s: any) => s.targets ?? []);
    const reason = opts.drop[job.job_name];
    if (reason !== undefined) {
      dropped.push({ job: job.job_name, targets, reason });
      return false;
    }
    if (!job.static_configs) throw new Error(`job '${job.job_name}' discovers targets without static_configs; only static targets can be rewritten to loopback`);
    for (const s of job.static_configs) s.targets = s.targets.map((t: string) => replaceAddresses(t, opts.addresses));
    const addressRelabel = (job.relabel_configs ?? []).find((r: any) => r.target_label === "__address__");
    for (const r of job.relabel_configs ?? []) if (typeof r.replacement === "string") r.replacement = replaceAddresses(r.replacement, opts.addresses);
    // A probe job scrapes the exporter named by the __address__ relabel; its static targets are the probed URLs.
    if (addressRelabel) assertLoopback(`job '${job.job_name}' (__address__ relabel)`, addressRelabel.replacement);
    const rewritten: string[] = job.static_configs.flatMap((s: any) => s.targets);
    for (const t of rewritten) assertLoopback(`job '${job.job_name}'`, t);
    if (job.scrape_interval !== undefined) job.scrape_interval = opts.interval;
    if (job.scrape_timeout !== undefined) delete job.scrape_timeout;
    kept[job.job_name] = rewritten;
    return true;
  });

  for (const am of doc.alerting?.alertmanagers ?? []) {
    for (const s of am.static_configs ?? []) {
      s.targets = s.targets.map((t: string) => replaceAddresses(t, opts.addresses));
      for (const t of s.targets) assertLoopback("alerting.alertmanagers", t);
    }
  }
  doc.global = { ...doc.global, scrape_interval: opts.interval, evaluation_interval: opts.interval };
  delete doc.global.scrape_timeout;
  doc.rule_files = opts.ruleFiles;
  return { yaml: stringify(doc), dropped, kept };
}

/** Sets every rule group's `interval` (when a group sets one) to the test interval; the rules themselves are untouched. */
export function shortenRuleGroupIntervals(ruleFileYml: string, interval: string): string {
  const doc = parse(ruleFileYml);
  const timed = (doc.groups ?? []).filter((g: any) => g.interval !== undefined);
  if (timed.length === 0) return ruleFileYml;
  for (const g of timed) g.interval = interval;
  return stringify(doc);
}
