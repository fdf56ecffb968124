/**
 * Builds the Pulumi resource plugin `pulumi-resource-docker` that @pulumi/docker
 * drives, from Go modules only, the way pulumi-docker itself is made: the
 * upstream Terraform provider (terraform-provider-docker) served through
 * pulumi-terraform-bridge. Pulumi's own provider module is not on the module
 * proxy, so the bridge's ProviderInfo is ours (docker/provider/resources.go).
 *
 *   ${WATCHPOST_TOOLS_DIR ?? ~/.cache/watchpost/tools}/pulumi-resource-docker/<sdk>/
 *     wrapper/                   our Go module: provider/, cmd/, upstream/ (a copy of
 *                                terraform-provider-docker with our shim/ inside it)
 *     bin/pulumi-resource-docker the plugin, schema embedded
 *     bin/schema.json            the same schema, for tests to read
 *     built.json                 written last: its presence makes a second call a no-op
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ToolBuildError, chmodTree, go } from "../../build";
import { cacheRoot } from "../../cache";
import type { ToolModule } from "../../catalog";

/** Every version the build pins, in one place. */
export const dockerProviderVersions = {
  /** The @pulumi/docker release in package.json: the plugin reports it and installs as resource-docker-v<sdk>. */
  sdk: "5.2.0",
  /** Upstream Terraform provider; its go.mod names itself github.com/terraform-providers/terraform-provider-docker. */
  upstreamModule: "github.com/kreuzwerker/terraform-provider-docker",
  upstreamVersion: "v0.0.0-20260916201441-96d331c98ff4",
  upstreamImportPath: "github.com/terraform-providers/terraform-provider-docker",
  bridge: "v3.120.0",
  /** The bridge's own go.mod replaces the plugin SDK with Pulumi's fork; a replace only counts in the main module, so we repeat it. */
  pluginSdkFork: "github.com/pulumi/terraform-plugin-sdk/v2@v2.0.0-20250923233607-7f1981c8674a",
  /**
   * pulumi pkg/sdk: the bridge's own pins (3.218.0), not the CLI's 3.248.0. The
   * bridge's tfgen imports pkg/v3/codegen/dotnet, which pkg dropped after 3.224.0
   * (3.229.0 and 3.248.0 lack it); pkg 3.224.0 does not compile against a newer
   * sdk (lang.InstallDependencies gained a context), and pulumi-yaml 1.19.1, which
   * the bridge needs, does not compile against sdk 3.224.0 (plugin.NewContextWithRoot
   * gained a parameter). The plugin speaks the engine's gRPC protocol, so a CLI
   * 3.248.0 runs it all the same.
   */
  pulumi: "v3.218.0",
  /**
   * The fork's GRPCProviderServer predates terraform-plugin-go 0.31's
   * GenerateResourceConfig, which upstream pulls in through plugin-framework 1.19;
   * framework 1.18.0 is the newest that stays on plugin-go 0.30.0, whose provider
   * interfaces the fork implements.
   */
  pluginGo: "v0.30.0",
  pluginFramework: "v1.18.0",
  /** pulumi pkg's go.mod replace, repeated for the same reason. */
  clipboard: "github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e",
} as const;

const v = dockerProviderVersions;
const wrapperModule = "watchpost.local/tools/pulumi-resource-docker";

/** ToolBuildError names a ToolModule: here, the upstream module the plugin is made from. */
const upstreamTool: ToolModule = {
  id: "pulumi-resource-docker",
  module: v.upstreamModule,
  moduleVersion: v.upstreamVersion,
  release: v.sdk,
  binaries: { "pulumi-resource-docker": "" },
  differs: `built from the upstream Terraform provider through pulumi-terraform-bridge ${v.bridge}, not Pulumi's release binary`,
};

/** Our Go sources, beside this file. */
const sources = join(__dirname, "docker");

export function dockerProviderDir(): string {
  return join(cacheRoot(), "pulumi-resource-docker", v.sdk);
}

export function dockerProviderBinary(): string {
  return join(dockerProviderDir(), "bin", "pulumi-resource-docker");
}

export function dockerProviderSchemaPath(): string {
  return join(dockerProviderDir(), "bin", "schema.json");
}

interface DockerProviderStamp {
  versions: typeof dockerProviderVersions;
  go: string;
  seconds: number;
  builtAt: string;
}

function stampPath(): string {
  return join(dockerProviderDir(), "built.json");
}

/** True when a finished build of these exact versions is in the cache. */
export function dockerProviderBuilt(): boolean {
  if (!existsSync(stampPath()) || !existsSync(dockerProviderBinary()) || !existsSync(dockerProviderSchemaPath())) return false;
  const stamp = JSON.parse(readFileSync(stampPath(), "utf8")) as DockerProviderStamp;
  return JSON.stringify(stamp.versions) === JSON.stringify(dockerProviderVersions);
}

function goMod(goVersion: string): string {
  return `module ${wrapperModule}

go ${goVersion}

require (
	${v.upstreamImportPath} v0.0.0
	github.com/pulumi/pulumi-terraform-bridge/v3 ${v.bridge}
	github.com/pulumi/pulumi/pkg/v3 ${v.pulumi}
	github.com/pulumi/pulumi/sdk/v3 ${v.pulumi}
)

replace ${v.upstreamImportPath} => ./upstream

replace github.com/hashicorp/terraform-plugin-sdk/v2 => ${v.pluginSdkFork.replace("@", " ")}

replace github.com/hashicorp/terraform-plugin-go => github.com/hashicorp/terraform-plugin-go ${v.pluginGo}

replace github.com/hashicorp/terraform-plugin-framework => github.com/hashicorp/terraform-plugin-framework ${v.pluginFramework}

replace github.com/atotto/clipboard => ${v.clipboard.replace("@", " ")}
`;
}

/** Runs the freshly built tfgen; a failure names the step like a go failure does. */
function runTfgen(tfgen: string, providerDir: string, cwd: string): void {
  const args = ["schema", "--out", providerDir, "--skip-docs", "--skip-examples"];
  const run = spawnSync(tfgen, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) {
    const tail = `${run.stdout}\n${run.stderr}`.trim().split("\n").slice(-25).join("\n");
    throw new ToolBuildError(upstreamTool, "tfgen schema", `pulumi-tfgen-docker ${args.join(" ")} exited ${run.status ?? run.signal}\n${tail}`);
  }
}

export interface DockerProviderBuild {
  binary: string;
  cached: boolean;
  seconds: number;
}

export function buildDockerProvider(log: (line: string) => void): DockerProviderBuild {
  if (dockerProviderBuilt()) return { binary: dockerProviderBinary(), cached: true, seconds: 0 };

  const started = Date.now();
  const dir = dockerProviderDir();
  const src = join(dir, "wrapper");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  log(`building pulumi-resource-docker ${v.sdk} from ${v.upstreamModule}@${v.upstreamVersion} with pulumi-terraform-bridge ${v.bridge} …`);

  const info = JSON.parse(go(upstreamTool, "download", ["mod", "download", "-json", `${v.upstreamModule}@${v.upstreamVersion}`], src)) as {
    GoMod: string;
    Dir: string;
    Error?: string;
  };
  if (info.Error) throw new ToolBuildError(upstreamTool, "download", info.Error);
  const upstreamGo = (JSON.parse(go(upstreamTool, "go.mod", ["mod", "edit", "-json", info.GoMod], src)) as { Go?: string }).Go ?? "1.25";

  // internal/provider can only be imported from inside its module: the shim goes into a copy.
  const upstream = join(src, "upstream");
  cpSync(info.Dir, upstream, { recursive: true });
  chmodTree(upstream);
  mkdirSync(join(upstream, "shim"), { recursive: true });
  cpSync(join(sources, "upstream-shim", "shim.go"), join(upstream, "shim", "shim.go"));

  cpSync(join(sources, "provider"), join(src, "provider"), { recursive: true });
  cpSync(join(sources, "cmd"), join(src, "cmd"), { recursive: true });
  // tfgen writes both; the provider package embeds them, so they must exist before it compiles.
  const providerDir = join(src, "provider");
  writeFileSync(join(providerDir, "schema.json"), "{}\n");
  writeFileSync(join(providerDir, "bridge-metadata.json"), "{}\n");
  writeFileSync(join(src, "go.mod"), goMod(upstreamGo));
  go(upstreamTool, "resolve", ["mod", "tidy"], src);

  const ldflags = `-s -w -X ${wrapperModule}/provider.Version=${v.sdk}`;
  const build = ["build", "-trimpath", "-ldflags", ldflags, "-o"];
  const tfgen = join(src, "pulumi-tfgen-docker");
  log("building pulumi-tfgen-docker …");
  go(upstreamTool, "build tfgen", [...build, tfgen, "./cmd/pulumi-tfgen-docker"], src);
  runTfgen(tfgen, providerDir, src);

  log("building pulumi-resource-docker with the schema embedded …");
  const staging = join(dir, "bin.partial");
  mkdirSync(staging, { recursive: true });
  go(upstreamTool, "build pulumi-resource-docker", [...build, join(staging, "pulumi-resource-docker"), "./cmd/pulumi-resource-docker"], src);
  cpSync(join(providerDir, "schema.json"), join(staging, "schema.json"));
  renameSync(staging, join(dir, "bin"));

  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const stamp: DockerProviderStamp = {
    versions: dockerProviderVersions,
    go: go(upstreamTool, "version", ["env", "GOVERSION"], src).trim(),
    seconds,
    builtAt: new Date().toISOString(),
  };
  writeFileSync(stampPath(), `${JSON.stringify(stamp, null, 2)}\n`);
  log(`built ${dockerProviderBinary()} in ${seconds} s`);
  return { binary: dockerProviderBinary(), cached: false, seconds };
}
