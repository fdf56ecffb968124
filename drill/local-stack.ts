/**
 * The stack on loopback: the real Prometheus, a 3-replica Alertmanager
 * cluster, node and blackbox exporters, the demo service and the sinks, all
 * from the drill's plan, in one temp dir. Every process is started and stopped
 * by pid through one ProcessGroup; Prometheus and each Alertmanager can be
 * killed and restarted on the same ports and data dirs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { ports } from "../model/conventions";
import { burnRateWindows } from "../rules/slo";
import { backfill } from "./backfill";
import type { DrillPlan } from "./config";
import { DemoService, LoadGenerator } from "./demo-service";
import { type ProcessGroup, type Started, freePort, waitFor } from "../harness/processes";
import { type AddressMap, alertmanagerClusterFlags, prometheusTimingFlags, relocateAlertmanagerPaths, rewritePrometheusConfig, scaleRuleFile, scaleSeconds } from "./rewrite";
import type { HttpSink, SmtpSink } from "./sinks";
import type { Tools } from "./tools";

/** Healthy load on the demo service, requests per second. */
export const loadPerSecond = 20;

export interface LocalAlertmanager {
  name: string;
  url: string;
  port: number;
  clusterPort: number;
  args: string[];
  proc?: Started;
}

export interface LocalFiles {
  dir: string;
  prometheusConfig: string;
  ruleFiles: string[];
  alertmanagerConfig: string;
  droppedJobs: Array<{ job: string; targets: string[] }>;
}

export class LocalStack {
  readonly dir = mkdtempSync(join(tmpdir(), "watchpost-drill-"));
  readonly alertmanagers: LocalAlertmanager[] = [];
  prometheus?: Started;
  prometheusUrl = "";
  service?: DemoService;
  load?: LoadGenerator;
  files?: LocalFiles;
  private prometheusArgs: string[] = [];

  constructor(
    private readonly group: ProcessGroup,
    private readonly tools: Tools,
    readonly http: HttpSink,
    readonly smtp: SmtpSink,
    private readonly log: (line: string) => void,
  ) {}

  get scrapeSeconds(): number {
    return this.scaled.scrape;
  }

  private scaled = { scrape: 1, evaluation: 1 };

  /** Writes every file, backfills history, starts every process and waits until Prometheus scrapes them all. */
  async start(drill: DrillPlan): Promise<void> {
    const { plan, timeScale } = drill;
    this.scaled = { scrape: scaleSeconds(plan.config.prometheus.scrapeInterval, 1), evaluation: scaleSeconds(plan.config.prometheus.evaluationInterval, 1) };
    const service = plan.config.services[0];
    if (!service || service.targets.length === 0) throw new Error("the drill needs a service with a target in the stack config; the demo service stands in for the first one");
    const [promPort, nodePort, blackboxPort, servicePort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    for (let i = 0; i < plan.config.alertmanager.replicas; i++) {
      const [port, clusterPort] = [await freePort(), await freePort()];
      this.alertmanagers.push({ name: `alertmanager-${i}`, url: `http://127.0.0.1:${port}`, port, clusterPort, args: [] });
    }
    const addresses: AddressMap = {
      [`localhost:${ports.prometheus}`]: `127.0.0.1:${promPort}`,
      [`node-exporter:${ports.nodeExporter}`]: `127.0.0.1:${nodePort}`,
      [`blackbox-exporter:${ports.blackboxExporter}`]: `127.0.0.1:${blackboxPort}`,
      [service.targets[0]]: `127.0.0.1:${servicePort}`,
    };
    this.alertmanagers.forEach((am, i) => {
      addresses[`alertmanager-${i}:${ports.alertmanager}`] = `127.0.0.1:${am.port}`;
    });

    const files = this.writeFiles(drill, addresses);
    this.files = files;
    for (const { job, targets } of files.droppedJobs) this.log(`scrape job ${job} dropped: nothing local stands in for ${targets.join(", ")}`);

    this.service = new DemoService(servicePort);
    await this.service.start();
    this.load = new LoadGenerator(`http://127.0.0.1:${servicePort}/api/items`, loadPerSecond);
    this.load.start();

    const dataDir = join(this.dir, "prometheus", "data");
    mkdirSync(dataDir, { recursive: true });
    const longestWindow = Math.max(...burnRateWindows.map((w) => scaleSeconds(w.long, timeScale)));
    const apiJob = (
      parse(files.prometheusConfig) as { scrape_configs: Array<{ job_name: string; static_configs: Array<{ labels: Record<string, string> }> }> }
    ).scrape_configs.find((j) => j.job_name === service.name);
    await backfill(this.tools.promtool, this.dir, dataDir, {
      targetLabels: { job: service.name, instance: `127.0.0.1:${servicePort}`, ...(apiJob?.static_configs[0].labels ?? {}) },
      perSecond: loadPerSecond,
      seconds: Math.ceil(longestWindow * 1.1),
      stepSeconds: 5,
      endMs: Date.now() - 2000,
      latencySeconds: 0.002,
    });
    this.log(`backfilled ${Math.ceil(longestWindow * 1.1)}s of healthy history for ${service.name}`);

    await this.startExporter("node-exporter", this.tools.nodeExporter, [`--web.listen-address=127.0.0.1:${nodePort}`], `127.0.0.1:${nodePort}`);
    await this.startExporter(
      "blackbox-exporter",
      this.tools.blackboxExporter,
      [`--config.file=${join(this.dir, "blackbox.yml")}`, `--web.listen-address=127.0.0.1:${blackboxPort}`],
      `127.0.0.1:${blackboxPort}`,
    );
    for (const am of this.alertmanagers) {
      const storage = join(this.dir, "alertmanager", `data-${am.name}`);
      mkdirSync(storage, { recursive: true });
      am.args = [
        `--config.file=${files.alertmanagerConfig}`,
        `--storage.path=${storage}`,
        `--web.listen-address=127.0.0.1:${am.port}`,
        `--web.external-url=${am.url}`,
        `--cluster.listen-address=127.0.0.1:${am.clusterPort}`,
        `--cluster.advertise-address=127.0.0.1:${am.clusterPort}`,
        ...this.alertmanagers.filter((p) => p !== am).map((p) => `--cluster.peer=127.0.0.1:${p.clusterPort}`),
        ...alertmanagerClusterFlags(timeScale),
      ];
    }
    await Promise.all(this.alertmanagers.map((am) => this.startAlertmanager(am)));
    await this.waitForCluster();

    this.prometheusUrl = `http://127.0.0.1:${promPort}`;
    this.prometheusArgs = [
      `--config.file=${join(this.dir, "prometheus", "prometheus.yml")}`,
      `--storage.tsdb.path=${dataDir}`,
      `--storage.tsdb.retention.time=${plan.config.prometheus.retention}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      ...prometheusTimingFlags(timeScale),
    ];
    await this.startPrometheus();
    await waitFor(
      "every scrape target up",
      async () => {
        const body = (await (await fetch(`${this.prometheusUrl}/api/v1/targets?state=active`)).json()) as { data: { activeTargets: Array<{ health: string }> } };
        const targets = body.data.activeTargets;
        return targets.length > 0 && targets.every((t) => t.health === "up") ? true : undefined;
      },
      30_000,
    );
  }

  private writeFiles(drill: DrillPlan, addresses: AddressMap): LocalFiles {
    const { plan, timeScale } = drill;
    const write = (path: string, content: string, mode?: number) => {
      const file = join(this.dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content, mode === undefined ? undefined : { mode });
      return file;
    };
    const rulesDir = join(this.dir, "prometheus", "rules");
    const prom = rewritePrometheusConfig(plan.prometheusConfig, addresses, rulesDir);
    write("prometheus/prometheus.yml", prom.text);
    const minWindow = 4 * this.scaled.scrape;
    const ruleFiles = plan.rules.map((r) => scaleRuleFile(r.content, timeScale, minWindow));
    plan.rules.forEach((r, i) => {
      write(`prometheus/rules/${r.name}`, ruleFiles[i]);
    });
    write("blackbox.yml", plan.blackboxConfig);

    const amDir = join(this.dir, "alertmanager");
    for (const [key, path] of Object.entries(plan.alertmanager.secretFiles)) {
      const value = drill.secretValues[key as keyof typeof drill.secretValues];
      if (value === undefined) throw new Error(`the drill has no value for secret ${key}`);
      const file = relocateAlertmanagerPaths(path, amDir);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, value, { mode: 0o600 });
    }
    for (const [name, content] of Object.entries(plan.alertmanager.files)) {
      write(`alertmanager/${name}`, relocateAlertmanagerPaths(content, amDir));
    }
    return { dir: this.dir, prometheusConfig: prom.text, ruleFiles, alertmanagerConfig: join(amDir, "alertmanager.yml"), droppedJobs: prom.dropped };
  }

  private spawn(name: string, bin: string, args: string[]): Started {
    const proc = this.group.start(name, bin, args);
    this.log(`started ${name} (pid ${proc.proc.pid})`);
    return proc;
  }

  private async startExporter(name: string, bin: string, args: string[], address: string): Promise<void> {
    const proc = this.spawn(name, bin, args);
    await waitFor(`${name} to serve /metrics`, async () => {
      if (proc.proc.exitCode !== null) throw new Error(`${name} exited ${proc.proc.exitCode}:\n${proc.output()}`);
      return (await fetch(`http://${address}/metrics`)).ok ? true : undefined;
    });
  }

  async startAlertmanager(am: LocalAlertmanager): Promise<void> {
    const proc = this.spawn(am.name, this.tools.alertmanager, am.args);
    am.proc = proc;
    await waitFor(`${am.name} to be ready`, async () => {
      if (proc.proc.exitCode !== null) throw new Error(`${am.name} exited ${proc.proc.exitCode}:\n${proc.output()}`);
      return (await fetch(`${am.url}/-/ready`)).ok ? true : undefined;
    });
  }

  /** Waits until every running replica sees all running replicas as cluster members. */
  async waitForCluster(timeoutMs = 30_000): Promise<void> {
    const running = this.alertmanagers.filter((am) => am.proc && am.proc.proc.exitCode === null && am.proc.proc.signalCode === null);
    await waitFor(
      `a settled ${running.length}-member Alertmanager cluster`,
      async () => {
        const statuses = await Promise.all(
          running.map(async (am) => (await (await fetch(`${am.url}/api/v2/status`)).json()) as { cluster: { status: string; peers?: unknown[] } }),
        );
        return statuses.every((s) => s.cluster.status === "ready" && (s.cluster.peers?.length ?? 0) === running.length) ? true : undefined;
      },
      timeoutMs,
    );
  }

  async killAlertmanager(am: LocalAlertmanager): Promise<void> {
    if (am.proc) await this.group.kill(am.proc, "SIGKILL");
  }

  async startPrometheus(): Promise<void> {
    const proc = this.spawn("prometheus", this.tools.prometheus, this.prometheusArgs);
    this.prometheus = proc;
    await waitFor(
      "prometheus to be ready",
      async () => {
        if (proc.proc.exitCode !== null) throw new Error(`prometheus exited ${proc.proc.exitCode}:\n${proc.output()}`);
        return (await fetch(`${this.prometheusUrl}/-/ready`)).ok ? true : undefined;
      },
      60_000,
    );
  }

  /** kill -9, as a crashed or OOM-killed Prometheus: no shutdown, no flush; the WAL is all that survives. */
  async killPrometheus(): Promise<void> {
    if (this.prometheus) await this.group.kill(this.prometheus, "SIGKILL");
  }

  /** Stops the load, the service and every process; removes the temp dir unless told to keep it. */
  async stop(keepFiles = false): Promise<void> {
    this.load?.stop();
    await this.group.stopAll();
    await this.service?.stop();
    if (!keepFiles) rmSync(this.dir, { recursive: true, force: true });
  }
}
