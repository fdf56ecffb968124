/**
 * Watchpost's Grafana dashboards, built with Grafana's foundation SDK: typed
 * builders instead of hand-written JSON, so a wrong field or panel option is a
 * compile error. Pure functions of a DashboardContext — no Pulumi, no I/O.
 */
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import { alertsDashboard } from "./alerts";
import type { DashboardContext } from "./context";
import { databasesDashboard, type ExporterRow } from "./databases";
import { infrastructureDashboard } from "./infrastructure";
import { logsTracesDashboard } from "./logs-traces";
import { overviewDashboard } from "./overview";
import { queuesDashboard } from "./queues";
import { selfHealthDashboard } from "./self-health";
import { serviceHealthDashboard } from "./service-health";
import { sloDashboard } from "./slo";
import { uptimeDashboard } from "./uptime";

export type { DashboardContext } from "./context";
export type { DatabaseRow, ExporterRow } from "./databases";
export type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";

export interface DashboardCatalogue {
  buildDashboards(ctx: DashboardContext): Dashboard[];
  /** `<uid>.json` → pretty JSON with a trailing newline; identical input gives byte-identical output. */
  renderDashboards(ctx: DashboardContext): Record<string, string>;
}

/**
 * Every dashboard, in the order Grafana's folder lists them, with the exporters' rows on the
 * Database & cache dashboard. Adding a dashboard is one line here; the rows come from the exporter
 * registry (`components/exporters/`), which binds this catalogue once.
 */
export function dashboardCatalogue(exporterRows: readonly ExporterRow[]): DashboardCatalogue {
  const builders: ReadonlyArray<(ctx: DashboardContext) => Dashboard> = [
    overviewDashboard,
    serviceHealthDashboard,
    infrastructureDashboard,
    (ctx) => databasesDashboard(ctx, exporterRows),
    queuesDashboard,
    sloDashboard,
    alertsDashboard,
    uptimeDashboard,
    logsTracesDashboard,
    selfHealthDashboard,
  ];
  const buildDashboards = (ctx: DashboardContext) => builders.map((build) => build(ctx));
  return {
    buildDashboards,
    renderDashboards(ctx) {
      const files: Record<string, string> = {};
      for (const d of buildDashboards(ctx)) {
        if (d.uid === undefined) throw new Error(`dashboard '${d.title ?? "?"}' has no uid; set one with baseDashboard(uid, …)`);
        files[`${d.uid}.json`] = `${JSON.stringify(d, null, 2)}\n`;
      }
      return files;
    },
  };
}

export interface PanelQuery {
  panel: string;
  datasource: "prometheus" | "loki" | "elasticsearch" | "trace";
  expr: string;
}

/** Top-level panels and the panels inside collapsed rows, in document order. */
export function allPanels(d: Dashboard): Panel[] {
  const out: Panel[] = [];
  for (const p of d.panels ?? []) {
    if (p.type === "row") out.push(...(p as RowPanel).panels);
    else out.push(p as Panel);
  }
  return out;
}

/** Every query of every panel, with the language it is written in. */
export function panelQueries(d: Dashboard): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const panel of allPanels(d)) {
    for (const target of (panel.targets ?? []) as unknown as Array<Record<string, unknown>>) {
      const type = (target.datasource as { type?: string } | undefined)?.type;
      const title = panel.title ?? "";
      if (type === "prometheus") out.push({ panel: title, datasource: "prometheus", expr: String(target.expr) });
      else if (type === "loki") out.push({ panel: title, datasource: "loki", expr: String(target.expr) });
      else if (type === "elasticsearch") out.push({ panel: title, datasource: "elasticsearch", expr: String(target.query) });
      else if (type === "tempo") out.push({ panel: title, datasource: "trace", expr: String(target.query) });
      // Jaeger has no query language; report the search it runs.
      else if (type === "jaeger") out.push({ panel: title, datasource: "trace", expr: `service=${String(target.service)}` });
      else throw new Error(`panel '${title}' has a target with datasource type '${type}'; expected prometheus, loki, elasticsearch, tempo or jaeger`);
    }
  }
  return out;
}
