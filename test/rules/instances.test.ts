/**
 * Exporters configured as lists of named instances: the rules keep each
 * instance's `instance_name` and labels through their aggregations, so the
 * real promtool sees one instance's alert fire with that instance's labels
 * (its team routes it) while its sibling stays quiet.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { buildRuleFiles, renderRuleFiles } from "../../components/catalogue";
import { exporterInstanceLabels } from "../../components/exporters/index";
import { exportersSpec } from "../../components/exporters/index";
import type { RuleContext } from "../../rules";
import { built, tool } from "../support/tools";
import { fires, type PackCases, quiet, s } from "./cases/types";
import { allPacksContext } from "./fixtures";
import { promtoolTestFile } from "./promtool";

const exporters = exportersSpec.parse({
  postgres: [
    { name: "orders", host: "orders-db", user: "monitor", labels: { team: "payments" } },
    { name: "billing", host: "billing-db", user: "monitor" },
  ],
  redis: [
    { name: "cache", address: "cache:6379" },
    { name: "sessions", address: "sessions:6379", labels: { team: "web" } },
  ],
  rabbitmq: [
    { name: "jobs", target: "jobs-rabbit:15692" },
    { name: "events", target: "events-rabbit:15692" },
  ],
});
const ctx: RuleContext = { ...allPacksContext(), exporterInstances: exporterInstanceLabels(exporters) };
const files = buildRuleFiles(ctx);
const rendered = renderRuleFiles(ctx);

const orders = { job: "postgres", instance: "postgres-exporter-orders:9187", instance_name: "orders", team: "payments" };
const billing = { job: "postgres", instance: "postgres-exporter-billing:9187", instance_name: "billing" };
const series = (labels: Record<string, string>, extra = "") =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",")}${extra}}`;
const connections = (labels: Record<string, string>, used: number) => [
  s(`pg_stat_activity_count${series(labels, ',datname="app",state="active"')}`, `${used}x10`),
  s(`pg_settings_max_connections${series(labels)}`, "100x10"),
];
const sessions = { job: "redis", instance: "redis-exporter-sessions:9121", instance_name: "sessions", team: "web" };
const cache = { job: "redis", instance: "redis-exporter-cache:9121", instance_name: "cache" };
const jobs = { job: "rabbitmq", instance_name: "jobs" };
const events = { job: "rabbitmq", instance_name: "events" };

const cases: PackCases = {
  files: ["postgres.rules.yml", "redis.rules.yml", "rabbitmq.rules.yml"],
  cases: [
    fires(
      "PostgresDown",
      "orders down, billing up",
      "3m",
      [s(`pg_up${series(orders)}`, "0x5"), s(`pg_up${series(billing)}`, "1x5")],
      [{ labels: { severity: "critical", ...orders } }],
    ),
    fires(
      "PostgresTooManyConnections",
      "orders at 85 of 100 keeps its name and team through the aggregation",
      "8m",
      [...connections(orders, 85), ...connections(billing, 10)],
      [{ labels: { severity: "warning", instance: orders.instance, instance_name: "orders", team: "payments" }, value: "85%" }],
    ),
    quiet("PostgresTooManyConnections", "both below the threshold", "8m", [...connections(orders, 50), ...connections(billing, 50)]),
    fires(
      "RedisDown",
      "sessions down, cache up",
      "3m",
      [s(`redis_up${series(sessions)}`, "0x5"), s(`redis_up${series(cache)}`, "1x5")],
      [{ labels: { severity: "critical", ...sessions } }],
    ),
    // Each RabbitMQ cluster is down on its own: events down while jobs is up is RabbitmqDown for events, not a node alert.
    fires(
      "RabbitmqDown",
      "the events cluster down, the jobs cluster up",
      "3m",
      [s(`up${series({ ...events, instance: "events-rabbit:15692" })}`, "0x5"), s(`up${series({ ...jobs, instance: "jobs-rabbit:15692" })}`, "1x5")],
      [{ labels: { severity: "critical", ...events } }],
    ),
    quiet("RabbitmqNodeDown", "a whole cluster down is not a node of a running cluster", "3m", [
      s(`up${series({ ...events, instance: "events-rabbit:15692" })}`, "0x5"),
      s(`up${series({ ...jobs, instance: "jobs-rabbit:15692" })}`, "1x5"),
    ]),
  ],
};

const promtool = tool("promtool");
const dir = mkdtempSync(join(tmpdir(), "watchpost-rules-instances-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("rules of list-form exporters", () => {
  it("group by the instance labels and name the instance in the summary", () => {
    const postgres = files.find((f) => f.name === "postgres.rules.yml");
    const rule = postgres?.groups[0].rules.find((r) => "alert" in r && r.alert === "PostgresTooManyConnections");
    expect(rule?.expr).toContain("sum by (instance, instance_name, team) (pg_stat_activity_count");
    expect(rule && "annotations" in rule ? rule.annotations.summary : "").toBe(
      "PostgreSQL {{ $labels.instance_name }} ({{ $labels.instance }}) uses {{ $value | humanizePercentage }} of max_connections",
    );
  });

  it.skipIf(!promtool)(`promtool test rules: one instance fires with its own labels (${built("promtool")})`, async () => {
    for (const [name, text] of Object.entries(rendered)) writeFileSync(join(dir, name), text);
    const path = join(dir, "instances.test.yml");
    writeFileSync(path, stringify(promtoolTestFile(files, cases, dir), { lineWidth: 0, aliasDuplicateObjects: false }));
    const outcome = await promisify(execFile)(promtool as string, ["test", "rules", path]).then(
      (r) => ({ ok: true, output: r.stdout + r.stderr }),
      (e: { stdout?: string; stderr?: string; message: string }) => ({ ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` || e.message }),
    );
    expect(outcome.ok, outcome.output).toBe(true);
  });
});
