/**
 * Running the real Prometheus for live tests: loopback port, data in a temp
 * dir, readiness awaited with a bound, and small typed readers of its HTTP API.
 */
import { mkdirSync } from "node:fs";
import { type ProcessGroup, type Started, failIfPortTaken, waitFor } from "./processes";

export interface RunningPrometheus {
  url: string;
  port: number;
  dataDir: string;
  proc: Started;
}

export async function startPrometheus(
  group: ProcessGroup,
  bin: string,
  opts: { name: string; port: number; configFile: string; dataDir: string; extraArgs?: string[]; readyTimeoutMs?: number },
): Promise<RunningPrometheus> {
  mkdirSync(opts.dataDir, { recursive: true });
  const url = `http://127.0.0.1:${opts.port}`;
  const proc = group.start(opts.name, bin, [
    `--config.file=${opts.configFile}`,
    `--storage.tsdb.path=${opts.dataDir}`,
    `--web.listen-address=127.0.0.1:${opts.port}`,
    ...(opts.extraArgs ?? []),
  ]);
  await waitFor(
    `${opts.name} to be ready`,
    async () => {
      failIfPortTaken(proc);
      if (proc.proc.exitCode !== null) throw new Error(`${opts.name} exited ${proc.proc.exitCode}:\n${proc.output()}`);
      const res = await fetch(`${url}/-/ready`);
      return res.ok ? true : undefined;
    },
    opts.readyTimeoutMs ?? 20_000,
  );
  return { url, port: opts.port, dataDir: opts.dataDir, proc };
}

/** GET or POST an /api/v1 endpoint; throws with Prometheus' own error text when status is not success. */
export async function promApi<T>(prom: { url: string }, path: string, params: Record<string, string | string[]> = {}, method: "GET" | "POST" = "GET"): Promise<T> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) qs.append(k, one);
  const res =
    method === "GET"
      ? await fetch(`${prom.url}${path}${qs.size > 0 ? `?${qs}` : ""}`)
      : await fetch(`${prom.url}${path}`, { method, headers: { "content-type": "application/x-www-form-urlencoded" }, body: qs.toString() });
  const body = (await res.json()) as { status: string; data: T; error?: string; errorType?: string };
  if (body.status !== "success") throw new Error(`${path} ${JSON.stringify(params)}: ${body.errorType ?? res.status}: ${body.error ?? ""}`);
  return body.data;
}

export interface InstantResult {
  resultType: string;
  result: Array<{ metric: Record<string, string>; value?: [number, string] }> | [number, string];
}

export function instantQuery(prom: { url: string }, query: string, time?: number): Promise<InstantResult> {
  return promApi<InstantResult>(prom, "/api/v1/query", time === undefined ? { query } : { query, time: String(time) }, "POST");
}

/** Number of series (or 1 for a scalar) an instant query returned. */
export function resultSize(r: InstantResult): number {
  return r.resultType === "scalar" || r.resultType === "string" ? 1 : (r.result as unknown[]).length;
}

export interface ActiveTarget {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  health: "up" | "down" | "unknown";
  lastError: string;
}

export async function activeTargets(prom: { url: string }): Promise<ActiveTarget[]> {
  return (await promApi<{ activeTargets: ActiveTarget[] }>(prom, "/api/v1/targets", { state: "active" })).activeTargets;
}

export interface RuleState {
  name: string;
  type: "alerting" | "recording";
  health: "ok" | "err" | "unknown";
  lastError?: string;
  lastEvaluation: string;
  /** Seconds the rule's last evaluation took. */
  evaluationTime: number;
}

export interface RuleGroupState {
  name: string;
  file: string;
  rules: RuleState[];
  evaluationTime: number;
  lastEvaluation: string;
}

export async function ruleGroups(prom: { url: string }): Promise<RuleGroupState[]> {
  return (await promApi<{ groups: RuleGroupState[] }>(prom, "/api/v1/rules")).groups;
}

/** Samples of one metric from Prometheus' own /metrics page (no scrape lag), as `labels → value`. */
export async function ownMetric(prom: { url: string }, name: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${prom.url}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && m[1] === name) out.set(m[2] ?? "", Number(m[3]));
  }
  return out;
}
