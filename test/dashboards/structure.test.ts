/**
 * Invariants Grafana needs from a dashboard JSON model that the SDK's types
 * cannot express: unique ids, a grid position on every panel inside the
 * 24-column grid without overlaps, known datasource uids, defined variables.
 */
import { describe, expect, it } from "vitest";
import { dashboardUids, datasourceUids } from "../../model/conventions";
import { type Dashboard, allPanels, panelQueries } from "../../dashboards/index";
import { buildDashboards, renderDashboards } from "../../components/catalogue";
import { bareContext, fullContext, withContext } from "./fixtures";

const contexts = { full: fullContext(), bare: bareContext(), jaeger: withContext({ tracing: "jaeger" }) };
const knownUids = new Set<string>(Object.values(datasourceUids));

/** Top-level panels including row headers: what Grafana lays out on the grid. */
function gridItems(d: Dashboard) {
  return (d.panels ?? []).map((p) => ({ id: p.id, type: p.type, title: p.title ?? "", gridPos: p.gridPos }));
}

describe.each(Object.entries(contexts))("dashboards for the %s context", (_, ctx) => {
  const dashboards = buildDashboards(ctx);

  it("are the ten conventional dashboards, by uid, titled 'Watchpost / …'", () => {
    expect(dashboards.map((d) => d.uid)).toEqual(Object.values(dashboardUids));
    for (const d of dashboards) expect(d.title).toMatch(/^Watchpost \/ \S/);
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))("%s: has a schema version, time range, tags and the environment variable", (_, d) => {
    expect(d.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(d.time).toEqual({ from: "now-6h", to: "now" });
    expect(d.tags).toEqual(["watchpost", ctx.environment]);
    const environment = d.templating.list?.find((v) => v.name === "environment");
    expect(environment?.current).toMatchObject({ value: ctx.environment });
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))("%s: panel ids are unique and positive", (_, d) => {
    // Rows and the panels nested in collapsed rows share one id space.
    const nested = (d.panels ?? []).flatMap((p) => (p.type === "row" ? ((p as { panels?: Array<{ id?: number }> }).panels ?? []) : []));
    const ids = [...(d.panels ?? []), ...nested].map((p) => p.id);
    expect(ids.every((id) => typeof id === "number" && id > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))("%s: every panel sits on the 24-column grid without overlapping another", (_, d) => {
    const items = gridItems(d);
    expect(items.length).toBeGreaterThan(0);
    for (const { title, gridPos } of items) {
      expect(gridPos, title).toBeDefined();
      const { x, y, w, h } = gridPos!;
      expect(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 24, `${title}: ${JSON.stringify(gridPos)}`).toBe(true);
    }
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i].gridPos!;
        const b = items[j].gridPos!;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `'${items[i].title}' overlaps '${items[j].title}'`).toBe(false);
      }
    }
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))("%s: every panel has a title and a description for the user", (_, d) => {
    for (const p of allPanels(d).filter((p) => p.type !== "text")) {
      expect(p.title, `panel ${p.id}`).toBeTruthy();
      expect((p.description ?? "").length, `'${p.title}' needs a description`).toBeGreaterThan(20);
    }
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))("%s: every query names a datasource uid Grafana provisions", (_, d) => {
    for (const p of allPanels(d)) {
      const targets = (p.targets ?? []) as unknown as Array<{ refId?: string; datasource?: { uid?: string } }>;
      if (targets.length > 0) expect(knownUids, `'${p.title}' panel datasource`).toContain(p.datasource?.uid);
      for (const t of targets) {
        expect(knownUids, `'${p.title}' target ${t.refId}`).toContain(t.datasource?.uid);
        expect(t.refId).toMatch(/^[A-Z]$/);
      }
    }
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))("%s: query variables run on the Prometheus datasource", (_, d) => {
    for (const v of (d.templating.list ?? []).filter((v) => v.type === "query")) {
      expect(v.datasource).toEqual({ type: "prometheus", uid: datasourceUids.prometheus });
      expect(String(v.query)).toMatch(/^label_values\(/);
    }
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))("%s: every $variable a query uses is defined on the dashboard", (_, d) => {
    const defined = new Set((d.templating.list ?? []).map((v) => v.name));
    const texts = [...panelQueries(d).map((q) => q.expr), ...(d.templating.list ?? []).map((v) => String(v.query ?? ""))];
    for (const text of texts) {
      for (const [, name] of text.matchAll(/\$\{?([A-Za-z_]\w*)/g)) {
        if (!name.startsWith("__")) expect(defined, `${d.uid}: $${name} in ${text}`).toContain(name);
      }
    }
  });
});

describe("variables where they filter something", () => {
  const byUid = new Map(buildDashboards(fullContext()).map((d) => [d.uid, d]));
  const names = (uid: string) => (byUid.get(uid)?.templating.list ?? []).map((v) => v.name);

  it("service health filters by environment, service and instance", () => {
    expect(names(dashboardUids.serviceHealth)).toEqual(["environment", "service", "instance"]);
  });
  it("infrastructure and uptime filter by instance, the service dashboards by service", () => {
    expect(names(dashboardUids.infrastructure)).toEqual(["environment", "instance"]);
    expect(names(dashboardUids.uptime)).toEqual(["environment", "instance"]);
    for (const uid of [dashboardUids.overview, dashboardUids.queues, dashboardUids.alerts, dashboardUids.logsTraces]) {
      expect(names(uid)).toEqual(["environment", "service"]);
    }
  });
  it("the service variable lists application services, not the stack's own jobs", () => {
    const service = byUid.get(dashboardUids.overview)?.templating.list?.find((v) => v.name === "service");
    expect(service?.query).toContain('job!~"alertmanager|alloy|blackbox|');
    expect(service?.allValue).toBeUndefined();
  });
});

describe("rendered JSON", () => {
  it("keeps SDK-internal marker functions out of the JSON", () => {
    for (const json of Object.values(renderDashboards(fullContext()))) expect(json).not.toContain("_implementsDataqueryVariant");
  });
});
