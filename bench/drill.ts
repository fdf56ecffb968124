/**
 * Drill latency against its floor, the median of N runs of drill/run.ts.
 * The drill is loaded at run time: the bench works (and says so) before it exists.
 */
import { median } from "./goals";

/** The contract of drill/run.ts. */
export interface DrillScenarioResult {
  name: string;
  latencyMs: number;
  floorMs: number;
  ratio: number;
  ok: boolean;
}
export interface DrillReport {
  scenarios: DrillScenarioResult[];
}
export type RunDrill = (opts: { stack: string; scenarios?: string[]; log?: (line: string) => void }) => Promise<DrillReport>;

export interface DrillTiming {
  name: string;
  runs: number;
  medianLatencyMs: number;
  medianFloorMs: number;
  medianRatio: number;
  failedRuns: number;
}

export type DrillOutcome = { available: true; scenarios: DrillTiming[] } | { available: false; reason: string };

/** Loads runDrill from drill/run.ts, or says why it cannot. */
export async function loadRunDrill(): Promise<RunDrill | string> {
  // A computed specifier: the module may not exist yet, and the bench must still type-check and run.
  const specifier = ["..", "drill", "run"].join("/");
  try {
    const mod = (await import(specifier)) as { runDrill?: unknown; default?: { runDrill?: unknown } };
    const fn = mod.runDrill ?? mod.default?.runDrill;
    return typeof fn === "function" ? (fn as RunDrill) : "drill/run.ts does not export runDrill";
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") return "drill/run.ts is not in this checkout yet";
    return `drill/run.ts failed to load: ${String(e)}`;
  }
}

/** Groups per-run scenario results by name and takes medians; a run's failed scenario still counts its latency. */
export function summarizeDrillRuns(reports: DrillReport[]): DrillTiming[] {
  const byName = new Map<string, DrillScenarioResult[]>();
  for (const r of reports) for (const s of r.scenarios) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  return [...byName].map(([name, rs]) => ({
    name,
    runs: rs.length,
    medianLatencyMs: median(rs.map((r) => r.latencyMs)),
    medianFloorMs: median(rs.map((r) => r.floorMs)),
    medianRatio: median(rs.map((r) => r.ratio)),
    failedRuns: rs.filter((r) => !r.ok).length,
  }));
}

export async function measureDrill(stack: string, runs: number, log: (line: string) => void): Promise<DrillOutcome> {
  const runDrill = await loadRunDrill();
  if (typeof runDrill === "string") return { available: false, reason: runDrill };
  const reports: DrillReport[] = [];
  for (let i = 0; i < runs; i++) {
    log(`drill: run ${i + 1}/${runs}`);
    reports.push(await runDrill({ stack, log: (line) => log(`  ${line}`) }));
  }
  return { available: true, scenarios: summarizeDrillRuns(reports) };
}
