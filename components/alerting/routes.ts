/**
 * The route tree, in the order Alertmanager tries it:
 *   1. Watchdog  -> heartbeat (or blackhole); stops here, it never reaches a person.
 *   1a. escalation="level-<n>" (routing.escalation) -> that level's receiver; stops here: the alert it
 *       escalates has already been through the routes below.
 *   2. category=security -> security; stops here, so findings stay out of general channels.
 *   3. team=<name> -> that team's channel, then continues to the severity routes.
 *   4. routing.routes[], in order -> the stack's own receivers; each stops here unless it sets `continue`.
 *   4a. team=<name>, severity=critical, for a team with its own PagerDuty service -> the critical
 *       channels, paging the team's service instead of the stack's; stops here.
 *   5. severity=critical|warning|info -> the on-call channels for that severity.
 *   6. anything else -> the root receiver `default`.
 * Team and security routes split by severity below themselves so every
 * severity keeps its own timing wherever it is delivered.
 */
import { severities, type Severity } from "../../model/conventions";
import { durationSeconds, formatDuration } from "../../model/primitives";
import { type AmRoute, type AmTimeInterval, matchEq } from "./amconfig";
import { formatMatcher, parseMatcher } from "../../model/matchers";
import {
  customRouteReceiverName,
  escalationLevelName,
  escalationReceiverName,
  type MutableRoute,
  policyAlertNames,
  receiverNames,
  routingLabels as l,
  teamPageReceiverName,
  teamReceiverName,
} from "../../model/routing";
import { pagedTeams } from "./receivers";
import type { CustomRouteSpec, MaintenanceWindowSpec, NotificationsSpec, RoutingSpec } from "./spec";

type Timing = RoutingSpec["timing"][Severity];

function timingOf(t: Timing): Pick<AmRoute, "group_wait" | "group_interval" | "repeat_interval"> {
  return { group_wait: t.groupWait, group_interval: t.groupInterval, repeat_interval: t.repeatInterval };
}

/** Window names per route they mute. Mute intervals are not inherited by child routes, so callers copy them down. */
function mutesByRoute(windows: readonly MaintenanceWindowSpec[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const w of windows) for (const route of w.mutes) out.set(route, [...(out.get(route) ?? []), w.name]);
  return out;
}

function muted(mutes: Map<string, string[]>, route: MutableRoute): Pick<AmRoute, "mute_time_intervals"> {
  const names = mutes.get(route);
  return names === undefined ? {} : { mute_time_intervals: names };
}

function bySeverity(routing: RoutingSpec, mute: Pick<AmRoute, "mute_time_intervals">): AmRoute[] {
  return severities.map((sev) => ({ matchers: [matchEq(l.severity, sev)], ...timingOf(routing.timing[sev]), ...mute }));
}

/**
 * A repeat is only sent at a group_interval tick, and the tick exactly one
 * repeat_interval after the last beat falls a few milliseconds short of it, so
 * equal intervals would beat every 2x interval. Ticking ten times per interval
 * keeps beats within 10% of the promised interval.
 */
export function heartbeatGroupInterval(interval: string): string {
  const tenth = durationSeconds(interval) / 10;
  // Below a second only tests go; Alertmanager takes millisecond durations there.
  return tenth >= 1 ? formatDuration(Math.floor(tenth)) : `${Math.max(10, Math.round(tenth * 1000))}ms`;
}

export function buildRoute(notifications: NotificationsSpec, routing: RoutingSpec): AmRoute {
  const mutes = mutesByRoute(routing.maintenanceWindows);
  const heartbeat = notifications.heartbeat;
  const watchdog: AmRoute = {
    receiver: heartbeat.enabled ? receiverNames.heartbeat : receiverNames.blackhole,
    matchers: [matchEq(l.alertname, policyAlertNames.watchdog)],
    // The receiver expects a beat every interval; waiting or batching would look like an outage.
    group_wait: "0s",
    group_interval: heartbeatGroupInterval(heartbeat.interval),
    repeat_interval: heartbeat.interval,
  };
  const securityMute = muted(mutes, "security");
  const security: AmRoute = {
    receiver: receiverNames.security,
    matchers: [matchEq(l.category, l.securityCategory)],
    ...timingOf(routing.timing.critical),
    ...securityMute,
    routes: bySeverity(routing, securityMute),
  };
  const teams: AmRoute[] = routing.teams.map((team) => {
    const mute = muted(mutes, `team:${team.name}`);
    return {
      receiver: teamReceiverName(team.name),
      matchers: [matchEq(l.team, team.name)],
      continue: true,
      ...timingOf(routing.timing.warning),
      ...mute,
      routes: bySeverity(routing, mute),
    };
  });
  const own = routing.routes.map((r) => customRoute(routing, r, muted(mutes, `route:${r.name}`)));
  const escalation = escalationRoutes(routing, muted(mutes, "critical"));
  // A page is a critical notification: the critical route's timing and maintenance windows.
  const teamPages: AmRoute[] = pagedTeams(routing).map((team) => ({
    receiver: teamPageReceiverName(team),
    matchers: [matchEq(l.team, team), matchEq(l.severity, "critical")],
    ...timingOf(routing.timing.critical),
    ...muted(mutes, "critical"),
  }));
  const severityRoutes: AmRoute[] = severities.map((sev) => ({
    receiver: receiverNames[sev],
    matchers: [matchEq(l.severity, sev)],
    ...timingOf(routing.timing[sev]),
    ...muted(mutes, sev),
  }));
  return {
    receiver: receiverNames.fallback,
    group_by: [...routing.groupBy],
    ...timingOf(routing.timing.warning),
    routes: [watchdog, ...escalation, security, ...teams, ...own, ...teamPages, ...severityRoutes],
  };
}

/**
 * A route of the stack's own. With no timing of its own, it splits by severity like the team routes, so each
 * severity keeps its timing; with some, those apply to every alert it takes (a digest) and the rest is the root's.
 */
function customRoute(routing: RoutingSpec, r: CustomRouteSpec, mute: Pick<AmRoute, "mute_time_intervals">): AmRoute {
  const timing = {
    ...(r.groupWait === undefined ? {} : { group_wait: r.groupWait }),
    ...(r.groupInterval === undefined ? {} : { group_interval: r.groupInterval }),
    ...(r.repeatInterval === undefined ? {} : { repeat_interval: r.repeatInterval }),
  };
  const ownTiming = Object.keys(timing).length > 0;
  return {
    receiver: customRouteReceiverName(r.name),
    matchers: r.matchers.map((m) => {
      const parsed = parseMatcher(m);
      // render.ts reports unparsable matchers before any route is built.
      return "problem" in parsed ? m : formatMatcher(parsed);
    }),
    ...(r.groupBy === undefined ? {} : { group_by: [...r.groupBy] }),
    ...(r.continue ? { continue: true } : {}),
    ...(ownTiming ? { ...timing, ...mute } : { ...timingOf(routing.timing.warning), ...mute, routes: bySeverity(routing, mute) }),
  };
}

/**
 * One route per escalation level, with critical timing and the critical route's maintenance windows (an
 * escalation is a page). Grouped by the escalated alert's name too: every escalation alert is `AlertEscalated`.
 */
function escalationRoutes(routing: RoutingSpec, mute: Pick<AmRoute, "mute_time_intervals">): AmRoute[] {
  const levels = routing.escalation?.levels ?? [];
  const groupBy = routing.groupBy.includes("...") ? ["..."] : [...new Set([...routing.groupBy, l.escalatedAlertname])];
  return levels.map((_, i) => ({
    receiver: escalationReceiverName(i),
    matchers: [matchEq(l.escalation, escalationLevelName(i))],
    group_by: groupBy,
    ...timingOf(routing.timing.critical),
    ...mute,
  }));
}

const weekdaysInOrder = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

export function buildTimeIntervals(windows: readonly MaintenanceWindowSpec[]): AmTimeInterval[] {
  return windows.map((w) => ({
    name: w.name,
    time_intervals: w.intervals.map((i) => ({
      ...(i.weekdays === undefined ? {} : { weekdays: [...i.weekdays].sort((a, b) => weekdaysInOrder.indexOf(a) - weekdaysInOrder.indexOf(b)) }),
      ...(i.times === undefined ? {} : { times: i.times.map((t) => ({ start_time: t.start, end_time: t.end })) }),
      ...(i.daysOfMonth === undefined ? {} : { days_of_month: [...i.daysOfMonth] }),
      ...(i.months === undefined ? {} : { months: [...i.months] }),
      ...(i.years === undefined ? {} : { years: [...i.years] }),
      location: i.location,
    })),
  }));
}
