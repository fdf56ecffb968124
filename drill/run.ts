/**
 * The fire drill, as a function: plans the stack with the drill's overlay,
 * starts it on loopback, plays the scenarios in order on the one running set
 * of processes, and stops every process it started — by pid, also when a
 * scenario throws or the process is interrupted (SIGINT, SIGTERM).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { images as pinned } from "../model/versions";
import { type DrillPlan, drillEmail, planDrill } from "./config";
import { channelsOf, floorOf, holdSeconds, receiversFor, routingLabels } from "./expectations";
import { type PlayedScenario, addIdealFloors } from "./floor-live";
import { LocalStack, loadPerSecond } from "./local-stack";
import { AlertmanagerWatcher, notificationsOf } from "./observe";
import { type AlertExpectation, type Played, playScenario, settleScenario } from "./play";
import { ProcessGroup, freePort, isRunning, waitFor } from "../harness/processes";
import type { DrillReport, ScenarioResult } from "./report";
import { type DrillContext, type Scenario, selectScenarios } from "./scenarios";
import { HttpSink, SmtpSink } from "./sinks";
import { type Tools, findTools } from "./tools";
import { peerTimeoutMs, scaleSeconds } from "./rewrite";

export interface DrillOptions {
  /** Stack name: reads Pulumi.<stack>.yaml. */
  stack: string;
  /** Scenario names to play, in the drill's order; all when omitted. */
  scenarios?: string[];
  /** Factor applied to every timing; default: the one that makes the stack's scrape interval 1s (1/15 for dev). */
  timeScale?: number;
  log?: (line: string) => void;
  /** Stack file to read instead of Pulumi.<stack>.yaml. */
  stackFile?: string;
  /** Keep the temp dir (configs, data, secrets) for inspection. @default false */
  keepFiles?: boolean;
}

export type { DrillReport, ScenarioResult } from "./report";

function toolVersion(bin: string): string {
  try {
    return (execFileSync(bin, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 }).split("\n")[0] ?? "").trim();
  } catch (error) {
    return `unknown (${String(error).slice(0, 80)})`;
  }
}

function describeRewrites(drill: DrillPlan, stack: LocalStack): string[] {
  const s = drill.stack;
  const d = drill.plan.config;
  const t = (sev: "critical" | "warning" | "info") => `${sev} ${d.routing.timing[sev].groupWait}/${d.routing.timing[sev].groupInterval}/${d.routing.timing[sev].repeatInterval}`;
  return [
    `timings × ${drill.timeScale.toPrecision(3)}: scrape ${s.prometheus.scrapeInterval}→${d.prometheus.scrapeInterval}, evaluation ${s.prometheus.evaluationInterval}→${d.prometheus.evaluationInterval}, every rule's for and PromQL window (windows ≥ 4 scrapes), routing group_wait/group_interval/repeat_interval ${t("critical")}, ${t("warning")}, ${t("info")}, heartbeat ${s.notifications.heartbeat.interval}→${d.notifications.heartbeat.interval}`,
    `config overlay: Slack, PagerDuty, email (${drillEmail.to}, SMTP auth from a secret file) and the heartbeat enabled and pointed at local sinks; ${d.alertmanager.replicas} Alertmanager replicas (stack: ${s.alertmanager.replicas})`,
    `Prometheus flags: resend-delay, for-outage-tolerance and the stack's for-grace-period (1m) scaled`,
    `loopback: every target, probe and Alertmanager address; dropped jobs with no local stand-in: ${(stack.files?.droppedJobs ?? []).map((j) => j.job).join(", ") || "none"}`,
    `history: healthy traffic (${loadPerSecond} req/s) backfilled over the longest burn-rate window, so SLO windows are full as in a long-running stack`,
  ];
}

async function expectationsOf(tools: Tools, drill: DrillPlan, stack: LocalStack, scenario: Scenario, service: DrillContext["service"]): Promise<AlertExpectation[]> {
  const files = stack.files as NonNullable<LocalStack["files"]>;
  const cfg = drill.plan.config;
  return Promise.all(
    scenario.expected.map(async (alert) => {
      const labels = routingLabels(files.ruleFiles, alert, service);
      const channels = channelsOf(files.alertmanagerConfig, await receiversFor(tools.amtool, files.alertmanagerConfig, labels));
      const severity = labels.severity as "critical" | "warning" | "info";
      const floor = floorOf(
        scaleSeconds(cfg.prometheus.scrapeInterval, 1),
        scaleSeconds(cfg.prometheus.evaluationInterval, 1),
        holdSeconds(files.ruleFiles, alert.alertname),
        cfg.routing.timing[severity].groupWait,
      );
      return { alert, channels, floor };
    }),
  );
}

export async function runDrill(options: DrillOptions): Promise<DrillReport> {
  const log = options.log ?? (() => undefined);
  const chosen = selectScenarios(options.scenarios);
  const tools = findTools();
  const started = Date.now();
  const raw = readStackFile(options.stackFile ?? stackFilePath(options.stack));
  const http = new HttpSink();
  let smtp: SmtpSink | undefined;
  const group = new ProcessGroup();
  let stack: LocalStack | undefined;
  let watcher: AlertmanagerWatcher | undefined;
  // Once only: the signal handler and the normal path may both get here, and a second close of a sink never returns.
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      watcher?.stop();
      await stack?.stop(options.keepFiles);
      await group.stopAll();
      await Promise.all([http.stop(), smtp?.stop()]);
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping every process the drill started`);
    void cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await http.start();
    const smtpPort = await freePort();
    const drill = planDrill(options.stack, raw, { http: http.url(""), smtp: `127.0.0.1:${smtpPort}` }, options.timeScale);
    smtp = new SmtpSink(drillEmail.username, drill.secretValues.smtpPassword as string);
    await smtp.start(smtpPort);
    stack = new LocalStack(group, tools, http, smtp, log);
    log(`starting ${options.stack} on loopback in ${stack.dir} (timings × ${drill.timeScale.toPrecision(3)})`);
    await stack.start(drill);
    const cfg = drill.plan.config;
    const heartbeatSeconds = scaleSeconds(cfg.notifications.heartbeat.interval, 1);
    const sinks = { http, smtp };
    const notifications = () => notificationsOf(sinks.http, sinks.smtp);
    await waitFor(
      "the first heartbeat (Watchdog through Prometheus and Alertmanager)",
      async () => (notifications().some((n) => n.channel === "heartbeat") ? true : undefined),
      60_000,
    );
    const running = stack;
    watcher = new AlertmanagerWatcher(() => running.alertmanagers.filter((am) => am.proc && isRunning(am.proc)).map((am) => am.url));
    watcher.start();
    const service = { name: cfg.services[0].name, team: cfg.services[0].team };
    const ruleFiles = stack.files?.ruleFiles ?? [];
    const hold = (alertname: string) => holdSeconds(ruleFiles, alertname);
    const clusterWaitMs = (cfg.alertmanager.replicas - 1) * peerTimeoutMs(drill.timeScale) + 500;
    const ctx: DrillContext = {
      stack,
      service,
      watcher,
      notifications,
      log,
      heartbeatSeconds,
      holdSeconds: hold,
      clusterWaitMs,
      waitMs: Math.max(30_000, Math.round(1350_000 * drill.timeScale)),
    };

    const results: ScenarioResult[] = [];
    // Each scenario starts once the previous one's last replica could have spoken, and that silence is checked.
    const longestGroupInterval = Math.max(...(["critical", "warning", "info"] as const).map((sev) => scaleSeconds(cfg.routing.timing[sev].groupInterval, 1))) * 1000;
    const settle = async (played: Played) => {
      await settleScenario(ctx, played, longestGroupInterval + clusterWaitMs + 2000);
      log(`${played.result.name}: ${played.result.ok ? "ok" : "MISS"} — latency ${played.result.latencyMs ?? "—"}ms, pipeline floor ${played.result.pipelineFloorMs}ms`);
    };
    let previous: Played | undefined;
    const plays: PlayedScenario[] = [];
    for (const scenario of chosen) {
      if (previous) await settle(previous);
      const expectations = await expectationsOf(tools, drill, stack, scenario, service);
      previous = await playScenario(ctx, scenario, expectations);
      plays.push({ ...previous, expectations });
    }
    if (previous) await settle(previous);
    const floorSetting = {
      promtool: tools.promtool,
      prometheusUrl: stack.prometheusUrl,
      ruleFiles,
      scrapeSeconds: stack.scrapeSeconds,
      evaluationSeconds: scaleSeconds(cfg.prometheus.evaluationInterval, 1),
      dir: join(stack.dir, "floor"),
    };
    results.push(...(await addIdealFloors(plays, floorSetting, log)));
    return {
      stack: options.stack,
      timeScale: drill.timeScale,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      versions: {
        prometheus: `${toolVersion(tools.prometheus)} (deployed: ${pinned.prometheus})`,
        alertmanager: `${toolVersion(tools.alertmanager)} (deployed: ${pinned.alertmanager})`,
      },
      rewrites: describeRewrites(drill, stack),
      scenarios: results,
      processes: group.processes.map((p) => ({ name: p.name, pid: p.proc.pid })),
      ok: results.length > 0 && results.every((r) => r.ok),
    };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await cleanup();
  }
}
