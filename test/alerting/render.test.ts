/**
 * Pure renderer tests: which receivers get which integrations, and that
 * credentials appear only as `*_file` paths under the secrets dir.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { AmConfig, AmReceiver } from "../../components/alerting/amconfig";
import { AlertmanagerRenderError, renderAlertmanagerConfig } from "../../components/alerting/render";
import { configPaths } from "../../model/conventions";
import { renderInput, stackRenderInput } from "./fixtures";

const allSecrets = ["slackWebhookUrl", "pagerdutyRoutingKey", "opsgenieApiKey", "msteamsWebhookUrl", "smtpPassword", "webhookUrl", "heartbeatUrl"];
const email = { enabled: true, to: ["oncall@example.test"], from: "am@example.test", smarthost: "smtp.example.test:587", username: "am" };
const everything = {
  email,
  slack: { enabled: true },
  pagerduty: { enabled: true },
  opsgenie: { enabled: true },
  msteams: { enabled: true },
  webhook: { enabled: true },
  heartbeat: { enabled: true },
};
const teams = [
  { name: "payments", slackChannel: "#team-payments", email: ["payments@example.test"] },
  { name: "search", slackChannel: "#team-search" },
];

function configOf(input = renderInput(everything, { teams }, allSecrets)): AmConfig {
  return parse(renderAlertmanagerConfig(input).files["alertmanager.yml"]) as AmConfig;
}

function receiverNamed(cfg: AmConfig, name: string): AmReceiver {
  const found = cfg.receivers.find((r) => r.name === name);
  if (!found) throw new Error(`no receiver '${name}' in ${cfg.receivers.map((r) => r.name).join(", ")}`);
  return found;
}

/** Integration kinds of a receiver, such as ["email", "slack"]. */
function kinds(r: AmReceiver): string[] {
  return Object.keys(r)
    .filter((k) => k.endsWith("_configs"))
    .map((k) => k.replace(/_configs$/, ""))
    .sort();
}

describe("receivers", () => {
  it("with every channel enabled, each receiver gets the channels of its policy", () => {
    const cfg = configOf();
    expect(Object.fromEntries(cfg.receivers.map((r) => [r.name, kinds(r)]))).toEqual({
      default: ["email", "msteamsv2", "slack", "webhook"],
      blackhole: [],
      heartbeat: ["webhook"],
      critical: ["email", "msteamsv2", "opsgenie", "pagerduty", "slack", "webhook"],
      warning: ["email", "msteamsv2", "slack", "webhook"],
      info: ["msteamsv2", "slack", "webhook"],
      security: ["slack"],
      "team-payments": ["email", "slack"],
      "team-search": ["slack"],
    });
  });

  it("posts each route to its own Slack channel through the one webhook secret", () => {
    const cfg = configOf(renderInput(everything, { teams, security: { slackChannel: "#sec" } }, allSecrets));
    const channel = (name: string) => receiverNamed(cfg, name).slack_configs?.map((s) => s.channel);
    expect([channel("critical"), channel("warning"), channel("info"), channel("security"), channel("team-payments"), channel("default")]).toEqual([
      ["#critical-alerts"],
      ["#alerts"],
      ["#alerts-info"],
      ["#sec"],
      ["#team-payments"],
      ["#alerts"],
    ]);
    const files = new Set(cfg.receivers.flatMap((r) => r.slack_configs ?? []).map((s) => s.api_url_file));
    expect([...files]).toEqual([`${configPaths.alertmanagerSecretsDir}/slackWebhookUrl`]);
  });

  it("sends security findings to the security addresses and channel only", () => {
    const cfg = configOf(renderInput(everything, { security: { email: ["sec@example.test"] } }, allSecrets));
    const sec = receiverNamed(cfg, "security");
    expect(kinds(sec)).toEqual(["email", "slack"]);
    expect(sec.email_configs?.[0].to).toBe("sec@example.test");
  });

  it.each([
    ["email", { email }, ["smtpPassword"]],
    ["slack", { slack: { enabled: true } }, ["slackWebhookUrl"]],
    ["pagerduty", { pagerduty: { enabled: true } }, ["pagerdutyRoutingKey"]],
    ["opsgenie", { opsgenie: { enabled: true } }, ["opsgenieApiKey"]],
    ["msteamsv2", { msteams: { enabled: true } }, ["msteamsWebhookUrl"]],
    ["webhook", { webhook: { enabled: true } }, ["webhookUrl"]],
  ])("only %s enabled: no other integration appears anywhere", (kind, notifications, secrets) => {
    const cfg = configOf(renderInput(notifications, { teams }, secrets));
    expect([...new Set(cfg.receivers.flatMap(kinds))]).toEqual([kind]);
  });

  it("with nothing enabled (dev) every receiver is a no-op and unknown alerts go to 'default'", () => {
    const cfg = configOf(stackRenderInput("dev"));
    expect(cfg.receivers.flatMap(kinds)).toEqual([]);
    expect(cfg.route.receiver).toBe("default");
    expect(renderAlertmanagerConfig(stackRenderInput("dev")).secretFiles).toEqual({});
  });

  it("uses SMTP auth with the password file only when a username is set", () => {
    const withUser = receiverNamed(configOf(renderInput({ email }, {}, ["smtpPassword"])), "warning").email_configs?.[0];
    expect(withUser).toMatchObject({ auth_username: "am", auth_password_file: `${configPaths.alertmanagerSecretsDir}/smtpPassword`, require_tls: true });
    const art = renderAlertmanagerConfig(renderInput({ email: { ...email, username: undefined, requireTls: false } }));
    const noUser = receiverNamed(parse(art.files["alertmanager.yml"]), "warning").email_configs?.[0];
    expect(noUser).not.toHaveProperty("auth_username");
    expect(noUser).not.toHaveProperty("auth_password_file");
    expect(noUser?.require_tls).toBe(false);
    expect(art.secretFiles).toEqual({});
  });

  it("sends PagerDuty to the override URL when one is set, else to Alertmanager's default", () => {
    const pd = (url?: string) => receiverNamed(configOf(renderInput({ pagerduty: { enabled: true, url } }, {}, ["pagerdutyRoutingKey"])), "critical").pagerduty_configs?.[0];
    expect(pd("http://127.0.0.1:8080/v2/enqueue")?.url).toBe("http://127.0.0.1:8080/v2/enqueue");
    expect(pd()).not.toHaveProperty("url");
    expect(pd()?.routing_key_file).toBe(`${configPaths.alertmanagerSecretsDir}/pagerdutyRoutingKey`);
  });

  it("pages Opsgenie from the critical receiver only, with the API key from its file and priority by severity", () => {
    const og = (url?: string) => receiverNamed(configOf(renderInput({ opsgenie: { enabled: true, url } }, {}, ["opsgenieApiKey"])), "critical").opsgenie_configs?.[0];
    expect(og()).toEqual({
      api_key_file: `${configPaths.alertmanagerSecretsDir}/opsgenieApiKey`,
      send_resolved: true,
      message: '{{ template "watchpost.opsgenie.message" . }}',
      description: '{{ template "watchpost.opsgenie.description" . }}',
      priority: '{{ template "watchpost.opsgenie.priority" . }}',
      source: "Watchpost Alertmanager (test)",
      details: {
        environment: "test",
        severity: "{{ .CommonLabels.severity }}",
        runbook: "{{ .CommonAnnotations.runbook_url }}",
        dashboard: "{{ .CommonAnnotations.dashboard_url }}",
        silence: '{{ template "watchpost.silenceUrl" . }}',
      },
    });
    // Alertmanager appends v2/alerts to the path as given; the base URL keeps or gains its slash.
    expect(og("https://api.eu.opsgenie.com")?.api_url).toBe("https://api.eu.opsgenie.com/");
    expect(og("http://127.0.0.1:8080/opsgenie/")?.api_url).toBe("http://127.0.0.1:8080/opsgenie/");
    const cfg = configOf();
    expect(cfg.receivers.filter((r) => r.opsgenie_configs).map((r) => r.name)).toEqual(["critical"]);
  });

  it("posts to Teams wherever Slack's general channels go, never to security or team receivers", () => {
    const cfg = configOf();
    expect(cfg.receivers.filter((r) => r.msteamsv2_configs).map((r) => r.name)).toEqual(["default", "critical", "warning", "info"]);
    expect(receiverNamed(cfg, "warning").msteamsv2_configs).toEqual([
      {
        webhook_url_file: `${configPaths.alertmanagerSecretsDir}/msteamsWebhookUrl`,
        send_resolved: true,
        title: '{{ template "watchpost.msteams.title" . }}',
        text: '{{ template "watchpost.msteams.text" . }}',
      },
    ]);
  });

  it("sends resolved notifications to people and machines, but not to the heartbeat", () => {
    const cfg = configOf();
    const all = cfg.receivers.flatMap((r) =>
      [
        ...(r.slack_configs ?? []),
        ...(r.msteamsv2_configs ?? []),
        ...(r.email_configs ?? []),
        ...(r.pagerduty_configs ?? []),
        ...(r.opsgenie_configs ?? []),
        ...(r.webhook_configs ?? []),
      ].map((c) => [r.name, c.send_resolved]),
    );
    expect(all.filter(([, resolved]) => !resolved)).toEqual([["heartbeat", false]]);
  });
});

describe("secrets", () => {
  const credentialFields = ["api_url", "slack_api_url", "routing_key", "service_key", "auth_password", "auth_secret", "password", "bot_token"];

  function walk(node: unknown, path: string, visit: (key: string, value: unknown, path: string) => void): void {
    if (Array.isArray(node)) {
      node.forEach((v, i) => {
        walk(v, `${path}[${i}]`, visit);
      });
    } else if (node !== null && typeof node === "object")
      for (const [k, v] of Object.entries(node)) {
        visit(k, v, `${path}.${k}`);
        walk(v, `${path}.${k}`, visit);
      }
  }

  it("references every credential only through *_file paths under the secrets dir", () => {
    const art = renderAlertmanagerConfig(renderInput(everything, { teams }, allSecrets));
    const fileRefs = new Set<string>();
    walk(parse(art.files["alertmanager.yml"]), "", (key, value, path) => {
      // Opsgenie's api_url is the base URL override (the key is api_key_file); Slack's api_url is the credential.
      const endpointOverride = (key === "url" && path.includes("pagerduty_configs")) || (key === "api_url" && path.includes("opsgenie_configs"));
      if (!endpointOverride) expect(credentialFields, `${path} holds a credential inline`).not.toContain(key);
      if (key === "url" && !endpointOverride) throw new Error(`${path}: a URL outside the PagerDuty override may carry a token`);
      if (key.endsWith("_file")) fileRefs.add(String(value));
    });
    for (const ref of fileRefs) expect(ref.startsWith(`${configPaths.alertmanagerSecretsDir}/`), ref).toBe(true);
    expect([...fileRefs].sort()).toEqual(Object.values(art.secretFiles).sort());
    expect(Object.keys(art.secretFiles).sort()).toEqual([...allSecrets].sort());
  });

  it("has nothing secret-looking in any rendered file", () => {
    const art = renderAlertmanagerConfig(renderInput(everything, { teams }, allSecrets));
    const secretLooking = [/hooks\.slack\.com/, /https?:\/\/[^/\s]*:[^@/\s]*@/, /\b[A-Za-z0-9]{32}\b/, /xox[abp]-/, /password:\s*\S/i];
    for (const [name, content] of Object.entries(art.files)) for (const pattern of secretLooking) expect(content, `${name} matches ${pattern}`).not.toMatch(pattern);
  });

  it("refuses to render a channel whose secret is not set, naming the key and the fix", () => {
    const render = () => renderAlertmanagerConfig(renderInput({ slack: { enabled: true }, heartbeat: { enabled: true } }, {}, []));
    expect(render).toThrow(AlertmanagerRenderError);
    expect(render).toThrow(/watchpost:slackWebhookUrl is not set.*pulumi config set --secret watchpost:slackWebhookUrl/);
    expect(render).toThrow(/watchpost:heartbeatUrl is not set/);
  });

  it("reports every problem of the input at once", () => {
    const input = renderInput({ email: { enabled: true } }, { maintenanceWindows: [{ name: "w", intervals: [{ weekdays: ["sunday"] }], mutes: ["team:ghost"] }] });
    expect(() => renderAlertmanagerConfig({ ...input, grafanaUrl: "grafana" })).toThrow(
      /\(5 problems\)[\s\S]*email\.from[\s\S]*email\.smarthost[\s\S]*email\.to[\s\S]*mutes\[0\]: 'team:ghost'[\s\S]*grafanaUrl: got 'grafana'/,
    );
  });
});
