/**
 * History for the demo service before the drill starts. A freshly started
 * Prometheus has minutes of data, so every SLO window longer than its uptime
 * holds the same few minutes: slow-burn windows then cross their low
 * thresholds before the fast burn crosses its high one, which never happens to
 * a service with days of healthy traffic behind it. The drill writes that
 * healthy history (scaled like every other duration) as OpenMetrics and turns
 * it into TSDB blocks with `promtool tsdb create-blocks-from openmetrics`.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { apiRoute, durationBuckets } from "./demo-service";

export interface BackfillInput {
  /** Labels the scrape attaches to the service's series: job, instance, service, team... */
  targetLabels: Record<string, string>;
  /** Healthy request rate, the same as the drill's load. */
  perSecond: number;
  /** How far back the history reaches, and the spacing of its samples. */
  seconds: number;
  stepSeconds: number;
  /** End of the history, unix ms; the live scrapes continue from there. */
  endMs: number;
  /** Healthy latency recorded for every request, in seconds. */
  latencySeconds: number;
}

function labelText(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
    .join(",")}}`;
}

/** The OpenMetrics text of the history: a healthy route with no 5xx and every request in the fastest bucket it fits. */
export function renderBackfill(input: BackfillInput): string {
  const steps = Math.floor(input.seconds / input.stepSeconds);
  const startMs = input.endMs - steps * input.stepSeconds * 1000;
  const times = Array.from({ length: steps + 1 }, (_, i) => startMs + i * input.stepSeconds * 1000);
  const count = (ms: number) => Math.round(((ms - startMs) / 1000) * input.perSecond);
  const lines: string[] = [];
  const series = (name: string, labels: Record<string, string>, value: (ms: number) => number) => {
    const text = labelText({ ...input.targetLabels, ...labels });
    for (const ms of times) lines.push(`${name}${text} ${value(ms)} ${(ms / 1000).toFixed(3)}`);
  };
  const ok = { ...apiRoute, status_code: "200" };
  const failed = { ...apiRoute, status_code: "500" };
  lines.push("# HELP http_requests HTTP requests served", "# TYPE http_requests counter");
  series("http_requests_total", ok, count);
  series("http_requests_total", failed, () => 0);
  lines.push("# HELP http_request_duration_seconds Time to answer an HTTP request", "# TYPE http_request_duration_seconds histogram");
  for (const labels of [ok, failed]) {
    const n = (ms: number) => (labels === ok ? count(ms) : 0);
    for (const le of [...durationBuckets.map(String), "+Inf"]) {
      const within = le === "+Inf" || Number(le) >= input.latencySeconds;
      series("http_request_duration_seconds_bucket", { ...labels, le }, (ms) => (within ? n(ms) : 0));
    }
    series("http_request_duration_seconds_sum", labels, (ms) => Number((n(ms) * input.latencySeconds).toFixed(6)));
    series("http_request_duration_seconds_count", labels, n);
  }
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}

/** Writes the history and turns it into blocks under Prometheus' data dir (before Prometheus starts). */
export async function backfill(promtool: string, workDir: string, dataDir: string, input: BackfillInput): Promise<void> {
  const file = join(workDir, "backfill.om");
  writeFileSync(file, renderBackfill(input));
  try {
    await promisify(execFile)(promtool, ["tsdb", "create-blocks-from", "openmetrics", file, dataDir], { timeout: 120_000, maxBuffer: 10 * 2 ** 20 });
  } catch (error) {
    const e = error as { killed?: boolean; signal?: string; code?: number; stdout?: string; stderr?: string };
    const how = e.killed ? `killed by ${e.signal} after the 120s bound` : `exit ${e.code ?? e.signal}`;
    throw new Error(`promtool tsdb create-blocks-from openmetrics ${file} failed (${how}):\n${`${e.stderr ?? ""}${e.stdout ?? ""}`.trim().slice(-2000)}`);
  }
}
