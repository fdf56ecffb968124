/**
 * Plays one scenario against the running stack and judges it: wait for quiet,
 * inject, wait for every expected channel's firing notification, heal, wait
 * for every resolved one, then compare what arrived with what the
 * configuration says should have, and how fast with how fast it could.
 *
 * Notifications are told apart by their group (alert name and service, the
 * stack's group_by); whether an alert with the scenario's exact labels (an
 * SLO's name, say) was raised is read from Alertmanager's API.
 */
import type { ExpectedAlert, Floor } from "./expectations";
import { endsResolved, inhibitionExercised, leftFiring } from "./checks";
import type { Notification } from "./observe";
import { waitFor } from "../harness/processes";
import type { AlertTiming, ScenarioResult } from "./report";
import { type Check, type DrillContext, type Disruption, type Scenario, type Window, activeAlertNames } from "./scenarios";

export interface AlertExpectation {
  alert: ExpectedAlert;
  channels: string[];
  floor: Floor;
}

const firingOf = (ns: Notification[], alertname: string, since: number) => ns.filter((n) => n.alertname === alertname && n.status === "firing" && n.at >= since);

function missingChannels(ctx: DrillContext, expectations: AlertExpectation[], status: "firing" | "resolved", since: number): string[] {
  const ns = ctx.notifications().filter((n) => n.status === status && n.at >= since && (n.service === undefined || n.service === ctx.service.name));
  return expectations.flatMap((e) => e.channels.filter((ch) => !ns.some((n) => n.alertname === e.alert.alertname && n.channel === ch)).map((ch) => `${e.alert.alertname} → ${ch}`));
}

async function bounded<T>(what: string, notes: string[], work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    notes.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

export interface Played {
  result: ScenarioResult;
  window: Window;
}

export async function playScenario(ctx: DrillContext, scenario: Scenario, expectations: AlertExpectation[]): Promise<Played> {
  const notes: string[] = [];
  const checks: Check[] = [];
  const names = new Set([...scenario.expected.map((e) => e.alertname), ...scenario.inhibited]);
  const started = Date.now();
  await bounded("not quiet before injection", notes, () =>
    waitFor(`no ${[...names].join("/")} active before ${scenario.name}`, async () => ((await activeAlertNames(ctx)).some((n) => names.has(n)) ? undefined : true), ctx.waitMs, 500),
  );

  const injectedAt = Date.now();
  ctx.log(`${scenario.name}: inject — ${scenario.title}`);
  await scenario.inject(ctx);
  const disruption = scenario.disrupt?.(ctx, injectedAt).catch((error: unknown): Disruption => ({ checks: [{ name: "disruption", ok: false, detail: String(error) }] }));
  await bounded("firing notifications", notes, () =>
    waitFor(`firing notifications of ${scenario.name}`, async () => (missingChannels(ctx, expectations, "firing", injectedAt).length === 0 ? true : undefined), ctx.waitMs, 100),
  );
  const disrupted = disruption ? await disruption : undefined;
  if (disrupted) checks.push(...disrupted.checks);
  const awaited = scenario.awaitInhibited ?? [];
  if (awaited.length > 0) {
    const heldBack = (name: string) => ctx.watcher.seen(name, injectedAt).some((s) => s.firstInhibited !== undefined);
    await bounded("inhibited alerts", notes, () => waitFor(`${awaited.join("/")} raised and held back`, async () => (awaited.every(heldBack) ? true : undefined), ctx.waitMs, 100));
    checks.push(inhibitionExercised(awaited, heldBack));
  }

  const healedAt = Date.now();
  ctx.log(`${scenario.name}: heal`);
  await scenario.heal(ctx);
  await bounded("resolved notifications", notes, () =>
    waitFor(`resolved notifications of ${scenario.name}`, async () => (missingChannels(ctx, expectations, "resolved", healedAt).length === 0 ? true : undefined), ctx.waitMs, 100),
  );
  const endedAt = Date.now();
  const window: Window = { injectedAt, healedAt, endedAt, disruptedAt: disrupted?.at };
  if (scenario.restore) await bounded("restore", notes, () => (scenario.restore as NonNullable<Scenario["restore"]>)(ctx));
  if (scenario.verify) checks.push(...scenario.verify(ctx, window, new Map(expectations.map((e) => [e.alert.alertname, e.channels]))));
  return { result: judge(ctx, scenario, expectations, window, { notes, checks, durationMs: Date.now() - started }), window };
}

/**
 * After the resolved notifications, every channel must end resolved. A
 * replica that flushed just before Prometheus' resolved alert reached it can
 * still send a stale FIRING once its wait is over, and a RESOLVED at its next
 * flush: a known Alertmanager HA behaviour (prometheus/alertmanager#4008,
 * #2447), noted when seen. A channel left FIRING is a miss.
 */
export async function settleScenario(ctx: DrillContext, played: Played, boundMs: number): Promise<void> {
  const names = new Set(played.result.alerts.map((a) => a.alertname));
  const { endedAt } = played.window;
  const after = () => ctx.notifications().filter((n) => names.has(n.alertname) && n.at > endedAt && (n.service === undefined || n.service === ctx.service.name));
  const open = () => leftFiring(after(), endedAt);
  await new Promise((r) => setTimeout(r, Math.max(0, endedAt + ctx.clusterWaitMs - Date.now())));
  if (open().length > 0) await waitFor("stale FIRING followed by RESOLVED", async () => (open().length === 0 ? true : undefined), boundMs, 100).catch(() => undefined);
  const until = Date.now();
  const refired = after().filter((n) => n.status === "firing");
  const check = endsResolved(open(), until - endedAt);
  played.result.checks.push(check);
  played.result.ok = played.result.ok && check.ok;
  if (refired.length > 0)
    played.result.notes.push(
      `stale FIRING after RESOLVED from a lagging Alertmanager replica (prometheus/alertmanager#4008): ${refired.map((n) => `${n.channel} +${((n.at - endedAt) / 1000).toFixed(1)}s`).join(", ")}`,
    );
  played.result.timeline.push(...timelineOf(ctx, played.window.injectedAt, endedAt, until));
}

function timelineOf(ctx: DrillContext, injectedAt: number, from: number, to: number): ScenarioResult["timeline"] {
  return ctx
    .notifications()
    .filter((n) => n.at > from && n.at <= to && n.channel !== "heartbeat")
    .map((n) => ({ atMs: n.at - injectedAt, channel: n.channel, alertname: n.alertname, status: n.status }));
}

export function judge(
  ctx: DrillContext,
  scenario: Scenario,
  expectations: AlertExpectation[],
  window: Window,
  partial: { notes: string[]; checks: Check[]; durationMs: number },
): ScenarioResult {
  const { notes, checks } = partial;
  const all = ctx.notifications().filter((n) => n.at >= window.injectedAt && n.at <= window.endedAt && (n.service === undefined || n.service === ctx.service.name));
  const expectedNames = new Set(scenario.expected.map((e) => e.alertname));
  const expectedReceivers = [...new Set(expectations.flatMap((e) => e.channels))].sort();
  const actualReceivers = [...new Set(all.filter((n) => n.status === "firing" && expectedNames.has(n.alertname)).map((n) => n.channel))].sort();

  for (const e of expectations) {
    const raised = ctx.watcher.seen(e.alert.alertname, window.injectedAt).some((s) => Object.entries(e.alert.labels ?? {}).every(([k, v]) => s.labels[k] === v));
    checks.push({
      name: `${e.alert.alertname} raised`,
      ok: raised,
      detail: raised ? `reached Alertmanager with ${JSON.stringify(e.alert.labels ?? {})}` : `no ${e.alert.alertname} ${JSON.stringify(e.alert.labels ?? {})} reached Alertmanager`,
    });
  }

  // Inhibition holds from the moment a source is in Alertmanager; a target notified before that lost a race, which is noted.
  const sources = scenario.expected.flatMap((e) => ctx.watcher.seen(e.alertname, window.injectedAt)).map((s) => s.firstSeen);
  const sourceArrival = sources.length > 0 ? Math.min(...sources) : Infinity;
  let inhibitionRespected = true;
  const inhibitionExercised: string[] = [];
  for (const name of scenario.inhibited) {
    const sightings = ctx.watcher.seen(name, window.injectedAt).filter((s) => s.labels.service === undefined || s.labels.service === ctx.service.name);
    if (sightings.length > 0) inhibitionExercised.push(name);
    const held = sightings.filter((s) => s.firstInhibited !== undefined).length;
    if (sightings.length > 0) notes.push(`${name} reached Alertmanager ${held > 0 ? "and was held back as inhibited" : "and was never marked inhibited"}`);
    for (const n of all.filter((x) => x.alertname === name && x.status === "firing")) {
      // The watcher polls every 200ms and Alertmanager flushes a group at once: a second of slack separates a race from a violation.
      if (n.at > sourceArrival + 1000) {
        inhibitionRespected = false;
        notes.push(`${name} notified on ${n.channel} ${((n.at - sourceArrival) / 1000).toFixed(1)}s after its inhibiting alert reached Alertmanager`);
      } else notes.push(`${name} notified on ${n.channel} before its inhibiting alert reached Alertmanager (the two fired apart by more than group_wait)`);
    }
  }

  const missingResolved = missingChannels(ctx, expectations, "resolved", window.healedAt);
  const resolvedArrived = missingResolved.length === 0;
  if (!resolvedArrived) notes.push(`no resolved notification: ${missingResolved.join(", ")}`);

  // The ratio to the ideal floor comes later, once the fault's series are evaluated offline (drill/floor.ts).
  const alerts: AlertTiming[] = expectations.map((e) => {
    const first = firingOf(all, e.alert.alertname, window.injectedAt)[0];
    const arrivals = ctx.watcher.seen(e.alert.alertname, window.injectedAt).filter((s) => Object.entries(e.alert.labels ?? {}).every(([k, v]) => s.labels[k] === v));
    const arrived = arrivals.length > 0 ? Math.min(...arrivals.map((s) => s.firstSeen)) : undefined;
    const { scrapeSeconds: scrape, evaluationSeconds: evaluation, forSeconds, groupWaitSeconds: groupWait } = e.floor;
    return {
      alertname: e.alert.alertname,
      latencyMs: first ? first.at - window.injectedAt : undefined,
      reachedAlertmanagerMs: arrived === undefined ? undefined : arrived - window.injectedAt,
      pipelineFloorMs: e.floor.totalMs,
      pipelineFloor: { scrape, evaluation, for: forSeconds, groupWait },
    };
  });
  for (const a of alerts.slice(1))
    notes.push(`${a.alertname}: ${a.latencyMs === undefined ? "not notified" : `${(a.latencyMs / 1000).toFixed(1)}s`} (pipeline floor ${(a.pipelineFloorMs / 1000).toFixed(1)}s)`);
  const primary = alerts[0];
  const floor = primary.pipelineFloor;
  notes.push(`pipeline floor of ${primary.alertname}: scrape ${floor.scrape}s + evaluation ${floor.evaluation}s + for ${floor.for}s + group_wait ${floor.groupWait}s`);

  const others = new Map<string, Set<string>>();
  for (const n of all.filter((x) => x.status === "firing" && !names(scenario).has(x.alertname) && x.channel !== "heartbeat"))
    others.set(n.alertname, (others.get(n.alertname) ?? new Set()).add(n.channel));
  for (const [name, channels] of others) notes.push(`also notified: ${name} on ${channels.size} channel${channels.size === 1 ? "" : "s"}`);

  const receiversMatch = expectedReceivers.length === actualReceivers.length && expectedReceivers.every((r) => actualReceivers.includes(r));
  const ok = receiversMatch && inhibitionRespected && resolvedArrived && primary.latencyMs !== undefined && checks.every((c) => c.ok);
  return {
    name: scenario.name,
    title: scenario.title,
    expectedReceivers,
    actualReceivers,
    inhibitionRespected,
    resolvedArrived,
    latencyMs: primary.latencyMs,
    pipelineFloorMs: primary.pipelineFloorMs,
    ok,
    notes,
    alerts,
    inhibitionExercised,
    checks,
    timeline: timelineOf(ctx, window.injectedAt, window.injectedAt - 1, window.endedAt),
    durationMs: partial.durationMs,
  };
}

function names(scenario: Scenario): Set<string> {
  return new Set([...scenario.expected.map((e) => e.alertname), ...scenario.inhibited, "Watchdog"]);
}
