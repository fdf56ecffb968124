/**
 * The alert history (`notifications.history`): every receiver that tells someone also posts
 * the notification to the history's collector, which writes it to Loki, kept for the
 * configured retention; the Alerts dashboard shows it. Rendering, validation and both
 * platforms' wiring here; the live path (Alertmanager → collector) in history.live.test.ts.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { alertHistoryCollectorDocument, alertHistoryUrl, withHistory } from "../../components/alerting/history";
import { renderAlertmanagerConfig } from "../../components/alerting/render";
import { networkPolicyPlan } from "../../components/production/network";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { parseStackConfig } from "../../infra/config/validate";
import { planStack } from "../../infra/plan";
import { runStack } from "../../harness/pulumi-mocks";
import { prodSecrets } from "../../harness/stacks";
import { placeholderWiring } from "../../infra/kubernetes";
import { built, tool } from "../support/tools";
import { renderInput, writeArtifacts } from "../alerting/fixtures";

const amtool = tool("amtool");

function stack(name: "dev" | "prod", edit: (values: Record<string, any>) => void) {
  const raw = readStackFile(stackFilePath(name));
  const values = structuredClone(raw.values) as Record<string, any>;
  edit(values);
  return { values, secrets: new Set([...raw.secrets, ...(name === "prod" ? prodSecrets : [])]) };
}
const withHistoryOn = (values: Record<string, any>, history: Record<string, unknown> = { enabled: true }) => {
  values.notifications = { ...(values.notifications ?? {}), history };
};

describe("the alert history in alertmanager.yml", () => {
  const url = alertHistoryUrl("docker", "monitoring");

  it("every receiver that tells someone also posts to the history, resolved notifications too; the blackhole and the heartbeat do not", () => {
    const am = parse(
      renderAlertmanagerConfig({ ...renderInput({ slack: { enabled: true }, heartbeat: { enabled: true } }, {}, ["slackWebhookUrl", "heartbeatUrl"]), historyUrl: url }).files[
        "alertmanager.yml"
      ],
    );
    const posting = am.receivers.filter((r: any) => (r.webhook_configs ?? []).some((w: any) => w.url === url));
    expect(posting.map((r: any) => r.name).sort()).toEqual(
      am.receivers
        .map((r: any) => r.name)
        .filter((n: string) => n !== "blackhole" && n !== "heartbeat")
        .sort(),
    );
    for (const r of posting) expect(r.webhook_configs.find((w: any) => w.url === url)).toEqual({ url, send_resolved: true, max_alerts: 0 });
    // The receiver's own channels stay as they were.
    expect(am.receivers.find((r: any) => r.name === "critical").slack_configs.length).toBeGreaterThan(0);
  });

  it("without history the receivers are exactly as before", () => {
    const input = renderInput({ slack: { enabled: true } }, {}, ["slackWebhookUrl"]);
    const plain = parse(renderAlertmanagerConfig(input).files["alertmanager.yml"]);
    const again = parse(renderAlertmanagerConfig({ ...input, historyUrl: undefined }).files["alertmanager.yml"]);
    expect(again).toEqual(plain);
    expect(JSON.stringify(plain)).not.toContain("alert-history");
    expect(withHistory(plain.receivers, url)).not.toEqual(plain.receivers);
  });

  it.skipIf(!amtool)(`passes amtool check-config (${built("amtool")})`, () => {
    const art = renderAlertmanagerConfig({ ...renderInput({ slack: { enabled: true } }, {}, ["slackWebhookUrl"]), historyUrl: alertHistoryUrl("kubernetes", "monitoring") });
    const out = execFileSync(amtool as string, ["check-config", writeArtifacts(art).configFile], { encoding: "utf8" });
    expect(out).toContain("SUCCESS");
  });
});

describe("notifications.history: configuration errors", () => {
  const problems = (values: Record<string, any>) => {
    try {
      parseStackConfig("dev", { values, secrets: new Set() });
      return "";
    } catch (e) {
      return (e as Error).message;
    }
  };

  it("refuses the history without Loki, naming the key, the backend and the fix", () => {
    const { values } = stack("dev", (v) => {
      withHistoryOn(v);
      v.logging = { ...(v.logging ?? {}), backend: "elasticsearch" };
    });
    expect(problems(values)).toMatch(
      /watchpost:notifications\.history\.enabled: got true; the alert history is kept in Loki, but logging\.backend is elasticsearch; set logging\.enabled: true with logging\.backend: loki/,
    );
    const off = stack("dev", (v) => {
      withHistoryOn(v);
      v.logging = { ...(v.logging ?? {}), enabled: false };
    });
    expect(problems(off.values)).toMatch(/notifications\.history\.enabled: got true; the alert history is kept in Loki, but logging\.enabled is false/);
  });

  it("refuses a retention that is not whole days", () => {
    const { values } = stack("dev", (v) => withHistoryOn(v, { enabled: true, retention: "36h" }));
    expect(problems(values)).toMatch(/watchpost:notifications\.history\.retention: got "36h"; expected whole days/);
  });

  it("takes the history on, a year by default", () => {
    const { values } = stack("dev", (v) => withHistoryOn(v));
    expect(problems(values)).toBe("");
    const { config } = parseStackConfig("dev", { values, secrets: new Set() });
    expect(config.notifications.history).toEqual({ enabled: true, retention: "365d" });
  });
});

describe("the alert history's collector and Loki", () => {
  it("the collector takes Alertmanager's webhook, names the stream and sends it to Loki's OTLP endpoint", () => {
    const doc = alertHistoryCollectorDocument("http://loki.monitoring.svc:3100") as any;
    expect(doc.receivers.webhookevent).toMatchObject({ endpoint: "0.0.0.0:8088", path: "/notifications" });
    expect(doc.processors.resource.attributes).toEqual([{ key: "service.name", value: "alertmanager-notifications", action: "upsert" }]);
    expect(doc.exporters["otlp_http/loki"].endpoint).toBe("http://loki.monitoring.svc:3100/otlp");
    expect(doc.service.pipelines).toEqual({ logs: { receivers: ["webhookevent"], processors: ["resource", "batch"], exporters: ["otlp_http/loki"] } });
  });

  it("Docker: Loki keeps the history's stream for the retention, the config is written, Alertmanager posts to the container", () => {
    const { values, secrets } = stack("dev", (v) => withHistoryOn(v, { enabled: true, retention: "400d" }));
    const plan = planStack(parseStackConfig("dev", { values, secrets }).config);
    expect(parse(plan.artifacts["loki/config.yaml"]).limits_config.retention_stream).toEqual([
      { selector: '{service_name="alertmanager-notifications"}', priority: 1, period: "400d" },
    ]);
    expect(parse(plan.artifacts["alert-history/config.yaml"]).exporters["otlp_http/loki"].endpoint).toBe("http://loki:3100/otlp");
    expect(plan.artifacts["alertmanager/alertmanager.yml"]).toContain("url: http://alert-history:8088/notifications");
    const alerts = JSON.parse(plan.artifacts["grafana/dashboards/watchpost-alerts.json"]);
    expect(alerts.panels.map((p: any) => p.title)).toContain("Notification history");
  });

  it("off by default: no collector, no stream retention, no dashboard row", () => {
    const { values, secrets } = stack("dev", () => {});
    const plan = planStack(parseStackConfig("dev", { values, secrets }).config);
    expect(plan.artifacts["alert-history/config.yaml"]).toBeUndefined();
    expect(parse(plan.artifacts["loki/config.yaml"]).limits_config.retention_stream).toBeUndefined();
    expect(JSON.parse(plan.artifacts["grafana/dashboards/watchpost-alerts.json"]).panels.map((p: any) => p.title)).not.toContain("Notification history");
  });
});

describe("the alert history on both platforms under Pulumi mocks", () => {
  it("Docker: the collector runs as alert-history on the stack network with its config and no published port", async () => {
    const variant = stack("dev", (v) => withHistoryOn(v));
    const run = await runStack("dev", variant, (key) => `SECRET-VALUE-OF-${key}`);
    const container = run.byType("docker:index/container:Container").find((r) => String(r.inputs.name).endsWith("-alert-history"));
    expect(container).toBeDefined();
    expect(container?.inputs.ports ?? []).toEqual([]);
    const upload = (container?.inputs.uploads ?? []).find((u: any) => u.file === "/etc/otelcol-contrib/config.yaml");
    expect(parse(upload.content).receivers.webhookevent.path).toBe("/notifications");
    const none = await runStack(
      "dev",
      stack("dev", () => {}),
      (key) => `SECRET-VALUE-OF-${key}`,
    );
    expect(none.byType("docker:index/container:Container").some((r) => String(r.inputs.name).endsWith("-alert-history"))).toBe(false);
  });

  it("Kubernetes: its ConfigMap, Deployment and Service as planned, restricted, and the network policies admit Alertmanager → it → Loki only", async () => {
    const variant = stack("prod", (v) => withHistoryOn(v));
    const { config } = parseStackConfig("prod", variant);
    const plan = planStack(config);
    const run = await runStack("prod", variant, (key) => `SECRET-VALUE-OF-${key}`, { aws: placeholderWiring(config) });
    for (const kind of ["ConfigMap", "Deployment", "Service"]) {
      const file = plan.artifacts[`kubernetes/${kind.toLowerCase()}/alert-history.yaml`];
      expect(file, kind).toBeDefined();
      const registered = run.resources.find((r) => r.inputs.kind === kind && r.inputs.metadata?.name === "alert-history");
      const planned = parse(file);
      expect(registered?.inputs.spec ?? registered?.inputs.data, kind).toEqual(planned.spec ?? planned.data);
    }
    const deployment = parse(plan.artifacts["kubernetes/deployment/alert-history.yaml"]);
    expect(deployment.spec.template.spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false });
    const am = parse(plan.artifacts["alertmanager/alertmanager.yml"]);
    expect(JSON.stringify(am.receivers)).toContain("http://alert-history.monitoring.svc:8088/notifications");
    const policies = networkPolicyPlan({ ...plan.kubernetes!.network!.input });
    const history = policies.find((p) => p.name === "alert-history");
    expect(history?.ingress).toEqual([{ peers: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "alertmanager" } } }], ports: [{ port: 8088, protocol: "TCP" }] }]);
    expect(history?.egress).toEqual([{ peers: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "loki" } } }], ports: [{ port: 3100, protocol: "TCP" }] }]);
    const loki = policies.find((p) => p.name === "loki");
    expect(JSON.stringify(loki?.ingress)).toContain("alert-history");
    const lokiValues = parse(plan.artifacts["kubernetes/charts/loki.values.yaml"]);
    expect(lokiValues.loki.limits_config.retention_stream).toEqual([{ selector: '{service_name="alertmanager-notifications"}', priority: 1, period: "365d" }]);
  });
});

describe("the README's alert history example", () => {
  it("is accepted and turns the history on for the retention it shows", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(`${__dirname}/../../README.md`, "utf8");
    const section = readme.split("### Alert history\n")[1]?.split("\n## ")[0] ?? "";
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    const history = (parse(example).config["watchpost:notifications"] as { history: unknown }).history;
    const { values, secrets } = stack("prod", (v) => withHistoryOn(v, history as Record<string, unknown>));
    const plan = planStack(parseStackConfig("prod", { values, secrets }).config);
    expect(parse(plan.artifacts["kubernetes/charts/loki.values.yaml"]).loki.limits_config.retention_stream[0].period).toBe("365d");
    expect(plan.artifacts["kubernetes/deployment/alert-history.yaml"]).toBeDefined();
  });
});
