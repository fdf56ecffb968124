/**
 * `npm run drill -- --stack dev [--scenario NAME ...] [--json report.json] [--time-scale 0.0667] [--fast]`
 *
 * Plays the fire drill and prints a table; exits 1 when any scenario missed
 * (a channel not notified or notified wrongly, an inhibition broken, a
 * resolved notification missing, a failover check failed), 2 on bad usage or
 * when the drill could not run at all.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { formatTable } from "./report";
import { runDrill } from "./run";
import { scenarios } from "./scenarios";

const usage = `usage: npm run drill -- --stack <name> [--scenario <name>]... [--json <file>] [--time-scale <factor>] [--fast] [--keep] [--quiet]
scenarios: ${scenarios.map((s) => s.name).join(", ")}
  --time-scale  multiply every timing by this factor (default: the one that makes the scrape interval 1s)
  --fast        --time-scale 1/30: CI-speed, coarser latency ratios
  --keep        keep the temp dir with the configs and data the drill ran`;

/** The flags `npm run drill` accepts. */
function parseDrillArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      stack: { type: "string", default: "dev" },
      scenario: { type: "string", multiple: true },
      json: { type: "string" },
      "time-scale": { type: "string" },
      fast: { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
}

async function main(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parseDrillArgs>["values"];
  try {
    ({ values } = parseDrillArgs(argv));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const timeScale = values["time-scale"] !== undefined ? Number(values["time-scale"]) : values.fast ? 1 / 30 : undefined;
  if (timeScale !== undefined && !(timeScale > 0 && timeScale <= 1)) {
    process.stderr.write(`--time-scale must be a number in (0, 1]; got ${values["time-scale"]}\n`);
    return 2;
  }
  const log = values.quiet ? undefined : (line: string) => process.stderr.write(`[drill ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  try {
    const report = await runDrill({ stack: values.stack as string, scenarios: values.scenario, timeScale, log, keepFiles: values.keep });
    process.stdout.write(formatTable(report));
    if (values.json) {
      writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
      process.stdout.write(`report written to ${values.json}\n`);
    }
    return report.ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`drill failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
