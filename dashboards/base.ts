/**
 * House style for every Watchpost dashboard, set once. Factories return SDK
 * builders, so each dashboard file still decides sizes and layout with
 * `.span()` / `.height()` and the order it adds panels in.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as elasticsearch from "@grafana/grafana-foundation-sdk/elasticsearch";
import * as logs from "@grafana/grafana-foundation-sdk/logs";
import * as loki from "@grafana/grafana-foundation-sdk/loki";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as text from "@grafana/grafana-foundation-sdk/text";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { datasourceUids, jobs, labels } from "../model/conventions";
import { eq, exporterInstanceVar, neq, nre, sel, vars } from "./selectors";

/** Datasource references by the fixed uids the Grafana provisioning uses. */
export const datasources = {
  prometheus: { type: "prometheus", uid: datasourceUids.prometheus },
  loki: { type: "loki", uid: datasourceUids.loki },
  elasticsearch: { type: "elasticsearch", uid: datasourceUids.elasticsearch },
  tempo: { type: "tempo", uid: datasourceUids.tempo },
  jaeger: { type: "jaeger", uid: datasourceUids.jaeger },
} as const satisfies Record<string, common.DataSourceRef>;

/** Tag on every Watchpost dashboard; the dashboard links menu lists by it. */
export const dashboardTag = "watchpost";

/** A panel query builder whose refId the panel factory assigns. */
export type Target = cog.Builder<cog.Dataquery> & { refId(refId: string): unknown };

export interface PromOptions {
  /** Legend template such as `{{service}}`. @default Grafana's series name */
  legend?: string;
  /** Evaluate once at the end of the range (stats and tables). @default false */
  instant?: boolean;
  /** Return a table frame, one column per label (tables). @default false */
  table?: boolean;
}

export function prom(expr: string, options: PromOptions = {}): prometheus.DataqueryBuilder {
  const query = new prometheus.DataqueryBuilder().datasource(datasources.prometheus).editorMode(prometheus.QueryEditorMode.Code).expr(expr);
  if (options.legend !== undefined) query.legendFormat(options.legend);
  if (options.instant ?? false) query.instant();
  else query.range();
  if (options.table ?? false) query.format(prometheus.PromQueryFormat.Table);
  return query;
}

export function logql(expr: string, options: { legend?: string; maxLines?: number } = {}): loki.DataqueryBuilder {
  const query = new loki.DataqueryBuilder().datasource(datasources.loki).editorMode(loki.QueryEditorMode.Code).expr(expr);
  if (options.legend !== undefined) query.legendFormat(options.legend);
  if (options.maxLines !== undefined) query.maxLines(options.maxLines);
  return query;
}

/**
 * An Elasticsearch query (Lucene) over the log streams: log lines (`logs`), or their count per
 * interval split by one field (`countBy`), the counterpart of a LogQL `count_over_time` by label.
 */
export function lucene(query: string, options: { countBy?: string } = {}): elasticsearch.DataqueryBuilder {
  const builder = new elasticsearch.DataqueryBuilder().datasource(datasources.elasticsearch).query(query).timeField("@timestamp");
  if (options.countBy === undefined) return builder.metrics([new elasticsearch.LogsBuilder().id("1")]).bucketAggs([]);
  return builder
    .metrics([new elasticsearch.CountBuilder().id("1")])
    .bucketAggs([
      new elasticsearch.TermsBuilder().id("2").field(options.countBy).settings({ size: "20", order: elasticsearch.TermsOrder.Desc, orderBy: "_count", min_doc_count: "1" }),
      new elasticsearch.DateHistogramBuilder().id("3").field("@timestamp").settings({ interval: "auto" }),
    ]);
}

interface PanelOptions {
  title: string;
  /** What the panel shows and how to read it; Grafana shows it on the (i) icon. */
  description: string;
  targets: Target[];
  /** Grafana unit id, such as `reqps`, `percentunit`, `s`, `bytes`. */
  unit?: string;
  /** @default the Prometheus datasource */
  datasource?: common.DataSourceRef;
}

/** Targets get refIds A, B, C… in the order given, so legends and overrides stay stable. */
function withTargets<P extends { withTarget(t: cog.Builder<cog.Dataquery>): P; datasource(d: common.DataSourceRef): P }>(panel: P, options: PanelOptions): P {
  panel.datasource(options.datasource ?? datasources.prometheus);
  options.targets.forEach((target, i) => {
    target.refId(String.fromCharCode(65 + i));
    panel.withTarget(target);
  });
  return panel;
}

export function timeseriesPanel(options: PanelOptions): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .span(12)
    .height(8)
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
  if (options.unit !== undefined) panel.unit(options.unit);
  return withTargets(panel, options);
}

export function statPanel(options: PanelOptions): stat.PanelBuilder {
  const panel = new stat.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .span(6)
    .height(4)
    .graphMode(common.BigValueGraphMode.None)
    .colorMode(common.BigValueColorMode.Background)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false));
  if (options.unit !== undefined) panel.unit(options.unit);
  return withTargets(panel, options);
}

export function tablePanel(options: PanelOptions): table.PanelBuilder {
  const panel = new table.PanelBuilder().title(options.title).description(options.description).span(24).height(8);
  if (options.unit !== undefined) panel.unit(options.unit);
  return withTargets(panel, options);
}

/** A logs panel; its datasource is Loki unless given. */
export function logsPanel(options: Omit<PanelOptions, "unit">): logs.PanelBuilder {
  const panel = new logs.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .span(24)
    .height(12)
    .showTime(true)
    .wrapLogMessage(true)
    .enableLogDetails(true)
    .sortOrder(common.LogsSortOrder.Descending);
  return withTargets(panel, { ...options, datasource: options.datasource ?? datasources.loki });
}

/** A note in place of panels that a disabled feature would have shown. */
export function notePanel(title: string, markdown: string): text.PanelBuilder {
  return new text.PanelBuilder().title(title).mode(text.TextMode.Markdown).content(markdown).span(24).height(3);
}

export function row(title: string): dashboard.RowBuilder {
  return new dashboard.RowBuilder(title);
}

/** Threshold steps from low to high; the first step's value is the base (null). */
export function thresholds(...steps: Array<[number | null, string]>): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps.map(([value, color]) => ({ value, color })));
}

/** A 5xx ratio: orange from 1%, red from the ratio the error-rate alert pages at (`errorRatioCritical`). */
export function errorRatioThresholds(critical: number): dashboard.ThresholdsConfigBuilder {
  return thresholds([null, "green"], [Math.min(0.01, critical), "orange"], [critical, "red"]);
}

/** Stack series on top of each other, for parts of a whole (status codes, states). */
export function stacked(): common.StackingConfigBuilder {
  return new common.StackingConfigBuilder().mode(common.StackingMode.Normal);
}

/** A 1/0 gauge read as words, 0 in red and 1 in green. */
export function binaryMappings(zero: string, one: string): dashboard.ValueMapping[] {
  return [
    {
      type: dashboard.MappingType.ValueToText,
      options: { "0": { text: zero, color: "red", index: 0 }, "1": { text: one, color: "green", index: 1 } },
    },
  ];
}

/** `up`-style series: 1 is UP, 0 is DOWN. */
export const upDownMappings = binaryMappings("DOWN", "UP");

/**
 * The environment is shown, not queried: `environment` is an external label
 * and absent from local Prometheus queries (see selectors.ts). A one-value
 * custom variable keeps it visible in the variable bar and usable in titles.
 */
export function environmentVariable(environment: string): dashboard.CustomVariableBuilder {
  return new dashboard.CustomVariableBuilder(vars.environment)
    .label("Environment")
    .description("The Watchpost environment this dashboard was generated for.")
    .values(environment)
    .current({ text: environment, value: environment, selected: true });
}

function promVariable(name: string, label: string, query: string, description: string): dashboard.QueryVariableBuilder {
  return (
    new dashboard.QueryVariableBuilder(name)
      .label(label)
      .description(description)
      .datasource(datasources.prometheus)
      .query(query)
      .definition(query)
      .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
      .sort(dashboard.VariableSort.AlphabeticalAsc)
      .multi(true)
      // No custom allValue: "All" then expands to exactly the listed values. A catch-all
      // regex such as ".+" would also match the stack's own jobs, which carry a `service` label too.
      .includeAll(true)
      .current({ text: "All", value: "$__all", selected: true })
  );
}

/**
 * Monitored services. Every static scrape job sets `service` (the stack's own
 * jobs included), so the stack's job names are excluded to leave the
 * application services.
 */
export function serviceVariable(): dashboard.QueryVariableBuilder {
  const selector = sel("up", { [vars.service]: neq(""), job: nre(Object.values(jobs).sort().join("|")) });
  const query = `label_values(${selector}, ${vars.service})`;
  return promVariable(vars.service, "Service", query, "Monitored application services, by the `service` label of their scrape job.");
}

/** Instances of the series `selector` selects, e.g. `up{service=~"$service"}`. */
export function instanceVariable(selector: string): dashboard.QueryVariableBuilder {
  const query = `label_values(${selector}, ${vars.instance})`;
  return promVariable(vars.instance, "Instance", query, `Scrape targets listed by \`${selector}\`.`);
}

/** The named instances of a list-form exporter, by the `instance_name` label of its job's targets. */
export function exporterInstanceVariable(exporter: string, job: string, title: string): dashboard.QueryVariableBuilder {
  const query = `label_values(${sel("up", { job: eq(job) })}, ${labels.instanceName})`;
  return promVariable(exporterInstanceVar(exporter), `${title} instance`, query, `The ${title} instances this stack watches, by their \`instance_name\` label.`);
}

/** A dashboard with the house defaults: stable uid, tags, time range, refresh, links to its siblings. */
export function baseDashboard(uid: string, title: string, environment: string): dashboard.DashboardBuilder {
  return (
    new dashboard.DashboardBuilder(`Watchpost / ${title}`)
      .uid(uid)
      .tags([dashboardTag, environment])
      .time({ from: "now-6h", to: "now" })
      .refresh("1m")
      .timezone("browser")
      .tooltip(dashboard.DashboardCursorSync.Crosshair)
      // Provisioned from code: edits in the UI would be lost at the next deploy.
      .readonly()
      .link(new dashboard.DashboardLinkBuilder("Watchpost").type(dashboard.DashboardLinkType.Dashboards).tags([dashboardTag]).asDropdown(true).includeVars(true).keepTime(true))
      .withVariable(environmentVariable(environment))
  );
}

/**
 * Builds the dashboard and numbers its panels 1, 2, 3… in document order.
 * The SDK leaves ids unset and Grafana needs them unique; numbering in one
 * pass after layout makes them a pure function of the context.
 */
export function finish(builder: dashboard.DashboardBuilder): dashboard.Dashboard {
  const built = builder.build();
  let next = 1;
  for (const panel of built.panels ?? []) {
    panel.id = next++;
    if (panel.type === "row") for (const child of (panel as dashboard.RowPanel).panels) child.id = next++;
  }
  return built;
}
