/**
 * The real promtool on the rendered rule files: `check rules` on every file,
 * and `test rules` on the cases in ./cases, firing and quiet, with full labels
 * and annotations, with promtool built from source at the release the
 * stack deploys (v3: range selectors exclude the window's left edge).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { buildRuleFiles, renderRuleFiles } from "../../components/catalogue";
import { built, tool } from "../support/tools";
import { packCases } from "./cases";
import { allPacksContext } from "./fixtures";
import { promtoolTestFile } from "./promtool";

const run = promisify(execFile);
const promtool = tool("promtool");
const ctx = allPacksContext();
const rendered = renderRuleFiles(ctx);
const files = buildRuleFiles(ctx);

interface Outcome {
  ok: boolean;
  output: string;
}

async function promtoolRun(args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(promtool as string, args, { maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, output: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` || err.message };
  }
}

describe.skipIf(!promtool)(`promtool on the rendered rule files (${built("promtool")})`, () => {
  let dir = "";
  const outcomes = new Map<string, Promise<Outcome>>();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "watchpost-rules-"));
    for (const [name, text] of Object.entries(rendered)) writeFileSync(join(dir, name), text);
    outcomes.set("check", promtoolRun(["check", "rules", ...Object.keys(rendered).map((n) => join(dir, n))]));
    // One process per case set, all started at once: each is independent.
    for (const [name, pack] of Object.entries(packCases)) {
      const path = join(dir, `${name}.test.yml`);
      writeFileSync(path, stringify(promtoolTestFile(files, pack, dir), { lineWidth: 0, aliasDuplicateObjects: false }));
      outcomes.set(name, promtoolRun(["test", "rules", path]));
    }
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("check rules accepts every rendered file", async () => {
    const outcome = await outcomes.get("check");
    expect(outcome?.output).not.toMatch(/FAILED/);
    expect(outcome?.ok, outcome?.output).toBe(true);
  });

  it.each(Object.keys(packCases))("test rules: %s cases pass", async (name) => {
    const outcome = await outcomes.get(name);
    expect(outcome?.ok, outcome?.output).toBe(true);
  });
});
