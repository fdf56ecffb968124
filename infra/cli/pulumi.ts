/**
 * npm run pulumi -- <pulumi command and flags>
 *
 * The Pulumi CLI in the environment `npm run up` prepares (infra/cli/engine.ts):
 * the pinned CLI, the providers, the backend and, for `--stack <name>` on the
 * local backend, that stack's secrets passphrase. For `preview`, `destroy`,
 * `config set --secret`, `stack output`…
 */
import { CliError, prepare, pulumiInherit } from "./engine";

/** The stack a command works on: `--stack <name>`, or the name `stack init|select|rm <name>` takes. */
export function stackOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--stack" || argv[i] === "-s") return argv[i + 1];
    if (argv[i].startsWith("--stack=")) return argv[i].slice("--stack=".length);
  }
  if (argv[0] === "stack" && ["init", "select", "rm", "change-secrets-provider"].includes(argv[1] ?? "")) {
    const name = argv.slice(2).find((a) => !a.startsWith("-"));
    if (name) return name;
  }
  return undefined;
}

function main(argv: string[]): number {
  if (argv.length === 0) throw new CliError("usage: npm run pulumi -- <command> [flags], e.g. npm run pulumi -- preview --stack dev");
  const { env, notes } = prepare(stackOf(argv));
  for (const note of notes) process.stderr.write(`watchpost: ${note}\n`);
  return pulumiInherit(argv, env);
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
    } else throw err;
  }
}
