/**
 * Locating the real upstream tools the tests run. Outside CI a missing tool
 * skips the test that needs it; under CI=true it is a failure, never a skip.
 */
import { execFileSync } from "node:child_process";

export const inCI = process.env.CI === "true";

export function findTool(name: string): string | undefined {
  try {
    const path = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
    return path || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Returns the tool's path, or undefined outside CI when it is missing.
 * Under CI=true a missing tool throws, so the suite fails instead of skipping.
 */
export function tool(name: string, debianPackage: string): string | undefined {
  const found = findTool(name);
  if (!found && inCI) {
    throw new Error(`${name} is required under CI=true; install the Debian package '${debianPackage}' (.ci/run does)`);
  }
  return found;
}
