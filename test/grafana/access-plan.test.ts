/**
 * Team folders' permissions as data: the teams with their members, each folder's permission items,
 * the folders' fixed uids and the dashboard provider that sets them. Pure: no Pulumi.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { emptyClosedTeams, grafanaAccessProblems, type PermittedFolder, planGrafanaAccess } from "../../components/grafana-access/plan";
import { planTeamDashboards, teamFolderUid } from "../../components/grafana/dashboards";
import { renderGrafanaDashboardProvider } from "../../components/grafana/render";

const permissions = { team: "payments", members: ["ana@example.com"], teamPermission: "Edit" as const, orgViewers: true };
const folders: PermittedFolder[] = [
  { name: "Payments", uid: "folder-payments", permissions: { ...permissions, members: ["ana@example.com"] } },
  {
    name: "Payments internal",
    uid: "folder-payments-internal",
    permissions: { ...permissions, members: ["Bo@Example.com", "ana@example.com"], teamPermission: "Admin", orgViewers: false },
  },
  { name: "Search", uid: "folder-search", permissions: { team: "search", members: [], teamPermission: "View", orgViewers: true } },
];

describe("planGrafanaAccess", () => {
  it("makes one team per name, with every member its folders list, lower-cased, sorted and each once", () => {
    expect(planGrafanaAccess(folders).teams).toEqual([
      { name: "payments", members: ["ana@example.com", "bo@example.com"] },
      { name: "search", members: [] },
    ]);
  });

  it("gives each folder its team's permission and, when open to the org, View to Viewers and Editors", () => {
    expect(planGrafanaAccess(folders).folders).toEqual([
      {
        folder: "Payments",
        uid: "folder-payments",
        items: [
          { team: "payments", permission: "Edit" },
          { role: "Viewer", permission: "View" },
          { role: "Editor", permission: "View" },
        ],
      },
      { folder: "Payments internal", uid: "folder-payments-internal", items: [{ team: "payments", permission: "Admin" }] },
      {
        folder: "Search",
        uid: "folder-search",
        items: [
          { team: "search", permission: "View" },
          { role: "Viewer", permission: "View" },
          { role: "Editor", permission: "View" },
        ],
      },
    ]);
  });

  it("names a team without members whose folders are all closed to the org, and no other", () => {
    expect(emptyClosedTeams(planGrafanaAccess(folders))).toEqual([]);
    const closed = folders.map((f) => (f.permissions.team === "search" ? { ...f, permissions: { ...f.permissions, orgViewers: false } } : f));
    expect(emptyClosedTeams(planGrafanaAccess(closed))).toEqual(["search"]);
  });

  it("refuses a team name Grafana's teams here do not use, and two folders with one uid", () => {
    expect(grafanaAccessProblems(folders)).toEqual([]);
    expect(
      grafanaAccessProblems([
        { ...folders[0], permissions: { ...permissions, team: "Payments Team" } },
        { ...folders[2], uid: "folder-payments" },
      ]),
    ).toEqual([
      "folders[0].permissions.team: got 'Payments Team'; expected lower-case letters, digits and dashes, such as payments",
      "folders[1].uid: got 'folder-payments'; folders[0] has it too; each folder needs its own uid",
    ]);
  });
});

describe("team folders' uids", () => {
  it("derives folder-<directory>, past 40 characters the start and a hash, the same every time", () => {
    expect(teamFolderUid("payments")).toBe("folder-payments");
    const long = teamFolderUid("a-very-long-team-folder-name-that-goes-on-and-on");
    expect(long).toMatch(/^folder-a-very-long-team-folder-[0-9a-f]{8}$/);
    expect(long.length).toBeLessThanOrEqual(40);
    expect(teamFolderUid("a-very-long-team-folder-name-that-goes-on-and-on")).toBe(long);
  });

  it("sets each team folder's uid in its dashboard provider, and none on the stack's own", () => {
    const providers = parse(renderGrafanaDashboardProvider([{ name: "Payments", directory: "payments", uid: "folder-payments" }])).providers;
    expect(providers.map((p: Record<string, unknown>) => [p.name, p.folder, p.folderUid])).toEqual([
      ["watchpost", "Watchpost", undefined],
      ["team-payments", "Payments", "folder-payments"],
    ]);
  });

  it("refuses a dashboard whose uid is a team folder's: Grafana's folders and dashboards share uids", () => {
    const dashboard = {
      title: "Overview",
      uid: "folder-payments",
      rows: [{ title: "Traffic", panels: [{ title: "Requests", type: "timeseries" as const, thresholds: [], queries: [{ expr: "up" }] }] }],
    };
    const planned = planTeamDashboards([{ name: "Payments", dashboards: [dashboard] }], [undefined], [], "dev");
    expect(planned.folders[0].uid).toBe("folder-payments");
    expect(planned.problems.map((p) => [p.path.join("."), p.message])).toEqual([
      [
        "dashboards.folders.0.dashboards.0.uid",
        'uid "folder-payments" is already the uid of the folder of dashboards.folders[0] ("Payments"); every dashboard of the stack needs its own: set a uid of its own',
      ],
    ]);
  });
});
