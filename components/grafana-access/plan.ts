/**
 * Grafana team folders' permissions, as data: the teams (each with the union of the members its
 * folders list) and, per folder, the permission items that replace Grafana's defaults. Pure: the
 * component (./index.ts) creates what this plans.
 */
import { type FolderPermissionsSpec, grafanaTeamPattern } from "../grafana/spec";

/** A provisioned team folder that has permissions. */
export interface PermittedFolder {
  /** The folder's title, for messages. */
  name: string;
  /** The folder's uid, as its dashboard provider fixes it. */
  uid: string;
  permissions: FolderPermissionsSpec;
}

export interface GrafanaTeamPlan {
  name: string;
  /** E-mail addresses, sorted, each once. */
  members: string[];
}

/** One item of a folder's permission list: a team's or a basic role's. */
export type FolderPermissionItem = { team: string; permission: FolderPermissionsSpec["teamPermission"] } | { role: "Viewer" | "Editor"; permission: "View" };

export interface FolderPermissionPlan {
  folder: string;
  uid: string;
  items: FolderPermissionItem[];
}

export interface GrafanaAccessPlan {
  teams: GrafanaTeamPlan[];
  folders: FolderPermissionPlan[];
}

export function grafanaAccessProblems(folders: readonly PermittedFolder[]): string[] {
  const problems: string[] = [];
  const uids = new Map<string, number>();
  folders.forEach((folder, i) => {
    const at = `folders[${i}]`;
    if (!grafanaTeamPattern.test(folder.permissions.team))
      problems.push(`${at}.permissions.team: got '${folder.permissions.team}'; expected lower-case letters, digits and dashes, such as payments`);
    const first = uids.get(folder.uid);
    if (first !== undefined) problems.push(`${at}.uid: got '${folder.uid}'; folders[${first}] has it too; each folder needs its own uid`);
    else uids.set(folder.uid, i);
  });
  return problems;
}

/**
 * Folders naming the same team share one Grafana team, whose members are all those the folders list:
 * a person listed on any of the team's folders is in the team, so sees all of them.
 */
export function planGrafanaAccess(folders: readonly PermittedFolder[]): GrafanaAccessPlan {
  const members = new Map<string, Set<string>>();
  for (const { permissions } of folders) {
    const set = members.get(permissions.team) ?? new Set<string>();
    for (const email of permissions.members) set.add(email.toLowerCase());
    members.set(permissions.team, set);
  }
  return {
    teams: [...members].map(([name, set]) => ({ name, members: [...set].sort() })),
    folders: folders.map((folder) => ({
      folder: folder.name,
      uid: folder.uid,
      items: [
        { team: folder.permissions.team, permission: folder.permissions.teamPermission },
        ...(folder.permissions.orgViewers ? [{ role: "Viewer", permission: "View" } as const, { role: "Editor", permission: "View" } as const] : []),
      ],
    })),
  };
}

/** Teams that could open none of their folders but through Grafana's admins: no members, and folders closed to the org. */
export function emptyClosedTeams(plan: GrafanaAccessPlan): string[] {
  return plan.teams
    .filter((team) => team.members.length === 0)
    .filter((team) => plan.folders.filter((f) => f.items.some((item) => "team" in item && item.team === team.name)).every((f) => !f.items.some((item) => "role" in item)))
    .map((team) => team.name);
}
