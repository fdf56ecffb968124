/**
 * Everything `npm run up` and `npm run pulumi` set up before they hand over to
 * the Pulumi CLI, so that `npm ci` and one command bring a stack up on a fresh
 * machine:
 *
 * - **The CLI** comes with the project: the npm `pulumi` package (a
 *   devDependency) runs `$PULUMI_HOME/versions/<v>/bin/pulumi`, where <v> is
 *   the `@pulumi/pulumi` version in package.json, and downloads that release on
 *   first use. Where `npm run tools` built the CLI, its language hosts and the
 *   providers from source (machines without the internet), they are installed
 *   there and in the plugin cache first, and automatic plugin downloads are off.
 * - **The backend**: whatever the user is logged in to; when they are logged in
 *   nowhere, the local file backend in $HOME (where `pulumi login --local` keeps it).
 * - **Secrets** on that local backend use a passphrase: when none is given
 *   (PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE), a random one is
 *   generated once per stack into a file only its owner can read.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { builtEngine, languageHostBinary, pythonHostBinary, sdkVersion } from "../../tools/engine/pulumi";
import { builtProviders } from "../../tools/engine/plugins";

export const projectRoot = resolve(__dirname, "..", "..");

export class CliError extends Error {}

export function pulumiHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.PULUMI_HOME ?? join(homedir(), ".pulumi");
}

/** Where the npm `pulumi` package and the Automation API look for CLI <version>. */
export function cliDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(pulumiHome(env), "versions", version, "bin");
}

function isExecutable(file: string): boolean {
  try {
    return statSync(file).isFile() && (statSync(file).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** Copies a file into place atomically, executable. */
function installFile(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  const partial = `${to}.partial-${process.pid}`;
  copyFileSync(from, partial);
  chmodSync(partial, 0o755);
  renameSync(partial, to);
}

export interface Installed {
  /** The CLI and language host came from `npm run tools` (source builds). */
  fromSource: boolean;
  /** Plugins installed into the plugin cache by this call, "resource-docker-v5.2.0"… */
  plugins: string[];
}

/**
 * Installs the source-built CLI, language host and providers where Pulumi
 * finds them, unless something is already there (a downloaded release wins).
 */
export function installSourceBuilds(env: NodeJS.ProcessEnv = process.env): Installed {
  const version = sdkVersion();
  const bin = cliDir(version, env);
  const engine = builtEngine();
  const marker = join(bin, "..", "watchpost-source-build.json");
  if (engine && !isExecutable(join(bin, "pulumi"))) {
    installFile(engine.languageHost, join(bin, languageHostBinary));
    installFile(engine.pythonHost, join(bin, pythonHostBinary));
    installFile(engine.pulumi, join(bin, "pulumi"));
    writeFileSync(marker, `${JSON.stringify({ version, from: dirname(engine.pulumi) }, null, 2)}\n`);
  }
  const fromSource = existsSync(marker);
  const plugins: string[] = [];
  for (const provider of builtProviders()) {
    const dir = join(pulumiHome(env), "plugins", `resource-${provider.name}-v${provider.version}`);
    const target = join(dir, `pulumi-resource-${provider.name}`);
    if (isExecutable(target)) continue;
    installFile(provider.binary, target);
    plugins.push(`resource-${provider.name}-v${provider.version}`);
  }
  return { fromSource, plugins };
}

/** The npm `pulumi` package's launcher, which runs (or downloads) the CLI release. */
export function launcher(): string {
  const bin = join(projectRoot, "node_modules", ".bin", "pulumi");
  if (!existsSync(bin)) throw new CliError("the Pulumi CLI launcher (npm package `pulumi`) is not installed; run: npm ci");
  return bin;
}

export interface PulumiRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with the prepared environment; output is captured, not shown. */
export function pulumiCapture(args: string[], env: NodeJS.ProcessEnv, cwd = projectRoot): PulumiRun {
  const run = spawnSync(launcher(), args, { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw new CliError(`could not run the Pulumi CLI: ${run.error.message}`);
  return { status: run.status ?? 1, stdout: run.stdout, stderr: run.stderr };
}

/** Runs the CLI with the prepared environment, its output on this terminal. */
export function pulumiInherit(args: string[], env: NodeJS.ProcessEnv, cwd = projectRoot): number {
  const run = spawnSync(launcher(), args, { cwd, env, stdio: "inherit" });
  if (run.error) throw new CliError(`could not run the Pulumi CLI: ${run.error.message}`);
  return run.status ?? 1;
}

/**
 * The local file backend in the user's home, as `pulumi login --local` chooses it. Spelled
 * out from $HOME rather than `file://~`, which Pulumi resolves through the password database
 * and so ignores a HOME set for an isolated run (the e2e's own, a CI job's).
 */
export function localBackend(env: NodeJS.ProcessEnv = process.env): string {
  return `file://${env.HOME ?? homedir()}`;
}

/** A passphrase file for one stack's secrets, created once with 0600 in a 0700 folder. */
export function passphraseFile(stack: string, env: NodeJS.ProcessEnv = process.env): { file: string; created: boolean } {
  const dir = join(pulumiHome(env), "watchpost", "passphrases");
  const file = join(dir, `${stack}.passphrase`);
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) throw new CliError(`${file} is readable by others (mode ${mode.toString(8)}); it holds stack ${stack}'s secrets passphrase. Fix: chmod 600 ${file}`);
    return { file, created: false };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  return { file, created: true };
}

export interface Prepared {
  env: NodeJS.ProcessEnv;
  notes: string[];
  installed: Installed;
}

/**
 * The environment the CLI runs in for one stack: CLI version, plugins,
 * backend and passphrase as described at the top of this file.
 */
export function prepare(stack: string | undefined, base: NodeJS.ProcessEnv = process.env): Prepared {
  const notes: string[] = [];
  const env: NodeJS.ProcessEnv = { ...base, PULUMI_VERSION: sdkVersion(), PULUMI_SKIP_UPDATE_CHECK: base.PULUMI_SKIP_UPDATE_CHECK ?? "true" };
  const installed = installSourceBuilds(env);
  if (installed.fromSource) {
    env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION = "true";
    if (installed.plugins.length > 0) notes.push(`installed the source-built providers ${installed.plugins.join(", ")}`);
  }

  if (!env.PULUMI_BACKEND_URL && !env.PULUMI_ACCESS_TOKEN) {
    const whoami = pulumiCapture(["whoami", "--non-interactive"], env);
    if (whoami.status !== 0) {
      env.PULUMI_BACKEND_URL = localBackend(env);
      notes.push(`not logged in to a Pulumi backend: using the local one (${env.PULUMI_BACKEND_URL}, as pulumi login --local)`);
    }
  }
  const local = (env.PULUMI_BACKEND_URL ?? "").startsWith("file://");
  if (stack && local && !env.PULUMI_CONFIG_PASSPHRASE && !env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    const { file, created } = passphraseFile(stack, env);
    env.PULUMI_CONFIG_PASSPHRASE_FILE = file;
    if (created) notes.push(`generated the passphrase for stack ${stack}'s secrets in ${file} (mode 600): keep it, the stack's secrets cannot be read without it`);
  }
  return { env, notes, installed };
}

/** Selects the stack, creating it (passphrase secrets on a local backend) when missing. */
export function selectOrCreateStack(stack: string, env: NodeJS.ProcessEnv): void {
  const select = pulumiCapture(["stack", "select", stack, "--non-interactive"], env);
  if (select.status === 0) return;
  const args = ["stack", "init", stack, "--non-interactive"];
  if ((env.PULUMI_BACKEND_URL ?? "").startsWith("file://")) args.push("--secrets-provider", "passphrase");
  const init = pulumiCapture(args, env);
  if (init.status !== 0) throw new CliError(`could not create stack ${stack}:\n${(init.stderr || init.stdout).trim()}`);
}

/** The stack names a project has files for: Pulumi.<name>.yaml. */
export function stackFileExists(stack: string, cwd = projectRoot): boolean {
  return existsSync(join(cwd, `Pulumi.${stack}.yaml`));
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}
