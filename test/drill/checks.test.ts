/**
 * Every check the drill makes, shown passing on a good observation and failing
 * on a broken one: a check that cannot fail proves nothing.
 */
import { describe, expect, it } from "vitest";
import { deliveredOnce, endsResolved, forStateRestored, heartbeatKept, inhibitionExercised, leftFiring, noEarlyResolve, replicaKilled } from "../../drill/checks";
import { floorOf } from "../../drill/expectations";
import type { AlertSighting, Notification } from "../../drill/observe";
import { type AlertExpectation, judge } from "../../drill/play";
import type { DrillContext, Scenario, Window } from "../../drill/scenarios";

const window: Window = { injectedAt: 10_000, healedAt: 40_000, endedAt: 45_000 };
const channels = ["pagerduty", "slack:#critical-alerts"];
const fire = (at: number, channel: string, alertname = "ServiceDown"): Notification => ({ at, channel, alertname, service: "api", status: "firing" });
const resolve = (at: number, channel: string, alertname = "ServiceDown"): Notification => ({ at, channel, alertname, service: "api", status: "resolved" });

describe("every channel once", () => {
  it("passes when each channel got one firing notification", () => {
    expect(deliveredOnce([fire(12_000, "pagerduty"), fire(12_010, "slack:#critical-alerts")], "ServiceDown", channels, window).ok).toBe(true);
  });

  it("fails when one channel got nothing, though another did", () => {
    const c = deliveredOnce([fire(12_000, "pagerduty")], "ServiceDown", channels, window);
    expect(c.ok).toBe(false);
    expect(c.detail).toContain("slack:#critical-alerts: never notified");
  });

  it("fails on a duplicate when no replica was killed", () => {
    const c = deliveredOnce([fire(12_000, "pagerduty"), fire(13_000, "pagerduty"), fire(12_000, "slack:#critical-alerts")], "ServiceDown", channels, window);
    expect(c.ok).toBe(false);
    expect(c.detail).toContain("pagerduty ×2");
  });

  it("excuses a second copy only when the first reached the sink before the kill", () => {
    const killed = { ...window, disruptedAt: 12_500 };
    const victimSent = [fire(12_000, "pagerduty"), fire(14_000, "pagerduty"), fire(14_000, "slack:#critical-alerts")];
    const ok = deliveredOnce(victimSent, "ServiceDown", channels, killed);
    expect(ok.ok).toBe(true);
    expect(ok.detail).toContain("excused: pagerduty ×2");
    const survivorsTwice = [fire(13_000, "pagerduty"), fire(14_000, "pagerduty"), fire(14_000, "slack:#critical-alerts")];
    const bad = deliveredOnce(survivorsTwice, "ServiceDown", channels, killed);
    expect(bad.ok).toBe(false);
    expect(bad.detail).toContain("pagerduty ×2 (0 before the kill, 2 after)");
  });

  it("fails when nothing was expected, rather than passing vacuously", () => {
    expect(deliveredOnce([fire(12_000, "pagerduty")], "ServiceDown", [], window).ok).toBe(false);
  });
});

describe("heartbeat, false resolve, kill and restore", () => {
  const beats = (times: number[]): Notification[] => times.map((at) => ({ at, channel: "heartbeat", alertname: "Watchdog", status: "firing" }));

  it("heartbeat: fails on a gap over twice the interval, and when it stopped before the window's end", () => {
    expect(
      heartbeatKept(
        beats([9_000, 11_000, 13_000, 15_000, 17_000, 19_000, 21_000, 23_000, 25_000, 27_000, 29_000, 31_000, 33_000, 35_000, 37_000, 39_000, 41_000, 43_000]),
        2,
        window,
      ).ok,
    ).toBe(true);
    expect(heartbeatKept(beats([9_000, 11_000, 16_000, 18_000]), 2, window).ok).toBe(false);
    expect(heartbeatKept([], 2, window).ok).toBe(false);
  });

  it("no false resolve: fails on a resolved notification before the heal", () => {
    expect(noEarlyResolve([fire(12_000, "pagerduty"), resolve(41_000, "pagerduty")], "ServiceDown", window).ok).toBe(true);
    expect(noEarlyResolve([fire(12_000, "pagerduty"), resolve(30_000, "pagerduty")], "ServiceDown", window).ok).toBe(false);
  });

  it("replica killed: fails when the process did not die by SIGKILL or its API still answers", () => {
    expect(replicaKilled("alertmanager-0", "SIGKILL", false).ok).toBe(true);
    expect(replicaKilled("alertmanager-0", null, false).ok).toBe(false);
    expect(replicaKilled("alertmanager-0", "SIGTERM", false).ok).toBe(false);
    expect(replicaKilled("alertmanager-0", "SIGKILL", true).ok).toBe(false);
  });

  it("for state restored: fails when the restart kept less than a second of pending time", () => {
    expect(forStateRestored(5_000, 3_000).ok).toBe(true);
    expect(forStateRestored(5_000, 0).ok).toBe(false);
  });

  it("ends resolved: fails when a channel's last word is FIRING", () => {
    const after = [resolve(46_000, "pagerduty"), fire(47_000, "slack:#critical-alerts")];
    expect(leftFiring(after, 45_000)).toEqual(["ServiceDown → slack:#critical-alerts"]);
    expect(endsResolved(leftFiring(after, 45_000), 3000).ok).toBe(false);
    expect(endsResolved(leftFiring([...after, resolve(48_000, "slack:#critical-alerts")], 45_000), 3000).ok).toBe(true);
  });

  it("inhibition exercised: fails when an awaited alert was never held back, or none was awaited", () => {
    expect(inhibitionExercised(["EndpointDown"], () => true).ok).toBe(true);
    expect(inhibitionExercised(["EndpointDown"], () => false).ok).toBe(false);
    expect(inhibitionExercised([], () => true).ok).toBe(false);
  });
});

describe("the scenario verdict (judge)", () => {
  const scenario = { name: "service-down", title: "t", expected: [{ alertname: "ServiceDown" }], inhibited: ["EndpointDown"] } as unknown as Scenario;
  const expectations: AlertExpectation[] = [{ alert: { alertname: "ServiceDown" }, channels, floor: floorOf(1, 1, 2, "1s") }];
  const sighting = (alertname: string, firstSeen: number, inhibited = false): AlertSighting => ({
    alertname,
    labels: { alertname, service: "api" },
    firstSeen,
    lastSeen: firstSeen + 1000,
    firstInhibited: inhibited ? firstSeen : undefined,
  });
  const ctxOf = (ns: Notification[], sightings: AlertSighting[]) =>
    ({
      notifications: () => ns,
      watcher: { seen: (name: string, since: number) => sightings.filter((x) => x.alertname === name && x.firstSeen >= since) },
      service: { name: "api" },
    }) as unknown as DrillContext;
  const good = [fire(15_000, "pagerduty"), fire(15_000, "slack:#critical-alerts"), resolve(42_000, "pagerduty"), resolve(42_000, "slack:#critical-alerts")];
  const sightings = [sighting("ServiceDown", 13_000), sighting("EndpointDown", 20_000, true)];
  const verdict = (ns: Notification[], seen = sightings) => judge(ctxOf(ns, seen), scenario, expectations, window, { notes: [], checks: [], durationMs: 1 });

  it("passes a scenario where everything arrived as configured", () => {
    const r = verdict(good);
    expect(r.ok).toBe(true);
    expect(r.latencyMs).toBe(5000);
  });

  it("fails when a channel the routes name got nothing", () => {
    const r = verdict(good.filter((n) => !(n.channel === "pagerduty" && n.status === "firing")));
    expect(r.ok).toBe(false);
    expect(r.actualReceivers).toEqual(["slack:#critical-alerts"]);
  });

  it("fails when a channel the routes do not name was notified", () => {
    const r = verdict([...good, fire(15_000, "email:oncall@example.test")]);
    expect(r.ok).toBe(false);
  });

  it("fails when an inhibited alert was notified after its source reached Alertmanager", () => {
    const r = verdict([...good, fire(21_000, "slack:#critical-alerts", "EndpointDown")]);
    expect(r.inhibitionRespected).toBe(false);
    expect(r.ok).toBe(false);
  });

  it("fails when a resolved notification is missing", () => {
    const r = verdict(good.filter((n) => n.status === "firing"));
    expect(r.resolvedArrived).toBe(false);
    expect(r.ok).toBe(false);
  });

  it("fails when the alert never reached Alertmanager with its labels", () => {
    const r = verdict(good, [sighting("EndpointDown", 20_000, true)]);
    expect(r.checks.find((c) => c.name === "ServiceDown raised")?.ok).toBe(false);
    expect(r.ok).toBe(false);
  });
});
