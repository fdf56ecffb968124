/**
 * The PagerDuty services the stack manages (`notifications.pagerduty.managed`, `routing.teams[].pagerduty.managed`)
 * and the Alertmanager key file each one's integration key fills. Pure: the plan marks those keys as set,
 * and the stack creates the services and mounts their keys.
 */
import type { PagerDutyTeam } from "../components/pagerduty/plan";
import { stackPagerDutyTeam, teamRoutingKey } from "../model/routing";
import type { StackConfig } from "./config/schema";

export interface ManagedPaging {
  /** One per managed service, for PagerDutyEscalation. */
  teams: PagerDutyTeam[];
  /** Alertmanager's secret file -> the managed team whose integration key it holds. */
  keyFiles: Record<string, string>;
}

export function managedPaging(cfg: Pick<StackConfig, "notifications" | "routing">): ManagedPaging {
  const teams: PagerDutyTeam[] = [];
  const keyFiles: Record<string, string> = {};
  const pd = cfg.notifications.pagerduty;
  if (!pd.enabled) return { teams, keyFiles };
  const add = (name: string, file: string, m: NonNullable<typeof pd.managed>) => {
    teams.push({ name, levels: m.levels, numLoops: m.numLoops, teamId: m.teamId });
    keyFiles[file] = name;
  };
  if (pd.managed !== undefined) add(stackPagerDutyTeam, "pagerdutyRoutingKey", pd.managed);
  for (const team of cfg.routing.teams) if (team.pagerduty?.managed !== undefined) add(team.name, teamRoutingKey(team.name), team.pagerduty.managed);
  return { teams, keyFiles };
}
