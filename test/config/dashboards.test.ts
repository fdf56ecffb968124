/**
 * `watchpost:dashboards`: the teams' folders of exported JSON and declared
 * dashboards. One good stack (test/fixtures/dashboards/payments plus a declared
 * dashboard), then one mutation per problem, each asserting its message: key
 * path, offending value, what was expected and the fix.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { derivedDashboardUid, interpolateVariables, promqlProblem } from "../../dashboards/provided";
import { teamFolderObjectName } from "../../components/grafana/dashboards";
import { projectDirectoryReader } from "../../infra/config/load";
import { ConfigError, parseStackConfig, type RawStackConfig } from "../../infra/config/validate";
import { planStack } from "../../infra/plan";
import { synth } from "../../infra/synth";

const fixtures = path.resolve(__dirname, "../fixtures/dashboards/payments");
const fixture = (file: string) => JSON.parse(readFileSync(path.join(fixtures, file), "utf8"));
const work = mkdtempSync(path.join(tmpdir(), "watchpost-dashboards-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const declared = {
  title: "Checkout at a glance",
  rows: [
    {
      title: "Traffic",
      panels: [
        {
          title: "Requests per second",
          queries: [{ expr: 'sum(rate(http_requests_total{service="checkout"}[$__rate_interval]))', legend: "all routes" }],
          unit: "reqps",
          thresholds: [
            { value: 200, color: "red" },
            { value: 100, color: "orange" },
          ],
        },
        { title: "Error ratio", type: "stat", queries: [{ expr: 'sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))' }], unit: "percentunit" },
      ],
    },
  ],
};

/**
 * The docker platform with one Payments folder: `payments/` of a project holding `files` (the fixture
 * files when none are given) and a declared dashboard; `folder` and `extra` change the folder and the stack.
 */
function raw(folder: Record<string, unknown> = {}, files: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): RawStackConfig {
  let root = path.resolve(fixtures, "..");
  if (Object.keys(files).length > 0) {
    root = mkdtempSync(path.join(work, "project-"));
    mkdirSync(path.join(root, "payments"));
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(root, "payments", name), typeof content === "string" ? content : JSON.stringify(content));
  }
  return {
    values: { platform: "docker", dashboards: { folders: [{ name: "Payments", path: "payments", dashboards: [declared], ...folder }] }, ...extra },
    secrets: new Set(),
    readDirectory: projectDirectoryReader(root),
  };
}

function problemsOf(input: RawStackConfig): string {
  try {
    parseStackConfig("dev", input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("a good Payments folder", () => {
  const { config } = parseStackConfig("dev", raw());
  const plan = planStack(config);
  const [folder] = plan.grafana.folders;
  const dashboard = (file: string) => JSON.parse(folder.dashboards[file]);

  it("provisions the exported files and the declared dashboard into one folder, each with a stable uid", () => {
    expect(folder.name).toBe("Payments");
    expect(folder.directory).toBe("payments");
    expect(Object.keys(folder.dashboards)).toEqual(["payments-checkout.json", "payments-latency.json", "payments-checkout-at-a-glance.json"]);
    // No uid in checkout.json: derived from folder and file; latency.json keeps its own.
    expect(dashboard("payments-checkout.json").uid).toBe("payments-checkout");
    expect(dashboard("payments-latency.json").uid).toBe("payments-latency");
    expect(planStack(parseStackConfig("dev", raw()).config).grafana.folders).toEqual(plan.grafana.folders);
  });

  it("points ${DS_PROMETHEUS} inputs, datasource names and another Grafana's uids at the stack's Prometheus", () => {
    const checkout = dashboard("payments-checkout.json");
    const ours = { type: "prometheus", uid: "watchpost-prometheus" };
    expect(checkout.panels[0].datasource).toEqual(ours);
    expect(checkout.panels[0].targets[0].datasource).toEqual(ours);
    // A string reference inside a collapsed row.
    expect(checkout.panels[1].panels[0].datasource).toEqual(ours);
    expect(checkout.templating.list[0].datasource).toEqual(ours);
    expect(checkout).not.toHaveProperty("__inputs");
    expect(checkout.id).toBeNull();
    expect(folder.dashboards["payments-checkout.json"]).not.toContain("DS_PROMETHEUS");
    const latency = dashboard("payments-latency.json");
    expect(latency.panels[0].datasource).toEqual(ours);
    expect(latency.panels[0].targets[0].datasource).toEqual(ours);
    // Grafana's own annotations datasource stays.
    expect(latency.annotations.list[0].datasource).toEqual({ type: "grafana", uid: "-- Grafana --" });
    // Everything else of the file is kept as it was.
    expect(latency.panels[1]).toEqual(fixture("latency.json").panels[1]);
    expect(checkout.panels[0].targets[0].expr).toBe(fixture("checkout.json").panels[0].targets[0].expr);
  });

  it("keeps references to the dashboard's own datasource variable, whose type the stack provides", () => {
    const withVariable = structuredClone(fixture("checkout.json"));
    withVariable.templating.list.push({ name: "ds", type: "datasource", query: "prometheus" });
    withVariable.panels[0].datasource = { type: "prometheus", uid: "${ds}" };
    const dir = mkdtempSync(path.join(work, "variable-"));
    mkdirSync(path.join(dir, "payments"));
    writeFileSync(path.join(dir, "payments", "checkout.json"), JSON.stringify(withVariable));
    const planned = planStack(parseStackConfig("dev", { ...raw(), readDirectory: projectDirectoryReader(dir) }).config).grafana.folders[0];
    expect(JSON.parse(planned.dashboards["payments-checkout.json"]).panels[0].datasource).toEqual({ type: "prometheus", uid: "${ds}" });
    withVariable.templating.list[1].query = "influxdb";
    writeFileSync(path.join(dir, "payments", "checkout.json"), JSON.stringify(withVariable));
    expect(problemsOf({ ...raw(), readDirectory: projectDirectoryReader(dir) })).toContain(
      "variable $ds: needs a datasource of type influxdb, which this stack does not provision",
    );
  });

  it("renders the declared dashboard with the house panels: queries, unit, thresholds from low to high", () => {
    const d = dashboard("payments-checkout-at-a-glance.json");
    expect(d.title).toBe("Checkout at a glance");
    expect(d.tags).toEqual(["Payments", "dev"]);
    expect(d.panels.map((p: { type: string; title: string; id: number }) => [p.type, p.title, p.id])).toEqual([
      ["row", "Traffic", 1],
      ["timeseries", "Requests per second", 2],
      ["stat", "Error ratio", 3],
    ]);
    const rps = d.panels[1];
    expect(rps.targets).toEqual([
      expect.objectContaining({
        refId: "A",
        expr: declared.rows[0].panels[0].queries[0].expr,
        legendFormat: "all routes",
        datasource: { type: "prometheus", uid: "watchpost-prometheus" },
      }),
    ]);
    expect(rps.fieldConfig.defaults.unit).toBe("reqps");
    expect(rps.fieldConfig.defaults.thresholds.steps).toEqual([
      { value: null, color: "green" },
      { value: 100, color: "orange" },
      { value: 200, color: "red" },
    ]);
    expect(d.panels[2].targets[0].instant).toBe(true);
  });

  it("adds a provider for the folder beside the stack's own, reading a directory outside the stack's", () => {
    expect(plan.grafana.dashboardProviderYaml).toContain("name: team-payments\n    folder: Payments");
    expect(plan.grafana.dashboardProviderYaml).toContain("path: /etc/grafana/team-dashboards/payments");
  });

  it("has synth write them under grafana/team-dashboards/<folder>/", () => {
    expect(Object.keys(plan.artifacts).filter((f) => f.startsWith("grafana/team-dashboards/"))).toEqual([
      "grafana/team-dashboards/payments/payments-checkout.json",
      "grafana/team-dashboards/payments/payments-latency.json",
      "grafana/team-dashboards/payments/payments-checkout-at-a-glance.json",
    ]);
  });

  it("names a folder's ConfigMap after its directory", () => {
    expect(teamFolderObjectName("payments")).toBe("watchpost-dashboards-payments");
  });
});

describe("problems of a folder, each with its key path and fix", () => {
  const checkout = fixture("checkout.json");
  const at = 'watchpost:dashboards.folders[0].path: got "payments/checkout.json"; ';

  it("a file that is not JSON", () => {
    expect(problemsOf(raw({}, { "checkout.json": "{ not json" }))).toContain(`${at}is not JSON (`);
  });

  it("JSON that is not a dashboard: a list, the API's wrapper, no title, no panels (the layout before Grafana 5)", () => {
    expect(problemsOf(raw({}, { "checkout.json": [] }))).toContain(`${at}is a list; expected a Grafana dashboard: an object with a title and panels; fix it in the file`);
    expect(problemsOf(raw({}, { "checkout.json": { dashboard: checkout, meta: {} } }))).toContain(
      `${at}is the API's {"dashboard": …, "meta": …} wrapper; save the inner "dashboard" object`,
    );
    expect(problemsOf(raw({}, { "checkout.json": { ...checkout, title: "" } }))).toContain(`${at}title: got ""; expected the dashboard's title, not empty; fix it in the file`);
    const { panels: _panels, ...noPanels } = checkout;
    expect(problemsOf(raw({}, { "checkout.json": { ...noPanels, rows: [] } }))).toContain(
      `${at}has rows but no panels: the layout of Grafana before 5.0; open it in a current Grafana and export it again`,
    );
  });

  it("a PromQL query that does not parse, named by panel and query", () => {
    const broken = structuredClone(checkout);
    broken.panels[0].targets[0].expr = "sum(rate(http_requests_total[5m])";
    expect(problemsOf(raw({}, { "checkout.json": broken }))).toContain(`${at}panel 'Request rate', query A: PromQL syntax error at line 1, near`);
    const inRow = structuredClone(checkout);
    inRow.panels[1].panels[0].targets[0].expr = "rate(x[5m]) by";
    expect(problemsOf(raw({}, { "checkout.json": inRow }))).toContain(`${at}panel 'Errors' › panel '5xx ratio', query A: PromQL syntax error`);
  });

  it("a datasource the stack does not provision, or one it cannot place", () => {
    const mysql = structuredClone(checkout);
    mysql.panels[0].datasource = { type: "mysql", uid: "abc" };
    expect(problemsOf(raw({}, { "checkout.json": mysql }))).toContain(
      `${at}panel 'Request rate', datasource: needs a datasource of type mysql, which this stack does not provision (it has: prometheus, alertmanager, loki, tempo); turn on the part of the stack that provides it, or remove the panel; fix it in the file`,
    );
    const named = structuredClone(checkout);
    named.panels[0].datasource = "Team Prometheus";
    expect(problemsOf(raw({}, { "checkout.json": named }))).toContain(
      `${at}panel 'Request rate', datasource: unknown datasource "Team Prometheus"; expected one of the stack's datasources (Prometheus = watchpost-prometheus,`,
    );
    const undeclared = structuredClone(checkout);
    undeclared.panels[0].datasource = "${DS_OTHER}";
    expect(problemsOf(raw({}, { "checkout.json": undeclared }))).toContain(
      `${at}panel 'Request rate', datasource: datasource "\${DS_OTHER}" is neither an input of the export (__inputs) nor a datasource variable of the dashboard; give the reference a type`,
    );
    const noLoki = structuredClone(checkout);
    noLoki.panels[0].datasource = { type: "loki", uid: "${DS_LOKI}" };
    expect(problemsOf(raw({}, { "checkout.json": noLoki }, { logging: { enabled: false } }))).toContain(
      `needs a datasource of type loki, which this stack does not provision (it has: prometheus, alertmanager, tempo)`,
    );
  });

  it("a library panel, which file provisioning cannot load", () => {
    const library = structuredClone(checkout);
    library.panels[0].libraryPanel = { uid: "lib-1", name: "Shared" };
    expect(problemsOf(raw({}, { "checkout.json": library }))).toContain(`${at}panel 'Request rate': is a library panel, which file provisioning cannot load; unlink it`);
  });

  it("a uid taken by a built-in dashboard, by another file or by a declared dashboard", () => {
    expect(problemsOf(raw({}, { "checkout.json": { ...checkout, uid: "watchpost-overview" } }))).toContain(
      `${at}uid "watchpost-overview" is already the uid of the built-in dashboard watchpost-overview; every dashboard of the stack needs its own: change the uid in the file, or remove it to have one derived from the folder and file name`,
    );
    expect(problemsOf(raw({}, { "a.json": { ...checkout, uid: "same" }, "b.json": { ...checkout, uid: "same" } }))).toContain(
      'watchpost:dashboards.folders[0].path: got "payments/b.json"; uid "same" is already the uid of payments/a.json;',
    );
    expect(problemsOf(raw({ dashboards: [{ ...declared, uid: "payments-checkout" }] }, { "checkout.json": checkout }))).toContain(
      'watchpost:dashboards.folders[0].dashboards[0].uid: got "payments-checkout"; uid "payments-checkout" is already the uid of payments/checkout.json; every dashboard of the stack needs its own: set a uid of its own',
    );
  });

  it("a bad uid in a file", () => {
    expect(problemsOf(raw({}, { "checkout.json": { ...checkout, uid: "has spaces" } }))).toContain(`${at}uid: got "has spaces"; expected 1 to 40 letters, digits, - or _;`);
  });

  it("a declared query that does not parse, at its own key", () => {
    const bad = structuredClone(declared);
    bad.rows[0].panels[0].queries[0].expr = "sum(rate(x[5m])";
    expect(problemsOf(raw({ dashboards: [bad], path: undefined }))).toContain(
      'watchpost:dashboards.folders[0].dashboards[0].rows[0].panels[0].queries[0].expr: got "sum(rate(x[5m])"; PromQL syntax error at line 1, near',
    );
  });

  it("directories that cannot be read, and keys that name none", () => {
    expect(problemsOf(raw({ path: "nosuch" }))).toMatch(
      /watchpost:dashboards\.folders\[0\]\.path: got "nosuch"; no such directory \(looked in .*nosuch\); paths are relative to the project, where Pulumi\.yaml is/,
    );
    expect(problemsOf(raw({ path: "payments/checkout.json" }))).toContain('watchpost:dashboards.folders[0].path: got "payments/checkout.json"; is a file (');
    expect(problemsOf(raw({ path: "." }))).toContain('watchpost:dashboards.folders[0].path: got "."; holds no *.json files');
    const { readDirectory: _reader, ...noReader } = raw();
    expect(problemsOf(noReader)).toContain("names a directory, but this program reads no project files; declare the dashboards under dashboards instead");
  });

  it("folder names: reserved, the same folder twice, a folder with nothing in it, and the schema's own checks", () => {
    const folders = (...list: unknown[]) => ({ values: { platform: "docker", dashboards: { folders: list } }, secrets: new Set<string>() });
    const one = { name: "Payments", dashboards: [declared] };
    expect(problemsOf(folders({ ...one, name: "Watchpost" }))).toContain(
      `watchpost:dashboards.folders[0].name: got "Watchpost"; is a folder Grafana or the stack's own dashboards use; name the team's folder, such as Payments`,
    );
    expect(problemsOf(folders(one, { ...one, name: "payments", dashboards: [{ ...declared, title: "Other" }] }))).toContain(
      `watchpost:dashboards.folders[1].name: got "payments"; names the same folder as dashboards.folders[0] ("Payments"); put the dashboards of one folder under one entry`,
    );
    expect(problemsOf(folders({ name: "Empty" }))).toContain(
      'watchpost:dashboards.folders[0]: got {"name":"Empty"}; has no dashboards; expected path (a directory of exported JSON), dashboards (declared in the stack file), or both',
    );
    expect(problemsOf(folders({ ...one, name: "a/b" }))).toContain('watchpost:dashboards.folders[0].name: got "a/b"; expected a folder name such as Payments');
    expect(problemsOf(folders({ ...one, path: "../elsewhere" }))).toContain(
      'watchpost:dashboards.folders[0].path: got "../elsewhere"; expected a directory relative to the project, such as team-dashboards/payments, without .. or a leading /',
    );
  });

  it("lists every problem of the config at once, and synth writes nothing", () => {
    const file = path.join(work, "Pulumi.broken.yaml");
    const broken = structuredClone(checkout);
    broken.panels[0].targets[0].expr = "rate(";
    writeFileSync(path.join(work, "broken.json"), JSON.stringify(broken));
    writeFileSync(
      file,
      stringify({
        config: { "watchpost:platform": "docker", "watchpost:prometheus": { retention: "1 month" }, "watchpost:dashboards": { folders: [{ name: "Payments", path: "." }] } },
      }),
    );
    const out = path.join(work, "out-broken");
    let message = "";
    try {
      synth("broken", out, file);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("watchpost:prometheus.retention");
    expect(existsSync(out)).toBe(false);
    // The shape is fixed: the dashboard's own problem shows.
    writeFileSync(file, stringify({ config: { "watchpost:platform": "docker", "watchpost:dashboards": { folders: [{ name: "Payments", path: "." }] } } }));
    expect(() => synth("broken", out, file)).toThrow(/watchpost:dashboards\.folders\[0\]\.path: got "\.\/broken\.json"; panel 'Request rate', query A: PromQL syntax error/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("Grafana's variables in PromQL", () => {
  it("stand in as a duration inside [...] and after offset, as a name elsewhere, and stay inside strings", () => {
    expect(interpolateVariables("rate(x[$__rate_interval])")).toBe("rate(x[5m])");
    expect(interpolateVariables("max_over_time(x[${window}:$__interval])")).toBe("max_over_time(x[5m:5m])");
    expect(interpolateVariables('sum by ($group) (x{a="$v"}) > $threshold offset $shift')).toBe('sum by (grafana_variable) (x{a="$v"}) > grafana_variable offset 5m');
    expect(interpolateVariables('[[metric]]{job=~"[[job]]"}')).toBe('grafana_variable{job=~"$job"}');
  });

  it("leaves queries that use them valid, and a broken one broken", () => {
    expect(promqlProblem("topk($n, sum by ($label) (rate(x[$__range])))")).toBeUndefined();
    expect(promqlProblem("sum(rate(x[$__rate_interval])")).toMatch(/^PromQL syntax error at line 1/);
    expect(promqlProblem("sum(rate(http_requests_total))")).toMatch(/^PromQL type error at line 1, near .*: expected type matrix in call to function "rate", got vector; expr: /);
    // A stand-in name has no type of what Grafana will put there: no type check then.
    expect(promqlProblem("topk($n, sum(rate(x[5m])))")).toBeUndefined();
  });
});

describe("derived uids", () => {
  it("are the folder and the name, and past 40 characters a prefix and a hash, the same every time", () => {
    expect(derivedDashboardUid("Payments", "checkout.json")).toBe("payments-checkout");
    const long = derivedDashboardUid("Payments and Billing", "a very long dashboard name for checkout.json");
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^payments-and-billing-a-very-lon-[0-9a-f]{8}$/);
    expect(derivedDashboardUid("Payments and Billing", "a very long dashboard name for checkout.json")).toBe(long);
    expect(derivedDashboardUid("Payments and Billing", "a very long dashboard name for refunds.json")).not.toBe(long);
  });
});
