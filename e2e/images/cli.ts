/**
 * npm run e2e:images -- --registry host:port [--docker-host unix:///…] [--only a,b] [--json FILE]
 * npm run e2e:images -- --binaries     only build (or find cached) the binaries the images and tests need
 *
 * Builds every image that can be built from source and pushes it to the registry,
 * then prints image → built / not built (with the reason) and the time taken.
 * Without --docker-host it builds on a temporary engine of its own (e2e/docker-engine.ts),
 * so a developer's engine is left as it was.
 */
import { writeFileSync } from "node:fs";
import { type ImageName, images } from "../../model/versions";
import { mirrorProblem } from "../../components/platform/mirror";
import { startDockerEngine } from "../docker-engine";
import { buildModule } from "../../tools/build";
import { type ImageBuildResult, buildImages } from "./build";
import { registryModule } from "./catalog";
import { buildCollector, collectorModule } from "./collector";
import { recipes } from "./recipes";

const usage = `usage: npm run e2e:images -- --registry host:port [--docker-host unix:///path/docker.sock] [--only prometheus,alertmanager] [--json FILE]
       npm run e2e:images -- --binaries`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

export function parseArgs(argv: string[]): { registry: string; dockerHost?: string; only?: ImageName[]; json?: string } | { binaries: true } {
  if (argv.length === 1 && argv[0] === "--binaries") return { binaries: true };
  const known = ["--registry", "--docker-host", "--only", "--json"];
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    if (!known.includes(arg)) fail(`unknown argument ${JSON.stringify(arg)}`);
    const value = argv[++i];
    if (value === undefined || value.startsWith("--")) fail(`${arg} needs a value`);
    values[arg] = value;
  }
  const registry = values["--registry"];
  if (!registry) fail("--registry is required");
  const problem = mirrorProblem(registry);
  if (problem) fail(`--registry '${registry}': ${problem}`);
  const only = values["--only"]?.split(",").map((s) => s.trim());
  const unknown = only?.filter((n) => !(n in images));
  if (unknown?.length) fail(`--only: no image ${unknown.join(", ")}; images: ${Object.keys(images).join(", ")}`);
  return { registry, dockerHost: values["--docker-host"], only: only as ImageName[] | undefined, json: values["--json"] };
}

export function formatTable(results: ImageBuildResult[]): string {
  const rows = results.map((r) => [
    r.name,
    r.built ? "built" : "not built",
    r.built || r.seconds > 0 ? `${r.seconds.toFixed(1)} s` : "",
    r.built ? `${r.ref}${r.note ? ` (${r.note})` : ""}` : (r.reason ?? ""),
  ]);
  const header = ["image", "state", "time", "reference / reason"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.slice().map((r) => (i < 3 ? r[i].length : 0))));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

/** Every module the images and the e2e support tests need, built or found in the cache; stops at the first failure. */
function buildBinaries(log: (line: string) => void): void {
  const started = Date.now();
  for (const mod of [registryModule, ...new Set(recipes.filter((r) => !r.onRequest).map((r) => r.module))]) {
    const result = mod === collectorModule ? buildCollector(log) : buildModule(mod, log);
    if (result.cached) log(`${mod.id} ${mod.release}: cached`);
  }
  log(`e2e binaries ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const args = parseArgs(process.argv.slice(2));
  if ("binaries" in args) return buildBinaries(log);
  const started = Date.now();
  const engine = args.dockerHost ? undefined : await startDockerEngine({ log });
  let results: ImageBuildResult[];
  try {
    results = await buildImages({ registry: args.registry, dockerHost: args.dockerHost ?? (engine?.host as string), log, only: args.only });
  } finally {
    await engine?.stop();
  }
  const total = Math.round((Date.now() - started) / 100) / 10;
  process.stdout.write(`${formatTable(results)}\n\n${results.filter((r) => r.built).length} built, ${results.filter((r) => !r.built).length} not built, in ${total} s\n`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ registry: args.registry, seconds: total, images: results }, null, 2)}\n`);
  const failed = results.filter((r) => r.reason?.startsWith("build failed"));
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
