/**
 * Every malformed stack file of the corpus is rejected before anything is
 * written, with its key path, the value, what was expected and the fix; the
 * files that used to crash synth are either rejected that way or synthesized.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../infra/config/validate";
import { synth } from "../../infra/synth";
import { tool } from "../support/tools";
import { type BadStack, badStacks, materialize, toleratedStacks } from "./bad-stacks";

const promtool = tool("promtool");
const work = mkdtempSync(path.join(tmpdir(), "watchpost-bad-stacks-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function rejection(bad: BadStack): { message: string; wrote: boolean } {
  const dir = mkdtempSync(path.join(work, `${bad.name}-`));
  const { stack, file } = materialize(bad, dir);
  const out = path.join(dir, "out");
  try {
    synth(stack, out, file);
  } catch (error) {
    expect(error, `${bad.name} must fail with a ConfigError, not ${(error as Error).name}`).toBeInstanceOf(ConfigError);
    return { message: (error as Error).message, wrote: existsSync(out) };
  }
  throw new Error(`${bad.name}: expected the stack file to be rejected, but synth wrote it`);
}

describe("a malformed stack file", () => {
  for (const bad of badStacks) {
    it(`is rejected before anything is written: ${bad.class} / ${bad.name}`, () => {
      const { message, wrote } = rejection(bad);
      expect(message).toMatch(/^Invalid configuration for stack "[^"]+" \(\d+ problems?\):\n {2}- /);
      for (const words of bad.expect) expect(message).toContain(words);
      expect(wrote).toBe(false);
    });
  }
});

describe("a stack file that used to crash or be refused", () => {
  for (const ok of toleratedStacks) {
    it(`synthesizes: ${ok.name}`, () => {
      const dir = mkdtempSync(path.join(work, `${ok.name}-`));
      const { stack, file } = materialize(ok, dir);
      const result = synth(stack, path.join(dir, "out"), file);
      if (ok.warning) expect(result.warnings.join("\n")).toContain(ok.warning);
      else expect(result.warnings).toEqual([]);
      if (ok.renders) {
        const rendered = path.join(dir, "out", ok.renders.file);
        expect(readFileSync(rendered, "utf8")).toContain(ok.renders.contains);
        if (promtool && rendered.includes("/rules/")) expect(execFileSync(promtool, ["check", "rules", rendered], { encoding: "utf8" })).toMatch(/SUCCESS/);
      }
    });
  }
});

describe("npm run synth on a malformed stack file", () => {
  const cli = (bad: BadStack) => {
    const dir = mkdtempSync(path.join(work, `cli-${bad.name}-`));
    const { stack, file } = materialize(bad, dir);
    return spawnSync(process.execPath, [require.resolve("tsx/cli"), "infra/synth.ts", "--stack", stack, "--file", file, "--out", path.join(dir, "out")], {
      encoding: "utf8",
      cwd: path.resolve(__dirname, "../.."),
    });
  };
  const byName = (name: string) => badStacks.find((b) => b.name === name) as BadStack;

  it.each(["grafana-root-url-with-braces", "yaml-bad-indentation", "file-is-a-list", "promql-rate-without-range"])("exits 1 with the problems and no stack trace: %s", (name) => {
    const r = cli(byName(name));
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^Invalid configuration for stack "dev" \(1 problem\):\n {2}- /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
  });
});
