/**
 * The PagerDuty side of paging, as data: per team an escalation policy (who is paged, and after how many
 * minutes without acknowledgement the next level is), a service on that policy, and the service's
 * Events API v2 integration, whose integration key is the routing key Alertmanager sends to. Pure: the
 * component (./index.ts) creates what this plans.
 */

/** One level of a PagerDuty escalation policy: PagerDuty users and schedules by id. */
export interface PagerDutyLevel {
  /** Minutes an incident stays at this level unacknowledged before it escalates to the next. */
  escalateAfterMinutes: number;
  /** PagerDuty user ids, such as PABC123. @default [] */
  users?: string[];
  /** PagerDuty schedule ids (on-call rotations). @default [] */
  schedules?: string[];
}

export interface PagerDutyTeam {
  /** Team name (as in `routing.teams`); names the service `<environment>-<name>` and the policy. */
  name: string;
  /** In order: level 1 is paged first. */
  levels: PagerDutyLevel[];
  /** Times the policy starts over after its last level. @default 0 */
  numLoops?: number;
  /** PagerDuty team id the policy belongs to. @default none */
  teamId?: string;
}

/** PagerDuty's own values (its API's, not the SDK's camel-cased docs). */
export const pagerDutyValues = {
  userTarget: "user_reference",
  scheduleTarget: "schedule_reference",
  eventsV2: "events_api_v2_inbound_integration",
  /** Events API v2 integrations need a service that creates alerts (and incidents from them). */
  alertCreation: "create_alerts_and_incidents",
} as const;

export function pagerDutyTeamProblems(teams: readonly PagerDutyTeam[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  teams.forEach((team, t) => {
    const at = `teams[${t}]`;
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(team.name)) problems.push(`${at}.name: got '${team.name}'; expected lower-case letters, digits and dashes, such as payments`);
    if (seen.has(team.name)) problems.push(`${at}.name: got '${team.name}'; duplicate team name; each must be unique`);
    seen.add(team.name);
    if (team.levels.length === 0) problems.push(`${at}.levels: got []; expected at least one level, such as {escalateAfterMinutes: 5, schedules: [<schedule id>]}`);
    team.levels.forEach((level, l) => {
      if (!Number.isInteger(level.escalateAfterMinutes) || level.escalateAfterMinutes < 1)
        problems.push(`${at}.levels[${l}].escalateAfterMinutes: got ${level.escalateAfterMinutes}; expected a whole number of minutes, at least 1`);
      if ((level.users ?? []).length + (level.schedules ?? []).length === 0) problems.push(`${at}.levels[${l}]: no one to page; expected at least one id under users or schedules`);
    });
    if (team.numLoops !== undefined && (!Number.isInteger(team.numLoops) || team.numLoops < 0 || team.numLoops > 9))
      problems.push(`${at}.numLoops: got ${team.numLoops}; expected a whole number from 0 to 9`);
  });
  return problems;
}

export function planPagerDutyTeam(team: PagerDutyTeam, environment: string) {
  const title = `${environment}-${team.name}`;
  return {
    policy: {
      name: `${title} (Watchpost)`,
      description: `Escalation of ${team.name}'s alerts from Watchpost (${environment}); managed by Pulumi.`,
      numLoops: team.numLoops ?? 0,
      ...(team.teamId === undefined ? {} : { teams: team.teamId }),
      rules: team.levels.map((level) => ({
        escalationDelayInMinutes: level.escalateAfterMinutes,
        targets: [
          ...(level.users ?? []).map((id) => ({ type: pagerDutyValues.userTarget, id })),
          ...(level.schedules ?? []).map((id) => ({ type: pagerDutyValues.scheduleTarget, id })),
        ],
      })),
    },
    service: {
      name: title,
      description: `${team.name}'s alerts from Watchpost's Alertmanager (${environment}); managed by Pulumi.`,
      alertCreation: pagerDutyValues.alertCreation,
    },
    integration: { name: "Watchpost Alertmanager (Events API v2)", type: pagerDutyValues.eventsV2 },
  };
}
