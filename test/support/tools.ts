/**
 * Locating the upstream tools the tests run: Prometheus, Alertmanager and the
 * exporters built from their Go modules at the pinned versions by `npm run
 * tools`. Outside CI a missing tool skips the test that needs it; under
 * CI=true it is a failure, never a skip.
 */
import { builtTool, missingToolHint } from "../../tools/cache";
import { type ToolName, moduleOf, tools } from "../../tools/catalog";

export const inCI = process.env.CI === "true";

/**
 * Returns the built tool's path, or undefined outside CI when it is missing.
 * Under CI=true a missing tool throws, so the suite fails instead of skipping.
 */
export function tool(name: ToolName): string | undefined {
  const found = builtTool(name);
  if (!found && inCI) throw new Error(`${missingToolHint(name)} (.ci/run does)`);
  return found;
}

/** How a test name says which build it runs: "amtool 0.34.0 built from source". */
export function built(name: ToolName): string {
  return `${tools[name].binary} ${moduleOf(name).release} built from source`;
}
