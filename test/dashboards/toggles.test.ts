/**
 * Stable output, and each optional part of a stack adding or removing exactly
 * its own rows and panels. One mutation of the full context per case.
 */
import { describe, expect, it } from "vitest";
import { dashboardUids } from "../../model/conventions";
import { type Dashboard, type DashboardContext, allPanels, panelQueries } from "../../dashboards/index";
import { buildDashboards, renderDashboards } from "../../components/catalogue";
import { stackJobs } from "../../dashboards/self-health";
import { bareContext, fullContext, withContext, withExporter } from "./fixtures";

function dashboard(ctx: DashboardContext, uid: string): Dashboard {
  const found = buildDashboards(ctx).find((d) => d.uid === uid);
  if (found === undefined) throw new Error(`no dashboard ${uid}`);
  return found;
}
const rowTitles = (d: Dashboard) => (d.panels ?? []).filter((p) => p.type === "row").map((p) => p.title);
const allExprs = (ctx: DashboardContext) =>
  buildDashboards(ctx)
    .flatMap((d) => panelQueries(d).map((q) => q.expr))
    .join("\n");

describe("stable output", () => {
  it("renders byte-identical files twice for the same context", () => {
    expect(renderDashboards(fullContext())).toEqual(renderDashboards(fullContext()));
    expect(renderDashboards(bareContext())).toEqual(renderDashboards(bareContext()));
  });

  it("names each file after its stable uid", () => {
    expect(Object.keys(renderDashboards(fullContext()))).toEqual(Object.values(dashboardUids).map((uid) => `${uid}.json`));
    expect(Object.keys(renderDashboards(bareContext()))).toEqual(Object.keys(renderDashboards(fullContext())));
  });

  it("renders JSON that parses back to the built dashboards", () => {
    const files = renderDashboards(fullContext());
    for (const d of buildDashboards(fullContext())) {
      expect(JSON.parse(files[`${d.uid}.json`])).toEqual(JSON.parse(JSON.stringify(d)));
    }
  });

  it("does not depend on the environment except in its tags and variable", () => {
    const strip = (files: Record<string, string>, env: string) => Object.values(files).map((json) => json.replaceAll(`"${env}"`, '"ENV"'));
    expect(strip(renderDashboards(withContext({ environment: "staging" })), "staging")).toEqual(strip(renderDashboards(fullContext()), "prod"));
  });
});

describe("exporters", () => {
  const cases = [
    { exporter: "postgres", uid: dashboardUids.databases, row: "PostgreSQL", metric: "pg_" },
    { exporter: "redis", uid: dashboardUids.databases, row: "Redis", metric: "redis_" },
    { exporter: "elasticsearch", uid: dashboardUids.databases, row: "Elasticsearch", metric: "elasticsearch_" },
    { exporter: "rabbitmq", uid: dashboardUids.queues, row: "RabbitMQ", metric: "rabbitmq_" },
    { exporter: "nginx", uid: dashboardUids.infrastructure, row: "NGINX", metric: "nginx_" },
  ] as const;

  it.each(cases)("$exporter on: its row is on $uid", ({ exporter, uid, row }) => {
    expect(rowTitles(dashboard(withExporter(exporter, true), uid))).toContain(row);
  });

  it.each(cases)("$exporter off: its row and every query of its metrics are gone, others stay", ({ exporter, uid, row, metric }) => {
    const ctx = withExporter(exporter, false);
    expect(rowTitles(dashboard(ctx, uid))).not.toContain(row);
    expect(allExprs(ctx)).not.toContain(metric);
    expect(stackJobs(ctx)).not.toContain(exporter);
    const others = cases.filter((c) => c.exporter !== exporter);
    for (const other of others) expect(rowTitles(dashboard(ctx, other.uid))).toContain(other.row);
  });

  it("with no database exporter, the database dashboard says so instead of showing nothing", () => {
    const d = dashboard(bareContext(), dashboardUids.databases);
    expect(allPanels(d).map((p) => [p.type, p.title])).toEqual([["text", "No database exporters"]]);
  });

  it("the application queue row stays without RabbitMQ", () => {
    expect(rowTitles(dashboard(bareContext(), dashboardUids.queues))).toEqual(["Application job queues"]);
  });
});

describe("logging and tracing backends", () => {
  const datasourcesOf = (d: Dashboard) => panelQueries(d).map((q) => q.datasource);

  it("loki: log volume, error lines and a logs panel; Alloy and Loki health rows", () => {
    const d = dashboard(fullContext(), dashboardUids.logsTraces);
    expect(allPanels(d).filter((p) => p.type === "logs")).toHaveLength(1);
    expect(datasourcesOf(d).filter((s) => s === "loki")).toHaveLength(3);
    expect(rowTitles(dashboard(fullContext(), dashboardUids.selfHealth))).toContain("Log pipeline (Alloy → Loki)");
  });

  it("logging none: no Loki query anywhere and no log pipeline row", () => {
    const ctx = withContext({ logging: "none" });
    for (const d of buildDashboards(ctx)) expect(datasourcesOf(d)).not.toContain("loki");
    expect(rowTitles(dashboard(ctx, dashboardUids.selfHealth))).not.toContain("Log pipeline (Alloy → Loki)");
    expect(stackJobs(ctx)).not.toContain("loki");
    expect(allExprs(ctx)).not.toMatch(/loki_|alloy_/);
  });

  it("elasticsearch: the same log panels as with Loki, on the Elasticsearch datasource, for the selected services", () => {
    const ctx = withContext({ logging: "elasticsearch" });
    const d = dashboard(ctx, dashboardUids.logsTraces);
    const logPanels = (x: Dashboard) =>
      allPanels(x)
        .filter((p) => p.datasource?.type === "loki" || p.datasource?.type === "elasticsearch")
        .map((p) => [p.title, p.type]);
    expect(logPanels(d)).toEqual(logPanels(dashboard(fullContext(), dashboardUids.logsTraces)));
    const queries = panelQueries(d).filter((q) => q.datasource === "elasticsearch");
    expect(queries.map((q) => q.expr)).toEqual([
      "service:${service:lucene}",
      "service:${service:lucene} AND log.level:(error OR fatal OR critical OR panic)",
      "service:${service:lucene}",
    ]);
    for (const x of buildDashboards(ctx)) expect(datasourcesOf(x)).not.toContain("loki");
    // Loki's and Alloy's health are not watched without them.
    expect(rowTitles(dashboard(ctx, dashboardUids.selfHealth))).not.toContain("Log pipeline (Alloy → Loki)");
    expect(stackJobs(ctx)).not.toContain("loki");
  });

  it("tempo: a TraceQL search on the Tempo datasource and Tempo ingestion in self-health", () => {
    const d = dashboard(fullContext(), dashboardUids.logsTraces);
    const search = allPanels(d).find((p) => p.title === "Trace search");
    expect(search?.datasource).toEqual({ type: "tempo", uid: "watchpost-tempo" });
    expect(search?.targets).toMatchObject([{ queryType: "traceql", query: '{ resource.service.name =~ "$service" }', limit: 20 }]);
    expect(allExprs(fullContext())).toContain("tempo_distributor_spans_received_total");
  });

  it("jaeger: a Jaeger search replaces the Tempo one; collectors include Jaeger's own", () => {
    const ctx = withContext({ tracing: "jaeger" });
    const search = allPanels(dashboard(ctx, dashboardUids.logsTraces)).find((p) => p.title === "Trace search");
    expect(search?.datasource).toEqual({ type: "jaeger", uid: "watchpost-jaeger" });
    expect(search?.targets).toMatchObject([{ queryType: "search", service: "$service", refId: "A" }]);
    expect(allExprs(ctx)).not.toContain("tempo_");
    expect(allExprs(ctx)).toContain('job=~"jaeger|otel-collector"');
    expect(stackJobs(ctx)).toEqual(expect.arrayContaining(["otel-collector", "jaeger"]));
  });

  it("tracing none: no trace panel and no collector row", () => {
    const ctx = withContext({ tracing: "none" });
    for (const d of buildDashboards(ctx)) expect(datasourcesOf(d)).not.toContain("trace");
    expect(allExprs(ctx)).not.toContain("otelcol_");
    expect(stackJobs(ctx)).not.toContain("otel-collector");
  });

  it("both off: the logs & traces dashboard explains why it is empty", () => {
    const d = dashboard(bareContext(), dashboardUids.logsTraces);
    expect(allPanels(d).map((p) => p.type)).toEqual(["text"]);
  });
});

describe("SLOs", () => {
  it("one row per SLO, titled with service, SLO, type and objective", () => {
    expect(rowTitles(dashboard(fullContext(), dashboardUids.slo))).toEqual([
      "checkout · availability (availability, 99.9%)",
      "checkout · latency (latency, 99%)",
      "search · availability (availability, 99.5%)",
    ]);
  });

  it("each SLO's queries select exactly that SLO", () => {
    const d = dashboard(fullContext(), dashboardUids.slo);
    const exprs = panelQueries(d).map((q) => q.expr);
    expect(exprs.filter((e) => e.includes('service="search", slo="availability"'))).toHaveLength(9);
    expect(exprs.every((e) => /service="\w+", slo="\w+"/.test(e))).toBe(true);
  });

  it("the SLI stat turns green at the objective", () => {
    const d = dashboard(fullContext(), dashboardUids.slo);
    const sli = allPanels(d).find((p) => p.title === "SLI over the period");
    expect(sli?.fieldConfig?.defaults?.thresholds?.steps).toEqual([
      { value: null, color: "red" },
      { value: 0.999, color: "green" },
    ]);
  });

  it("no SLOs: a note instead of rows", () => {
    const d = dashboard(bareContext(), dashboardUids.slo);
    expect(rowTitles(d)).toEqual([]);
    expect(allPanels(d).map((p) => p.title)).toEqual(["No SLOs"]);
  });
});

describe("self-health", () => {
  it("checks up of every stack job the context deploys", () => {
    expect(stackJobs(fullContext())).toEqual([
      "prometheus",
      "alertmanager",
      "grafana",
      "node",
      "cadvisor",
      "blackbox-exporter",
      "postgres",
      "redis",
      "rabbitmq",
      "nginx",
      "elasticsearch",
      "mysql",
      "loki",
      "alloy",
      "otel-collector",
      "tempo",
    ]);
    expect(stackJobs(bareContext())).toEqual(["prometheus", "alertmanager", "grafana", "node", "cadvisor", "blackbox-exporter"]);
    const up = panelQueries(dashboard(bareContext(), dashboardUids.selfHealth)).find((q) => q.panel === "Stack jobs up");
    expect(up?.expr).toBe('min by (job) (up{job=~"alertmanager|blackbox-exporter|cadvisor|grafana|node|prometheus"})');
  });
});
