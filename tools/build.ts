/**
 * Builds one tool module with `go` through the module proxy, in a wrapper module
 * of ours: upstream's `replace` and `exclude` directives stop `go install
 * module@version`, so the wrapper repeats them (read from upstream's own go.mod
 * with `go mod edit -json`) and builds the binaries as a dependency.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { binaryPath, moduleDir, readStamp, writeStamp } from "./cache";
import type { ToolModule } from "./catalog";

/** What a build error names: the Go module and version being built. */
export type BuiltModule = Pick<ToolModule, "module" | "moduleVersion">;

export class ToolBuildError extends Error {
  constructor(
    readonly mod: BuiltModule,
    readonly step: string,
    readonly detail: string,
  ) {
    super(`building ${mod.module}@${mod.moduleVersion} failed at ${step}:\n${detail}`);
  }
}

interface GoModJson {
  Go?: string;
  Replace?: Array<{ Old: { Path: string; Version?: string }; New: { Path: string; Version?: string } }>;
  Exclude?: Array<{ Path: string; Version: string }>;
}

export const buildEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  CGO_ENABLED: "0",
  GOFLAGS: "-mod=mod -buildvcs=false",
  GOWORK: "off",
});

/** Runs go in `cwd` with the build environment; a failure throws with go's last output lines. */
export function go(mod: BuiltModule, step: string, args: string[], cwd: string): string {
  const run = spawnSync("go", args, { cwd, env: buildEnv(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new ToolBuildError(mod, step, `could not run go (${run.error.message}); install Go 1.26 or newer`);
  if (run.status !== 0) {
    const tail = `${run.stdout}\n${run.stderr}`.trim().split("\n").slice(-25).join("\n");
    throw new ToolBuildError(mod, step, `go ${args.join(" ")} exited ${run.status}\n${tail}`);
  }
  return run.stdout;
}

/** `-replace` / `-exclude` edits that repeat upstream's directives; local-path replacements cannot be repeated. */
export function wrapperEdits(mod: ToolModule, upstream: GoModJson): string[] {
  const edits: string[] = [];
  for (const r of upstream.Replace ?? []) {
    if (!r.New.Version) {
      throw new ToolBuildError(
        mod,
        "go.mod",
        `upstream replaces ${r.Old.Path} with the local path ${r.New.Path}, which the module zip does not carry; this module needs a hand-made wrapper`,
      );
    }
    const old = r.Old.Version ? `${r.Old.Path}@${r.Old.Version}` : r.Old.Path;
    edits.push(`-replace=${old}=${r.New.Path}@${r.New.Version}`);
  }
  for (const e of upstream.Exclude ?? []) edits.push(`-exclude=${e.Path}@${e.Version}`);
  return edits;
}

/** The `-X` flags upstream's release tooling (promu) sets, so `--version` reports the release. */
export function versionLdflags(mod: ToolModule): string {
  const pkg = "github.com/prometheus/common/version";
  const vars = {
    Version: mod.release,
    Revision: mod.moduleVersion,
    Branch: "module-proxy",
    BuildUser: "watchpost-tools",
    BuildDate: "",
  };
  const extra = Object.entries(mod.versionVariables ?? {}).map(([k, v]) => `-X ${k}=${v}`);
  return ["-s", "-w", ...Object.entries(vars).map(([k, v]) => `-X ${pkg}.${k}=${v}`), ...extra].join(" ");
}

/** The module cache is read-only; the copy must be writable so a rebuild can remove it. */
export function chmodTree(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) chmodTree(path);
    else chmodSync(path, 0o644);
  }
}

export interface BuildResult {
  mod: ToolModule;
  cached: boolean;
  seconds: number;
}

export function buildModule(mod: ToolModule, log: (line: string) => void): BuildResult {
  const stamp = readStamp(mod);
  if (stamp) return { mod, cached: true, seconds: 0 };

  const started = Date.now();
  const dir = moduleDir(mod);
  const src = join(dir, "wrapper");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  log(`building ${mod.module}@${mod.moduleVersion} (${Object.keys(mod.binaries).join(", ")} ${mod.release}) …`);

  const info = JSON.parse(go(mod, "download", ["mod", "download", "-json", `${mod.module}@${mod.moduleVersion}`], src)) as {
    GoMod: string;
    Dir: string;
    Error?: string;
  };
  if (info.Error) throw new ToolBuildError(mod, "download", info.Error);
  const upstream = JSON.parse(go(mod, "go.mod", ["mod", "edit", "-json", info.GoMod], src)) as GoModJson;

  writeFileSync(join(src, "go.mod"), `module watchpost.local/tools/${mod.id}\n\ngo ${upstream.Go ?? "1.24"}\n`);
  const edits = wrapperEdits(mod, upstream);
  if (edits.length > 0) go(mod, "go.mod", ["mod", "edit", ...edits], src);

  const packages = Object.values(mod.binaries).map((p) => (p ? `${mod.module}/${p}` : mod.module));
  go(mod, "resolve", ["get", ...packages.map((p) => `${p}@${mod.moduleVersion}`)], src);

  const buildArgs = ["build", "-trimpath", "-ldflags", versionLdflags(mod)];
  if (mod.embedPlaceholders) {
    // `go build -overlay` may not touch the module cache, so the wrapper builds a
    // copy of the module (replace => ./upstream) and overlays the missing files on it.
    const copy = join(src, "upstream");
    cpSync(info.Dir, copy, { recursive: true });
    chmodTree(copy);
    go(mod, "go.mod", ["mod", "edit", `-replace=${mod.module}=./upstream`], src);
    const replace: Record<string, string> = {};
    mkdirSync(join(src, "overlay"), { recursive: true });
    for (const [inside, content] of Object.entries(mod.embedPlaceholders)) {
      const file = join(src, "overlay", inside.replaceAll("/", "_"));
      writeFileSync(file, content);
      replace[join(copy, inside)] = file;
    }
    writeFileSync(join(src, "overlay.json"), JSON.stringify({ Replace: replace }, null, 2));
    buildArgs.push("-overlay", join(src, "overlay.json"));
  }
  const staging = join(dir, "bin.partial");
  mkdirSync(staging, { recursive: true });
  for (const [binary, pkg] of Object.entries(mod.binaries)) {
    go(mod, `build ${binary}`, [...buildArgs, "-o", join(staging, binary), pkg ? `${mod.module}/${pkg}` : mod.module], src);
  }
  renameSync(staging, join(dir, "bin"));

  const seconds = writeStamp(mod, started, go(mod, "version", ["env", "GOVERSION"], src).trim());
  log(
    `built ${Object.keys(mod.binaries)
      .map((b) => binaryPath(mod, b))
      .join(", ")} in ${seconds} s`,
  );
  return { mod, cached: false, seconds };
}
