/**
 * Running the real Alertmanager for live tests: loopback ports, storage in a
 * temp dir, and alerts posted to the v2 API the way Prometheus posts them.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type ProcessGroup, type Started, freePort, waitFor } from "../../harness/processes";

export interface RunningAlertmanager {
  name: string;
  port: number;
  clusterPort?: number;
  /** Passed as --web.external-url, so a webhook payload tells which replica sent it. */
  externalUrl: string;
  proc: Started;
}

export interface ClusterOptions {
  /** This replica's gossip port. */
  port: number;
  /** The other replicas' gossip ports. */
  peers: number[];
}

export async function startAlertmanager(
  group: ProcessGroup,
  bin: string,
  opts: { name: string; configFile: string; dir: string; cluster?: ClusterOptions; env?: Record<string, string> },
): Promise<RunningAlertmanager> {
  const port = await freePort();
  const storage = join(opts.dir, `data-${opts.name}`);
  mkdirSync(storage, { recursive: true });
  const externalUrl = `http://127.0.0.1:${port}`;
  const cluster = opts.cluster
    ? [
        `--cluster.listen-address=127.0.0.1:${opts.cluster.port}`,
        `--cluster.advertise-address=127.0.0.1:${opts.cluster.port}`,
        ...opts.cluster.peers.map((p) => `--cluster.peer=127.0.0.1:${p}`),
        // Loopback gossip takes milliseconds; the defaults are tuned for real networks and would stretch the test.
        "--cluster.peer-timeout=3s",
        "--cluster.gossip-interval=100ms",
        "--cluster.pushpull-interval=2s",
        "--cluster.probe-interval=300ms",
        "--cluster.settle-timeout=10s",
      ]
    : ["--cluster.listen-address="];
  const proc = group.start(
    opts.name,
    bin,
    [
      `--config.file=${opts.configFile}`,
      `--storage.path=${storage}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${externalUrl}`,
      "--log.level=debug",
      ...cluster,
    ],
    { env: opts.env },
  );
  const am = { name: opts.name, port, clusterPort: opts.cluster?.port, externalUrl, proc };
  await waitFor(`${opts.name} to be ready`, async () => {
    if (proc.proc.exitCode !== null) throw new Error(`${opts.name} exited ${proc.proc.exitCode}:\n${proc.output()}`);
    const res = await fetch(`${externalUrl}/-/ready`);
    return res.ok ? true : undefined;
  });
  return am;
}

export interface TestAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
}

/** POST /api/v2/alerts, with a generatorURL as Prometheus sets it. */
export async function postAlerts(am: RunningAlertmanager, alerts: TestAlert[]): Promise<void> {
  const body = alerts.map((a) => ({ generatorURL: "http://prometheus.example.test/graph", ...a }));
  const res = await fetch(`${am.externalUrl}/api/v2/alerts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${am.externalUrl}/api/v2/alerts: ${res.status} ${await res.text()}`);
}

/** Cluster peers this replica sees as ready, from /api/v2/status. */
export async function clusterPeers(am: RunningAlertmanager): Promise<{ status: string; peers: number }> {
  const res = await fetch(`${am.externalUrl}/api/v2/status`);
  const body = (await res.json()) as { cluster: { status: string; peers?: unknown[] } };
  return { status: body.cluster.status, peers: body.cluster.peers?.length ?? 0 };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until `arrived` says the expected notifications are in (the Alertmanager's log is in the error
 * if they never come), then `quietMs` more: with group_wait and group_interval at 1s, anything misrouted
 * has arrived by then too, so a test can assert who was not told.
 */
export async function deliveredTo(am: RunningAlertmanager, what: string, arrived: () => boolean, quietMs = 2500): Promise<void> {
  await waitFor(what, async () => (arrived() ? true : undefined)).catch((e) => {
    throw new Error(`${(e as Error).message}\n${am.proc.output()}`);
  });
  await sleep(quietMs);
}
