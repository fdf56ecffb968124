/**
 * The five reference setups (the seeds in issue 15) as Watchpost stack files,
 * test/fixtures/seeds/Pulumi.<seed>.yaml: each parses with no problem, synth
 * writes it, the seed's own wishes are in the artifacts (its custom alerts,
 * overrides, routes, teams, dashboards, exporters, logs and traces backends),
 * the real amtool and promtool accept what it renders, and the Kubernetes and
 * Docker seeds register their resources under Pulumi mocks. What a seed wants
 * that no key can say is written at the top of its file.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Recorded, runStack } from "../harness/pulumi-mocks";
import { readStackFile } from "../infra/config/load";
import { parseStackConfig } from "../infra/config/validate";
import { placeholderWiring } from "../infra/kubernetes";
import { type SynthResult, synth } from "../infra/synth";
import type { AlertRule, RuleGroup } from "../rules";
import { built, tool } from "./support/tools";

const seedsDir = path.resolve(__dirname, "fixtures/seeds");
const seeds = {
  qoderresume: { source: "000_5f93dcf2e21e218d.txt", platform: "docker" },
  jobpilot: { source: "001_4fc6851d18c96e29.txt", platform: "kubernetes" },
  rolerabbit: { source: "002_44a71bfb0cbbd205.txt", platform: "docker" },
  resumatch: { source: "003_7cbc257bde394624.txt", platform: "docker" },
  platform: { source: "004_dd6c477371dfaa8e.txt", platform: "eks" },
} as const;
type Seed = keyof typeof seeds;
const names = Object.keys(seeds) as Seed[];
const fileOf = (seed: Seed) => path.join(seedsDir, `Pulumi.${seed}.yaml`);

const work = mkdtempSync(path.join(tmpdir(), "watchpost-seeds-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const synthed = new Map<Seed, SynthResult>();
/** Synthesizes a seed once, into its own directory under the temporary one. */
function out(seed: Seed): SynthResult {
  let result = synthed.get(seed);
  if (!result) {
    result = synth(seed, path.join(work, seed), fileOf(seed));
    synthed.set(seed, result);
  }
  return result;
}
const text = (seed: Seed, file: string) => {
  out(seed);
  return readFileSync(path.join(work, seed, file), "utf8");
};
const yamlOf = (seed: Seed, file: string) => parse(text(seed, file));
const alerts = (seed: Seed) => out(seed).plan.rules.flatMap((f) => (f.groups as RuleGroup[]).flatMap((g) => g.rules.filter((r): r is AlertRule => "alert" in r)));
const alert = (seed: Seed, name: string) => {
  const found = alerts(seed).filter((a) => a.alert === name);
  if (found.length === 0) throw new Error(`${seed} renders no alert ${name}`);
  return found[0];
};
const am = (seed: Seed) => yamlOf(seed, "alertmanager/alertmanager.yml");
const receiver = (seed: Seed, name: string) => {
  const found = am(seed).receivers.find((r: { name: string }) => r.name === name);
  if (!found) throw new Error(`${seed}: no receiver ${name}`);
  return found;
};
const route = (seed: Seed, name: string) => {
  const found = am(seed).route.routes.find((r: { receiver: string }) => r.receiver === name);
  if (!found) throw new Error(`${seed}: no route to ${name}`);
  return found;
};
const channelsOf = (r: Record<string, unknown>) =>
  Object.keys(r)
    .filter((k) => k.endsWith("_configs"))
    .sort();
const job = (seed: Seed, name: string) => yamlOf(seed, "prometheus/prometheus.yml").scrape_configs.find((j: { job_name: string }) => j.job_name === name);

describe("seed stack files", () => {
  it.each(names)("%s names its seed and says what is still impossible, at the top", (seed) => {
    const head = readFileSync(fileOf(seed), "utf8").split("\nconfig:")[0];
    expect(head).toContain(seeds[seed].source);
    expect(head).toMatch(/Reproduced/);
    expect(head).toMatch(/Still impossible with today's keys:\n(# - .+\n)+/);
    expect(head.split("\n").every((l) => l === "" || l.startsWith("#"))).toBe(true);
  });

  it.each(names)("%s parses with no problem, on its platform, with every secret as a secure: placeholder", (seed) => {
    const raw = readStackFile(fileOf(seed));
    expect(raw.problems).toEqual([]);
    const { config, warnings } = parseStackConfig(seed, raw);
    expect(config.profile).toBe(seeds[seed].platform);
    // The platform seed's 200ms and 2s latency SLOs need buckets of their own, and synth says so.
    expect(warnings.length).toBe(seed === "platform" ? 2 : 0);
    expect(readFileSync(fileOf(seed), "utf8")).not.toMatch(/hooks\.slack\.com|routing_key|password:\s*\S/);
  });

  it.each(names)("synth writes %s's files: rules, alertmanager.yml and its templates, dashboards", (seed) => {
    const { files } = out(seed);
    expect(files).toContain("prometheus/prometheus.yml");
    expect(files).toContain("alertmanager/alertmanager.yml");
    expect(files).toContain("prometheus/rules/custom.rules.yml");
    expect(files.filter((f) => f.startsWith("grafana/team-dashboards/")).length).toBeGreaterThan(0);
    expect(out(seed).warnings.length).toBe(seed === "platform" ? 2 : 0);
    const secrets = yamlOf(seed, "secrets.yaml").secrets.map((s: { key: string }) => s.key);
    const declared = Object.keys(parse(readFileSync(fileOf(seed), "utf8")).config).filter(
      (k) => k.startsWith("watchpost:") && /secure/.test(JSON.stringify(parse(readFileSync(fileOf(seed), "utf8")).config[k])),
    );
    for (const key of declared) expect(secrets, key).toContain(key);
  });
});

describe("QoderResume (000): Docker, ELK, severity channels", () => {
  it("waits 2m, not 5m, before HighErrorRate, and keeps the stock 3m/2m/1m host criticals at 90%/95%/95%", () => {
    expect(alert("qoderresume", "HighErrorRate").for).toBe("2m");
    expect(alert("qoderresume", "HostCriticalCpuUsage")).toMatchObject({ for: "3m" });
    expect(alert("qoderresume", "HostCriticalCpuUsage").expr).toContain("> 0.9");
    expect(alert("qoderresume", "HostCriticalMemoryUsage")).toMatchObject({ for: "2m" });
    expect(alert("qoderresume", "HostCriticalDiskUsage")).toMatchObject({ for: "1m" });
  });

  it("renders its custom alerts, NoResumeProcessing firing below one analysis in 15 minutes", () => {
    const custom = text("qoderresume", "prometheus/rules/custom.rules.yml");
    for (const name of ["NoResumeProcessing", "HighApplicationErrorRate", "DatabaseConnectionFailure", "DatabaseConnectionsHigh", "SlowDatabaseQueries"])
      expect(custom).toContain(`alert: ${name}`);
    expect(alert("qoderresume", "NoResumeProcessing").expr).toMatch(/\[15m\]\)\)\)\s*<\s*1$/);
    expect(alert("qoderresume", "DatabaseConnectionsHigh").labels).toMatchObject({ severity: "warning", service: "qoder-resume-backend" });
  });

  it("sends critical to email, Slack and PagerDuty with its subject, warning to email and Slack, info to Slack", () => {
    expect(channelsOf(receiver("qoderresume", "critical"))).toEqual(["email_configs", "pagerduty_configs", "slack_configs"]);
    expect(channelsOf(receiver("qoderresume", "warning"))).toEqual(["email_configs", "slack_configs"]);
    expect(channelsOf(receiver("qoderresume", "info"))).toEqual(["slack_configs"]);
    expect(receiver("qoderresume", "critical").slack_configs[0].channel).toBe("#critical-alerts");
    expect(text("qoderresume", "alertmanager/templates/custom.tmpl")).toContain("🚨 CRITICAL ALERT - {{ .GroupLabels.alertname }}");
    expect(receiver("qoderresume", "team-devops").email_configs[0].to).toBe("devops@qoderresume.com");
  });

  it("maps the Bull label queue_name onto queue on the backend's job, joined on the app's network", () => {
    expect(JSON.stringify(job("qoderresume", "qoder-resume-backend").metric_relabel_configs)).toContain("queue_name");
    expect(job("qoderresume", "qoder-resume-backend").static_configs[0].targets).toEqual(["backend:3001"]);
  });

  it("keeps logs 90 days in Elasticsearch and provisions its QoderResume folder (exported JSON and a declared dashboard)", () => {
    const ilm = JSON.parse(text("qoderresume", "elasticsearch/ilm-policy.json"));
    expect(ilm.policy.phases.delete.min_age).toBe("90d");
    const exported = JSON.parse(text("qoderresume", "grafana/team-dashboards/qoderresume/qoderresume-production-monitoring.json"));
    expect(exported.title).toBe("QoderResume Production Monitoring");
    // The export's datasource input is pointed at the stack's Prometheus.
    expect(JSON.stringify(exported)).not.toContain("DS_PROMETHEUS");
    expect(JSON.stringify(exported)).toContain("watchpost-prometheus");
    expect(out("qoderresume").files).toContain("grafana/team-dashboards/qoderresume/qoderresume-qoderresume-application.json");
  });

  it("escalates a critical alert still firing to DevOps after 15m, the manager after 1h and the CTO after 4h, by email", () => {
    const rules = alerts("qoderresume").filter((a) => a.alert === "AlertEscalated");
    expect(rules.map((r) => [r.labels?.escalation, r.for])).toEqual([
      ["level-2", "15m"],
      ["level-3", "1h"],
      ["level-4", "4h"],
    ]);
    expect(receiver("qoderresume", "escalation-level-3").email_configs[0].to).toBe("eng-manager@qoderresume.com");
    expect(channelsOf(receiver("qoderresume", "escalation-level-4"))).toEqual(["email_configs", "slack_configs"]);
  });
});

describe("JobPilot (001): Kubernetes, Loki, Alertmanager HA", () => {
  it("runs 3 Alertmanagers and keeps 14 days of logs in Loki", () => {
    expect(yamlOf("jobpilot", "kubernetes/alertmanager/watchpost.yaml").spec.replicas).toBe(3);
    expect(yamlOf("jobpilot", "kubernetes/charts/loki.values.yaml").loki.limits_config.retention_period).toBe("14d");
  });

  it("maps the Bull queue names on each NestJS service's ServiceMonitor", () => {
    const monitor = JSON.stringify(yamlOf("jobpilot", "kubernetes/servicemonitor/watchpost-auth-service.yaml"));
    expect(monitor).toContain("bull_queue_waiting");
    expect(monitor).toContain("queue_jobs_waiting");
  });

  it("records the application success ratio and alerts below 70% on it, with the seven business alerts", () => {
    expect(text("jobpilot", "prometheus/rules/recording.rules.yml")).toContain("record: jobpilot:job_applications_success:ratio_rate1h");
    expect(alert("jobpilot", "LowApplicationSuccessRate").expr).toBe("(jobpilot:job_applications_success:ratio_rate1h) < 0.7");
    for (const name of ["AIServiceRateLimited", "HighUserChurnRate", "PaymentFailureRate", "LowResumeGenerationSuccessRate", "HighAPIQuotaExhaustion", "SlowJobSearchResponseTime"])
      alert("jobpilot", name);
    expect(alert("jobpilot", "PaymentFailureRate").labels.severity).toBe("critical");
    expect(alert("jobpilot", "RabbitmqQueueBacklog").expr).toContain("10000");
  });

  it("routes the SRE team's alerts to its channel and mail, through SendGrid", () => {
    expect(receiver("jobpilot", "team-sre").slack_configs[0].channel).toBe("#sre-alerts");
    expect(receiver("jobpilot", "critical").email_configs[0].smarthost).toBe("smtp.sendgrid.net:587");
    expect(am("jobpilot").route.group_by).toEqual(["alertname", "service", "namespace"]);
  });

  it("provisions the queue dashboard in the JobPilot folder and signs in to Grafana with Keycloak realm roles", () => {
    expect(out("jobpilot").files).toContain("grafana/team-dashboards/jobpilot/jobpilot-queue-metrics.json");
    expect(text("jobpilot", "grafana/auth.ini")).toContain("realm_access.roles");
  });
});

describe("RoleRabbit (002): Docker, Elasticsearch tiers, Jaeger, uptime probes", () => {
  it("ages logs hot 7d, warm 30d, cold 90d, then deletes them", () => {
    const phases = JSON.parse(text("rolerabbit", "elasticsearch/ilm-policy.json")).policy.phases;
    expect(phases.warm.min_age).toBe("7d");
    expect(phases.cold.min_age).toBe("30d");
    expect(phases.delete.min_age).toBe("90d");
    expect(text("rolerabbit", "elasticsearch/pipeline.json")).toContain("card_number");
  });

  it("sends traces to Jaeger and writes metrics remotely", () => {
    expect(out("rolerabbit").files).toContain("jaeger/config.yaml");
    expect(out("rolerabbit").files).not.toContain("tempo/config.yaml");
    expect(yamlOf("rolerabbit", "prometheus/prometheus.yml").remote_write[0].url).toBe("https://prometheus-remote-storage.example.com/api/v1/write");
  });

  it("probes the site, the API, the TLS certificate and the WebSocket port", () => {
    const config = JSON.stringify(yamlOf("rolerabbit", "prometheus/prometheus.yml").scrape_configs.filter((j: { job_name: string }) => j.job_name.startsWith("blackbox")));
    for (const target of ["https://rolerabbit.com", "https://api.rolerabbit.com/health", "rolerabbit.com:443", "ws:3002"]) expect(config).toContain(target);
  });

  it("pages payments alerts on PagerDuty, Slack and email, and posts the backend team's to #team-backend-alerts", () => {
    expect(route("rolerabbit", "route-payments").matchers).toEqual(['domain="payments"']);
    expect(channelsOf(receiver("rolerabbit", "route-payments"))).toEqual(["email_configs", "pagerduty_configs", "slack_configs"]);
    expect(channelsOf(receiver("rolerabbit", "critical"))).toEqual(["pagerduty_configs", "slack_configs"]);
    expect(channelsOf(receiver("rolerabbit", "warning"))).toEqual(["slack_configs"]);
    expect(receiver("rolerabbit", "team-backend").slack_configs[0].channel).toBe("#team-backend-alerts");
    expect(alert("rolerabbit", "PaymentFailures").labels).toMatchObject({ domain: "payments", severity: "critical" });
  });

  it("keeps Grafana's database in PostgreSQL and maps the status label", () => {
    expect(text("rolerabbit", "grafana/auth.ini")).toContain("type = postgres");
    expect(JSON.stringify(job("rolerabbit", "rolerabbit-api").metric_relabel_configs)).toContain('"target_label":"status_code"');
  });
});

describe("ResuMatch (003): the hosted app watched from outside", () => {
  it("applies its timing and severities to the built-in alerts", () => {
    expect(alert("resumatch", "HighErrorRate")).toMatchObject({ for: "5m", labels: expect.objectContaining({ severity: "critical" }) });
    expect(alert("resumatch", "HighLatency").for).toBe("2m");
    expect(alert("resumatch", "HighLatency").expr).toContain("> 3");
    expect(alert("resumatch", "AuthenticationFailureSpike")).toMatchObject({ for: "2m", labels: expect.objectContaining({ severity: "warning" }) });
    expect(alert("resumatch", "AuthenticationFailureSpike").expr).toContain("> 10");
    expect(alert("resumatch", "SuspiciousFileUpload")).toMatchObject({ for: "1m", labels: expect.objectContaining({ severity: "critical" }) });
    expect(alert("resumatch", "EndpointDown").for).toBe("1m");
  });

  it("renames its failed-login and suspicious-upload counters at scrape time, over HTTPS", () => {
    const api = job("resumatch", "resumatch-api");
    expect(api.scheme).toBe("https");
    const relabel = JSON.stringify(api.metric_relabel_configs);
    expect(relabel).toContain('"regex":"failed_login_attempts_total"');
    expect(relabel).toContain('"regex":"suspicious_file_uploads_total"');
  });

  it("records the conversion funnel and renders its business alerts", () => {
    const recording = text("resumatch", "prometheus/rules/recording.rules.yml");
    for (const r of ["signup_to_upload", "upload_to_analysis", "analysis_to_result"]) expect(recording).toContain(`record: resumatch:${r}:ratio_rate1d`);
    expect(alert("resumatch", "LowUserRegistrations")).toMatchObject({ for: "30m" });
    expect(alert("resumatch", "HighAnalysisFailureRate").labels.severity).toBe("critical");
    expect(alert("resumatch", "ApiRateLimitViolations").labels.category).toBe("security");
  });

  it("sends warnings as a daily email digest and info as a weekly one, info paging no one but the history", () => {
    expect(route("resumatch", "route-warning-digest")).toMatchObject({ group_by: ["severity"], group_interval: "24h", repeat_interval: "24h", continue: true });
    expect(route("resumatch", "route-info-weekly")).toMatchObject({ group_interval: "168h", repeat_interval: "168h" });
    expect(channelsOf(receiver("resumatch", "info"))).toEqual(["webhook_configs"]);
    expect(receiver("resumatch", "info").webhook_configs[0].url).toContain("alert-history");
    expect(text("resumatch", "loki/config.yaml")).toContain("365d");
  });

  it("provisions its two declared dashboards in the ResuMatch folder", () => {
    const files = out("resumatch").files.filter((f) => f.startsWith("grafana/team-dashboards/resumatch/"));
    expect(files.sort()).toEqual(["grafana/team-dashboards/resumatch/resumatch-resumatch-business.json", "grafana/team-dashboards/resumatch/resumatch-resumatch-key-metrics.json"]);
  });

  it("pages PagerDuty when a warning is still firing after 15 minutes", () => {
    const rule = alert("resumatch", "AlertEscalated");
    expect(rule).toMatchObject({ for: "15m", labels: { escalation: "level-2" } });
    expect(rule.expr).toContain('severity="warning"');
    // webhook_configs: the alert history's.
    expect(channelsOf(receiver("resumatch", "escalation-level-2"))).toEqual(["pagerduty_configs", "webhook_configs"]);
  });
});

describe("Multi-service platform (004): EKS, SLOs, seven exporters", () => {
  it("records SLOs for the six services, payment at 99.99%", () => {
    const slo = text("platform", "prometheus/rules/slo.rules.yml");
    for (const service of ["api-gateway", "auth", "payment", "ecommerce", "hotel", "taxi"]) expect(slo).toContain(`service="${service}"`);
    expect(
      yamlOf("platform", "prometheus/rules/slo.rules.yml")
        .groups.flatMap((g: RuleGroup) => g.rules)
        .find((r: { record?: string; labels?: Record<string, string> }) => r.record === "slo:objective:ratio" && r.labels?.service === "payment" && r.labels.slo === "availability")
        .expr,
    ).toBe("vector(0.9999)");
    expect(alert("platform", "SLOErrorBudgetSlowBurn").labels.action).toBe("ticket");
  });

  it("runs one PostgreSQL exporter per named database and the Redis, RabbitMQ, Elasticsearch and NGINX exporters", () => {
    const files = out("platform").files;
    for (const name of ["payments", "ecommerce", "travel"]) expect(files).toContain(`kubernetes/charts/postgres-exporter-${name}.values.yaml`);
    for (const pack of ["redis", "rabbitmq", "elasticsearch", "nginx"]) expect(files).toContain(`prometheus/rules/${pack}.rules.yml`);
  });

  it("texts critical business alerts through SNS, files slow burns as tickets, and mutes warnings in the monthly window", () => {
    expect(route("platform", "route-business-critical").matchers).toEqual(['category="business"', 'severity="critical"']);
    // webhook_configs: the alert history's, which every receiver that tells someone gets.
    expect(channelsOf(receiver("platform", "route-business-critical"))).toEqual(["email_configs", "pagerduty_configs", "slack_configs", "sns_configs", "webhook_configs"]);
    expect(receiver("platform", "route-business-critical").sns_configs[0].topic_arn).toBe("arn:aws:sns:eu-west-1:123456789012:platform-critical-sms");
    expect(channelsOf(receiver("platform", "route-slo-tickets"))).toContain("webhook_configs");
    expect(route("platform", "warning").mute_time_intervals).toEqual(["monthly-updates"]);
    expect(am("platform").time_intervals[0].time_intervals[0]).toMatchObject({ weekdays: ["saturday"], days_of_month: ["1:7"] });
    expect(route("platform", "critical")).toMatchObject({ group_wait: "0s", repeat_interval: "15m" });
  });

  it("signs in to Grafana through Okta and provisions the Business Metrics dashboard", () => {
    expect(text("platform", "grafana/auth.ini")).toContain("yourplatform.okta.com");
    expect(out("platform").files).toContain("grafana/team-dashboards/business/business-business-metrics.json");
    expect(out("platform").files).toContain("jaeger/config.yaml");
  });

  it("escalates critical alerts in PagerDuty (on-call, DevOps lead, CTO) and warnings to the team leads after 30 minutes", () => {
    const { config } = parseStackConfig("platform", readStackFile(fileOf("platform")));
    expect(config.notifications.pagerduty.managed?.levels.map((l) => [l.escalateAfterMinutes, [...l.schedules, ...l.users]])).toEqual([
      [15, ["PONCALL1"]],
      [15, ["PDEVOPS1"]],
      [15, ["PCTO0001"]],
    ]);
    // The managed service's key fills the routing key's file; no routing key is a secret of the stack.
    expect(Object.keys(out("platform").plan.alertmanager.secretFiles)).toContain("pagerdutyRoutingKey");
    expect(config.secrets.has("pagerdutyRoutingKey")).toBe(false);
    expect(alert("platform", "AlertEscalated")).toMatchObject({ for: "30m", labels: { escalation: "level-2" } });
    expect(receiver("platform", "escalation-level-2").email_configs[0].to).toBe("team-leads@yourplatform.com");
  });
});

const amtool = tool("amtool");
const promtool = tool("promtool");

describe("real tools on every seed's artifacts", () => {
  it.skipIf(!amtool).each(names)(`amtool check-config accepts %s's alertmanager.yml with its templates (${built("amtool")})`, (seed) => {
    out(seed);
    const dir = path.join(work, seed, "alertmanager");
    const config = readFileSync(path.join(dir, "alertmanager.yml"), "utf8").replaceAll("/etc/alertmanager/templates", path.join(dir, "templates"));
    const local = path.join(dir, "alertmanager.local.yml");
    writeFileSync(local, config);
    const result = execFileSync(amtool as string, ["check-config", local], { encoding: "utf8" });
    expect(result).toMatch(/SUCCESS/);
  });

  it.skipIf(!promtool).each(names)(`promtool check rules accepts every rule file of %s (${built("promtool")})`, (seed) => {
    const files = out(seed)
      .files.filter((f) => f.startsWith("prometheus/rules/"))
      .map((f) => path.join(work, seed, f));
    const result = execFileSync(promtool as string, ["check", "rules", ...files], { encoding: "utf8" });
    expect(result.match(/SUCCESS/g)?.length).toBe(files.length);
  });
});

const secretValue = (key: string) => `SECRET-VALUE-OF-${key}`;
async function underMocks(seed: Seed) {
  const raw = readStackFile(fileOf(seed));
  const { config } = parseStackConfig(seed, raw);
  return runStack(seed, raw, secretValue, config.platform === "docker" ? {} : { aws: placeholderWiring(config) });
}

describe("Pulumi mocks: a seed on each platform", () => {
  it("docker (QoderResume): the exporters and Elasticsearch run, and Prometheus joins the app's network", async () => {
    const run = await underMocks("qoderresume");
    const containers = run.byType("docker:index/container:Container");
    const aliases = containers.map((c: Recorded) => (c.inputs.networksAdvanced as Array<{ aliases?: string[] }>)[0]?.aliases?.[0]);
    for (const name of ["postgres-exporter", "redis-exporter", "elasticsearch", "kibana", "filebeat", "prometheus"]) expect(aliases).toContain(name);
    const prometheus = containers.find((c: Recorded) => (c.inputs.networksAdvanced as Array<{ aliases?: string[] }>)[0]?.aliases?.includes("prometheus")) as Recorded;
    expect((prometheus.inputs.networksAdvanced as Array<{ name: string }>).map((n) => n.name)).toContain("qoderresume_default");
  }, 120_000);

  describe("kubernetes (JobPilot)", () => {
    let run: Awaited<ReturnType<typeof runStack>>;
    beforeAll(async () => {
      run = await underMocks("jobpilot");
    }, 120_000);

    it("installs the exporters' charts and files the queue dashboard into the JobPilot folder", () => {
      const releases = run.byType("kubernetes:helm.sh/v3:Release").map((r) => r.inputs.name);
      expect(releases).toEqual(expect.arrayContaining(["postgres-exporter", "redis-exporter", "loki", "watchpost-kps"]));
      const maps = run.byType("kubernetes:core/v1:ConfigMap").filter((r) => r.inputs.metadata.name === "watchpost-dashboards-jobpilot");
      expect(maps.length).toBe(1);
      expect(JSON.stringify(maps[0].inputs.data)).toContain("Queue Metrics");
      const grafana = run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "watchpost-kps")?.inputs.values.grafana;
      expect(grafana.dashboardProviders["watchpost-teams.yaml"].providers.map((p: { folder: string }) => p.folder)).toEqual(["JobPilot"]);
    });

    it("gives the platform team Edit on the JobPilot folder through Grafana's Ingress host, and the org View", () => {
      expect(run.one("pulumi:providers:grafana", "grafana-access-provider").inputs.url).toBe("https://grafana.monitoring.jobpilot.example.com");
      expect(run.one("grafana:oss/team:Team", "grafana-access-team-platform").inputs).toEqual({ name: "platform", members: ["platform-lead@jobpilot.example.com"] });
      expect(
        run.one("grafana:oss/folderPermission:FolderPermission", "grafana-access-folder-jobpilot").inputs.permissions.map((p: { permission: string }) => p.permission),
      ).toEqual(["Edit", "View", "View"]);
    });

    it("runs the Alertmanager with 3 replicas", () => {
      const am = run.resources.find((r) => r.inputs.kind === "Alertmanager");
      expect(am?.inputs.spec.replicas).toBe(3);
    });
  });

  it("eks (multi-service platform): one exporter release per PostgreSQL instance, and the Business folder", async () => {
    const run = await underMocks("platform");
    const releases = run.byType("kubernetes:helm.sh/v3:Release").map((r) => r.inputs.name);
    for (const name of ["payments", "ecommerce", "travel"]) expect(releases).toContain(`postgres-exporter-${name}`);
    expect(releases).toContain("jaeger");
    const maps = run.byType("kubernetes:core/v1:ConfigMap").filter((r) => r.inputs.metadata.name === "watchpost-dashboards-business");
    expect(maps.length).toBe(1);
    expect(run.one("pagerduty:index/service:Service", "pagerduty-watchpost-service").inputs.name).toBe("production-watchpost");
    expect(run.one("kubernetes:core/v1:Secret", "alerting-credentials").inputs.stringData.pagerdutyRoutingKey).toBe("INTEGRATION-KEY-OF-pagerduty-watchpost-events");
  }, 120_000);
});
