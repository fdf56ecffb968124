/**
 * Simple dashboards a team declares in its stack file (`dashboards.folders[].dashboards`):
 * rows of timeseries and stat panels over PromQL, with a unit and colour
 * thresholds, in the house style of the built-in dashboards.
 */
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { environmentVariable, finish, prom, row, statPanel, thresholds, timeseriesPanel } from "./base";

export interface DeclaredPanel {
  title: string;
  description?: string;
  type: "timeseries" | "stat";
  queries: Array<{ expr: string; legend?: string }>;
  unit?: string;
  thresholds: Array<{ value: number; color: string }>;
  width?: number;
}

export interface DeclaredDashboard {
  title: string;
  uid?: string;
  rows: Array<{ title: string; panels: DeclaredPanel[] }>;
}

function panelOf(spec: DeclaredPanel) {
  const stat = spec.type === "stat";
  const options = {
    title: spec.title,
    description: spec.description ?? "",
    unit: spec.unit,
    // A stat shows one number: the last value of the range, evaluated once.
    targets: spec.queries.map((q) => prom(q.expr, { legend: q.legend, instant: stat })),
  };
  const panel = stat ? statPanel(options) : timeseriesPanel(options);
  if (spec.thresholds.length > 0) {
    const steps = [...spec.thresholds].sort((a, b) => a.value - b.value).map((t): [number, string] => [t.value, t.color]);
    panel.thresholds(thresholds([null, "green"], ...steps));
  }
  if (spec.width !== undefined) panel.span(spec.width);
  return panel;
}

/**
 * One declared dashboard, with its uid, tagged with its folder and the environment.
 * Its panels are numbered in document order, so the same declaration gives the same JSON.
 */
export function declaredDashboard(spec: DeclaredDashboard, uid: string, folder: string, environment: string): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(spec.title)
    .uid(uid)
    .tags([folder, environment])
    .time({ from: "now-6h", to: "now" })
    .refresh("1m")
    .timezone("browser")
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    // Provisioned from the stack file: edits in the UI would be lost at the next deploy.
    .readonly()
    .withVariable(environmentVariable(environment));
  for (const r of spec.rows) {
    builder.withRow(row(r.title));
    for (const panel of r.panels) builder.withPanel(panelOf(panel));
  }
  return finish(builder);
}
