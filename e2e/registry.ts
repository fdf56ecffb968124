/**
 * A local image registry for the end-to-end run: distribution's `registry`, built
 * from its module (e2e/images/catalog.ts), on a free loopback port with filesystem
 * storage in a temp dir. Docker treats 127.0.0.0/8 registries as insecure by
 * itself, so no engine setting is needed to push or pull over plain HTTP.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { PortTaken, StopWaiting, onFreePort, waitFor } from "../harness/processes";
import { buildModule } from "../tools/build";
import { binaryPath } from "../tools/cache";
import { registryModule } from "./images/catalog";

export interface RegistryOptions {
  /** The `registry` binary. @default built (or taken from the tools cache) with `buildModule(registryModule)` */
  binary?: string;
  /** Folder the temp dir is made in. @default os.tmpdir() */
  baseDir?: string;
  /** How long to wait for `/v2/` to answer. @default 20000 ms */
  startTimeoutMs?: number;
  /** Build progress and the registry's own failures. @default nothing */
  log?: (line: string) => void;
}

export interface LocalRegistry {
  /** `127.0.0.1:<port>`: what `docker push` and the `registryMirror` setting take. */
  address: string;
  /** The registry's process id. */
  pid: number;
  /** Stops the registry by pid (SIGTERM, SIGKILL after 5 s), waits for it and removes its storage. */
  stop(): Promise<void>;
}

/**
 * distribution's configuration: loopback only, filesystem storage, deletes allowed, quiet logs.
 * `http.secret` signs upload state; it is drawn per start, never a literal in the code.
 */
export function renderRegistryConfig(port: number, storageDir: string, httpSecret = randomBytes(24).toString("base64url")): string {
  return stringify({
    version: 0.1,
    log: { level: "warn", accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: storageDir }, delete: { enabled: true } },
    http: { addr: `127.0.0.1:${port}`, secret: httpSecret },
  });
}

export function registryBinary(log: (line: string) => void = () => {}): string {
  buildModule(registryModule, log);
  return binaryPath(registryModule, "registry");
}

async function stopProcess(proc: ChildProcess, graceMs: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  process.kill(proc.pid, "SIGTERM");
  const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs))]);
  if (!done) {
    try {
      process.kill(proc.pid, "SIGKILL");
    } catch {
      /* exited meanwhile */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<LocalRegistry> {
  const log = opts.log ?? (() => {});
  const binary = opts.binary ?? registryBinary(log);
  const dir = mkdtempSync(join(opts.baseDir ?? tmpdir(), "watchpost-registry-"));
  try {
    return await onFreePort(async (port) => {
      const config = join(dir, "config.yml");
      writeFileSync(config, renderRegistryConfig(port, join(dir, "storage")), { mode: 0o600 });
      const proc = spawn(binary, ["serve", config], { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      const keep = (b: Buffer) => {
        output = (output + b.toString()).slice(-20_000);
      };
      proc.stdout?.on("data", keep);
      proc.stderr?.on("data", keep);
      const address = `127.0.0.1:${port}`;
      try {
        await waitFor(
          `the registry to answer on http://${address}/v2/`,
          async () => {
            if (/address already in use/.test(output)) throw new PortTaken(`registry could not bind ${address}`);
            if (proc.exitCode !== null || proc.signalCode !== null)
              throw new StopWaiting(`registry exited (${proc.exitCode ?? proc.signalCode}):\n${output.trim().split("\n").slice(-10).join("\n")}`);
            const res = await fetch(`http://${address}/v2/`, { signal: AbortSignal.timeout(2000) });
            return res.status === 200 ? true : undefined;
          },
          opts.startTimeoutMs ?? 20_000,
        );
      } catch (e) {
        await stopProcess(proc, 2000);
        throw e;
      }
      return {
        address,
        pid: proc.pid as number,
        async stop() {
          await stopProcess(proc, 5000);
          if (proc.exitCode === null && proc.signalCode === null) log(`registry pid ${proc.pid} did not exit`);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
