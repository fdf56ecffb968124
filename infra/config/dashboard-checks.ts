/**
 * `watchpost:dashboards`: reads each folder's exported JSON (through the
 * reader the stack file or the Pulumi program hands over) and checks it with
 * the plan's own function, so a dashboard that synth or deploy would refuse is
 * a problem of the configuration, with its key path, before anything is made.
 */
import { emptyClosedTeams, planGrafanaAccess } from "../../components/grafana-access/plan";
import { type FolderFiles, planTeamDashboards, teamFolderUid } from "../../components/grafana/dashboards";
import { slug } from "../../dashboards/provided";
import { stackDatasources } from "../plan";
import type { StackConfig } from "./schema";
import { type ConfigProblem, keyPath } from "./problems";

/** What a folder's ConfigMap may hold: the API server's 1 MiB, less room for the object's own fields. */
export const configMapLimit = 1_000_000;

/** A directory of the project read for a key that names it: its `*.json` files by name, or why it cannot be read. */
export type DirectoryReader = (dir: string) => { files: FolderFiles } | { problem: string };

/** Each folder's files (by folder index), and the problems of reading and checking them. */
export function readTeamDashboards(cfg: StackConfig, read: DirectoryReader | undefined): { files: Array<FolderFiles | undefined>; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const files = cfg.dashboards.folders.map((folder, i) => {
    if (folder.path === undefined) return undefined;
    const key = keyPath(["dashboards", "folders", i, "path"]);
    if (read === undefined) {
      problems.push({ key, value: folder.path, message: "names a directory, but this program reads no project files; declare the dashboards under dashboards instead" });
      return undefined;
    }
    const result = read(folder.path);
    if ("problem" in result) {
      problems.push({ key, value: folder.path, message: result.problem });
      return undefined;
    }
    return result.files;
  });
  const planned = planTeamDashboards(cfg.dashboards.folders, files, stackDatasources(cfg), cfg.environment);
  for (const p of planned.problems) problems.push({ key: keyPath(p.path), value: p.value, message: p.message });
  // On Kubernetes a folder's dashboards are one ConfigMap, which the API server caps at 1 MiB.
  if (cfg.platform === "kubernetes")
    planned.folders.forEach((folder, i) => {
      const bytes = Object.entries(folder.dashboards).reduce((sum, [file, json]) => sum + Buffer.byteLength(file) + Buffer.byteLength(json), 0);
      if (bytes > configMapLimit)
        problems.push({
          key: keyPath(["dashboards", "folders", i]),
          value: folder.name,
          message: `holds ${bytes} bytes of dashboards, more than a Kubernetes ConfigMap takes (${configMapLimit}); split them into two folders`,
        });
    });
  return { files, problems };
}

/**
 * Folder permissions are set through Grafana's API as its admin, at Docker's published port or, on
 * Kubernetes, at Grafana's Ingress host: without `ingress.domain` there is no address to reach.
 */
export function folderPermissionProblems(cfg: StackConfig): ConfigProblem[] {
  if (cfg.platform === "docker" || cfg.ingress.domain !== undefined) return [];
  return cfg.dashboards.folders.flatMap((folder, i) =>
    folder.permissions === undefined
      ? []
      : [
          {
            key: keyPath(["dashboards", "folders", i, "permissions"]),
            value: { team: folder.permissions.team },
            message:
              "is set, but pulumi up sets folder permissions through Grafana's API at its Ingress host (https://grafana.<ingress.domain>), and ingress.domain is not set; set ingress.domain, or remove permissions (the org's roles then decide who sees the folder)",
          },
        ],
  );
}

/** A team without members whose folders are closed to the org: only Grafana's admins can open them. */
export function folderPermissionWarnings(cfg: StackConfig): string[] {
  const permitted = cfg.dashboards.folders.flatMap((folder) =>
    folder.permissions === undefined ? [] : [{ name: folder.name, uid: teamFolderUid(slug(folder.name)), permissions: folder.permissions }],
  );
  return emptyClosedTeams(planGrafanaAccess(permitted)).map((team) => {
    const at = cfg.dashboards.folders.findIndex((folder) => folder.permissions?.team === team);
    return `${keyPath(["dashboards", "folders", at, "permissions"])}: team ${team} has no members and its folders have orgViewers: false, so only Grafana's admins can open them; list the team's e-mail addresses under members`;
  });
}
