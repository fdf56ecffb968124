/**
 * The incidents the drill plays, each injected into the running stack and
 * then healed. A scenario names the alerts the stack's rules should raise
 * (the first is the one its latency is measured on), the alerts those
 * inhibit, and, for the failover scenarios, what it breaks mid-incident and
 * what must hold afterwards.
 *
 * Fault sizes are chosen against the dev stack's thresholds (rules/thresholds.ts
 * and the SLOs in Pulumi.dev.yaml): 20% errors is over HighErrorRate's 5% and
 * burns the 99.9% availability SLO 200× too fast; 3s responses are over
 * HighLatency's 2s p95 and under VeryHighLatency's 5s; 800ms responses miss the
 * 500ms latency SLO while the p95 stays under 2s.
 */
import type { ExpectedAlert, ServiceContext } from "./expectations";
import type { LocalStack } from "./local-stack";
import { type AlertmanagerWatcher, type Notification, lastEvaluationOf, prometheusAlerts } from "./observe";
import { isRunning, waitFor } from "../harness/processes";
import { deliveredOnce, forStateRestored, heartbeatKept, noEarlyResolve, replicaKilled } from "./checks";

export type { Check } from "./checks";
import type { Check } from "./checks";

export interface DrillContext {
  stack: LocalStack;
  service: ServiceContext;
  watcher: AlertmanagerWatcher;
  notifications: () => Notification[];
  log: (line: string) => void;
  heartbeatSeconds: number;
  /** The rewritten `for` of an alert, in seconds. */
  holdSeconds: (alertname: string) => number;
  /** The cluster's longest notification wait: (replicas − 1) × peer timeout, plus slack. */
  clusterWaitMs: number;
  /** Bound on any single wait, scaled with the drill. */
  waitMs: number;
}

export interface Window {
  injectedAt: number;
  healedAt: number;
  endedAt: number;
  /** When a scenario's disruption struck (the SIGKILL), if it has one. */
  disruptedAt?: number;
}

/** What a disruption did: its checks, and when it struck. */
export interface Disruption {
  checks: Check[];
  at?: number;
}

export interface Scenario {
  name: string;
  title: string;
  expected: ExpectedAlert[];
  /** Alert names the expected alerts inhibit: none may be notified once its source is in Alertmanager. */
  inhibited: string[];
  /** Keep the fault until these inhibited alerts have been raised and held back, so inhibition is exercised, not assumed. */
  awaitInhibited?: string[];
  inject(ctx: DrillContext): Promise<void>;
  heal(ctx: DrillContext): Promise<void>;
  /** Runs right after the injection, beside the wait for the first notifications. */
  disrupt?(ctx: DrillContext, injectedAt: number): Promise<Disruption>;
  /** After the resolved notifications: puts back what `disrupt` took away. */
  restore?(ctx: DrillContext): Promise<void>;
  /** Checks over the scenario's whole window; `channels` maps each expected alert to the channels the routes send it to. */
  verify?(ctx: DrillContext, window: Window, channels: Map<string, string[]>): Check[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const setFaults = (faults: Partial<{ errorRatio: number; latencyMs: number; healthy: boolean }>) => async (ctx: DrillContext) => {
  Object.assign((ctx.stack.service as NonNullable<LocalStack["service"]>).faults, faults);
};

const serviceDown = async (ctx: DrillContext) => ctx.stack.service?.stop();
const serviceUp = async (ctx: DrillContext) => ctx.stack.service?.start();

/** Every alert a ServiceDown silences (inhibit rule: same service, any other name but Watchdog) that this fault raises too. */
const silencedByServiceDown = ["EndpointDown", "SLOMetricAbsent"];

export const scenarios: Scenario[] = [
  {
    name: "service-down",
    title: "the service stops answering (scrape and probe fail)",
    expected: [{ alertname: "ServiceDown" }],
    inhibited: silencedByServiceDown,
    // EndpointDown waits longer (for: 2m) than ServiceDown (1m): hold the outage until it fires and is held back.
    awaitInhibited: ["EndpointDown"],
    inject: serviceDown,
    heal: serviceUp,
  },
  {
    name: "error-spike",
    title: "20% of requests fail with 500",
    // The fast burn pages beside HighErrorRate: both are critical and have different names, so neither inhibits the other.
    expected: [{ alertname: "HighErrorRate" }, { alertname: "SLOErrorBudgetFastBurn", labels: { slo: "availability" } }],
    inhibited: ["SLOErrorBudgetSlowBurn"],
    inject: setFaults({ errorRatio: 0.2 }),
    heal: setFaults({ errorRatio: 0 }),
  },
  {
    name: "latency-spike",
    title: "every request takes 3s (p95 over the 2s warning, under the 5s critical)",
    expected: [{ alertname: "HighLatency" }],
    inhibited: [],
    inject: setFaults({ latencyMs: 3000 }),
    heal: setFaults({ latencyMs: 0 }),
  },
  {
    name: "slo-fast-burn",
    title: "every request takes 800ms: the 500ms latency SLO burns fast while the p95 stays under 2s",
    expected: [{ alertname: "SLOErrorBudgetFastBurn", labels: { slo: "latency" } }],
    inhibited: ["SLOErrorBudgetSlowBurn"],
    inject: setFaults({ latencyMs: 800 }),
    heal: setFaults({ latencyMs: 0 }),
  },
  {
    name: "probe-failure",
    title: "/healthz answers 503 while /metrics still works",
    expected: [{ alertname: "EndpointDown" }],
    inhibited: [],
    inject: setFaults({ healthy: false }),
    heal: setFaults({ healthy: true }),
  },
  {
    name: "alertmanager-killed",
    title: "the service goes down and the notifying Alertmanager replica is SIGKILLed before it sends",
    expected: [{ alertname: "ServiceDown" }],
    inhibited: silencedByServiceDown,
    inject: serviceDown,
    heal: serviceUp,
    async disrupt(ctx, injectedAt) {
      const arrived = await waitFor("ServiceDown in Alertmanager", async () => ctx.watcher.seen("ServiceDown", injectedAt)[0], ctx.waitMs, 50);
      // The replica first in the gossip order sends; the heartbeat payload names it.
      const beats = ctx.notifications().filter((n) => n.channel === "heartbeat" && n.sender);
      const leaderUrl = beats[beats.length - 1]?.sender;
      const victim = ctx.stack.alertmanagers.find((am) => am.url === leaderUrl) ?? ctx.stack.alertmanagers[0];
      // Let the sinks take in whatever already arrived, so a copy the victim sent is stamped before the kill.
      await new Promise((r) => setImmediate(r));
      const at = Date.now();
      await ctx.stack.killAlertmanager(victim);
      const after = at - arrived.firstSeen;
      ctx.log(`killed ${victim.name} (pid ${victim.proc?.proc.pid}) ${after}ms after ServiceDown reached Alertmanager`);
      const answers = await fetch(`${victim.url}/-/ready`, { signal: AbortSignal.timeout(1000) }).then(
        () => true,
        () => false,
      );
      const check = replicaKilled(victim.name, victim.proc?.proc.signalCode ?? null, answers);
      check.detail += `; the heartbeat sender${leaderUrl ? "" : " (no heartbeat seen: first replica)"}, ${after}ms after ServiceDown reached Alertmanager`;
      return { checks: [check], at };
    },
    async restore(ctx) {
      for (const am of ctx.stack.alertmanagers) if (am.proc && !isRunning(am.proc)) await ctx.stack.startAlertmanager(am);
      await ctx.stack.waitForCluster();
    },
    verify: (ctx, window, channels) => [
      deliveredOnce(ctx.notifications(), "ServiceDown", channels.get("ServiceDown") ?? [], window),
      heartbeatKept(ctx.notifications(), ctx.heartbeatSeconds, window),
    ],
  },
  {
    name: "prometheus-killed",
    title: "20% of requests fail and Prometheus is SIGKILLed halfway through HighErrorRate's for, then restarted on the same data",
    // HighErrorRate has the longest `for` of the service alerts: `kill -9` loses the WAL page not yet
    // written out (a few seconds of samples here), so only a pending state older than that can come back.
    expected: [{ alertname: "HighErrorRate" }],
    inhibited: ["SLOErrorBudgetSlowBurn"],
    inject: setFaults({ errorRatio: 0.2 }),
    heal: setFaults({ errorRatio: 0 }),
    async disrupt(ctx) {
      const prom = ctx.stack.prometheusUrl;
      const alertname = "HighErrorRate";
      // Killed halfway through `for`: a restored alert keeps what it served, a fresh one starts again at 0.
      const half = (ctx.holdSeconds(alertname) * 1000) / 2;
      const pending = await waitFor(
        `${alertname} pending in Prometheus for half its for`,
        async () => (await prometheusAlerts(prom)).find((a) => a.labels.alertname === alertname && a.state === "pending" && Date.now() - Date.parse(a.activeAt) >= half),
        ctx.waitMs,
        50,
      );
      await ctx.stack.killPrometheus();
      const killedAt = Date.now();
      // The outage: shorter than the 4 × resend-delay for which Alertmanager keeps an alert Prometheus stopped sending.
      await sleep(2000);
      await ctx.stack.startPrometheus();
      const restartedAt = Date.now();
      // Prometheus evaluates twice, then restores `for` state from ALERTS_FOR_STATE; a fresh alert would be active since the first evaluation.
      const firstEvaluation = await waitFor("the first rule evaluation after the restart", async () => lastEvaluationOf(prom, alertname), ctx.waitMs, 50);
      await waitFor(
        "the second rule evaluation after the restart",
        async () => (((await lastEvaluationOf(prom, alertname)) ?? 0) > firstEvaluation ? true : undefined),
        ctx.waitMs,
        50,
      );
      await sleep(300);
      const again = await waitFor(`${alertname} back in Prometheus`, async () => (await prometheusAlerts(prom)).find((a) => a.labels.alertname === alertname), ctx.waitMs, 100);
      const before = Date.parse(pending.activeAt);
      const after = Date.parse(again.activeAt);
      const served = killedAt - before;
      const kept = firstEvaluation - after;
      ctx.log(`prometheus SIGKILLed ${served}ms into ${alertname}'s pending state, restarted after ${restartedAt - killedAt}ms; activeAt ${pending.activeAt} → ${again.activeAt}`);
      const check = forStateRestored(served, kept);
      check.detail += ` (activeAt ${new Date(after).toISOString()}, first evaluation ${new Date(firstEvaluation).toISOString()})`;
      return { checks: [check], at: killedAt };
    },
    // Prometheus' restart must not page twice: no replica died, so no second copy is excused.
    verify: (ctx, window, channels) => [
      deliveredOnce(ctx.notifications(), "HighErrorRate", channels.get("HighErrorRate") ?? [], { ...window, disruptedAt: undefined }),
      noEarlyResolve(ctx.notifications(), "HighErrorRate", window),
      heartbeatKept(ctx.notifications(), ctx.heartbeatSeconds, window),
    ],
  },
];

export function selectScenarios(names: string[] | undefined): Scenario[] {
  if (names === undefined || names.length === 0) return scenarios;
  const unknown = names.filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(", ")}; expected one of: ${scenarios.map((s) => s.name).join(", ")}`);
  return scenarios.filter((s) => names.includes(s.name));
}

/** Alerts currently pending or firing in Prometheus for the service, by name. */
export async function activeAlertNames(ctx: DrillContext): Promise<string[]> {
  return (await prometheusAlerts(ctx.stack.prometheusUrl)).filter((a) => a.labels.service === ctx.service.name).map((a) => a.labels.alertname);
}
