/**
 * A Docker engine of the end-to-end run's own, beside whatever engine a developer
 * runs: Debian's `dockerd` with its data root, exec root (where it starts its own
 * containerd), pid file, daemon.json and socket in a temp dir, never
 * /var/run/docker.sock. It gets a bridge of its own (`wpe2e<N>`, 10.213.N.1/24, a
 * range picked because it is free on this host) and leaves iptables alone: two
 * engines rewriting the same DOCKER chains undo each other's rules, and
 * published ports still work through docker-proxy. Everything is bounded in time
 * and `stop()` removes what `start` made.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from "node:fs";
import { join } from "node:path";
import { StopWaiting, waitFor } from "../harness/processes";

export interface DockerEngineOptions {
  /** Folder the engine's temp dir is made in; keep it short, containerd's socket path must fit 108 bytes. @default "/tmp" */
  baseDir?: string;
  /** How long to wait for `docker version` to answer. @default 60000 ms */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. @default 20000 ms */
  stopTimeoutMs?: number;
  /** Let the engine write iptables rules (NAT to the outside world); see the file comment. @default false */
  iptables?: boolean;
  /** Registries the engine may reach over plain HTTP beside 127.0.0.0/8, which Docker allows by itself. @default [] */
  insecureRegistries?: string[];
  /** Progress lines. @default nothing */
  log?: (line: string) => void;
}

export interface DockerEngine {
  /** `unix:///…/docker.sock`: for `docker -H`, DOCKER_HOST or the Pulumi provider's `host`. */
  host: string;
  /** dockerd's process id. */
  pid: number;
  /** The containerd process dockerd started, when it wrote its pid file. */
  containerdPid?: number;
  /** The bridge the engine's default network uses. */
  bridge: string;
  /** The temp dir holding data root, exec root, socket and logs; removed by `stop()`. */
  dir: string;
  /** dockerd's log so far (the last 20,000 characters). */
  output(): string;
  /** SIGTERM dockerd by pid, SIGKILL after `stopTimeoutMs`, then its containerd; unmounts, removes the dir and the bridge. */
  stop(): Promise<void>;
}

const bridgeSubnetBase = "10.213";
const addressPoolBase = "10.214.0.0/16";

function run(cmd: string, args: string[], timeoutMs = 30_000): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: timeoutMs });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? r.error.message : ""}`.trim() };
}

export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers signal 0; it has exited all the same.
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return !/^\d+ \(.*\) Z/.test(stat);
}

/** Third octets of 10.213.N.0/24 already on an interface of this host. */
function usedSubnets(): Set<number> {
  const used = new Set<number>();
  const addrs = run("ip", ["-4", "-o", "addr", "show"]).out;
  for (const m of addrs.matchAll(/inet 10\.213\.(\d+)\./g)) used.add(Number(m[1]));
  return used;
}

/** Makes bridge `wpe2e<N>` with 10.213.N.1/24 for the first free N; `ip link add` failing on an existing name is the lock between two engines. */
function createBridge(): { name: string; cidr: string } {
  const used = usedSubnets();
  for (let n = 1; n < 255; n++) {
    if (used.has(n)) continue;
    const name = `wpe2e${n}`;
    if (!run("ip", ["link", "add", "name", name, "type", "bridge"]).ok) continue;
    const cidr = `${bridgeSubnetBase}.${n}.1/24`;
    const addr = run("ip", ["addr", "add", cidr, "dev", name]);
    const up = run("ip", ["link", "set", name, "up"]);
    if (addr.ok && up.ok) return { name, cidr };
    run("ip", ["link", "del", name]);
    throw new Error(`could not configure bridge ${name} (${cidr}): ${addr.out} ${up.out}`);
  }
  throw new Error(`no free 10.213.N.0/24 subnet or wpe2eN bridge name left for a Docker engine`);
}

/** Mount points under `dir` (overlay layers, the data root's netns and shm mounts), deepest first. */
function mountsUnder(dir: string): string[] {
  const mounts = readFileSync("/proc/mounts", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[1])
    .filter((p): p is string => p !== undefined && (p === dir || p.startsWith(`${dir}/`)));
  return mounts.sort((a, b) => b.length - a.length);
}

export function dockerdArgs(dir: string, bridge: string, opts: DockerEngineOptions): string[] {
  return [
    "--config-file",
    join(dir, "daemon.json"),
    "--data-root",
    join(dir, "data"),
    "--exec-root",
    join(dir, "exec"),
    "--pidfile",
    join(dir, "dockerd.pid"),
    "--host",
    `unix://${join(dir, "docker.sock")}`,
    "--bridge",
    bridge,
    "--default-address-pool",
    `base=${addressPoolBase},size=24`,
    `--iptables=${opts.iptables ?? false}`,
    `--ip-masq=${opts.iptables ?? false}`,
    ...(opts.insecureRegistries ?? []).flatMap((r) => ["--insecure-registry", r]),
    "--log-level",
    "warn",
  ];
}

/**
 * Traffic between this engine's containers crosses the host's FORWARD chain when bridge
 * netfilter is on (br_netfilter), and another engine on the host (with its iptables rules)
 * sets that chain's policy to DROP: containers on one of our networks then cannot reach
 * each other. With the policy at DROP, accept traffic within our address ranges, and take
 * the rules out again at stop. Returns the rules inserted.
 */
export function allowForwarding(log: (line: string) => void): string[][] {
  const chain = run("iptables", ["-S", "FORWARD"]);
  if (!chain.ok || !/^-P FORWARD DROP$/m.test(chain.out)) return [];
  const ranges = [`${bridgeSubnetBase}.0.0/16`, addressPoolBase];
  const rules = ranges.flatMap((from) => ranges.map((to) => ["-s", from, "-d", to, "-j", "ACCEPT"]));
  const inserted: string[][] = [];
  for (const rule of rules) {
    if (run("iptables", ["-I", "FORWARD", ...rule]).ok) inserted.push(rule);
  }
  log(`FORWARD policy is DROP (another engine's rules): accepting traffic within ${ranges.join(" and ")} while this engine runs`);
  return inserted;
}

async function waitForExit(proc: ChildProcess, pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null || !isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export async function startDockerEngine(opts: DockerEngineOptions = {}): Promise<DockerEngine> {
  const log = opts.log ?? (() => {});
  if (process.getuid?.() !== 0) throw new Error("startDockerEngine: dockerd must run as root (uid 0); run the e2e as root");
  if (!run("dockerd", ["--version"]).ok) throw new Error("startDockerEngine: no dockerd on PATH; install Debian's docker.io");
  const dir = mkdtempSync(join(opts.baseDir ?? "/tmp", "wpd-"));
  mkdirSync(join(dir, "data"));
  mkdirSync(join(dir, "exec"));
  writeFileSync(join(dir, "daemon.json"), "{}\n");
  let bridge: { name: string; cidr: string };
  try {
    bridge = createBridge();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const forwarding = opts.iptables ? [] : allowForwarding(log);
  const logFile = join(dir, "dockerd.log");
  const fd = openSync(logFile, "a");
  const proc = spawn("dockerd", dockerdArgs(dir, bridge.name, opts), { stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const pid = proc.pid as number;
  const host = `unix://${join(dir, "docker.sock")}`;
  const output = () => (existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-20_000) : "");
  const containerdPid = (): number | undefined => {
    const file = join(dir, "exec", "containerd", "containerd.pid");
    return existsSync(file) ? Number(readFileSync(file, "utf8").trim()) || undefined : undefined;
  };
  let containerd: number | undefined;

  const stop = async () => {
    containerd = containerd ?? containerdPid();
    if (isAlive(pid)) {
      process.kill(pid, "SIGTERM");
      if (!(await waitForExit(proc, pid, opts.stopTimeoutMs ?? 20_000))) {
        log(`dockerd pid ${pid} still running after SIGTERM; SIGKILL`);
        process.kill(pid, "SIGKILL");
        await waitForExit(proc, pid, 5000);
      }
    }
    // dockerd stops its containerd on SIGTERM, not when it is killed.
    if (containerd !== undefined && isAlive(containerd)) {
      process.kill(containerd, "SIGTERM");
      const gone = await waitFor(`containerd ${containerd} to exit`, async () => (isAlive(containerd) ? undefined : true), 10_000, 100).catch(() => false);
      if (!gone && isAlive(containerd)) process.kill(containerd, "SIGKILL");
    }
    for (const m of mountsUnder(dir)) run("umount", ["-l", m]);
    run("ip", ["link", "del", bridge.name]);
    for (const rule of forwarding) run("iptables", ["-D", "FORWARD", ...rule]);
    forwarding.length = 0;
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      `dockerd (pid ${pid}) to answer on ${host}`,
      async () => {
        if (proc.exitCode !== null || proc.signalCode !== null)
          throw new StopWaiting(`dockerd exited (${proc.exitCode ?? proc.signalCode}):\n${output().trim().split("\n").slice(-15).join("\n")}`);
        const r = spawnSync("docker", ["-H", host, "version", "--format", "{{.Server.Version}}"], { encoding: "utf8", timeout: 5000 });
        return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
      },
      opts.startTimeoutMs ?? 60_000,
      250,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  containerd = containerdPid();
  log(`dockerd pid ${pid} answering on ${host} (bridge ${bridge.name} ${bridge.cidr})`);
  return { host, pid, containerdPid: containerd, bridge: bridge.name, dir, output, stop };
}
