/**
 * `watchpost:dashboards`: reads each folder's exported JSON (through the
 * reader the stack file or the Pulumi program hands over) and checks it with
 * the plan's own function, so a dashboard that synth or deploy would refuse is
 * a problem of the configuration, with its key path, before anything is made.
 */
import { type FolderFiles, planTeamDashboards } from "../../components/grafana/dashboards";
import { stackDatasources } from "../plan";
import type { StackConfig } from "./schema";
import { type ConfigProblem, keyPath } from "./problems";

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
  return { files, problems };
}
