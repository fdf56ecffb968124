/**
 * renovate.json finds every pin in model/versions.ts: each image tag and
 * each Helm chart exactly once, with the value a bump would replace. Renovate's
 * own managers cover package.json and the workflow.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { charts, images } from "../model/versions";

const root = resolve(__dirname, "..");
const config = JSON.parse(readFileSync(resolve(root, "renovate.json"), "utf8")) as {
  customManagers: Array<{ managerFilePatterns: string[]; matchStrings: string[]; datasourceTemplate: string }>;
  packageRules: Array<{ matchPackageNames?: string[]; groupName?: string }>;
};
const versionsFile = "model/versions.ts";
const source = readFileSync(resolve(root, versionsFile), "utf8");

/** What one custom manager extracts from the file, as Renovate's regex manager does (every match of each string). */
function extract(datasource: string): Array<Record<string, string>> {
  const manager = config.customManagers.find((m) => m.datasourceTemplate === datasource);
  if (!manager) throw new Error(`renovate.json: no custom manager for ${datasource}`);
  const fileRe = new RegExp(manager.managerFilePatterns[0].slice(1, -1));
  expect(fileRe.test(versionsFile)).toBe(true);
  return manager.matchStrings.flatMap((m) => [...source.matchAll(new RegExp(m, "g"))].map((x) => ({ ...x.groups })));
}

describe("renovate.json", () => {
  it("finds every image tag once, with its repository and tag", () => {
    const found = extract("docker").map((d) => `${d.depName}:${d.currentValue}`);
    expect(found.sort()).toEqual(Object.values(images).sort());
  });

  it("bumps kube-prometheus-stack and the prometheus-operator CRD chart in one pull request, and Prometheus with its PromQL parser", () => {
    const group = (name: string) => config.packageRules.find((r) => r.matchPackageNames?.includes(name))?.groupName;
    expect(group(charts.kubePrometheusStack.chart)).toBeDefined();
    expect(group(charts.prometheusOperatorCrds.chart)).toBe(group(charts.kubePrometheusStack.chart));
    const prometheus = extract("docker").find((d) => `${d.depName}:${d.currentValue}` === images.prometheus)?.depName as string;
    expect(group(prometheus)).toBe(group("@prometheus-io/codemirror-promql"));
    expect(group(prometheus)).toBeDefined();
  });

  it("finds every Helm chart once, with its version and repository", () => {
    const found = extract("helm").map((d) => ({ chart: d.depName, version: d.currentValue, repo: d.registryUrl }));
    const pinned = Object.values(charts).map((c) => ({ chart: c.chart, version: c.version, repo: c.repo }));
    expect(found.sort((a, b) => a.chart.localeCompare(b.chart))).toEqual(pinned.sort((a, b) => a.chart.localeCompare(b.chart)));
  });

  it("finds the Node.js version .ci/run installs, and keeps it on the 22 line engines names", () => {
    const manager = config.customManagers.find((m) => m.datasourceTemplate === "npm");
    expect(new RegExp(manager?.managerFilePatterns[0].slice(1, -1) ?? "^$").test(".ci/run")).toBe(true);
    const run = readFileSync(resolve(root, ".ci/run"), "utf8");
    const found = (manager?.matchStrings ?? []).flatMap((m) => [...run.matchAll(new RegExp(m, "g"))].map((x) => x.groups?.currentValue));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^22\.\d+\.\d+$/);
    const engines = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")).engines.node as string;
    expect(engines).toMatch(/^>=22\./);
  });
});
