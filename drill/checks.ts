/**
 * The drill's scenario checks as pure functions of what the sinks received and
 * what the drill observed, so each can be shown failing on a broken input
 * (test/drill/checks.test.ts).
 */
import type { Notification } from "./observe";
import type { Window } from "./scenarios";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/**
 * Every channel the routes name got the alert's firing notification, once.
 *
 * When a scenario killed an Alertmanager replica (`window.disruptedAt`), one
 * second copy per channel is what Alertmanager's HA promises at most: a
 * replica that sent and died before its notification log reached its peers
 * is indistinguishable, to them, from one that never sent. It is excused only
 * where the sink's own timestamps show a copy that arrived before the kill
 * (the victim had sent) and one after it (a survivor); two copies after the
 * kill mean the survivors themselves paged twice.
 */
export function deliveredOnce(notifications: Notification[], alertname: string, channels: string[], window: Window): Check {
  const firing = notifications.filter((n) => n.alertname === alertname && n.status === "firing" && n.at >= window.injectedAt && n.at <= window.endedAt);
  const problems: string[] = [];
  const excused: string[] = [];
  for (const channel of channels) {
    const copies = firing.filter((n) => n.channel === channel);
    if (copies.length === 0) {
      problems.push(`${channel}: never notified`);
      continue;
    }
    if (copies.length === 1) continue;
    const killedAt = window.disruptedAt;
    const before = killedAt === undefined ? [] : copies.filter((n) => n.at <= killedAt);
    const after = copies.length - before.length;
    if (killedAt !== undefined && before.length === 1 && after === 1) {
      excused.push(`${channel} ×2 (first ${s(killedAt - before[0].at)} before the kill: the victim had sent)`);
    } else {
      const where = killedAt === undefined ? "" : ` (${before.length} before the kill, ${after} after)`;
      problems.push(`${channel} ×${copies.length}${where}`);
    }
  }
  if (channels.length === 0) problems.push("no channel expected: nothing to check");
  const detail =
    problems.length > 0
      ? `${alertname}: ${problems.join(", ")}`
      : `${alertname} reached each of ${channels.length} channels once${excused.length > 0 ? `; excused: ${excused.join(", ")}` : ""}`;
  return { name: "every channel once", ok: problems.length === 0, detail };
}

/**
 * The dead man's switch kept beating: no gap longer than twice its interval,
 * the window's end included (the drill keeps the interval at least twice the
 * cluster's failover wait, as the stack does: see minHeartbeatSeconds).
 */
export function heartbeatKept(notifications: Notification[], heartbeatSeconds: number, window: Window): Check {
  const beats = notifications.filter((n) => n.channel === "heartbeat" && n.at >= window.injectedAt - heartbeatSeconds * 1000 && n.at <= window.endedAt);
  const gaps = beats.slice(1).map((b, i) => b.at - beats[i].at);
  const worst = Math.max(0, ...gaps, beats.length > 0 ? window.endedAt - beats[beats.length - 1].at : Infinity);
  return { name: "heartbeat", ok: worst <= 2 * heartbeatSeconds * 1000, detail: `${beats.length} beats, longest gap ${s(worst)} (interval ${heartbeatSeconds}s)` };
}

/** No resolved notification while the fault still held. */
export function noEarlyResolve(notifications: Notification[], alertname: string, window: Window): Check {
  const early = notifications.filter((n) => n.alertname === alertname && n.status === "resolved" && n.at >= window.injectedAt && n.at < window.healedAt);
  return {
    name: "no false resolve",
    ok: early.length === 0,
    detail: early.length === 0 ? `no resolved ${alertname} before the fault was healed` : `resolved sent while still broken on ${early.map((n) => n.channel).join(", ")}`,
  };
}

/** The victim is really gone: its process ended by SIGKILL and its API no longer answers. */
export function replicaKilled(name: string, signal: NodeJS.Signals | null, stillAnswers: boolean): Check {
  const ok = signal === "SIGKILL" && !stillAnswers;
  const how = signal === null ? "its process did not end" : `its process ended by ${signal}`;
  return { name: "replica killed", ok, detail: `${name}: ${how}, its API ${stillAnswers ? "still answers" : "no longer answers"}` };
}

/**
 * After a SIGKILL and restart, the alert's pending time was restored from
 * ALERTS_FOR_STATE: at least a second of what it had served before the kill
 * is kept (a fresh alert keeps none).
 */
export function forStateRestored(servedMs: number, keptMs: number): Check {
  return {
    name: "for state restored",
    ok: keptMs >= 1000,
    detail: `pending ${s(servedMs)} when killed; ${s(keptMs)} of it kept after the restart`,
  };
}

/** Channels whose last word on an alert, after `since`, is still FIRING ("alert → channel"). */
export function leftFiring(notifications: Notification[], since: number): string[] {
  const last = new Map<string, Notification>();
  for (const n of notifications.filter((x) => x.at > since)) last.set(`${n.alertname} → ${n.channel}`, n);
  return [...last].filter(([, n]) => n.status === "firing").map(([key]) => key);
}

/** After the resolved notifications and the cluster's longest wait, no channel is left FIRING. */
export function endsResolved(open: string[], waitedMs: number): Check {
  return {
    name: "ends resolved",
    ok: open.length === 0,
    detail: open.length > 0 ? `still FIRING ${s(waitedMs)} after the resolved notification: ${open.join(", ")}` : `every channel's last word is RESOLVED ${s(waitedMs)} later`,
  };
}

/** Each alert the scenario waits to see inhibited reached Alertmanager and was held back there. */
export function inhibitionExercised(awaited: string[], heldBack: (alertname: string) => boolean): Check {
  const missing = awaited.filter((name) => !heldBack(name));
  return {
    name: "inhibition exercised",
    ok: awaited.length > 0 && missing.length === 0,
    detail: missing.length === 0 ? `${awaited.join(", ")} raised while the outage lasted, and held back` : `${missing.join(", ")} never reached Alertmanager as inhibited`,
  };
}
