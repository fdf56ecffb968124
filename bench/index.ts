/**
 * `npm run bench [-- --runs 3 --json bench.json --series 100000]`: a benchmark,
 * not a test. Measures the drill's alert latency against its ideal floor, synth and
 * the Pulumi program under mocks for dev and prod, rule evaluation and every
 * dashboard panel query at ~100k active series on the real Prometheus, and the
 * dev stack's memory limits; prints each against its goal, and by how much a
 * missed goal is missed. See bench/README.md for how to read it.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { parseStackConfig } from "../infra/config/validate";
import { planStack } from "../infra/plan";
import { builtTool, missingToolHint } from "../tools/cache";
import { e2e } from "../e2e/run";
import { buildRows, deployRows } from "./deploy";
import { measureDrill } from "./drill";
import { goals, type Measurement, median, renderTable, summarize } from "./goals";
import { measureAtScale, type ScaleResult } from "./prometheus-at-scale";
import { BenchProgress, benchSteps } from "./progress";
import { programUnderMocks, stackFiles, synthTimes } from "./stack-timings";

const sections = ["drill", "synth", "mocks", "scale", "deploy"] as const;
type Section = (typeof sections)[number];

const usage = `usage: npm run bench [-- --only <sections>] [--runs N] [--json FILE] [--series N] [--interval S] [--warmup S] [--cycles N] [--all-panels]
  sections: ${sections.join(", ")} (default: all)
  A benchmark, not a test: each measurement against its goal (bench/README.md).`;

/** A mistake in the bench's own flags: told with the usage, never as a stack trace. */
class UsageError extends Error {}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: flagSpec });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
}

const flagSpec = {
  runs: { type: "string", default: "3" },
  json: { type: "string" },
  series: { type: "string", default: "100000" },
  interval: { type: "string", default: "5" },
  warmup: { type: "string", default: "90" },
  cycles: { type: "string", default: "6" },
  only: { type: "string" },
  "all-panels": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

function options(argv: string[]) {
  const { values } = parseFlags(argv);
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const int = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name}: got '${v}'; expected a positive integer`);
    return n;
  };
  const only = (values.only?.split(",") ?? [...sections]) as Section[];
  const unknown = only.filter((s) => !sections.includes(s));
  if (unknown.length > 0) throw new UsageError(`--only: unknown section(s) ${unknown.join(", ")}; expected some of ${sections.join(", ")}`);
  return {
    runs: int("runs", values.runs),
    json: values.json,
    series: int("series", values.series),
    interval: int("interval", values.interval),
    warmup: int("warmup", values.warmup),
    cycles: int("cycles", values.cycles),
    only: new Set(only),
    allPanels: values["all-panels"] as boolean,
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

const ms = (n: number) => `${n.toFixed(n >= 100 ? 0 : 1)} ms`;

function timingRow(section: string, name: string, times: number[], goal: (typeof goals)[keyof typeof goals]): Measurement {
  return {
    section,
    name,
    value: Math.max(...times),
    unit: "ms",
    goal,
    note: `slowest of ${times.length} (first run cold: ${ms(times[0])}); median ${ms(median(times))}`,
  };
}

function scaleRows(r: ScaleResult, o: ReturnType<typeof options>, footnotes: string[]): Measurement[] {
  const rows: Measurement[] = [
    {
      section: "scale",
      name: "active series (prometheus_tsdb_head_series)",
      value: r.headSeries,
      unit: "series",
      note: `goal 100,000; ${r.exposedSeries.toLocaleString("en-US")} synthetic + Prometheus' own; scrape and evaluation every ${o.interval}s, ${o.warmup}s warm-up`,
    },
    {
      section: "rules",
      name: "rule evaluation failures",
      value: r.ruleEvaluationFailures,
      unit: "count",
      goal: goals.ruleFailures,
      note: `iterations missed: ${r.iterationsMissed}`,
    },
    {
      section: "rules",
      name: "alerts pending or firing on the synthetic data",
      value: r.raisedAlerts.reduce((n, a) => n + a.count, 0),
      unit: "count",
      goal: goals.alertsOnHealthyData,
      note: `${r.raisedAlerts.length === 0 ? "none but the Watchdog" : r.raisedAlerts.map((a) => `${a.alert} ${a.state} ×${a.count}`).join(", ")}; failed scrapes of the synthetic exporter: ${r.failedScrapes}`,
    },
  ];
  for (const g of [...r.ruleGroups].sort((a, b) => b.maxMs - a.maxMs)) {
    const slowest = g.rules[0] === undefined ? "" : `; slowest rule ${g.rules[0].rule} (median ${ms(g.rules[0].medianMs)})`;
    rows.push({ section: "rules", name: g.group, value: g.maxMs, unit: "ms", goal: goals.ruleGroup, note: `slowest of ${g.cycles} cycles; median ${ms(g.medianMs)}${slowest}` });
  }
  for (const g of r.ruleGroupsNotEvaluated)
    rows.push({
      section: "rules",
      name: g.group,
      value: undefined,
      unit: "ms",
      goal: goals.ruleGroup,
      note: `not evaluated yet: its interval is ${g.intervalSeconds}s (a longer --warmup measures it)`,
    });
  const panels = [...r.panels].sort((a, b) => (b.medianMs || Infinity) - (a.medianMs || Infinity));
  const over = panels.filter((p) => !(p.medianMs <= goals.panelQuery.max));
  rows.push({
    section: "panels",
    name: `panel queries over ${goals.panelQuery.max} ms`,
    value: over.length,
    unit: "count",
    goal: { max: 0, unit: "count" },
    note: `of ${panels.length}; errors: ${panels.filter((p) => p.error).length}`,
  });
  const shown = o.allPanels ? panels : panels.filter((p, i) => i < 10 || p.error !== undefined || !(p.medianMs <= goals.panelQuery.max));
  for (const p of shown)
    rows.push({
      section: "panels",
      name: p.where,
      value: p.error ? undefined : p.medianMs,
      unit: "ms",
      goal: goals.panelQuery,
      note: p.error ?? `median of runs; ${p.series} series returned`,
    });
  if (!o.allPanels && shown.length < panels.length)
    footnotes.push(
      `panels: ${panels.length - shown.length} faster panel queries, each within ${goals.panelQuery.max} ms, are not listed (--all-panels lists them; --json has them all).`,
    );
  return rows;
}

async function main(argv: string[]): Promise<number> {
  const o = options(argv);
  const rows: Measurement[] = [];
  const footnotes: string[] = [];
  const loadAtStart = loadavg();
  const progress = new BenchProgress(benchSteps(o), log);
  const report: Record<string, unknown> = {
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadAverageAtStart: loadAtStart },
    options: { ...o, only: [...o.only] },
  };

  if (o.only.has("drill")) {
    progress.start("drill");
    const drill = await measureDrill("dev", o.runs, log);
    report.drill = drill;
    if (!drill.available) rows.push({ section: "drill", name: "alert latency / ideal floor", value: undefined, unit: "ratio", goal: goals.drillRatio, note: drill.reason });
    else
      for (const s of drill.scenarios)
        rows.push({
          section: "drill",
          name: s.name,
          value: s.medianRatio,
          unit: "ratio",
          goal: goals.drillRatio,
          note: `median of ${s.measuredRuns} of ${s.runs} runs: latency ${ms(s.medianLatencyMs)}, ideal floor ${ms(s.medianIdealFloorMs)}, pipeline floor ${ms(s.medianPipelineFloorMs)}${s.failedRuns > 0 ? `; ${s.failedRuns} run(s) not ok` : ""}${drill.errors.length > 0 ? `; ${drill.errors.length} run(s) failed to complete` : ""}`,
        });
  }

  const files = stackFiles();
  try {
    if (o.only.has("synth")) {
      for (const stack of ["dev", "prod"] as const) {
        progress.start(`synth ${stack}`);
        log(`synth: ${stack} × ${o.runs}`);
        const times = await synthTimes(stack, files[stack], o.runs);
        report[`synth-${stack}`] = times;
        rows.push(timingRow("synth", `synth ${stack}`, times, goals.synth));
      }
    }
    if (o.only.has("mocks")) {
      for (const stack of ["dev", "prod"] as const) {
        progress.start(`mocks ${stack}`);
        log(`program under mocks: ${stack} × ${o.runs}`);
        const run = await programUnderMocks(stack, files[stack], o.runs);
        report[`mocks-${stack}`] = run;
        rows.push({
          ...timingRow("mocks", `program under mocks, ${stack}`, run.times, goals.programUnderMocks),
          note: `${run.resources} resources; slowest of ${run.times.length} (first run cold: ${ms(run.times[0])}); median ${ms(median(run.times))}`,
        });
        if (stack === "dev") {
          const total = run.containers.reduce((n, c) => n + c.memoryMiB, 0);
          rows.push({
            section: "memory",
            name: `dev container memory limits (${run.containers.length} containers)`,
            value: total,
            unit: "MiB",
            goal: goals.devMemory,
            note: run.containers.map((c) => `${c.name} ${c.memoryMiB}`).join(", "),
          });
        }
      }
    }
  } finally {
    files.cleanup();
  }

  if (o.only.has("scale")) {
    progress.start("scale");
    const prometheusBin = builtTool("prometheus");
    if (!prometheusBin) rows.push({ section: "scale", name: "rules and panels at scale", value: undefined, unit: "ms", note: missingToolHint("prometheus") });
    else {
      const version = execFileSync(prometheusBin, ["--version"], { encoding: "utf8" }).split("\n")[0];
      const plan = planStack(parseStackConfig("dev", readStackFile(stackFilePath("dev"))).config);
      log(`scale: ${version}; target ${o.series} series`);
      const r = await measureAtScale({
        prometheusBin,
        plan,
        targetSeries: o.series,
        intervalSeconds: o.interval,
        warmupSeconds: o.warmup,
        cycles: o.cycles,
        queryRuns: Math.max(3, o.runs),
        log,
      });
      report.scale = { prometheus: version, ...r };
      rows.push(...scaleRows(r, o, footnotes));
    }
  }

  if (o.only.has("deploy")) {
    progress.start("deploy");
    if (process.getuid?.() !== 0)
      rows.push({ section: "deploy", name: "npm run up on a Docker engine", value: undefined, unit: "s", note: "needs root: the e2e starts its own dockerd" });
    else {
      log("deploy: one e2e run (npm run e2e)");
      const run = await e2e({ log });
      report.deploy = run;
      rows.push(...deployRows(run));
      progress.start("builds");
      log("builds: the engine and providers again, on warm Go caches");
      rows.push(...buildRows(log));
    }
  }

  const summary = summarize(rows);
  const load = (l: number[]) => l.map((n) => n.toFixed(2)).join(" ");
  process.stdout.write(`${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), Node ${process.version}; load average ${load(loadAtStart)} at start, ${load(loadavg())} at end\n\n`);
  process.stdout.write(
    `${renderTable(summary.rows)}\n\n${footnotes.map((f) => `${f}\n`).join("")}${summary.met} goals met, ${summary.missed} missed, ${summary.notMeasured} not measured\n`,
  );
  if (o.json) {
    writeFileSync(o.json, `${JSON.stringify({ ...report, rows: summary.rows }, null, 2)}\n`);
    log(`wrote ${o.json}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    // Pulumi's mock runtime keeps handles open; the bench is done.
    process.exit(code);
  },
  (e) => {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
