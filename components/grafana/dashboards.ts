/**
 * The teams' dashboard folders (`watchpost:dashboards`): each folder's exported
 * JSON and declared dashboards, checked and made provisionable, with a uid that
 * is unique across the stack (the built-in dashboards' too) and stable from one
 * deploy to the next. One function serves validation (its problems) and the
 * plan (its folders), so both see the same thing. Pure: the files come read.
 */
import { createHash } from "node:crypto";
import { type DeclaredDashboard, declaredDashboard } from "../../dashboards/declared";
import { derivedDashboardUid, prepareProvidedDashboard, promqlProblem, type StackDatasource, slug } from "../../dashboards/provided";
import { dashboardUids } from "../../model/conventions";

export interface TeamFolderSpec {
  name: string;
  path?: string;
  dashboards: DeclaredDashboard[];
}

/** A folder's exported files as read from its `path`: file name → text. */
export type FolderFiles = Record<string, string>;

export interface TeamFolder {
  /** The Grafana folder's title. */
  name: string;
  /** Its directory (Docker) and the ConfigMaps' name part (Kubernetes): the name in lower case with dashes. */
  directory: string;
  /** The Grafana folder's uid (Docker's provider sets it): `folder-<directory>`, so its permissions can name it. */
  uid: string;
  /** Dashboard JSON by file name, `<uid>.json`, in the order declared: the files of `path` by name, then the declared ones. */
  dashboards: Record<string, string>;
}

export interface TeamDashboardProblem {
  /** Key path under `watchpost:`. */
  path: PropertyKey[];
  value?: unknown;
  message: string;
}

/** The ConfigMap of one team folder's dashboards (Kubernetes), which the Grafana chart mounts for the folder's provider. */
export function teamFolderObjectName(directory: string): string {
  return `watchpost-dashboards-${directory}`;
}

/**
 * A team folder's uid, from its directory: `folder-<directory>`, past Grafana's 40 characters the
 * start and a hash of the whole. Folders and dashboards share Grafana's uids, so the plan claims it.
 */
export function teamFolderUid(directory: string): string {
  const full = `folder-${directory}`;
  if (full.length <= 40) return full;
  return `${full.slice(0, 31).replace(/-+$/, "")}-${createHash("sha256").update(full).digest("hex").slice(0, 8)}`;
}

/** Folder titles the stack uses itself: its own dashboards' folder on Docker, and Grafana's root. */
const reservedFolders = ["watchpost", "general"];

const builtIn = new Map<string, string>(Object.values(dashboardUids).map((uid) => [uid, `the built-in dashboard ${uid}`]));

/**
 * @param files each folder's files, by folder index (those with a `path`)
 * @param datasources the datasources the stack provisions, which dashboards may use
 */
export function planTeamDashboards(
  folders: TeamFolderSpec[],
  files: ReadonlyArray<FolderFiles | undefined>,
  datasources: StackDatasource[],
  environment: string,
): { folders: TeamFolder[]; problems: TeamDashboardProblem[] } {
  const problems: TeamDashboardProblem[] = [];
  const owners = new Map(builtIn);
  const directories = new Map<string, number>();
  const claim = (uid: string, owner: string, path: PropertyKey[], value: unknown, fix: string) => {
    const other = owners.get(uid);
    if (other !== undefined)
      problems.push({ path, value, message: `uid ${JSON.stringify(uid)} is already the uid of ${other}; every dashboard of the stack needs its own: ${fix}` });
    else owners.set(uid, owner);
  };
  // The folders' uids first: a folder's follows from its name, a dashboard's can be set.
  folders.forEach((folder, i) => {
    const uid = teamFolderUid(slug(folder.name));
    if (!owners.has(uid)) owners.set(uid, `the folder of dashboards.folders[${i}] (${JSON.stringify(folder.name)})`);
  });
  const planned = folders.map((folder, i): TeamFolder => {
    const at = (...rest: PropertyKey[]) => ["dashboards", "folders", i, ...rest];
    const directory = slug(folder.name);
    if (reservedFolders.includes(directory))
      problems.push({ path: at("name"), value: folder.name, message: `is a folder Grafana or the stack's own dashboards use; name the team's folder, such as Payments` });
    const first = directories.get(directory);
    if (first !== undefined)
      problems.push({
        path: at("name"),
        value: folder.name,
        message: `names the same folder as dashboards.folders[${first}] (${JSON.stringify(folders[first].name)}); put the dashboards of one folder under one entry`,
      });
    else directories.set(directory, i);
    if (folder.path === undefined && folder.dashboards.length === 0)
      problems.push({
        path: at(),
        value: { name: folder.name },
        message: "has no dashboards; expected path (a directory of exported JSON), dashboards (declared in the stack file), or both",
      });

    const out: Record<string, string> = {};
    for (const [file, text] of Object.entries(files[i] ?? {})) {
      const shown = `${folder.path}/${file}`;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        problems.push({ path: at("path"), value: shown, message: `is not JSON (${(error as Error).message}); export the dashboard again from Grafana (Export → Save to file)` });
        continue;
      }
      const prepared = prepareProvidedDashboard(json, datasources, derivedDashboardUid(folder.name, file));
      for (const message of prepared.problems) problems.push({ path: at("path"), value: shown, message: `${message}; fix it in the file` });
      if (prepared.problems.length > 0) continue;
      const uid = String(prepared.dashboard.uid);
      claim(uid, shown, at("path"), shown, "change the uid in the file, or remove it to have one derived from the folder and file name");
      out[`${uid}.json`] = `${JSON.stringify(prepared.dashboard, null, 2)}\n`;
    }
    folder.dashboards.forEach((spec, j) => {
      spec.rows.forEach((r, k) => {
        r.panels.forEach((panel, l) => {
          panel.queries.forEach((q, m) => {
            const problem = promqlProblem(q.expr);
            if (problem) problems.push({ path: at("dashboards", j, "rows", k, "panels", l, "queries", m, "expr"), value: q.expr, message: problem.replace(/; expr: .*$/, "") });
          });
        });
      });
      const uid = spec.uid ?? derivedDashboardUid(folder.name, spec.title);
      claim(
        uid,
        `dashboards.folders[${i}].dashboards[${j}] (${JSON.stringify(spec.title)})`,
        at("dashboards", j, spec.uid === undefined ? "title" : "uid"),
        spec.uid ?? spec.title,
        "set a uid of its own",
      );
      out[`${uid}.json`] = `${JSON.stringify(declaredDashboard(spec, uid, folder.name, environment), null, 2)}\n`;
    });
    return { name: folder.name, directory, uid: teamFolderUid(directory), dashboards: out };
  });
  return { folders: planned, problems };
}
