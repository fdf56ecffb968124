/**
 * npm run up -- --stack <name> [pulumi up flags]
 *
 * Brings a stack up: prepares the Pulumi CLI, its plugins, backend and secrets
 * passphrase (infra/cli/engine.ts), checks the stack's configuration before any
 * resource is touched, selects the stack (creating it when missing) and runs
 * `pulumi up` with the remaining flags (`--yes`, `--target`, `--skip-preview`…).
 */
import { readStackFile, stackFilePath } from "../config/load";
import { ConfigError, parseStackConfig } from "../config/validate";
import { CliError, prepare, projectRoot, pulumiInherit, selectOrCreateStack, stackFileExists } from "./engine";

const usage = `usage: npm run up -- --stack <name> [pulumi up flags, e.g. --yes]
  Brings the stack described by Pulumi.<name>.yaml up with the Pulumi CLI.
  Not logged in to a Pulumi backend: the local one is used, with a generated secrets passphrase.`;

export function parseUpArgs(argv: string[]): { stack: string; rest: string[] } | { help: true } {
  if (argv.includes("--help") || argv.includes("-h")) return { help: true };
  const rest: string[] = [];
  let stack: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--stack" || arg === "-s") {
      stack = argv[++i];
      if (!stack || stack.startsWith("-")) throw new CliError(`--stack needs a stack name, such as dev\n${usage}`);
    } else if (arg.startsWith("--stack=")) stack = arg.slice("--stack=".length);
    else rest.push(arg);
  }
  if (!stack) throw new CliError(`--stack is required (the stack files here: Pulumi.dev.yaml, Pulumi.prod.yaml)\n${usage}`);
  return { stack, rest };
}

function main(argv: string[]): number {
  const parsed = parseUpArgs(argv);
  if ("help" in parsed) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const { stack, rest } = parsed;
  if (!stackFileExists(stack)) throw new CliError(`Pulumi.${stack}.yaml does not exist in ${projectRoot}; copy Pulumi.dev.yaml to start a stack named ${stack}`);
  // Bad configuration stops here, before the CLI or any resource is touched.
  const { warnings } = parseStackConfig(stack, readStackFile(stackFilePath(stack)));
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);

  const { env, notes } = prepare(stack);
  for (const note of notes) process.stderr.write(`watchpost: ${note}\n`);
  selectOrCreateStack(stack, env);
  return pulumiInherit(["up", "--stack", stack, ...rest], env);
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CliError || err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
    } else throw err;
  }
}
