/**
 * `npm run synth -- --stack dev --out out/dev`: writes every configuration file
 * the stack would deploy, straight from Pulumi.<stack>.yaml — no Pulumi CLI,
 * cloud or Docker. Secrets appear only as file paths.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { readStackFile, stackFilePath } from "./config/load";
import { ConfigError, parseStackConfig } from "./config/validate";
import { planStack, type StackPlan } from "./plan";

export interface SynthResult {
  plan: StackPlan;
  warnings: string[];
  files: string[];
}

/** Plans a stack from its file and writes the artifacts under `outDir` (emptied first). */
export function synth(stack: string, outDir: string, stackFile = stackFilePath(stack)): SynthResult {
  const { config, warnings } = parseStackConfig(stack, readStackFile(stackFile));
  const plan = planStack(config);
  rmSync(outDir, { recursive: true, force: true });
  const files = Object.keys(plan.artifacts).sort();
  for (const file of files) {
    const target = path.join(outDir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, plan.artifacts[file]);
  }
  return { plan, warnings, files };
}

const usage = `usage: npm run synth -- [--stack <name>] [--out <dir>] [--file <Pulumi.<name>.yaml>]
  Writes every configuration file the stack would deploy, checked, without Pulumi, cloud or Docker.
  --stack  the stack (default dev): reads Pulumi.<stack>.yaml
  --out    where to write (default out/<stack>; emptied first)
  --file   another stack file to read instead`;

function main(argv: string[]): number {
  let values: { stack?: string; out?: string; file?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { stack: { type: "string", default: "dev" }, out: { type: "string" }, file: { type: "string" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    // Node's message names the flag ("Unknown option '--stak'"); the usage says what is accepted.
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const stack = values.stack as string;
  const out = values.out ?? path.join("out", stack);
  try {
    const result = synth(stack, out, values.file);
    for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(`${result.files.length} files written to ${out} for stack ${stack} (${result.plan.config.platform})\n`);
    process.stdout.write(`prometheus storage: ${result.plan.storage.explanation}\n`);
    return 0;
  } catch (error) {
    // A user's mistake is told as the list of problems, never as a stack trace.
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
