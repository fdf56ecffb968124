import type { PagerDutyTeam } from "./plan";

export interface PagerDutyEscalationArgs {
  /** Teams, each with its escalation levels. Required. */
  teams: PagerDutyTeam[];
  /** Prefixes the services' names, such as prod. Required. */
  environment: string;
}
