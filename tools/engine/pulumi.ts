/**
 * The Pulumi engine Watchpost's program runs on, built from Go modules: the
 * Pulumi CLI at the version of `@pulumi/pulumi` in package.json, a Node.js
 * language host of ours (tools/engine/language-host) built against the same
 * SDK, since upstream's host module is not served by the module proxy, and a
 * Python language host of ours (tools/engine/python-host) for `pulumi package
 * add` of the component provider into Python projects, for the same reason.
 *
 *   <tools cache>/pulumi/v<version>/bin/pulumi
 *   <tools cache>/pulumi/v<version>/bin/pulumi-language-nodejs
 *   <tools cache>/pulumi/v<version>/bin/pulumi-language-python
 *
 * All three are built in one wrapper module, so they share one resolution of Pulumi's
 * dependency graph; Pulumi's `pkg` module needs one `replace` its own go.mod
 * carries (a fork of the clipboard package), repeated here.
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { binaryPath, moduleDir, readStamp, stampPath, writeStamp } from "../cache";
import { go } from "../build";
import type { ToolModule } from "../catalog";

const root = resolve(__dirname, "..", "..");

/**
 * The `@pulumi/pulumi` version package.json pins for the project's own use (devDependencies; consumers
 * meet it as a peer dependency range): the CLI and the host are built at it.
 */
export function sdkVersion(): string {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { devDependencies?: Record<string, string> };
  const version = pkg.devDependencies?.["@pulumi/pulumi"];
  if (version === undefined || !/^\d+\.\d+\.\d+$/.test(version))
    throw new Error(`package.json: devDependencies["@pulumi/pulumi"] is "${version}"; expected an exact version such as 3.248.0, so the engine can be built at it`);
  return version;
}

/** Pulumi's own go.mod replaces atotto/clipboard with this fork; `go get` of pkg/v3 needs it repeated. */
export const pulumiReplaces = ["github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e"];

export const languageHostBinary = "pulumi-language-nodejs";
export const pythonHostBinary = "pulumi-language-python";

export function engineModule(): ToolModule {
  const release = sdkVersion();
  return {
    id: "pulumi",
    module: "github.com/pulumi/pulumi/pkg/v3",
    moduleVersion: `v${release}`,
    release,
    binaries: { pulumi: "cmd/pulumi", [languageHostBinary]: "", [pythonHostBinary]: "" },
    differs: "the CLI is built from its Go module; the Node.js and Python language hosts are Watchpost's own (upstream's modules are not served)",
  };
}

const hostSource = join(__dirname, "language-host", "main.go");
const pythonHostSource = join(__dirname, "python-host", "main.go");
/** What the two hosts share (serving, handshake): package hostrpc of the wrapper module. */
const sharedHostSource = join(__dirname, "hostrpc", "hostrpc.go");

/** The language hosts are ours: a change to their source is a new build, as a version bump is. */
export function hostSourceHash(): string {
  const hash = createHash("sha256");
  for (const file of [hostSource, pythonHostSource, sharedHostSource]) hash.update(readFileSync(file));
  return hash.digest("hex").slice(0, 16);
}

function currentStamp(mod: ToolModule): boolean {
  if (!readStamp(mod)) return false;
  const stamp = JSON.parse(readFileSync(stampPath(mod), "utf8")) as { hostSource?: string };
  return stamp.hostSource === hostSourceHash() && existsSync(binaryPath(mod, languageHostBinary)) && existsSync(binaryPath(mod, pythonHostBinary));
}

export interface EngineBinaries {
  pulumi: string;
  languageHost: string;
  pythonHost: string;
}

/** The built CLI and language host, or undefined before `npm run tools` built them. */
export function builtEngine(): EngineBinaries | undefined {
  const mod = engineModule();
  if (!currentStamp(mod)) return undefined;
  return { pulumi: binaryPath(mod, "pulumi"), languageHost: binaryPath(mod, languageHostBinary), pythonHost: binaryPath(mod, pythonHostBinary) };
}

export function buildEngine(log: (line: string) => void): { cached: boolean; seconds: number } {
  const mod = engineModule();
  if (currentStamp(mod)) return { cached: true, seconds: 0 };
  const started = Date.now();
  const dir = moduleDir(mod);
  const src = join(dir, "wrapper");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(src, "langhost"), { recursive: true });
  mkdirSync(join(src, "pythonhost"), { recursive: true });
  mkdirSync(join(src, "hostrpc"), { recursive: true });
  log(`building the Pulumi CLI ${mod.release} (${mod.module}) and Watchpost's Node.js and Python language hosts …`);

  writeFileSync(join(src, "go.mod"), "module watchpost.local/tools/pulumi\n\ngo 1.25\n");
  copyFileSync(hostSource, join(src, "langhost", "main.go"));
  copyFileSync(pythonHostSource, join(src, "pythonhost", "main.go"));
  copyFileSync(sharedHostSource, join(src, "hostrpc", "hostrpc.go"));
  go(mod, "go.mod", ["mod", "edit", ...pulumiReplaces.map((r) => `-replace=${r}`)], src);
  go(mod, "resolve", ["get", `${mod.module}/cmd/pulumi@${mod.moduleVersion}`, `github.com/pulumi/pulumi/sdk/v3@${mod.moduleVersion}`], src);

  const staging = join(dir, "bin.partial");
  mkdirSync(staging, { recursive: true });
  const cliVersion = `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${mod.release}`;
  go(mod, "build pulumi", ["build", "-trimpath", "-ldflags", `-s -w ${cliVersion}`, "-o", join(staging, "pulumi"), `${mod.module}/cmd/pulumi`], src);
  go(mod, `build ${languageHostBinary}`, ["build", "-trimpath", "-ldflags", `-s -w -X main.version=${mod.release}`, "-o", join(staging, languageHostBinary), "./langhost"], src);
  go(mod, `build ${pythonHostBinary}`, ["build", "-trimpath", "-ldflags", `-s -w -X main.version=${mod.release}`, "-o", join(staging, pythonHostBinary), "./pythonhost"], src);
  renameSync(staging, join(dir, "bin"));

  const seconds = writeStamp(mod, started, go(mod, "version", ["env", "GOVERSION"], src).trim(), { hostSource: hostSourceHash() });
  log(`built ${binaryPath(mod, "pulumi")}, ${binaryPath(mod, languageHostBinary)} and ${binaryPath(mod, pythonHostBinary)} in ${seconds} s`);
  return { cached: false, seconds };
}
