/**
 * Database & cache: one row per configured database exporter (PostgreSQL,
 * Redis, Elasticsearch, …), and only for the exporters the stack configures —
 * an empty row would read as "healthy and idle" when it means "not watched".
 * The rows live beside their exporters (`dashboards/exporters/`) and arrive
 * here through the exporter registry.
 */
import type { Dashboard, DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { dashboardUids, jobs } from "../model/conventions";
import type { ExporterId } from "../model/vocabulary";
import type { DashboardContext } from "./context";
import { baseDashboard, exporterInstanceVariable, finish, notePanel } from "./base";
import { byExporterInstance, type Matchers } from "./selectors";

/** One exporter's row: its title, the panels it adds, and the metric names those panels read. */
export interface DatabaseRow {
  title: string;
  /** `scope`: matchers every query of the row adds, such as the instance picked in its variable. @default none */
  add(builder: DashboardBuilder, scope?: Matchers): void;
  /** Only the names the row reads, checked against every query by a test. */
  metrics: readonly string[];
}

/** A row and the exporter whose configuration turns it on. */
export interface ExporterRow {
  exporter: ExporterId;
  row: DatabaseRow;
}

/** "A, B and C" / "A, B or C". */
function listed(words: string[], last: "and" | "or"): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} ${last} ${words[words.length - 1]}`;
}

export function databasesDashboard(ctx: DashboardContext, rows: readonly ExporterRow[]): Dashboard {
  const titles = rows.map((r) => r.row.title);
  const builder = baseDashboard(dashboardUids.databases, "Database & cache", ctx.environment).description(`${listed(titles, "and")}, for the exporters this stack configures.`);
  const configured = rows.filter((r) => ctx.exporters[r.exporter]);
  for (const { exporter, row } of configured) {
    // An exporter configured as a list of named instances: a variable picks the instances its row shows.
    if (ctx.exporterInstances?.[exporter]) {
      builder.withVariable(exporterInstanceVariable(exporter, jobs[exporter], row.title));
      row.add(builder, byExporterInstance(exporter));
    } else row.add(builder);
  }
  if (configured.length === 0) {
    builder.withPanel(notePanel("No database exporters", `This stack configures no ${listed(titles, "or")} exporter. Add one under \`watchpost:exporters\` to get its row here.`));
  }
  return finish(builder);
}
