/**
 * The upstream binaries the drill runs: Prometheus, Alertmanager and the node
 * and blackbox exporters built from their Go modules at the pinned versions by
 * `npm run tools`. A missing one is an error that says how to build it.
 */
import { builtTool, missingToolHint } from "../tools/cache";
import { type ToolName, tools as catalog } from "../tools/catalog";

export type Tools = Record<ToolName, string>;

export function findTools(): Tools {
  const found: Partial<Tools> = {};
  const missing: string[] = [];
  for (const name of Object.keys(catalog) as ToolName[]) {
    const path = builtTool(name);
    if (path) found[name] = path;
    else missing.push(missingToolHint(name));
  }
  if (missing.length > 0) throw new Error(`the drill needs the tools built at the pinned versions:\n  ${missing.join("\n  ")}`);
  return found as Tools;
}
