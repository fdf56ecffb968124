/**
 * What the end-to-end support tests need: root, Debian's dockerd and busybox-static,
 * and the binaries built from source (`npm run tools`, `npm run e2e:images -- --binaries`).
 * Outside CI a missing piece skips the test that needs it; under CI=true it is a
 * failure, never a skip — as test/support/tools.ts does for the tools.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readStamp } from "../../tools/cache";
import type { ToolModule } from "../../tools/catalog";
import { registryModule } from "../../e2e/images/catalog";
import { inCI } from "./tools";

/** Why a Docker engine of the tests' own cannot start here, or undefined when it can. */
export function engineMissing(): string | undefined {
  if (process.getuid?.() !== 0) return "dockerd needs root; run the tests as root";
  if (spawnSync("dockerd", ["--version"]).status !== 0) return "no dockerd; apt-get install docker.io (.ci/run does)";
  if (spawnSync("docker", ["--version"]).status !== 0) return "no docker client";
  if (!existsSync("/usr/bin/busybox")) return "no /usr/bin/busybox; apt-get install busybox-static (.ci/run does)";
  return undefined;
}

/** Why a module's binaries are not in the tools cache, or undefined when they are. */
export function binariesMissing(mod: ToolModule): string | undefined {
  return readStamp(mod) ? undefined : `${mod.module}@${mod.moduleVersion} is not built; run: npm run e2e:images -- --binaries`;
}

/**
 * True when every requirement holds; false (skip) outside CI when one is missing;
 * under CI=true a missing requirement throws.
 */
export function ready(...missing: Array<string | undefined>): boolean {
  const reasons = missing.filter((m): m is string => m !== undefined);
  if (reasons.length > 0 && inCI) throw new Error(`e2e support: ${reasons.join("; ")}`);
  return reasons.length === 0;
}

export const registryMissing = () => binariesMissing(registryModule);
