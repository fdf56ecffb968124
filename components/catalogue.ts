/**
 * The rule and dashboard catalogue of a Watchpost stack: the built-in packs
 * and dashboards with every exporter's pack and row in its place, bound once
 * from the exporter registry. The planner, the config checks and the package
 * read the catalogue from here.
 */
import { dashboardCatalogue, type ExporterRow } from "../dashboards/index";
import { knownMetricNames as knownMetricNamesOf } from "../dashboards/metrics";
import { exporterIds } from "../model/vocabulary";
import { ruleCatalogue } from "../rules/index";
import { exporters } from "./exporters/index";
import type { ExporterEntry } from "./exporters/types";

const entries: ReadonlyArray<[(typeof exporterIds)[number], ExporterEntry]> = exporterIds.map((id) => [id, exporters[id]]);

const rules = ruleCatalogue(entries.map(([, entry]) => entry.rulePack));
/** Every rule pack, in the order files are rendered. */
export const rulePacks = rules.packs;
export const { buildRuleFiles, renderRuleFiles, alertNames, builtInAlerts, alertOverrideProblems, builtInRecords, recordingRuleProblems } = rules;

/** The exporters' rows on the Database & cache dashboard, in registry order. */
export const exporterRows: readonly ExporterRow[] = entries.flatMap(([exporter, entry]) => (entry.databaseRow ? [{ exporter, row: entry.databaseRow }] : []));
export const { buildDashboards, renderDashboards } = dashboardCatalogue(exporterRows);

/** Metric names a dashboard query may use: the exporters', the database rows' and the recording rules. */
export function knownMetricNames(): ReadonlySet<string> {
  return knownMetricNamesOf(exporterRows.map((r) => r.row));
}
