/**
 * Where built tools live: one folder per module and version, so a version bump
 * builds anew and a second run finds the first run's binaries.
 *
 *   $WATCHPOST_TOOLS_DIR (default ~/.cache/watchpost/tools)/<module id>/<module version>/bin/<binary>
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { type ToolModule, type ToolName, moduleOf, tools } from "./catalog";

export function cacheRoot(): string {
  return process.env.WATCHPOST_TOOLS_DIR ?? join(homedir(), ".cache", "watchpost", "tools");
}

export function moduleDir(mod: ToolModule): string {
  return join(cacheRoot(), mod.id, mod.moduleVersion);
}

export function binaryPath(mod: ToolModule, binary: string): string {
  return join(moduleDir(mod), "bin", binary);
}

/** Written last by a successful build; its presence with every binary means "cached". */
export function stampPath(mod: ToolModule): string {
  return join(moduleDir(mod), "built.json");
}

export interface BuildStamp {
  module: string;
  moduleVersion: string;
  release: string;
  go: string;
  seconds: number;
  builtAt: string;
}

/**
 * Writes the stamp of a finished build, last, so its presence means "cached"; `extra` adds
 * what else decides whether the build is current (a source hash). Returns the build's seconds.
 */
export function writeStamp(mod: ToolModule, started: number, goVersion: string, extra: Record<string, string> = {}): number {
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const stamp: BuildStamp = {
    module: mod.module,
    moduleVersion: mod.moduleVersion,
    release: mod.release,
    go: goVersion,
    seconds,
    builtAt: new Date().toISOString(),
  };
  writeFileSync(stampPath(mod), `${JSON.stringify({ ...stamp, ...extra }, null, 2)}\n`);
  return seconds;
}

export function readStamp(mod: ToolModule): BuildStamp | undefined {
  const file = stampPath(mod);
  if (!existsSync(file)) return undefined;
  const stamp = JSON.parse(readFileSync(file, "utf8")) as BuildStamp;
  const complete = Object.keys(mod.binaries).every((b) => existsSync(binaryPath(mod, b)));
  return complete && stamp.moduleVersion === mod.moduleVersion ? stamp : undefined;
}

/** The built binary of one tool, or undefined when `npm run tools` has not built it yet. */
export function builtTool(name: ToolName): string | undefined {
  const mod = moduleOf(name);
  return readStamp(mod) ? binaryPath(mod, tools[name].binary) : undefined;
}

/** What to tell someone whose tool is missing. */
export function missingToolHint(name: ToolName): string {
  const mod = moduleOf(name);
  return `${tools[name].binary} ${mod.release} (${mod.module}@${mod.moduleVersion}) is not built; run: npm run tools`;
}
