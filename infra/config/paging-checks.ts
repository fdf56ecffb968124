/**
 * The checks of PagerDuty paging that span slices: the stack's service (`notifications.pagerduty`) and the
 * teams' own (`routing.teams[].pagerduty`). Each routing key comes from exactly one place: a secret, or the
 * integration of a service the stack manages; a key nobody reads is named too.
 */
import { severityChannels } from "../../components/alerting/receivers";
import { stackPagerDutyTeam, teamRoutingKey } from "../../model/routing";
import { type ConfigProblem, keyPath } from "./problems";
import { type SecretKey, type StackConfig, secretHint, teamSecretOf } from "./schema";

const ns = "watchpost";

export function pagingProblems(cfg: StackConfig, has: (key: SecretKey) => boolean): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const pd = cfg.notifications.pagerduty;
  if (pd.enabled && pd.managed === undefined && !has("pagerdutyRoutingKey"))
    problems.push({
      key: keyPath(["notifications", "pagerduty", "enabled"]),
      value: true,
      message: `PagerDuty is enabled but the secret ${ns}:pagerdutyRoutingKey is not set; ${secretHint("pagerdutyRoutingKey")}, or set notifications.pagerduty.managed to let the stack create the service`,
    });
  if (pd.managed !== undefined && has("pagerdutyRoutingKey"))
    problems.push({
      key: keyPath(["notifications", "pagerduty", "managed"]),
      value: "set",
      message: `is set, so the routing key is the managed service's integration key, but the secret ${ns}:pagerdutyRoutingKey is set too; remove one: pulumi config rm ${ns}:pagerdutyRoutingKey, or remove notifications.pagerduty.managed`,
    });
  if (pd.managed !== undefined && !pd.enabled)
    problems.push({
      key: keyPath(["notifications", "pagerduty", "managed"]),
      value: "set",
      message: "is set but PagerDuty is not enabled; set notifications.pagerduty.enabled: true, or remove managed",
    });

  const critical = severityChannels(cfg.routing, "critical");
  cfg.routing.teams.forEach((team, i) => {
    if (team.pagerduty === undefined) return;
    const at = keyPath(["routing", "teams", i, "pagerduty"]);
    const key = teamRoutingKey(team.name);
    if (!pd.enabled)
      problems.push({ key: at, value: "set", message: "is set but PagerDuty is not enabled; set notifications.pagerduty.enabled: true, or remove this team's pagerduty" });
    else if (!critical.includes("pagerduty"))
      problems.push({
        key: at,
        value: "set",
        message: `is set but routing.channels.critical (${critical.join(", ")}) does not include pagerduty, so no critical alert pages PagerDuty; add pagerduty to routing.channels.critical, or remove this team's pagerduty`,
      });
    if (team.pagerduty.managed === undefined && !has(key))
      problems.push({
        key: at,
        value: "set",
        message: `the team ${team.name}'s own service needs its routing key; ${secretHint(key)}, or set managed to let the stack create the service`,
      });
    if (team.pagerduty.managed !== undefined && has(key))
      problems.push({
        key: keyPath(["routing", "teams", i, "pagerduty", "managed"]),
        value: "set",
        message: `is set, so the team's routing key is the managed service's integration key, but the secret ${ns}:${key} is set too; remove one: pulumi config rm ${ns}:${key}, or remove managed`,
      });
    if (team.pagerduty.managed !== undefined && pd.managed !== undefined && team.name === stackPagerDutyTeam)
      problems.push({
        key: keyPath(["routing", "teams", i, "name"]),
        value: team.name,
        message: `names the PagerDuty service ${cfg.environment}-${stackPagerDutyTeam}, which notifications.pagerduty.managed creates for the whole stack; rename the team`,
      });
  });
  // A team key nobody reads is a mistake in the team's name or a leftover.
  const reading = cfg.routing.teams.filter((t) => t.pagerduty !== undefined && t.pagerduty.managed === undefined).map((t) => t.name);
  for (const key of cfg.secrets) {
    const of = teamSecretOf(key);
    if (of === undefined || reading.includes(of.team)) continue;
    problems.push({
      key: `${ns}:${key}`,
      message: `is the routing key of a team named ${of.team}, but no routing.teams[] entry by that name has pagerduty without managed (teams reading a key of their own: ${reading.join(", ") || "none"}); rename the secret or the team, or remove the secret`,
    });
  }
  return problems;
}
