/**
 * The go-jmespath evaluator (tools/jmespath.ts) for tests: built on first use
 * through the Go module proxy and cached with the other tools. Outside CI a
 * machine without Go skips the tests that need it; under CI=true a failed
 * build is a failure, never a skip.
 */
import { spawnSync } from "node:child_process";
import { buildJmespath, builtJmespath, evaluateJmespath, jmespathModule } from "../../tools/jmespath";
import { inCI } from "./tools";

/** Path of the built evaluator, building it if needed; undefined outside CI where Go is missing. */
export function jmespathEvaluator(): string | undefined {
  const cached = builtJmespath();
  if (cached) return cached;
  const hasGo = spawnSync("go", ["version"], { encoding: "utf8" }).status === 0;
  if (!hasGo && !inCI) return undefined;
  return buildJmespath((line) => process.stderr.write(`${line}\n`));
}

/** How a test name says what evaluates: "go-jmespath 0.4.0 (Grafana's JMESPath)". */
export const jmespathBuild = `go-jmespath ${jmespathModule.release} (the JMESPath library Grafana evaluates with)`;

export { evaluateJmespath };
