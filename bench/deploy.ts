/**
 * The bench's deploy section: one e2e run (e2e/run.ts) of the dev stack on a
 * Docker engine of its own, timed: `npm run up` from nothing to every container
 * healthy against the time the containers themselves take from create to
 * healthy, a no-op `npm run up`, and stopping the host service to the alert at
 * every sink; and the engine and providers' builds, first and again on a warm
 * Go cache.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stampPath } from "../tools/cache";
import { buildDockerProvider, dockerProviderDir } from "../tools/engine/providers/docker";
import { buildRandomProvider, randomProviderDir } from "../tools/engine/providers/random";
import { buildEngine, engineModule } from "../tools/engine/pulumi";
import type { E2eReport } from "../e2e/run";
import type { Measurement } from "./goals";
import { goals } from "./goals";

/** The deploy rows of one e2e report; a timing the run did not reach is "not measured" with the failed checks. */
export function deployRows(report: E2eReport): Measurement[] {
  const failed = report.findings.filter((f) => !f.ok).map((f) => `${f.step}: ${f.check}`);
  const why = failed.length > 0 ? `the e2e failed: ${failed.join("; ")}` : "not reached";
  const t = report.timings;
  const row = (name: string, value: number | undefined, note: string, goal?: Measurement["goal"]): Measurement => ({
    section: "deploy",
    name,
    value,
    unit: "s",
    ...(goal ? { goal } : {}),
    note: value === undefined ? why : note,
  });
  const overhead =
    t.upToHealthySeconds !== undefined && t.containersCreateToHealthySeconds !== undefined && t.containersCreateToHealthySeconds > 0
      ? t.upToHealthySeconds / t.containersCreateToHealthySeconds
      : undefined;
  return [
    row(
      "npm run up → every container healthy",
      t.upToHealthySeconds,
      `${t.upSeconds?.toFixed(1)} s of it in pulumi up itself; left out (images not built here): ${report.notStarted.join(", ") || "none"}`,
    ),
    row("containers: first created → last healthy", t.containersCreateToHealthySeconds, "from docker inspect: Created and the first passing health check"),
    {
      section: "deploy",
      name: "npm run up / the containers' own time",
      value: overhead,
      unit: "ratio",
      goal: goals.upOverhead,
      note: overhead === undefined ? why : "what Pulumi adds to what Docker and the health checks take",
    },
    row("no-op npm run up (--expect-no-changes)", t.noopUpSeconds, "the program runs, the providers diff, nothing changes", goals.noopUp),
    row("host service stopped → ServiceDown at every sink", t.alertToEverySinkSeconds, "Slack, PagerDuty and email sinks; the rule's for: and Alertmanager's group_wait"),
    row("images built and pushed to the local registry", t.imagesSeconds, `${report.images.filter((i) => i.built).length} built from source; binaries cached`),
  ];
}

function stampSeconds(file: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { seconds?: number }).seconds;
  } catch {
    return undefined;
  }
}

/**
 * Each engine build as first made on this machine (its stamp: cold on a fresh CI
 * machine) and again into an empty tools folder on the warm Go caches.
 */
export function buildRows(log: (line: string) => void): Measurement[] {
  const first = {
    "Pulumi CLI + language host": stampSeconds(stampPath(engineModule())),
    "docker provider": stampSeconds(join(dockerProviderDir(), "built.json")),
    "random provider": stampSeconds(join(randomProviderDir(), "built.json")),
  };
  const dir = mkdtempSync(join(tmpdir(), "watchpost-bench-builds-"));
  const previous = process.env.WATCHPOST_TOOLS_DIR;
  process.env.WATCHPOST_TOOLS_DIR = dir;
  const warm: Record<string, number | undefined> = {};
  try {
    for (const [name, build] of [
      ["Pulumi CLI + language host", () => buildEngine(log)],
      ["docker provider", () => buildDockerProvider(log)],
      ["random provider", () => buildRandomProvider(log)],
    ] as const) {
      const started = Date.now();
      build();
      warm[name] = (Date.now() - started) / 1000;
    }
  } finally {
    if (previous === undefined) delete process.env.WATCHPOST_TOOLS_DIR;
    else process.env.WATCHPOST_TOOLS_DIR = previous;
    rmSync(dir, { recursive: true, force: true });
  }
  return Object.keys(first).flatMap((name) => [
    {
      section: "builds",
      name: `${name}: first build here`,
      value: first[name as keyof typeof first],
      unit: "s" as const,
      note: "from its cache stamp; on a fresh CI machine this is the cold build",
    },
    {
      section: "builds",
      name: `${name}: rebuild, warm Go caches`,
      value: warm[name],
      unit: "s" as const,
      note: "into an empty tools folder: module resolution, compile from cache, link",
    },
  ]);
}
