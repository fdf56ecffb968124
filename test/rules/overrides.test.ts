/**
 * `alerts.overrides` in the rendered rules: each field changes what it names
 * and nothing else; promtool accepts the result and shows an overridden `for`
 * moving the moment an alert fires.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { AlertRule, RuleContext, RuleFile } from "../../rules";
import { alertNames, buildRuleFiles, renderRuleFiles } from "../../components/catalogue";
import { builtInAlerts } from "../../components/catalogue";
import { alertsSpec } from "../../rules/spec";
import { built, tool } from "../support/tools";
import { fires, quiet, s } from "./cases/types";
import { allPacksContext, businessAlerts } from "./fixtures";
import { promtoolTestFile } from "./promtool";

const alerts = (files: RuleFile[]): AlertRule[] => files.flatMap((f) => f.groups.flatMap((g) => g.rules.filter((r): r is AlertRule => "alert" in r)));
const named = (files: RuleFile[], name: string) => alerts(files).filter((a) => a.alert === name);
const withOverrides = (overrides: Record<string, unknown>): RuleContext => allPacksContext({ alerts: alertsSpec.parse({ custom: businessAlerts, overrides }) });

const overrides = {
  HighErrorRate: { for: "2m", severity: "warning", labels: { tier: "gold" } },
  HostHighCpuUsage: { disabled: true },
  ServiceDown: { disabled: true },
};
const before = buildRuleFiles(allPacksContext());
const after = buildRuleFiles(withOverrides(overrides));

describe("overrides in the rendered rules", () => {
  it("set for, severity and extra labels, and keep the expression, runbook and annotations", () => {
    const [was] = named(before, "HighErrorRate");
    const [now] = named(after, "HighErrorRate");
    expect(was.for).toBe("5m");
    expect(now).toEqual({ ...was, for: "2m", labels: { ...was.labels, tier: "gold", severity: "warning" } });
    expect(now.annotations.runbook_url).toBe("https://github.com/watchpost/watchpost/blob/main/runbooks/HighErrorRate.md");
  });

  it("drop a disabled alert and nothing else", () => {
    expect(named(after, "HostHighCpuUsage")).toEqual([]);
    expect(named(after, "ServiceDown")).toEqual([]);
    expect(alertNames(withOverrides(overrides))).toEqual(alertNames(allPacksContext()).filter((n) => n !== "HostHighCpuUsage" && n !== "ServiceDown"));
    // Recording rules do not read alerts: every one of them is still there.
    const records = (files: RuleFile[]) => files.flatMap((f) => f.groups.flatMap((g) => g.rules.filter((r) => "record" in r)));
    expect(records(after)).toEqual(records(before));
  });

  it("leave every other alert as it was", () => {
    const untouched = (files: RuleFile[]) => alerts(files).filter((a) => !(a.alert in overrides));
    expect(untouched(after)).toEqual(untouched(before));
  });

  it("are the same groups on Kubernetes (PrometheusRule spec.groups) and in the Docker rule files", () => {
    const docker = withOverrides(overrides);
    const files = buildRuleFiles({ ...docker, platform: "docker" });
    expect(named(files, "HighErrorRate")[0]).toMatchObject({ for: "2m", labels: { severity: "warning", tier: "gold" } });
    expect(renderRuleFiles({ ...docker, platform: "docker" })["service.rules.yml"]).toContain("for: 2m");
  });
});

describe("the built-in catalogue", () => {
  it("holds every built-in alert of the all-packs stack, with its pack, and no custom alert", () => {
    const catalogue = builtInAlerts();
    const custom = new Set(businessAlerts.map((a) => a.name));
    // Escalation alerts come from routing.escalation as written, like custom alerts: overrides do not tune them.
    expect(catalogue.has("AlertEscalated")).toBe(false);
    custom.add("AlertEscalated");
    expect(
      alertNames(allPacksContext())
        .filter((n) => !custom.has(n))
        .every((n) => catalogue.has(n)),
    ).toBe(true);
    for (const name of custom) expect(catalogue.has(name)).toBe(false);
    expect(catalogue.get("HighErrorRate")).toBe("service");
    expect(catalogue.get("PostgresDown")).toBe("postgres");
  });
});

const run = promisify(execFile);
const promtool = tool("promtool");

async function promtoolRun(args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(promtool as string, args);
    return { ok: true, output: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` || err.message };
  }
}

describe.skipIf(!promtool)(`promtool on rules with overrides (${built("promtool")})`, () => {
  const api = 'job="api",service="api",instance="api-1:8080"';
  // 10% of requests fail from the start: above the 5% threshold from the first rate.
  const failing = [
    s(`http_requests_total{${api},method="GET",route="/orders",status_code="200"}`, "0+90x30"),
    s(`http_requests_total{${api},method="GET",route="/orders",status_code="500"}`, "0+10x30"),
  ];
  const owner = { service: "api", team: "platform" };
  const files = ["service.rules.yml", "service-owners.rules.yml"];
  let dir = "";

  function write(name: string, ctx: RuleContext, pack: Parameters<typeof promtoolTestFile>[1]): string {
    const out = mkdtempSync(join(dir, `${name}-`));
    for (const [file, text] of Object.entries(renderRuleFiles(ctx))) writeFileSync(join(out, file), text);
    const test = join(out, "test.yml");
    writeFileSync(test, stringify(promtoolTestFile(buildRuleFiles(ctx), pack, out), { lineWidth: 0, aliasDuplicateObjects: false }));
    return out;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "watchpost-overrides-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("check rules accepts every file of a stack with overrides", async () => {
    const out = write("check", withOverrides(overrides), { files, cases: [] });
    const names = Object.keys(renderRuleFiles(withOverrides(overrides))).map((f) => join(out, f));
    const outcome = await promtoolRun(["check", "rules", ...names]);
    expect(outcome.ok, outcome.output).toBe(true);
  });

  it("fires HighErrorRate at 4m with for: 2m, as a warning with the extra label; the default 5m is still pending then", async () => {
    const tuned = write("tuned", withOverrides(overrides), {
      files,
      cases: [fires("HighErrorRate", "for 2m: firing at 4m", "4m", failing, [{ labels: { severity: "warning", tier: "gold", ...owner }, value: "10%" }])],
    });
    const stock = write("stock", allPacksContext(), {
      files,
      cases: [
        quiet("HighErrorRate", "for 5m: pending at 4m", "4m", failing),
        fires("HighErrorRate", "for 5m: firing at 7m", "7m", failing, [{ labels: { severity: "critical", ...owner }, value: "10%" }]),
      ],
    });
    for (const out of [tuned, stock]) {
      const outcome = await promtoolRun(["test", "rules", join(out, "test.yml")]);
      expect(outcome.ok, outcome.output).toBe(true);
    }
  });
});
