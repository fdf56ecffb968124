/**
 * A JMESPath evaluator of ours (tools/jmespath/main.go) built against
 * github.com/jmespath/go-jmespath, the library Grafana evaluates
 * `role_attribute_path` with: the role mapping is tested with Grafana's own
 * reading of JMESPath, not a JavaScript one that may differ at the edges.
 *
 *   <tools cache>/jmespath/v<version>/bin/jmespath
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { go } from "./build";
import { binaryPath, moduleDir, readStamp, stampPath, writeStamp } from "./cache";
import type { ToolModule } from "./catalog";

export const jmespathModule: ToolModule = {
  id: "jmespath",
  module: "github.com/jmespath/go-jmespath",
  moduleVersion: "v0.4.0",
  release: "0.4.0",
  binaries: { jmespath: "" },
  differs: "a command of Watchpost's own around the library (tools/jmespath/main.go)",
};

const source = join(__dirname, "jmespath", "main.go");

/** The command is ours: a change to its source is a new build, as a version bump is. */
export function jmespathSourceHash(): string {
  return createHash("sha256").update(readFileSync(source)).digest("hex").slice(0, 16);
}

function current(): boolean {
  if (!readStamp(jmespathModule)) return false;
  const stamp = JSON.parse(readFileSync(stampPath(jmespathModule), "utf8")) as { source?: string };
  return stamp.source === jmespathSourceHash() && existsSync(binaryPath(jmespathModule, "jmespath"));
}

/** The built evaluator, or undefined before a build. */
export function builtJmespath(): string | undefined {
  return current() ? binaryPath(jmespathModule, "jmespath") : undefined;
}

/** Builds the evaluator through the Go module proxy unless the cache holds the current build; returns its path. */
export function buildJmespath(log: (line: string) => void): string {
  const mod = jmespathModule;
  const binary = binaryPath(mod, "jmespath");
  if (current()) return binary;
  const started = Date.now();
  const dir = moduleDir(mod);
  const src = join(dir, "wrapper");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  log(`building a JMESPath evaluator on ${mod.module}@${mod.moduleVersion} …`);
  writeFileSync(join(src, "go.mod"), "module watchpost.local/tools/jmespath\n\ngo 1.24\n");
  copyFileSync(source, join(src, "main.go"));
  go(mod, "resolve", ["get", `${mod.module}@${mod.moduleVersion}`], src);
  const staging = join(dir, "bin.partial");
  mkdirSync(staging, { recursive: true });
  go(mod, "build jmespath", ["build", "-trimpath", "-ldflags", "-s -w", "-o", join(staging, "jmespath"), "."], src);
  renameSync(staging, join(dir, "bin"));
  const seconds = writeStamp(mod, started, go(mod, "version", ["env", "GOVERSION"], src).trim(), { source: jmespathSourceHash() });
  log(`built ${binary} in ${seconds} s`);
  return binary;
}

export class JmespathCompileError extends Error {}

/** Evaluates `expression` against each document with the built evaluator; an evaluation error comes back as `{ error }`. */
export function evaluateJmespath(binary: string, expression: string, documents: unknown[]): unknown[] {
  const run = spawnSync(binary, [], { input: JSON.stringify({ expression, documents }), encoding: "utf8" });
  if (run.error) throw run.error;
  if (run.status === 2) throw new JmespathCompileError(run.stderr.trim());
  if (run.status !== 0) throw new Error(`jmespath exited ${run.status}: ${run.stderr.trim()}`);
  return (JSON.parse(run.stdout) as { results: unknown[] }).results;
}
