/**
 * Builds pulumi-resource-random, the provider plugin the npm SDK @pulumi/random
 * drives, from Go modules only, the way pulumi-random itself is made: the
 * Terraform bridge over upstream's Terraform provider. Pulumi's own
 * pulumi-random modules are not on the module proxy, so the wrapper module holds
 * our equivalents (random/: ProviderInfo, tfgen and provider mains).
 *
 * Upstream is a Plugin Framework provider in `internal/provider`, which only a
 * package of its own module may import; the wrapper therefore builds a copy of
 * the module (replace => ./upstream) with our one-function shim package added.
 *
 *   $WATCHPOST_TOOLS_DIR (default ~/.cache/watchpost/tools)/pulumi-resource-random/4.21.2/
 *     wrapper/            go.mod, info/, cmd/, upstream/ (+ shim/)
 *     bin/                pulumi-resource-random, pulumi-tfgen-random, schema.json
 *     built.json          written last: its presence means "cached"
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BuiltModule, ToolBuildError, chmodTree, go } from "../../build";
import { cacheRoot } from "../../cache";

export const randomProviderVersions = {
  /** The @pulumi/random release whose SDK we serve; the plugin reports it and is installed under it. */
  release: "4.21.2",
  /** Upstream Terraform provider: the proxy's path, and the path its go.mod declares. */
  upstream: {
    module: "github.com/hashicorp/terraform-provider-random",
    declaredAs: "github.com/terraform-providers/terraform-provider-random",
    version: "v1.3.2-0.20260824155315-e1092b0cfc07",
  },
  bridge: "github.com/pulumi/pulumi-terraform-bridge/v3@v3.120.0",
  /**
   * The bridge's own pin, v3.218.0, not the CLI's 3.248.0: the bridge's tfgen (which
   * pf's tfbridge imports) uses pkg/v3/codegen/dotnet, gone from pkg before v3.229.0,
   * and the pulumi-yaml v1.19.1 it requires calls plugin.NewContextWithRoot with the
   * arguments of pkg before v3.224.0. The plugin speaks the engine's gRPC protocol,
   * so a 3.248.0 CLI drives it all the same.
   */
  pulumiPkg: "github.com/pulumi/pulumi/pkg/v3@v3.218.0",
  pulumiSdk: "github.com/pulumi/pulumi/sdk/v3@v3.218.0",
  replaces: {
    /** The bridge's own go.mod replace, repeated: replaces do not travel to dependents. */
    "github.com/hashicorp/terraform-plugin-sdk/v2": "github.com/pulumi/terraform-plugin-sdk/v2@v2.0.0-20250923233607-7f1981c8674a",
    /** Needed by Pulumi's pkg. */
    "github.com/atotto/clipboard": "github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e",
    /**
     * Upstream asks for terraform-plugin-go v0.31.0, whose tfprotov5.ProviderServer
     * adds GenerateResourceConfig, which the bridge's terraform-plugin-sdk fork above
     * lacks; v0.30.0 is the newest without it, and framework v1.18.0 the newest
     * framework built on v0.30.0. Upstream compiles against both unchanged.
     */
    "github.com/hashicorp/terraform-plugin-go": "github.com/hashicorp/terraform-plugin-go@v0.30.0",
    "github.com/hashicorp/terraform-plugin-framework": "github.com/hashicorp/terraform-plugin-framework@v1.18.0",
  },
} as const;

const v = randomProviderVersions;
const mod: BuiltModule = { module: v.upstream.module, moduleVersion: v.upstream.version };
/** Our Go sources, copied into the wrapper as they are laid out here. */
const sources = join(__dirname, "random");

export interface RandomProviderStamp {
  versions: typeof randomProviderVersions;
  go: string;
  seconds: number;
  builtAt: string;
}

export function randomProviderDir(): string {
  return join(cacheRoot(), "pulumi-resource-random", v.release);
}

export function randomProviderBinary(): string {
  return join(randomProviderDir(), "bin", "pulumi-resource-random");
}

/** The stamp of a complete build of these versions, or undefined. */
export function readRandomProviderStamp(): RandomProviderStamp | undefined {
  const file = join(randomProviderDir(), "built.json");
  if (!existsSync(file) || !existsSync(randomProviderBinary())) return undefined;
  const stamp = JSON.parse(readFileSync(file, "utf8")) as RandomProviderStamp;
  return JSON.stringify(stamp.versions) === JSON.stringify(v) ? stamp : undefined;
}

function runTfgen(tfgen: string, outDir: string, cwd: string): void {
  // Docs and examples only feed descriptions, which the published @pulumi/random SDK already has;
  // skipping them keeps tfgen from looking for upstream's docs and for HCL converter plugins.
  const args = ["schema", "--skip-docs", "--skip-examples", "--out", outDir];
  const run = spawnSync(tfgen, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error || run.status !== 0) {
    const tail = `${run.stdout ?? ""}\n${run.stderr ?? ""}`.trim().split("\n").slice(-25).join("\n");
    throw new ToolBuildError(mod, "tfgen", `pulumi-tfgen-random ${args.join(" ")} ${run.error ? `could not run (${run.error.message})` : `exited ${run.status}`}\n${tail}`);
  }
}

export function buildRandomProvider(log: (line: string) => void): { binary: string; cached: boolean; seconds: number } {
  if (readRandomProviderStamp()) return { binary: randomProviderBinary(), cached: true, seconds: 0 };

  const started = Date.now();
  const dir = randomProviderDir();
  const wrapper = join(dir, "wrapper");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(wrapper, { recursive: true });
  log(`building pulumi-resource-random ${v.release} from ${v.upstream.module}@${v.upstream.version} through ${v.bridge} …`);

  const info = JSON.parse(go(mod, "download", ["mod", "download", "-json", `${v.upstream.module}@${v.upstream.version}`], wrapper)) as {
    Dir: string;
    GoMod: string;
    Error?: string;
  };
  if (info.Error) throw new ToolBuildError(mod, "download", info.Error);
  const upstreamGo = (JSON.parse(go(mod, "go.mod", ["mod", "edit", "-json", info.GoMod], wrapper)) as { Go?: string }).Go ?? "1.25";

  const upstream = join(wrapper, "upstream");
  cpSync(info.Dir, upstream, { recursive: true });
  chmodTree(upstream);
  mkdirSync(join(upstream, "shim"));
  cpSync(join(sources, "shim", "shim.go"), join(upstream, "shim", "shim.go"));
  cpSync(join(sources, "info"), join(wrapper, "info"), { recursive: true });
  cpSync(join(sources, "cmd"), join(wrapper, "cmd"), { recursive: true });

  const providerCmd = join(wrapper, "cmd", "pulumi-resource-random");
  // tfgen imports the ProviderInfo package but not the provider main; these only let `go mod tidy` see valid embeds.
  writeFileSync(join(providerCmd, "schema.json"), "{}\n");
  writeFileSync(join(providerCmd, "bridge-metadata.json"), "{}\n");

  writeFileSync(join(wrapper, "go.mod"), `module watchpost.local/providers/random\n\ngo ${upstreamGo}\n`);
  const replaces = Object.entries(v.replaces).map(([old, target]) => `-replace=${old}=${target}`);
  go(mod, "go.mod", ["mod", "edit", `-require=${v.upstream.declaredAs}@v0.0.0`, `-replace=${v.upstream.declaredAs}=./upstream`, ...replaces], wrapper);
  go(mod, "resolve", ["get", v.bridge, v.pulumiPkg, v.pulumiSdk], wrapper);
  go(mod, "tidy", ["mod", "tidy"], wrapper);

  const staging = join(dir, "bin.partial");
  mkdirSync(staging, { recursive: true });
  const ldflags = `-s -w -X main.version=${v.release}`;
  const tfgen = join(staging, "pulumi-tfgen-random");
  go(mod, "build pulumi-tfgen-random", ["build", "-trimpath", "-ldflags", ldflags, "-o", tfgen, "./cmd/pulumi-tfgen-random"], wrapper);
  log("generating the Pulumi schema with pulumi-tfgen-random …");
  runTfgen(tfgen, providerCmd, wrapper);

  // tfgen leaves the version out so a checked-in schema stays stable; the embedded one should name the release.
  const schemaFile = join(providerCmd, "schema.json");
  const schema = JSON.parse(readFileSync(schemaFile, "utf8")) as Record<string, unknown>;
  writeFileSync(schemaFile, `${JSON.stringify({ ...schema, version: v.release }, null, 2)}\n`);
  go(mod, "build pulumi-resource-random", ["build", "-trimpath", "-ldflags", ldflags, "-o", join(staging, "pulumi-resource-random"), "./cmd/pulumi-resource-random"], wrapper);
  cpSync(schemaFile, join(staging, "schema.json"));
  renameSync(staging, join(dir, "bin"));

  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const stamp: RandomProviderStamp = {
    versions: v,
    go: go(mod, "version", ["env", "GOVERSION"], wrapper).trim(),
    seconds,
    builtAt: new Date().toISOString(),
  };
  writeFileSync(join(dir, "built.json"), `${JSON.stringify(stamp, null, 2)}\n`);
  log(`built ${randomProviderBinary()} in ${seconds} s`);
  return { binary: randomProviderBinary(), cached: false, seconds };
}
