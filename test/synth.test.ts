import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify, parse } from "yaml";
import { stackFilePath } from "../infra/config/load";
import type { AlertRule, RuleGroup } from "../rules";
import { synth } from "../infra/synth";
import { built, tool } from "./support/tools";
import { prodSecrets } from "../harness/stacks";

const work = mkdtempSync(path.join(tmpdir(), "watchpost-synth-"));
const promtool = tool("promtool");
const amtool = tool("amtool");

/** The prod stack file as a user has it after `pulumi config set --secret` for each channel. */
function prodWithSecrets(): string {
  const doc = parse(readFileSync(stackFilePath("prod"), "utf8"));
  for (const key of prodSecrets) doc.config[`watchpost:${key}`] = { secure: "v1:AAAAencrypted" };
  const file = path.join(work, "Pulumi.prod.yaml");
  writeFileSync(file, stringify(doc));
  return file;
}

/** Overrides a team might set: an earlier, milder HighErrorRate; no ServiceDown (an inhibit rule names it) and no SLO fast burn. */
const tuning = {
  HighErrorRate: { for: "2m", severity: "warning", labels: { tier: "gold" } },
  ServiceDown: { disabled: true },
  SLOErrorBudgetFastBurn: { disabled: true },
};

/** The prod stack (Kubernetes: its rule groups become PrometheusRule objects) with alerts.overrides. */
function prodWithOverrides(): string {
  const doc = parse(readFileSync(prodWithSecrets(), "utf8"));
  doc.config["watchpost:alerts"] = { ...doc.config["watchpost:alerts"], overrides: tuning };
  const file = path.join(work, "Pulumi.tuned.yaml");
  writeFileSync(file, stringify(doc));
  return file;
}

const stacks = {
  dev: synth("dev", path.join(work, "dev")),
  prod: synth("prod", path.join(work, "prod"), prodWithSecrets()),
  tuned: synth("prod", path.join(work, "tuned"), prodWithOverrides()),
};

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("synth", () => {
  it.each(Object.keys(stacks))("writes the whole %s stack", (name) => {
    const files = stacks[name as keyof typeof stacks].files;
    for (const f of [
      "prometheus/prometheus.yml",
      "alertmanager/alertmanager.yml",
      "blackbox/blackbox.yml",
      "grafana/provisioning/datasources/watchpost.yaml",
      "loki/config.yaml",
      "alloy/config.alloy",
      "otel-collector/config.yaml",
      "tempo/config.yaml",
      "secrets.yaml",
    ])
      expect(files).toContain(f);
    expect(files.filter((f) => f.startsWith("prometheus/rules/")).length).toBeGreaterThan(3);
    expect(files.filter((f) => f.startsWith("grafana/dashboards/")).length).toBeGreaterThanOrEqual(10);
  });

  it("links alerts to the public https:// hosts when prod has an ingress domain", () => {
    const rules = readFileSync(path.join(work, "prod", "prometheus/rules/uptime.rules.yml"), "utf8");
    expect(rules).toContain("dashboard_url: https://grafana.monitoring.example.com/d/watchpost-uptime");
    const am =
      readFileSync(path.join(work, "prod", "alertmanager/alertmanager.yml"), "utf8") +
      stacks.prod.files
        .filter((f) => f.startsWith("alertmanager/templates/"))
        .map((f) => readFileSync(path.join(work, "prod", f), "utf8"))
        .join("");
    expect(am).toContain("https://alertmanager.monitoring.example.com");
    expect(am).not.toContain("alertmanager-operated.monitoring.svc");
  });

  it("lists where each secret is mounted and never a value", () => {
    const manifest = parse(readFileSync(path.join(work, "prod", "secrets.yaml"), "utf8"));
    expect(manifest.secrets.map((s: any) => s.key).sort()).toEqual([
      "watchpost:heartbeatUrl",
      "watchpost:oidcClientSecret",
      "watchpost:pagerdutyRoutingKey",
      "watchpost:slackWebhookUrl",
      "watchpost:smtpPassword",
    ]);
    const all = execFileSync(
      "cat",
      stacks.prod.files.map((f) => path.join(work, "prod", f)),
      { encoding: "utf8" },
    );
    expect(all).not.toContain("AAAAencrypted");
    expect(all).not.toMatch(/api_url:|routing_key:|auth_password:/);
  });

  it("fails with every problem listed and a non-zero exit on invalid config", () => {
    const bad = path.join(work, "Pulumi.bad.yaml");
    writeFileSync(bad, stringify({ config: { "watchpost:prometheus": { retension: "30d", retention: "1 month" }, "watchpost:notifications": { slack: { enabled: true } } } }));
    const r = spawnSync(process.execPath, [require.resolve("tsx/cli"), "infra/synth.ts", "--stack", "bad", "--file", bad, "--out", path.join(work, "bad")], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Invalid configuration for stack "bad" (2 problems)');
    expect(r.stderr).toContain("watchpost:prometheus.retension: got \"30d\"; unknown key; did you mean 'retention'?");
    expect(r.stderr).toContain('watchpost:prometheus.retention: got "1 month"; expected a duration');
  });
});

describe("real tools on the synthesized files", () => {
  it.skipIf(!promtool)(`promtool check config accepts the dev prometheus.yml (${built("promtool")})`, () => {
    const out = execFileSync(promtool as string, ["check", "config", "--syntax-only", path.join(work, "dev", "prometheus", "prometheus.yml")], { encoding: "utf8" });
    expect(out).toMatch(/SUCCESS/);
  });

  it.skipIf(!promtool)(`promtool check config accepts the prod prometheus.yml as written, Kubernetes service discovery included (${built("promtool")})`, () => {
    const file = path.join(work, "prod", "prometheus", "prometheus.yml");
    const doc = parse(readFileSync(file, "utf8"));
    expect(doc.alerting.alertmanagers[0].kubernetes_sd_configs).toEqual([{ role: "endpoints", namespaces: { names: ["monitoring"] } }]);
    expect(doc.scrape_configs.find((j: any) => j.job_name === "kubernetes-annotated-pods").kubernetes_sd_configs).toEqual([{ role: "pod" }]);
    const out = execFileSync(promtool as string, ["check", "config", "--syntax-only", file], { encoding: "utf8" });
    expect(out).toMatch(/SUCCESS/);
  });

  it("applies alerts.overrides to the prod rule groups the PrometheusRule objects carry", () => {
    const alerts = (stack: keyof typeof stacks) =>
      stacks[stack].plan.rules.flatMap((f) => (f.groups as RuleGroup[]).flatMap((g) => g.rules.filter((r): r is AlertRule => "alert" in r)));
    const tuned = alerts("tuned");
    expect(tuned.map((a) => a.alert)).not.toContain("ServiceDown");
    expect(tuned.map((a) => a.alert)).not.toContain("SLOErrorBudgetFastBurn");
    const [was] = alerts("prod").filter((a) => a.alert === "HighErrorRate");
    const [now] = tuned.filter((a) => a.alert === "HighErrorRate");
    expect(now).toEqual({ ...was, for: "2m", labels: { ...was.labels, tier: "gold", severity: "warning" } });
    expect(readFileSync(path.join(work, "tuned", "alertmanager", "alertmanager.yml"), "utf8")).toBe(
      readFileSync(path.join(work, "prod", "alertmanager", "alertmanager.yml"), "utf8"),
    );
  });

  it.skipIf(!promtool).each(["dev", "prod", "tuned"])("promtool check rules accepts every %s rule file", (stack) => {
    const files = stacks[stack as keyof typeof stacks].files.filter((f) => f.startsWith("prometheus/rules/")).map((f) => path.join(work, stack, f));
    const out = execFileSync(promtool as string, ["check", "rules", ...files], { encoding: "utf8" });
    expect(out.match(/SUCCESS/g)?.length).toBe(files.length);
  });

  it.skipIf(!amtool).each(["dev", "prod", "tuned"])(`amtool check-config accepts the %s alertmanager.yml with its templates, url_file included (${built("amtool")})`, (stack) => {
    const dir = path.join(work, stack, "alertmanager");
    // The config names the templates by their in-container path; point it at the synthesized copies.
    const config = readFileSync(path.join(dir, "alertmanager.yml"), "utf8").replaceAll("/etc/alertmanager/templates", path.join(dir, "templates"));
    const local = path.join(dir, "alertmanager.local.yml");
    writeFileSync(local, config);
    const out = execFileSync(amtool as string, ["check-config", local], { encoding: "utf8" });
    expect(out).toMatch(/SUCCESS/);
    expect(out).toMatch(/\d+ templates/);
  });
});
