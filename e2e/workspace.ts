/**
 * The e2e's copy of the project: the files git tracks (and new, unignored ones)
 * in a temporary folder with the project's node_modules linked in, and an
 * environment of its own (HOME, PULUMI_HOME, the Docker engine), so the
 * commands a user types run there exactly as written without touching the
 * developer's stacks, state, passphrases or Docker engine.
 */
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, mkdirSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { cacheRoot } from "../tools/cache";

export interface Workspace {
  dir: string;
  env: NodeJS.ProcessEnv;
  log: string;
}

export function projectFiles(root: string): string[] {
  const run = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`e2e: could not list the project's files with git (${run.stderr.trim()}); run it from a git checkout`);
  return run.stdout.split("\0").filter((f) => f && !f.startsWith("node_modules/"));
}

export function makeWorkspace(root: string, tmp: string, dockerHost: string): Workspace {
  const dir = join(tmp, "project");
  for (const file of projectFiles(root)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      copyFileSync(join(root, file), join(dir, file));
    } catch (err) {
      // A file deleted in the working tree but still in the index.
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  const home = join(tmp, "home");
  mkdirSync(home, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    PULUMI_HOME: join(home, ".pulumi"),
    // The tools cache stays the developer's (or CI's): it is where `npm run tools` built the engine.
    WATCHPOST_TOOLS_DIR: cacheRoot(),
    DOCKER_HOST: dockerHost,
    npm_config_cache: join(tmp, "npm-cache"),
    npm_config_update_notifier: "false",
  };
  for (const key of ["PULUMI_BACKEND_URL", "PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE", "PULUMI_VERSION"]) delete env[key];
  return { dir, env, log: join(tmp, "commands.log") };
}

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs one command in the workspace, bounded in time; its output goes to the workspace log. */
export function run(ws: Workspace, command: string, args: string[], timeoutSeconds: number): Promise<CommandResult> {
  const started = Date.now();
  appendFileSync(ws.log, `\n$ ${[command, ...args].join(" ")}\n`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ws.dir, env: ws.env, detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
      appendFileSync(ws.log, c);
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      appendFileSync(ws.log, c);
    });
    const timer = setTimeout(() => {
      stderr += `\n(e2e: stopped after ${timeoutSeconds} s)`;
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, timeoutSeconds * 1000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? 1, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}
