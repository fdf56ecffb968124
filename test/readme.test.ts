import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { images } from "../model/versions";
import { configReference, readmeReference } from "../infra/config/docs";
import { readStackFile } from "../infra/config/load";
import { type Profile, profiles } from "../infra/profiles";
import { parseStackConfig } from "../infra/config/validate";
import { planStack, ruleContext } from "../infra/plan";
import { alertNames } from "../components/catalogue";
import { roleAttributePath } from "../components/grafana/sso";

const readme = readFileSync(path.resolve(__dirname, "../README.md"), "utf8");

describe("README", () => {
  it("carries the configuration reference the schema generates (run `npm run docs:config` after changing it)", () => {
    expect(readmeReference(readme)).toBe(configReference());
  });

  it("says, for every key, what it accepts", () => {
    const rows = (readmeReference(readme) ?? "").split("\n").filter((line) => line.startsWith("| `watchpost:"));
    expect(rows.length).toBeGreaterThan(150);
    for (const row of rows) {
      const accepted = row.split(" | ")[1];
      expect(accepted, row).not.toMatch(/^(|text|any value|string|object)$/);
    }
  });

  it("names the two set-up commands and the test command", () => {
    expect(readme).toContain("npm ci\nnpm run up -- --stack dev");
    expect(readme).toContain("npm run synth -- --stack dev --out out/dev");
    expect(readme).toContain("```sh\nnpm test\n```");
  });

  it("is the only place besides versions.ts that could name an image tag, and names none", () => {
    for (const ref of Object.values(images)) expect(readme).not.toContain(ref);
  });

  it("has a 'Tuning built-in alerts' example stack the validator accepts, and whose overrides show in the rules", () => {
    const section = readme.split("### Tuning built-in alerts")[1] ?? "";
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toContain("watchpost:alerts:");
    const dir = mkdtempSync(path.join(tmpdir(), "watchpost-readme-"));
    try {
      const file = path.join(dir, "Pulumi.staging.yaml");
      writeFileSync(file, example as string);
      const raw = readStackFile(file);
      expect(raw.problems ?? []).toEqual([]);
      const { config } = parseStackConfig("staging", raw);
      expect(config.alerts.overrides.HighErrorRate).toEqual({ for: "2m", severity: "warning", labels: { tier: "gold" } });
      expect(alertNames(ruleContext(config, "http://localhost:3000"))).not.toContain("HostClockSkew");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has a 'Your teams' dashboards' example stack and folder (test/fixtures/dashboards/payments) that synth provisions into the Payments folder", () => {
    const section = readme.split("### Your teams' dashboards\n")[1]?.split("\n## ")[0] ?? "";
    const [tree, example] = [...section.matchAll(/```(?:yaml)?\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(example).toContain("watchpost:dashboards:");
    const fixtures = path.resolve(__dirname, "fixtures/dashboards/payments");
    const files = readdirSync(fixtures).sort();
    // The folder the README draws is the fixture folder.
    expect(tree.match(/\S+\.json/g)).toEqual(files);
    const dir = mkdtempSync(path.join(tmpdir(), "watchpost-readme-"));
    try {
      mkdirSync(path.join(dir, "team-dashboards/payments"), { recursive: true });
      for (const f of files) copyFileSync(path.join(fixtures, f), path.join(dir, "team-dashboards/payments", f));
      const file = path.join(dir, "Pulumi.staging.yaml");
      writeFileSync(file, example);
      const raw = readStackFile(file);
      expect(raw.problems ?? []).toEqual([]);
      const plan = planStack(parseStackConfig("staging", raw).config);
      expect(plan.grafana.folders.map((f) => [f.name, Object.keys(f.dashboards)])).toEqual([
        ["Payments", ["payments-checkout.json", "payments-latency.json", "payments-checkout-at-a-glance.json"]],
      ]);
      expect(Object.keys(plan.artifacts)).toContain("grafana/team-dashboards/payments/payments-checkout.json");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has a 'Mapping your metric names' example stack the validator accepts, whose mapping, recording rule and custom alert render as the section shows", () => {
    const section = readme.split("### Mapping your metric names\n")[1]?.split("\n## ")[0] ?? "";
    const [example, relabeling] = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(example).toContain("watchpost:services:");
    const dir = mkdtempSync(path.join(tmpdir(), "watchpost-readme-"));
    try {
      const file = path.join(dir, "Pulumi.shop.yaml");
      writeFileSync(file, example);
      const raw = readStackFile(file);
      expect(raw.problems ?? []).toEqual([]);
      const { config } = parseStackConfig("shop", raw);
      const plan = planStack(config);
      const job = plan.prometheus.document.scrape_configs.find((j) => j.job_name === "checkout");
      const rendered = job?.metric_relabel_configs as Array<Record<string, unknown>>;
      // The section's excerpt: the first rename as rendered, and the move of status into status_code.
      const shown = parse(relabeling).metric_relabel_configs as Array<Record<string, unknown>>;
      expect(shown[0]).toEqual(rendered[0]);
      const moves = rendered.filter((r) => (r.source_labels as string[]).includes("status") || r.target_label === "status");
      expect(moves.map((r) => [r.source_labels, r.target_label, r.replacement])).toEqual(shown.slice(1).map((r) => [r.source_labels, r.target_label, r.replacement]));
      expect(plan.rules.map((f) => f.name)).toContain("recording.rules.yml");
      expect(alertNames(ruleContext(config, "http://localhost:3000"))).toEqual(expect.arrayContaining(["HighErrorRate", "OrderFailureRateHigh", "SLOErrorBudgetFastBurn"]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has an 'Escalation' example stack the validator accepts, whose levels become AlertEscalated rules and routes to their receivers", () => {
    const section = readme.split("### Escalation: who is told next\n")[1]?.split("\n### ")[0] ?? "";
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toContain("escalation:");
    const dir = mkdtempSync(path.join(tmpdir(), "watchpost-readme-"));
    try {
      const file = path.join(dir, "Pulumi.staging.yaml");
      writeFileSync(file, example as string);
      const raw = readStackFile(file);
      expect(raw.problems ?? []).toEqual([]);
      const plan = planStack(parseStackConfig("staging", raw).config);
      const rules = parse(plan.artifacts["prometheus/rules/escalation.rules.yml"]).groups[0].rules;
      expect(rules.map((r: Record<string, any>) => [r.alert, r.for, r.labels.escalation])).toEqual([
        ["AlertEscalated", "15m", "level-2"],
        ["AlertEscalated", "45m", "level-3"],
      ]);
      const am = parse(plan.artifacts["alertmanager/alertmanager.yml"]);
      expect(am.route.routes.slice(1, 3).map((r: Record<string, any>) => [r.receiver, r.matchers])).toEqual([
        ["escalation-level-2", ['escalation="level-2"']],
        ["escalation-level-3", ['escalation="level-3"']],
      ]);
      const lead = am.receivers.find((r: Record<string, any>) => r.name === "escalation-level-2");
      expect([lead.slack_configs[0].channel, lead.email_configs[0].to]).toEqual(["#devops-leads", "devops-lead@example.com"]);
      // The silence commands the section shows match the labels an escalation alert carries.
      expect(section).toContain(`'escalated_alertname="ApiDown"'`);
      expect(rules[0].expr).toContain('"escalated_alertname", "$1", "alertname"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has a 'PagerDuty escalation as code' snippet the validator accepts without the routing key secret", () => {
    const section = readme.split("### PagerDuty escalation as code\n")[1]?.split("\n### ")[0] ?? "";
    const snippet = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    const notifications = (parse(`config:\n${snippet}`) as { config: Record<string, any> }).config["watchpost:notifications"];
    expect(notifications.pagerduty.managed.levels).toHaveLength(3);
    const raw = readStackFile(path.resolve(__dirname, "../Pulumi.prod.yaml"));
    const { config } = parseStackConfig("prod", {
      ...raw,
      values: { ...raw.values, notifications: { ...(raw.values.notifications as object), pagerduty: notifications.pagerduty } },
      secrets: new Set(["slackWebhookUrl", "smtpPassword", "heartbeatUrl", "oidcClientSecret"]),
    });
    expect(config.notifications.pagerduty.managed?.levels.map((l) => l.escalateAfterMinutes)).toEqual([5, 15, 30]);
    expect(section).toContain(
      `pulumi plugin install resource pagerduty ${JSON.parse(readFileSync(path.resolve(__dirname, "../package.json"), "utf8")).devDependencies["@pulumi/pagerduty"]}`,
    );
  });

  it("has a 'Who may open a team's folder' snippet the validator accepts on Docker, and the grafana plugin's pinned version", () => {
    const section = readme.split("### Who may open a team's folder\n")[1]?.split("\n## ")[0] ?? "";
    const snippet = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    const dashboards = (parse(`config:\n${snippet}`) as { config: Record<string, any> }).config["watchpost:dashboards"];
    const folder = {
      ...dashboards.folders[0],
      path: undefined,
      dashboards: [{ title: "Checkout", rows: [{ title: "Traffic", panels: [{ title: "Requests", queries: [{ expr: "up" }] }] }] }],
    };
    const raw = readStackFile(path.resolve(__dirname, "../Pulumi.dev.yaml"));
    const { config } = parseStackConfig("dev", { ...raw, values: { ...raw.values, dashboards: { folders: [folder] } } });
    expect(config.dashboards.folders[0].permissions).toEqual({ team: "payments", members: ["ana@example.com", "bo@example.com"], teamPermission: "Edit", orgViewers: false });
    const sdk = JSON.parse(readFileSync(path.resolve(__dirname, "../node_modules/@pulumiverse/grafana/package.json"), "utf8"));
    const pinned = JSON.parse(readFileSync(path.resolve(__dirname, "../package.json"), "utf8")).devDependencies["@pulumiverse/grafana"];
    expect(sdk.version).toBe(pinned);
    expect(section).toContain(`pulumi plugin install resource ${sdk.pulumi.name} ${pinned}`);
  });

  it("has a 'Grafana sign-in and roles' example: test/fixtures/Pulumi.grafana-sso.yaml, accepted, whose role expression is the one shown", () => {
    const section = readme.split("## Grafana sign-in and roles\n")[1]?.split("\n## ")[0] ?? "";
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toBe(readFileSync(path.resolve(__dirname, "fixtures/Pulumi.grafana-sso.yaml"), "utf8"));
    const raw = readStackFile(path.resolve(__dirname, "fixtures/Pulumi.grafana-sso.yaml"));
    expect(raw.problems ?? []).toEqual([]);
    // The secrets its comments and the section name, set as `pulumi config set --secret` would.
    const secrets = new Set([...raw.secrets, "oidcClientSecret", "grafanaOidcClientSecret", "grafanaDatabasePassword"]);
    const { config } = parseStackConfig("prod", { ...raw, secrets });
    const sso = config.grafana.sso;
    expect(sso?.disableLoginForm).toBe(true);
    const shown = /```\n {3}(contains[^\n]+)\n/.exec(section)?.[1];
    expect(shown).toBe(roleAttributePath(sso?.roles ?? {}, sso?.groupsClaim ?? "groups"));
    const grafana = planStack(config).kubernetes?.prometheus.charts["watchpost-kps"].grafana as Record<string, any>;
    expect(grafana.replicas).toBe(2);
    expect(grafana["grafana.ini"]["auth.generic_oauth"].role_attribute_path).toBe(shown);
    for (const key of ["grafanaOidcClientSecret", "grafanaDatabasePassword"]) expect(section).toContain(`watchpost:${key}`);
  });

  it("says what each platform profile switches on, as infra/profiles.ts has it", () => {
    const section = readme.split("## Platforms\n")[1]?.split("\n## ")[0] ?? "";
    const rows = section.split("\n").filter((line) => /^\| `/.test(line));
    const expected = (p: Profile) => {
      const tls = p.addons.ingressTls.join(", ") || "none: ports on `docker.bindAddress`";
      const backups = p.addons.backup ? "AWS Backup and S3 snapshots" : "off";
      return [`\`${p.name}\``, p.aws ? "yes" : "no", p.addons.networkPolicies ? "on" : "off", tls, backups];
    };
    expect(rows).toHaveLength(Object.keys(profiles).length);
    for (const p of Object.values(profiles)) {
      const row = rows.find((r) => r.startsWith(`| \`${p.name}\` |`));
      const cells = (row ?? "").split(" | ").map((c) => c.replace(/^\| | \|$/g, ""));
      expect([cells[0], ...cells.slice(2)], p.name).toEqual(expected(p));
      expect(cells[1], p.name).toBe(p.runtime === "docker" ? "the Docker engine" : p.aws ? "an EKS cluster, existing or created" : "any Kubernetes cluster");
    }
  });

  it("has an 'Any Kubernetes cluster' example stack: test/fixtures/Pulumi.kind.yaml, which the shown synth command writes out", () => {
    const section = readme.split("## Any Kubernetes cluster (kind, GKE, AKS, on-premises)\n")[1]?.split("\n## ")[0] ?? "";
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    const fixture = path.resolve(__dirname, "fixtures/Pulumi.kind.yaml");
    expect(example).toBe(readFileSync(fixture, "utf8"));
    expect(example).toContain("watchpost:platform: kubernetes");
    const command = "npm run synth -- --stack kind --file test/fixtures/Pulumi.kind.yaml --out out/kind";
    expect(section).toContain(`\`\`\`sh\n${command}\n\`\`\``);
    const dir = mkdtempSync(path.join(tmpdir(), "watchpost-readme-kind-"));
    try {
      // The README's command as it reads, writing to a scratch folder instead of out/kind.
      const args = command
        .split(" ")
        .slice(1)
        .map((arg) => (arg === "out/kind" ? path.join(dir, "out") : arg));
      const r = spawnSync("npm", ["--silent", ...args], { cwd: path.resolve(__dirname, ".."), encoding: "utf8" });
      expect(r.stderr).not.toContain("Invalid configuration");
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`files written to ${path.join(dir, "out")} for stack kind (kubernetes)`);
      expect(existsSync(path.join(dir, "out", "prometheus", "prometheus.yml"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has a 'Choosing channels, routes, timing and messages' example stack the validator accepts, whose routes reach alertmanager.yml", () => {
    const section = readme.split("### Choosing channels, routes, timing and messages")[1] ?? "";
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toContain("watchpost:routing:");
    const dir = mkdtempSync(path.join(tmpdir(), "watchpost-readme-"));
    try {
      const file = path.join(dir, "Pulumi.staging.yaml");
      writeFileSync(file, example as string);
      const raw = readStackFile(file);
      expect(raw.problems ?? []).toEqual([]);
      const { config } = parseStackConfig("staging", raw);
      const plan = planStack(config);
      const am = parse(plan.alertmanager.files["alertmanager.yml"]);
      const receiver = (name: string) => am.receivers.find((r: any) => r.name === name);
      expect(Object.keys(receiver("critical")).sort()).toEqual(["name", "pagerduty_configs", "slack_configs"]);
      expect(Object.keys(receiver("route-payments")).sort()).toEqual(["email_configs", "name", "pagerduty_configs", "slack_configs"]);
      expect(am.route.routes.find((r: any) => r.receiver === "route-warning-digest")).toMatchObject({ group_interval: "24h", repeat_interval: "24h", continue: true });
      expect(plan.alertmanager.files["templates/custom.tmpl"]).toContain("CRITICAL: {{ .CommonLabels.alertname }}");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has a 'Several databases of one kind' example stack the validator accepts, whose instances reach the scrape jobs and the Kubernetes plan", () => {
    const section = readme.split("### Several databases of one kind")[1] ?? "";
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toContain("- name: orders");
    const commands = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    const secrets = [...commands.matchAll(/--secret watchpost:(\w+)/g)].map((m) => m[1]);
    expect(secrets).toEqual(["postgresPasswordOrders", "postgresPasswordBilling", "redisPasswordSessions"]);
    const dir = mkdtempSync(path.join(tmpdir(), "watchpost-readme-"));
    try {
      const file = path.join(dir, "Pulumi.staging.yaml");
      writeFileSync(file, example as string);
      const raw = readStackFile(file);
      expect(raw.problems ?? []).toEqual([]);
      // Without the secrets the README tells to set, the Postgres instances are refused; with them, accepted.
      expect(() => parseStackConfig("staging", { values: raw.values, secrets: new Set(["slackWebhookUrl"]) })).toThrow(/watchpost:postgresPasswordOrders/);
      const { config } = parseStackConfig("staging", {
        values: { ...raw.values, platform: "kubernetes", kubernetes: { apiServerCidrs: ["172.18.0.0/16"] } },
        secrets: new Set(secrets),
      });
      const plan = planStack(config);
      const scrape = parse(plan.prometheusConfig) as { scrape_configs: Array<{ job_name: string; static_configs: Array<{ labels: Record<string, string> }> }> };
      const postgres = scrape.scrape_configs.find((j) => j.job_name === "postgres");
      expect(postgres?.static_configs.map((g) => g.labels)).toEqual([
        { service: "postgres", instance_name: "orders", team: "payments" },
        { service: "postgres", instance_name: "billing" },
      ]);
      expect(plan.kubernetes?.prometheus.exporters.map((e) => e.name)).toEqual([
        "postgres-exporter-orders",
        "postgres-exporter-billing",
        "redis-exporter-cache",
        "redis-exporter-sessions",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has an 'Amazon SNS' example the validator accepts on eks, where no access key is needed", () => {
    const section = readme.split("### Amazon SNS: SMS and email fan-out")[1] ?? "";
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    const sns = (parse(`config:\n${example}`).config["watchpost:notifications"] as { sns: unknown }).sns;
    const { config } = parseStackConfig("prod", {
      values: { platform: "eks", cluster: { name: "c", region: "eu-west-1" }, services: [{ name: "api" }], notifications: { sns } },
      secrets: new Set(),
    });
    expect(planStack(config).alertmanager.files["alertmanager.yml"]).toContain("topic_arn: arn:aws:sns:eu-west-1:123456789012:watchpost-alerts");
  });

  it("has a 'Logs: Loki or Elasticsearch' example stack the validator accepts, whose settings reach the rendered objects", () => {
    const section = readme.split("## Logs: Loki or Elasticsearch")[1] ?? "";
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toContain("backend: elasticsearch");
    const dir = mkdtempSync(path.join(tmpdir(), "watchpost-readme-"));
    try {
      const file = path.join(dir, "Pulumi.staging.yaml");
      writeFileSync(file, example as string);
      const raw = readStackFile(file);
      expect(raw.problems ?? []).toEqual([]);
      const { config } = parseStackConfig("staging", raw);
      expect(config.logging.backend).toBe("elasticsearch");
      const files = planStack(config).artifacts;
      expect(JSON.parse(files["elasticsearch/ilm-policy.json"]).policy.phases.delete.min_age).toBe("90d");
      const scrub = JSON.parse(files["elasticsearch/pipeline.json"]).processors.find((p: any) => p.remove?.tag === "scrub");
      expect(scrub.remove.field).toContain("card_number");
      expect(config.exporters.elasticsearch).toMatchObject({ url: "http://elasticsearch:9200" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
