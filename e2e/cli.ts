/**
 * npm run e2e [-- --json FILE] [--keep]
 *
 * Deploys the dev stack with the real Pulumi engine on a Docker engine of its
 * own and checks what it does (e2e/run.ts). Needs root (it starts dockerd) and
 * `npm run tools` (the engine, providers and tools built from source).
 */
import { parseArgs } from "node:util";
import { e2e } from "./run";

const usage = "usage: npm run e2e [-- --json FILE] [--keep]\n  --json FILE  write the findings and timings as JSON\n  --keep       keep the project copy and the command log";

async function main(argv: string[]): Promise<number> {
  let values: { json?: string; keep?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { json: { type: "string" }, keep: { type: "boolean" }, help: { type: "boolean", short: "h" } } }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const report = await e2e({ json: values.json, keep: values.keep, log });
  const failed = report.findings.filter((f) => !f.ok);
  log(`\ne2e: ${report.findings.length - failed.length} of ${report.findings.length} checks passed`);
  for (const [k, v] of Object.entries(report.timings)) log(`  ${k}: ${v.toFixed(1)}`);
  if (report.notStarted.length > 0) log(`  not started (images not built here): ${report.notStarted.join(", ")}`);
  for (const n of report.notChecked) log(`  not checked [${n.step}] ${n.check}: ${n.why}`);
  for (const f of failed) log(`FAIL [${f.step}] ${f.check}: ${f.detail}`);
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  },
);
