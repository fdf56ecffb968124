/**
 * GrafanaAccess: per team a Grafana team with its members, and per team folder its permissions (the
 * team's, and View for the org's Viewers and Editors where the folder is open to them), through
 * Grafana's API as its admin. `pulumi up` needs the grafana provider plugin and must reach Grafana.
 */
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import type { GrafanaAccessArgs } from "./args";
import { grafanaAccessProblems, planGrafanaAccess } from "./plan";

export type { GrafanaAccessArgs } from "./args";
export type { PermittedFolder } from "./plan";

/**
 * The Docker container counts as created before Grafana answers: a minute of retries covers its start
 * (and the provisioning of the folders) on a first deploy.
 */
const startupRetries = { retries: 12, retryWait: 5 };

export class GrafanaAccess extends pulumi.ComponentResource {
  /** Team name -> its Grafana team id. */
  readonly teamIds: Record<string, pulumi.Output<number>>;

  constructor(name: string, args: GrafanaAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("watchpost:grafana:GrafanaAccess", name, {}, opts);
    const problems = grafanaAccessProblems(args.folders);
    if (problems.length > 0) throw new pulumi.InputPropertyError({ propertyPath: "folders", reason: problems.join("; ") });
    const plan = planGrafanaAccess(args.folders);
    const provider = new grafana.Provider(
      `${name}-provider`,
      { url: args.url, auth: pulumi.secret(pulumi.interpolate`${args.adminUser}:${args.adminPassword}`), ...startupRetries },
      { parent: this },
    );
    const dependsOn = args.dependsOn ?? [];
    const teams = new Map<string, grafana.oss.Team>();
    for (const team of plan.teams)
      teams.set(team.name, new grafana.oss.Team(`${name}-team-${team.name}`, { name: team.name, members: team.members }, { parent: this, provider, dependsOn }));
    const teamId = (team: string): pulumi.Output<string> => {
      const made = teams.get(team);
      // The plan makes a team of every team a folder names.
      if (made === undefined) throw new Error(`no Grafana team ${team} was planned`);
      return made.teamId.apply(String);
    };
    for (const folder of plan.folders)
      new grafana.oss.FolderPermission(
        `${name}-${folder.uid}`,
        {
          folderUid: folder.uid,
          permissions: folder.items.map((item) => ("team" in item ? { teamId: teamId(item.team), permission: item.permission } : { role: item.role, permission: item.permission })),
        },
        { parent: this, provider, dependsOn },
      );
    this.teamIds = Object.fromEntries([...teams].map(([team, resource]) => [team, resource.teamId]));
    this.registerOutputs({ teamIds: this.teamIds });
  }
}
