/**
 * One set of stack facts feeds the rules and the dashboards: an `alerts.thresholds`
 * override moves the alert and recolours the panel that mirrors it.
 */
import { describe, expect, it } from "vitest";
import { dashboardUids } from "../model/conventions";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { parseStackConfig } from "../infra/config/validate";
import { planStack, stackFacts } from "../infra/plan";
import { defaultThresholds } from "../rules/thresholds";

interface Panel {
  title?: string;
  fieldConfig?: { defaults?: { thresholds?: { steps: Array<{ value: number | null; color: string }> } } };
}

function devPlan(thresholds?: Record<string, number>) {
  const raw = readStackFile(stackFilePath("dev"));
  const values = structuredClone(raw.values) as Record<string, any>;
  if (thresholds) values.alerts = { ...values.alerts, thresholds };
  return planStack(parseStackConfig("dev", { ...raw, values }).config);
}

function panelSteps(plan: ReturnType<typeof devPlan>, uid: string, title: string) {
  const dashboard = JSON.parse(plan.grafana.dashboards[`${uid}.json`]) as { panels: Panel[] };
  const panel = dashboard.panels.find((p) => p.title === title);
  if (!panel) throw new Error(`no panel ${title} on ${uid}`);
  return panel.fieldConfig?.defaults?.thresholds?.steps.map((s) => [s.value, s.color]);
}

const ruleText = (plan: ReturnType<typeof devPlan>) => plan.rules.map((f) => f.content).join("\n");

describe("stack facts: one value for the rule and the dashboard contexts", () => {
  it("resolves alerts.thresholds over the defaults", () => {
    const raw = readStackFile(stackFilePath("dev"));
    const cfg = parseStackConfig("dev", { ...raw, values: { ...raw.values, alerts: { thresholds: { hostDiskWarning: 0.7 } } } }).config;
    const facts = stackFacts(cfg, "http://grafana");
    expect(facts.thresholds.hostDiskWarning).toBe(0.7);
    expect(facts.thresholds.hostDiskCritical).toBe(defaultThresholds.hostDiskCritical);
  });

  it("by default the disk and 5xx panels change colour at the default alert thresholds", () => {
    const plan = devPlan();
    expect(panelSteps(plan, dashboardUids.infrastructure, "Disk space used")).toEqual([
      [null, "green"],
      [defaultThresholds.hostDiskWarning, "orange"],
      [defaultThresholds.hostDiskCritical, "red"],
    ]);
    expect(panelSteps(plan, dashboardUids.serviceHealth, "5xx ratio")).toEqual([
      [null, "green"],
      [0.01, "orange"],
      [defaultThresholds.errorRatioCritical, "red"],
    ]);
  });

  it("an override of hostDisk* and errorRatioCritical changes the alerts and the panels alike", () => {
    const plan = devPlan({ hostDiskWarning: 0.7, hostDiskCritical: 0.8, errorRatioCritical: 0.03 });
    const rules = ruleText(plan);
    expect(rules).toMatch(/HostHighDiskUsage[\s\S]*?> 0\.7\b/);
    expect(rules).toMatch(/HighErrorRate[\s\S]*?> 0\.03\b/);
    expect(panelSteps(plan, dashboardUids.infrastructure, "Disk space used")).toEqual([
      [null, "green"],
      [0.7, "orange"],
      [0.8, "red"],
    ]);
    expect(panelSteps(plan, dashboardUids.serviceHealth, "5xx ratio")).toEqual([
      [null, "green"],
      [0.01, "orange"],
      [0.03, "red"],
    ]);
    expect(panelSteps(plan, dashboardUids.overview, "Error ratio")).toEqual([
      [null, "green"],
      [0.01, "orange"],
      [0.03, "red"],
    ]);
  });

  it("a critical error ratio under 1% keeps the panel's steps in ascending order", () => {
    const steps = panelSteps(devPlan({ errorRatioCritical: 0.005 }), dashboardUids.overview, "Error ratio");
    expect(steps).toEqual([
      [null, "green"],
      [0.005, "orange"],
      [0.005, "red"],
    ]);
  });
});
