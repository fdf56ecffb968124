/**
 * `watchpost:dashboards`: the teams' own dashboards, one Grafana folder per team.
 * A folder takes exported dashboard JSON from a directory of the project, simple
 * dashboards declared here (rows of panels with queries, units and thresholds), or both.
 */
import { z } from "zod";

/** Grafana's rule for a dashboard uid: at most 40 letters, digits, `-` or `_`. */
export const dashboardUidPattern = /^[A-Za-z0-9_-]{1,40}$/;

const uid = z
  .string({ error: "expected a dashboard uid such as payments-checkout" })
  .regex(dashboardUidPattern, { error: "expected a dashboard uid such as payments-checkout: 1 to 40 letters, digits, - or _" })
  .describe("dashboard uid: 1 to 40 letters, digits, - or _; default: derived from the folder and the title");

/** Folder titles become directory names on Kubernetes (the sidecar's folder annotation), so no `/`. */
const folderName = z
  .string({ error: "expected a folder name such as Payments" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/, {
    error: "expected a folder name such as Payments: a letter or digit, then letters, digits, spaces, _, . or - (at most 63 characters)",
  })
  .describe("Grafana folder title: a letter or digit, then letters, digits, spaces, _, . or - (at most 63 characters)");

const panelSpec = z.strictObject({
  title: z.string().min(1, { error: "expected a panel title such as Request rate" }).describe("panel title, not empty"),
  /** Shown on the panel's (i) icon: what it shows and what a bad value means. @default none */
  description: z.string().describe("text shown on the panel's (i) icon").optional(),
  /** @default "timeseries" */
  type: z.enum(["timeseries", "stat"], { error: "expected timeseries or stat" }).describe("timeseries or stat").default("timeseries"),
  /** PromQL, each with an optional legend template such as `{{route}}`. */
  queries: z
    .array(
      z.strictObject({
        expr: z.string().min(1, { error: "expected a PromQL query such as sum(rate(http_requests_total[5m]))" }).describe("PromQL query, checked with Prometheus' grammar"),
        legend: z.string().describe("legend template such as {{route}}").optional(),
      }),
    )
    .min(1, { error: "expected at least one query, such as [{expr: 'sum(rate(http_requests_total[5m]))'}]" }),
  /** Grafana unit id, such as `reqps`, `percentunit`, `s`, `bytes`. @default none */
  unit: z.string().min(1).describe("Grafana unit id such as reqps, percentunit, s or bytes").optional(),
  /** Colour steps from low to high over a green base, such as `[{value: 0.01, color: orange}, {value: 0.05, color: red}]`. @default [] */
  thresholds: z
    .array(
      z.strictObject({
        value: z.number({ error: "expected a number such as 0.05" }).describe("number from which the colour applies"),
        color: z.string().min(1).describe("Grafana colour name or #rrggbb, such as orange or red"),
      }),
    )
    .default([]),
  /** Width on Grafana's 24-column grid. @default 12 for timeseries, 6 for stat */
  width: z.number().int().min(1).max(24).describe("width on Grafana's 24-column grid, 1 to 24; default: 12 for timeseries, 6 for stat").optional(),
});

/** Grafana team names here are lower-case words with dashes, as in `routing.teams`. */
export const grafanaTeamPattern = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;

/** The permission a folder's team gets: Grafana's folder permission levels. */
export const teamPermissions = ["View", "Edit", "Admin"] as const;

/**
 * Who may open a team's folder, set through Grafana's API (provisioning cannot). Grafana admins
 * always can; org Admins too, as Grafana gives them every folder.
 */
const folderPermissionsSpec = z.strictObject({
  /** The Grafana team the folder belongs to; folders naming the same team share one team. */
  team: z
    .string({ error: "expected a Grafana team name such as payments" })
    .regex(grafanaTeamPattern, { error: "expected a Grafana team name such as payments: lower-case letters, digits and dashes (at most 64 characters)" })
    .describe("Grafana team name: lower-case letters, digits and dashes, such as payments"),
  /**
   * The team's members by e-mail address. Each must already be a Grafana user (signed in once with SSO);
   * the list is the team: members added in Grafana's UI are removed on the next deploy. @default []
   */
  members: z
    .array(z.email({ error: "expected the e-mail address of a Grafana user, such as ana@example.com" }).describe("e-mail address of a Grafana user, such as ana@example.com"))
    .default([]),
  /** @default "Edit" */
  teamPermission: z.enum(teamPermissions, { error: "expected View, Edit or Admin" }).describe("View, Edit or Admin").default("Edit"),
  /** `true`: the org's Viewers and Editors may view the folder; `false`: only the team and Grafana's admins. @default true */
  orgViewers: z
    .boolean({ error: "expected true or false" })
    .describe("true: the org's Viewers and Editors may view the folder; false: only the team and Grafana's admins")
    .default(true),
});

const declaredDashboardSpec = z.strictObject({
  title: z.string().min(1, { error: "expected a dashboard title such as Checkout" }).describe("dashboard title, not empty"),
  /** @default derived from the folder and the title */
  uid: uid.optional(),
  rows: z
    .array(
      z.strictObject({
        title: z.string().min(1, { error: "expected a row title such as Traffic" }).describe("row title, not empty"),
        panels: z.array(panelSpec).min(1, { error: "expected at least one panel" }),
      }),
    )
    .min(1, { error: "expected at least one row of panels" }),
});

export const dashboardsSpec = z
  .strictObject({
    /** One Grafana folder per team; none by default. @default [] */
    folders: z
      .array(
        z.strictObject({
          name: folderName,
          /**
           * A directory of exported dashboard JSON files (`*.json`), relative to the project (where Pulumi.yaml is).
           * Each is checked at synth and deploy time; `${DS_…}` inputs and unknown datasource uids point at Watchpost's datasources. @default none
           */
          path: z
            .string({ error: "expected a directory relative to the project, such as team-dashboards/payments" })
            .regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$)).+$/, { error: "expected a directory relative to the project, such as team-dashboards/payments, without .. or a leading /" })
            .describe("directory of exported dashboard JSON files, relative to the project (where Pulumi.yaml is), such as team-dashboards/payments")
            .optional(),
          /** Simple dashboards declared in the stack file. @default [] */
          dashboards: z.array(declaredDashboardSpec).default([]),
          /** Who may open the folder, set through Grafana's API when the stack deploys (Docker only). @default none: the org's roles decide */
          permissions: folderPermissionsSpec.optional(),
        }),
      )
      .default([]),
  })
  .prefault({});

export type DashboardsSpec = z.output<typeof dashboardsSpec>;
export type DeclaredDashboardSpec = z.output<typeof declaredDashboardSpec>;
export type DeclaredPanelSpec = z.output<typeof panelSpec>;
export type FolderPermissionsSpec = z.output<typeof folderPermissionsSpec>;
