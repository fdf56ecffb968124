/**
 * Logs & traces: the selected services' logs from Loki or Elasticsearch and a
 * trace search on Tempo or Jaeger, so a responder can go from a symptom to the
 * request that shows it. Each half appears only when its backend is deployed;
 * the logs half shows the same three panels on either logs backend.
 */
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { dashboardUids } from "../model/conventions";
import type { DashboardContext } from "./context";
import { logErrorLevels as errorLevels } from "../model/conventions";
import { baseDashboard, datasources, finish, logql, logsPanel, lucene, notePanel, row, serviceVariable, stacked, tablePanel, timeseriesPanel } from "./base";
import { varRef, vars } from "./selectors";
import { jaegerSearch, tempoSearch } from "./tracing";

/** LogQL stream selector for the selected services; the log shipper sets `service` like the scrape config does. */
export const serviceStreams = `{${vars.service}=~"${varRef(vars.service)}"}`;

/** Lucene query for the selected services: Filebeat sets `service` as Alloy does; "All" expands to the listed services. */
export const serviceLucene = `${vars.service}:\${${vars.service}:lucene}`;

export function logsTracesDashboard(ctx: DashboardContext): Dashboard {
  const builder = baseDashboard(dashboardUids.logsTraces, "Logs & traces", ctx.environment)
    .description("Logs (Loki) and traces (Tempo or Jaeger) of the selected services.")
    .withVariable(serviceVariable());

  if (ctx.logging === "loki") {
    builder
      .withRow(row("Logs"))
      .withPanel(
        timeseriesPanel({
          title: "Log volume",
          description: "Log lines per service per interval. A sudden jump often marks the start of an incident; click through to the lines below.",
          targets: [logql(`sum by (${vars.service}) (count_over_time(${serviceStreams} [$__auto]))`, { legend: "{{service}}" })],
          datasource: datasources.loki,
        })
          .span(12)
          .stacking(stacked()),
      )
      .withPanel(
        timeseriesPanel({
          title: "Error lines",
          description: "Lines mentioning error, exception or panic (any case), per service per interval.",
          targets: [
            logql(`sum by (${vars.service}) (count_over_time(${serviceStreams} |~ "(?i)error|exception|panic" [$__auto]))`, {
              legend: "{{service}}",
            }),
          ],
          datasource: datasources.loki,
        }).span(12),
      )
      .withPanel(
        logsPanel({
          title: "Logs",
          description: "Latest log lines of the selected services, newest first. Expand a line for its labels and parsed fields.",
          targets: [logql(serviceStreams, { maxLines: 1000 })],
        }),
      );
  }

  if (ctx.logging === "elasticsearch") {
    builder
      .withRow(row("Logs"))
      .withPanel(
        timeseriesPanel({
          title: "Log volume",
          description: "Log lines per service per interval, across every log stream. A sudden jump often marks the start of an incident; click through to the lines below.",
          targets: [lucene(serviceLucene, { countBy: vars.service })],
          datasource: datasources.elasticsearch,
        })
          .span(12)
          .stacking(stacked()),
      )
      .withPanel(
        timeseriesPanel({
          title: "Error lines",
          description: `Lines whose level is ${errorLevels.join(", ")}, per service per interval (the errors stream takes these and 5xx answers).`,
          targets: [lucene(`${serviceLucene} AND log.level:(${errorLevels.join(" OR ")})`, { countBy: vars.service })],
          datasource: datasources.elasticsearch,
        }).span(12),
      )
      .withPanel(
        logsPanel({
          title: "Logs",
          description: "Latest log lines of the selected services from every stream, newest first, sensitive fields already removed. Expand a line for its fields.",
          targets: [lucene(serviceLucene)],
          datasource: datasources.elasticsearch,
        }),
      );
  }

  if (ctx.tracing === "tempo") {
    builder.withRow(row("Traces")).withPanel(
      tablePanel({
        title: "Trace search",
        description: "Recent traces of the selected services (TraceQL on Tempo). Open a trace ID to see its spans; sort by duration to find slow requests.",
        targets: [tempoSearch()],
        datasource: datasources.tempo,
      }).height(10),
    );
  } else if (ctx.tracing === "jaeger") {
    builder.withRow(row("Traces")).withPanel(
      tablePanel({
        title: "Trace search",
        description: "Recent traces of one service from Jaeger. Pick a single service above: Jaeger searches one service at a time.",
        targets: [jaegerSearch()],
        datasource: datasources.jaeger,
      }).height(10),
    );
  }

  if (ctx.logging === "none" && ctx.tracing === "none") {
    builder.withPanel(
      notePanel("Logs and traces are off", "This stack runs neither a logs backend nor a trace backend. Enable `watchpost:logging` or `watchpost:tracing` to fill this dashboard."),
    );
  }
  return finish(builder);
}
