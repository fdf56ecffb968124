/**
 * Starting real servers for the fire drill and the live tests: loopback only,
 * free ports, bounded waits, and every process stopped by its pid, also when
 * a scenario or a test fails.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Started {
  name: string;
  proc: ChildProcess;
  output: () => string;
}

/** Still running: a process killed by a signal has a null exitCode but a signalCode. */
export function isRunning(entry: Started): boolean {
  return entry.proc.exitCode === null && entry.proc.signalCode === null && entry.proc.pid !== undefined;
}

export class ProcessGroup {
  private readonly started: Started[] = [];

  start(name: string, cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Started {
    const proc = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const keep = (b: Buffer) => {
      out = (out + b.toString()).slice(-20_000);
    };
    proc.stdout?.on("data", keep);
    proc.stderr?.on("data", keep);
    const entry = { name, proc, output: () => out };
    this.started.push(entry);
    return entry;
  }

  /** Every process started so far, running or not, in start order. */
  get processes(): readonly Started[] {
    return this.started;
  }

  /** Sends SIGKILL to one process by pid and waits for it to exit. */
  async kill(entry: Started, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (!isRunning(entry) || entry.proc.pid === undefined) return;
    const exited = new Promise<void>((resolve) => entry.proc.once("exit", () => resolve()));
    process.kill(entry.proc.pid, signal);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }

  /** Stops everything this group started, by pid: SIGTERM, then SIGKILL after a grace period. */
  async stopAll(): Promise<void> {
    await Promise.all(
      this.started.map(async (entry) => {
        if (!isRunning(entry) || entry.proc.pid === undefined) return;
        const exited = new Promise<void>((resolve) => entry.proc.once("exit", () => resolve()));
        try {
          process.kill(entry.proc.pid, "SIGTERM");
        } catch {
          return;
        }
        const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
        if (!done) {
          try {
            process.kill(entry.proc.pid, "SIGKILL");
          } catch {
            /* already gone */
          }
        }
      }),
    );
  }
}

/** Thrown by a `waitFor` check when waiting longer cannot help: it ends the wait at once. */
export class StopWaiting extends Error {}

/**
 * The port `freePort` found free was taken by another process before the server
 * bound it (two suites side by side pick from the same range).
 */
export class PortTaken extends StopWaiting {}

/** In a readiness check: ends the wait with PortTaken when the server says its port is in use. */
export function failIfPortTaken(entry: Started): void {
  if (/address already in use/.test(entry.output()))
    throw new PortTaken(
      `${entry.name} could not bind its port: ${
        entry
          .output()
          .split("\n")
          .find((l) => /address already in use/.test(l)) ?? ""
      }`,
    );
}

/** Starts a server on a free loopback port, on another one when the first was taken meanwhile. */
export async function onFreePort<T>(start: (port: number) => Promise<T>, tries = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (e) {
      if (!(e instanceof PortTaken) || attempt >= tries) throw e;
    }
  }
}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs` (or at once on StopWaiting). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      if (e instanceof StopWaiting) throw e;
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
}
