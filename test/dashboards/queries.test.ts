/**
 * Every dashboard query is valid PromQL and reads only metrics someone
 * exposes: an exporter listed in dashboards/metrics.ts, the application
 * conventions, or a recording rule from rules/names.ts.
 */
import { describe, expect, it } from "vitest";
import { panelQueries } from "../../dashboards/index";
import { buildDashboards, exporterRows, knownMetricNames } from "../../components/catalogue";
import { exposedMetrics, recordingRuleNames } from "../../dashboards/metrics";
import { dashboardUids } from "../../model/conventions";
import { fullContext, withContext } from "./fixtures";
import { labelValuesSelector, parsePromQL } from "../../harness/promql";

/** All exporters on and each trace backend in turn, so every query any stack could render is checked. */
const contexts = [fullContext(), withContext({ tracing: "jaeger" })];
const dashboards = contexts.flatMap((ctx) => buildDashboards(ctx));
const promQueries = dashboards.flatMap((d) =>
  panelQueries(d)
    .filter((q) => q.datasource === "prometheus")
    .map((q) => ({ where: `${d.uid} / ${q.panel}`, expr: q.expr })),
);
const variableQueries = dashboards.flatMap((d) =>
  (d.templating.list ?? []).filter((v) => v.type === "query").map((v) => ({ where: `${d.uid} / $${v.name}`, expr: labelValuesSelector(String(v.query)) })),
);

describe("PromQL in dashboards", () => {
  it("has queries to check", () => {
    expect(promQueries.length).toBeGreaterThan(100);
    expect(variableQueries.length).toBeGreaterThan(5);
  });

  it("parses every panel and variable query without error nodes", () => {
    const failures = [...promQueries, ...variableQueries].flatMap(({ where, expr }) => parsePromQL(expr).errors.map((e) => `${where}: ${e}\n    ${expr}`));
    expect(failures).toEqual([]);
  });

  it("catches a broken query (the check itself works)", () => {
    expect(parsePromQL("sum(rate(up[5m])").errors).not.toEqual([]);
    expect(parsePromQL('{job="x"}').errors).not.toEqual([]);
    expect(parsePromQL("rate(up[$__rate_interval])").errors).toEqual([]);
    expect(parsePromQL("service:http_requests:rate5m").metrics).toEqual(["service:http_requests:rate5m"]);
  });

  it("reads only metrics an exporter, the app conventions or a recording rule provides", () => {
    const known = knownMetricNames();
    const unknown = [...promQueries, ...variableQueries].flatMap(({ where, expr }) =>
      parsePromQL(expr)
        .metrics.filter((m) => !known.has(m))
        .map((m) => `${where}: unknown metric '${m}' — add it to dashboards/metrics.ts under its exporter, or fix the name`),
    );
    expect(unknown).toEqual([]);
  });

  it("lists no metric that no dashboard reads (the list stays the truth)", () => {
    const used = new Set([...promQueries, ...variableQueries].flatMap(({ expr }) => parsePromQL(expr).metrics));
    const lists = [...Object.entries(exposedMetrics), ...exporterRows.map(({ exporter, row }) => [`${exporter} row`, row.metrics] as const)];
    const unused = lists.flatMap(([source, list]) => (list as readonly string[]).filter((m) => !used.has(m)).map((m) => `${source}: ${m}`));
    expect(unused).toEqual([]);
  });

  it("SLO panels read only SLO recording rules, never raw series over long ranges", () => {
    const sloRules = new Set(recordingRuleNames().filter((n) => n.startsWith("slo:")));
    const slo = promQueries.filter((q) => q.where.startsWith(dashboardUids.slo));
    expect(slo.length).toBeGreaterThan(0);
    for (const q of slo) {
      expect(q.expr).not.toMatch(/histogram_quantile|_over_time|\[\d+[dw]\]/);
      for (const m of parsePromQL(q.expr).metrics) expect(sloRules, `${q.where}: ${m}`).toContain(m);
    }
  });

  it("takes quantiles of recorded buckets only, never of every raw bucket series", () => {
    const quantiles = promQueries.filter((q) => q.expr.includes("histogram_quantile"));
    expect(quantiles.map((q) => q.where)).toContain(`${dashboardUids.serviceHealth} / p99 latency by route`);
    const recorded = new Set(recordingRuleNames());
    for (const q of quantiles) for (const m of parsePromQL(q.expr).metrics) expect(recorded, `${q.where}: ${m}`).toContain(m);
  });

  it("prefers the per-service recording rules: overview reads no raw http_* series", () => {
    const overview = promQueries.filter((q) => q.where.startsWith(dashboardUids.overview));
    for (const q of overview) {
      for (const m of parsePromQL(q.expr).metrics) expect(m, q.where).not.toMatch(/^http_/);
    }
  });

  it("never filters on the environment external label, which local queries do not carry", () => {
    for (const { where, expr } of [...promQueries, ...variableQueries]) expect(expr, where).not.toMatch(/environment\s*[=!]/);
  });
});

describe("LogQL and trace queries", () => {
  const others = dashboards.flatMap((d) => panelQueries(d).filter((q) => q.datasource !== "prometheus"));

  it("select log streams by the service variable", () => {
    const logql = others.filter((q) => q.datasource === "loki");
    expect(logql.length).toBeGreaterThan(0);
    for (const q of logql) expect(q.expr).toContain('{service=~"$service"}');
  });

  it("search traces of the selected services", () => {
    const traces = others.filter((q) => q.datasource === "trace");
    expect(traces.map((q) => q.expr).sort()).toEqual(["service=$service", '{ resource.service.name =~ "$service" }']);
  });
});
