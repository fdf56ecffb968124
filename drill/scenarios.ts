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
import { isRunning, waitFor } from "./processes";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

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
  disrupt?(ctx: DrillContext, injectedAt: number): Promise<Check[]>;
  /** After the resolved notifications: puts back what `disrupt` took away. */
  restore?(ctx: DrillContext): Promise<void>;
  /** Checks over the scenario's whole window. */
  verify?(ctx: DrillContext, window: Window): Check[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const setFaults = (faults: Partial<{ errorRatio: number; latencyMs: number; healthy: boolean }>) => async (ctx: DrillContext) => {
  Object.assign((ctx.stack.service as NonNullable<LocalStack["service"]>).faults, faults);
};

const serviceDown = async (ctx: DrillContext) => ctx.stack.service?.stop();
const serviceUp = async (ctx: DrillContext) => ctx.stack.service?.start();

/** Every alert a ServiceDown silences (inhibit rule: same service, any other name but Watchdog) that this fault raises too. */
const silencedByServiceDown = ["EndpointDown", "SLOMetricAbsent"];

/** Each channel got exactly one firing notification for `alertname` in the window. */
function exactlyOnce(ctx: DrillContext, alertname: string, window: Window): Check {
  const firing = ctx.notifications().filter((n) => n.alertname === alertname && n.status === "firing" && n.at >= window.injectedAt && n.at <= window.endedAt);
  const counts = new Map<string, number>();
  for (const n of firing) counts.set(n.channel, (counts.get(n.channel) ?? 0) + 1);
  const twice = [...counts].filter(([, c]) => c > 1);
  return {
    name: "exactly once",
    ok: firing.length > 0 && twice.length === 0,
    detail: twice.length === 0 ? `one firing ${alertname} per channel (${counts.size} channels)` : `duplicates: ${twice.map(([ch, c]) => `${ch} ×${c}`).join(", ")}`,
  };
}

/** The dead man's switch kept beating: no gap longer than twice its interval. */
function heartbeatKept(ctx: DrillContext, window: Window): Check {
  const beats = ctx.notifications().filter((n) => n.channel === "heartbeat" && n.at >= window.injectedAt - ctx.heartbeatSeconds * 1000 && n.at <= window.endedAt);
  const gaps = beats.slice(1).map((b, i) => b.at - beats[i].at);
  const worst = Math.max(0, ...gaps, beats.length > 0 ? window.endedAt - beats[beats.length - 1].at : Infinity);
  return { name: "heartbeat", ok: worst <= 2 * ctx.heartbeatSeconds * 1000, detail: `${beats.length} beats, longest gap ${(worst / 1000).toFixed(1)}s (interval ${ctx.heartbeatSeconds}s)` };
}

function noEarlyResolve(ctx: DrillContext, alertname: string, window: Window): Check {
  const early = ctx.notifications().filter((n) => n.alertname === alertname && n.status === "resolved" && n.at >= window.injectedAt && n.at < window.healedAt);
  return { name: "no false resolve", ok: early.length === 0, detail: early.length === 0 ? `no resolved ${alertname} before the fault was healed` : `resolved sent while still broken on ${early.map((n) => n.channel).join(", ")}` };
}

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
      await ctx.stack.killAlertmanager(victim);
      const after = Date.now() - arrived.firstSeen;
      ctx.log(`killed ${victim.name} (pid ${victim.proc?.proc.pid}) ${after}ms after ServiceDown reached Alertmanager`);
      return [{ name: "replica killed", ok: true, detail: `${victim.name}, the heartbeat sender${leaderUrl ? "" : " (no heartbeat seen: first replica)"}, SIGKILLed ${after}ms after ServiceDown reached Alertmanager` }];
    },
    async restore(ctx) {
      for (const am of ctx.stack.alertmanagers) if (am.proc && !isRunning(am.proc)) await ctx.stack.startAlertmanager(am);
      await ctx.stack.waitForCluster();
    },
    verify: (ctx, window) => [exactlyOnce(ctx, "ServiceDown", window), heartbeatKept(ctx, window)],
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
      await waitFor("the second rule evaluation after the restart", async () => ((await lastEvaluationOf(prom, alertname)) ?? 0) > firstEvaluation ? true : undefined, ctx.waitMs, 50);
      await sleep(300);
      const again = await waitFor(`${alertname} back in Prometheus`, async () => (await prometheusAlerts(prom)).find((a) => a.labels.alertname === alertname), ctx.waitMs, 100);
      const before = Date.parse(pending.activeAt);
      const after = Date.parse(again.activeAt);
      const served = killedAt - before;
      const kept = firstEvaluation - after;
      ctx.log(`prometheus SIGKILLed ${served}ms into ${alertname}'s pending state, restarted after ${restartedAt - killedAt}ms; activeAt ${pending.activeAt} → ${again.activeAt}`);
      return [
        {
          name: "for state restored",
          // Restored, activeAt moves forward by the outage only: the pending time served up to the last sample on disk is kept.
          ok: kept >= 1000,
          detail: `pending ${(served / 1000).toFixed(1)}s when killed; ${(kept / 1000).toFixed(1)}s of it kept after the restart (activeAt ${new Date(after).toISOString()}, first evaluation ${new Date(firstEvaluation).toISOString()})`,
        },
      ];
    },
    verify: (ctx, window) => [exactlyOnce(ctx, "HighErrorRate", window), noEarlyResolve(ctx, "HighErrorRate", window), heartbeatKept(ctx, window)],
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
