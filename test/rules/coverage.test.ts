/**
 * Every alert is tested and documented: promtool cases exist for each (one
 * firing, one quiet), and each has a runbook with the agreed sections —
 * and no runbook outlives its alert.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AlertRule } from "../../rules";
import { alertNames, buildRuleFiles } from "../../components/catalogue";
import { packCases } from "./cases";
import { allPacksContext } from "./fixtures";

const ctx = allPacksContext();
const cases = Object.values(packCases).flatMap((p) => p.cases);
const runbookDir = join(__dirname, "../../runbooks");
const sections = ["Meaning", "Impact", "Diagnosis", "Mitigation", "Escalation", "Related alerts"];
const builtIn = buildRuleFiles(ctx)
  .filter((f) => f.name !== "custom.rules.yml")
  .flatMap((f) => f.groups.flatMap((g) => g.rules.filter((r): r is AlertRule => "alert" in r)));
const runbookOf = (a: AlertRule) => (a.annotations.runbook_url.split("/").pop() as string).replace(/\.md$/, "");

describe("promtool case coverage", () => {
  it("covers exactly the alerts of the all-packs stack", () => {
    expect([...new Set(cases.map((c) => c.alert))].sort()).toEqual(alertNames(ctx));
  });

  it.each(alertNames(ctx))("%s has a firing case and a quiet case", (alert) => {
    const mine = cases.filter((c) => c.alert === alert);
    expect(mine.filter((c) => c.expect.length > 0).length).toBeGreaterThanOrEqual(1);
    // Watchdog fires by design; its second case shows it keeps firing.
    if (alert === "Watchdog") expect(mine.length).toBeGreaterThanOrEqual(2);
    else expect(mine.filter((c) => c.expect.length === 0).length).toBeGreaterThanOrEqual(1);
  });
});

describe("runbooks", () => {
  const files = readdirSync(runbookDir).filter((f) => f.endsWith(".md") && f !== "README.md");
  const wanted = new Set(builtIn.map(runbookOf));

  it("exist for every built-in alert", () => {
    const missing = [...wanted].filter((name) => !files.includes(`${name}.md`));
    expect(missing).toEqual([]);
  });

  it("belong to an alert", () => {
    const orphans = files.map((f) => f.replace(/\.md$/, "")).filter((name) => !wanted.has(name));
    expect(orphans).toEqual([]);
  });

  it.each(files)("%s has exactly the sections Meaning, Impact, Diagnosis, Mitigation, Escalation, Related alerts", (file) => {
    const text = readFileSync(join(runbookDir, file), "utf8");
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1].trim());
    expect(headings).toEqual(sections);
    expect(text).toMatch(/^# /);
    // Diagnosis gives a query to run.
    const diagnosis = text.split("## Diagnosis")[1].split("## Mitigation")[0];
    expect(diagnosis).toMatch(/```(promql|logql)/);
  });
});
