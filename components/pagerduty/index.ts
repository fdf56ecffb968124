/**
 * PagerDutyEscalation: per team a PagerDuty escalation policy, a service on it, and the service's Events
 * API v2 integration. Its `routingKeys` are the integrations' keys, as Pulumi secrets: give them to
 * Alertmanager as a mounted file (`routing_key_file`), so no routing key is copied by hand.
 * `pulumi up` needs the pagerduty provider plugin and a PagerDuty API token (`pagerduty:token`).
 */
import * as pagerduty from "@pulumi/pagerduty";
import * as pulumi from "@pulumi/pulumi";
import type { PagerDutyEscalationArgs } from "./args";
import { pagerDutyTeamProblems, planPagerDutyTeam } from "./plan";

export type { PagerDutyEscalationArgs } from "./args";
export type { PagerDutyLevel, PagerDutyTeam } from "./plan";

export class PagerDutyEscalation extends pulumi.ComponentResource {
  /** Team name -> the Events API v2 routing key of its service (a secret). */
  readonly routingKeys: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: PagerDutyEscalationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("watchpost:pagerduty:PagerDutyEscalation", name, {}, opts);
    const problems = pagerDutyTeamProblems(args.teams);
    if (problems.length > 0) throw new pulumi.InputPropertyError({ propertyPath: "teams", reason: problems.join("; ") });
    const keys: Record<string, pulumi.Output<string>> = {};
    for (const team of args.teams) {
      const plan = planPagerDutyTeam(team, args.environment);
      const policy = new pagerduty.EscalationPolicy(`${name}-${team.name}-policy`, plan.policy, { parent: this });
      const service = new pagerduty.Service(`${name}-${team.name}-service`, { ...plan.service, escalationPolicy: policy.id }, { parent: this });
      const integration = new pagerduty.ServiceIntegration(
        `${name}-${team.name}-events`,
        { ...plan.integration, service: service.id },
        { parent: this, additionalSecretOutputs: ["integrationKey"] },
      );
      keys[team.name] = pulumi.secret(integration.integrationKey);
    }
    this.routingKeys = keys;
    this.registerOutputs({ routingKeys: keys });
  }
}
