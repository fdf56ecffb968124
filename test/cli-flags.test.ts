/**
 * The command-line entry points answer --help, and a wrong flag gets the flag's
 * name and the usage, with exit code 2 and never a stack trace.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "..");
const npm = (script: string, args: string[]) => spawnSync("npm", ["run", "-s", script, "--", ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });

describe.each([
  ["synth", "--stak"],
  ["bench", "--serie"],
  ["e2e", "--jsn"],
])("npm run %s", (script, typo) => {
  it("answers --help with its usage", () => {
    const run = npm(script, ["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`usage: npm run ${script}`);
  });

  it(`refuses ${typo}, naming it, with the usage and no stack trace`, () => {
    const run = npm(script, [typo]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`Unknown option '${typo}'`);
    expect(run.stderr).toContain(`usage: npm run ${script}`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("npm run bench", () => {
  it("refuses an unknown section, listing the sections", () => {
    const run = npm("bench", ["--only", "synth,nope"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--only: unknown section(s) nope; expected some of drill, synth, mocks, scale, deploy");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
