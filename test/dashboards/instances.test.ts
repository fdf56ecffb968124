/**
 * Exporters as lists of named instances on the Database & cache dashboard: a
 * variable per listed exporter picks its instances, and every query of its
 * row follows the pick; exporters configured as one object are unchanged.
 */
import { describe, expect, it } from "vitest";
import { buildDashboards } from "../../components/catalogue";
import { panelQueries } from "../../dashboards/index";
import { dashboardUids } from "../../model/conventions";
import { labelValuesSelector, parsePromQL } from "../../harness/promql";
import { fullContext, withContext } from "./fixtures";

const databases = (ctx: ReturnType<typeof fullContext>) => {
  const d = buildDashboards(ctx).find((x) => x.uid === dashboardUids.databases);
  if (!d) throw new Error("no Database & cache dashboard");
  return d;
};

describe("Database & cache with list-form exporters", () => {
  const listed = databases(withContext({ exporterInstances: { postgres: ["instance_name", "team"] } }));
  const single = databases(fullContext());

  it("adds a variable per listed exporter, listing its instances by instance_name", () => {
    const variable = (listed.templating.list ?? []).find((v) => v.name === "postgres_instance");
    expect(variable).toMatchObject({ type: "query", label: "PostgreSQL instance", query: 'label_values(up{job="postgres"}, instance_name)', includeAll: true, multi: true });
    expect((listed.templating.list ?? []).map((v) => v.name)).not.toContain("redis_instance");
    expect((single.templating.list ?? []).map((v) => v.name)).not.toContain("postgres_instance");
  });

  it("filters every query of the listed exporter's row by the picked instances, and no other row's", () => {
    const queries = panelQueries(listed).filter((q) => q.datasource === "prometheus");
    const postgres = queries.filter((q) => q.expr.includes('job="postgres"'));
    expect(postgres.length).toBeGreaterThan(5);
    for (const q of postgres) expect(q.expr, q.panel).toContain('job="postgres", instance_name=~"$postgres_instance"');
    for (const q of queries.filter((x) => x.expr.includes('job="redis"'))) expect(q.expr, q.panel).not.toContain("instance_name");
    // One object: the row reads as before.
    expect(panelQueries(single).some((q) => q.expr.includes("instance_name"))).toBe(false);
  });

  it("parses every panel and variable query of the dashboard with every listed row", () => {
    const all = databases(
      withContext({ exporterInstances: { postgres: ["instance_name", "team"], redis: ["instance_name"], elasticsearch: ["instance_name"], mysql: ["instance_name"] } }),
    );
    const exprs = [
      ...panelQueries(all)
        .filter((q) => q.datasource === "prometheus")
        .map((q) => q.expr),
      ...(all.templating.list ?? []).filter((v) => v.type === "query").map((v) => labelValuesSelector(String(v.query))),
    ];
    expect(exprs.filter((e) => e.includes("instance_name")).length).toBeGreaterThan(20);
    expect(exprs.flatMap((e) => parsePromQL(e).errors.map((err) => `${err}: ${e}`))).toEqual([]);
  });

  it("gives the NGINX and RabbitMQ rows, on their own dashboards, the same variable and filter", () => {
    const ctx = withContext({ exporterInstances: { nginx: ["instance_name"], rabbitmq: ["instance_name", "team"] } });
    for (const [uid, id] of [
      [dashboardUids.infrastructure, "nginx"],
      [dashboardUids.queues, "rabbitmq"],
    ] as const) {
      const d = buildDashboards(ctx).find((x) => x.uid === uid);
      expect(
        (d?.templating.list ?? []).map((v) => v.name),
        uid,
      ).toContain(`${id}_instance`);
      const queries = panelQueries(d as NonNullable<typeof d>).filter((q) => q.expr.includes(`job="${id}"`));
      expect(queries.length, uid).toBeGreaterThan(2);
      for (const q of queries) expect(q.expr, q.panel).toContain(`instance_name=~"$${id}_instance"`);
    }
  });
});
