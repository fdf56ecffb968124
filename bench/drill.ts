/**
 * Drill latency against its ideal floor (drill/floor.ts), the median of N runs of drill/run.ts.
 * The drill is loaded at run time: the bench works (and says so) before it exists.
 */
import { median } from "./goals";

/** The part of drill/run.ts's report the bench reads (drill/report.ts has the whole). */
export interface DrillScenarioResult {
  name: string;
  /** Absent when the alert never arrived. */
  latencyMs?: number;
  /** scrape + evaluation + for + group_wait, every clock in its worst phase. */
  pipelineFloorMs: number;
  /** The alert's rule chain evaluated continuously on the fault's series, + group_wait; absent when it could not be worked out. */
  idealFloorMs?: number;
  /** latencyMs / idealFloorMs. */
  ratio?: number;
  ok: boolean;
}
export interface DrillReport {
  scenarios: DrillScenarioResult[];
}
export type RunDrill = (opts: { stack: string; scenarios?: string[]; log?: (line: string) => void }) => Promise<DrillReport>;

export interface DrillTiming {
  name: string;
  runs: number;
  /** Runs in which the alert arrived and the ideal floor was worked out; the medians are over these. */
  measuredRuns: number;
  medianLatencyMs: number;
  medianPipelineFloorMs: number;
  medianIdealFloorMs: number;
  medianRatio: number;
  failedRuns: number;
}

export type DrillOutcome = { available: true; scenarios: DrillTiming[]; errors: string[] } | { available: false; reason: string };

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

/**
 * Groups per-run scenario results by name and takes medians over the runs whose
 * alert arrived and whose ideal floor was worked out (a run not ok for another
 * reason still counts its latency).
 */
export function summarizeDrillRuns(reports: DrillReport[]): DrillTiming[] {
  const byName = new Map<string, DrillScenarioResult[]>();
  for (const r of reports) for (const s of r.scenarios) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  return [...byName].map(([name, rs]) => {
    const measured = rs.filter((r) => r.latencyMs !== undefined && r.idealFloorMs !== undefined) as Array<DrillScenarioResult & { latencyMs: number; idealFloorMs: number }>;
    return {
      name,
      runs: rs.length,
      measuredRuns: measured.length,
      medianLatencyMs: median(measured.map((r) => r.latencyMs)),
      medianPipelineFloorMs: median(measured.map((r) => r.pipelineFloorMs)),
      medianIdealFloorMs: median(measured.map((r) => r.idealFloorMs)),
      medianRatio: median(measured.map((r) => r.ratio ?? r.latencyMs / r.idealFloorMs)),
      failedRuns: rs.filter((r) => !r.ok).length,
    };
  });
}

export async function measureDrill(stack: string, runs: number, log: (line: string) => void): Promise<DrillOutcome> {
  const runDrill = await loadRunDrill();
  if (typeof runDrill === "string") return { available: false, reason: runDrill };
  const reports: DrillReport[] = [];
  const errors: string[] = [];
  for (let i = 0; i < runs; i++) {
    log(`drill: run ${i + 1}/${runs}`);
    try {
      reports.push(await runDrill({ stack, log: (line) => log(`  ${line}`) }));
    } catch (e) {
      errors.push(`run ${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
      log(`drill: run ${i + 1} failed: ${String(e)}`);
    }
  }
  if (reports.length === 0) return { available: false, reason: `every drill run failed; ${errors[0]}` };
  return { available: true, scenarios: summarizeDrillRuns(reports), errors };
}
