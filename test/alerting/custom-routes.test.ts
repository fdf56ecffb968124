/**
 * Routing chosen in config, rendered: channels per severity, the stack's own
 * routes with their timing, grouping and messages, and SNS. Unset, the keys
 * render today's policy (the dev and prod tests in render/routes/amtool hold it).
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { AmConfig, AmReceiver, AmRoute } from "../../components/alerting/amconfig";
import { AlertmanagerRenderError, renderAlertmanagerConfig } from "../../components/alerting/render";
import { defaultSeverityChannels } from "../../model/routing";
import { renderInput, stackRenderInput } from "./fixtures";

const email = { enabled: true, to: ["oncall@example.test"], from: "am@example.test", smarthost: "smtp.example.test:587" };
const channels = { email, slack: { enabled: true }, pagerduty: { enabled: true }, webhook: { enabled: true } };
const secrets = ["slackWebhookUrl", "pagerdutyRoutingKey", "webhookUrl"];
const payments = { name: "payments", matchers: ["service=payments", 'severity=~"critical|warning"'], channels: ["pagerduty", "slack", "email"], slackChannel: "#payments" };
const digest = {
  name: "warning-digest",
  matchers: ['severity="warning"'],
  channels: ["email"],
  email: ["digest@example.test"],
  groupBy: ["severity"],
  groupWait: "1h",
  groupInterval: "24h",
  repeatInterval: "24h",
  continue: true,
};

const render = (notifications: unknown, routing: unknown, s = secrets) => renderAlertmanagerConfig(renderInput(notifications, routing, s));
const configOf = (notifications: unknown, routing: unknown, s = secrets) => parse(render(notifications, routing, s).files["alertmanager.yml"]) as AmConfig;
const receiver = (cfg: AmConfig, name: string) => cfg.receivers.find((r) => r.name === name) as AmReceiver;
const kinds = (r: AmReceiver) =>
  Object.keys(r)
    .filter((k) => k.endsWith("_configs"))
    .map((k) => k.replace(/_configs$/, ""));

describe("routing.channels", () => {
  it("unset, equals today's policy written out with the enabled channels: the dev and prod files are unchanged", () => {
    for (const stack of ["dev", "prod"] as const) {
      const input = stackRenderInput(stack);
      // Written out, a list names enabled channels only: a listed channel that is off is an error.
      const on = (sev: keyof typeof defaultSeverityChannels) => defaultSeverityChannels[sev].filter((c) => input.notifications[c].enabled);
      const explicit = { ...input, routing: { ...input.routing, channels: { critical: on("critical"), warning: on("warning"), info: on("info") } } };
      expect(renderAlertmanagerConfig(explicit).files["alertmanager.yml"]).toBe(renderAlertmanagerConfig(input).files["alertmanager.yml"]);
    }
  });

  it("critical: [pagerduty, slack] pages and posts, with no email; warnings follow their own list, unknown severities too", () => {
    const cfg = configOf(channels, { channels: { critical: ["slack", "pagerduty"], warning: ["slack"] } });
    expect(kinds(receiver(cfg, "critical"))).toEqual(["pagerduty", "slack"]);
    expect(kinds(receiver(cfg, "warning"))).toEqual(["slack"]);
    expect(kinds(receiver(cfg, "default"))).toEqual(["slack"]);
    expect(kinds(receiver(cfg, "info"))).toEqual(["slack", "webhook"]);
  });

  it("[] leaves the severity's receiver a valid no-op", () => {
    expect(receiver(configOf(channels, { channels: { info: [] } }), "info")).toEqual({ name: "info" });
  });
});

describe("routing.routes", () => {
  const cfg = configOf(channels, { teams: [{ name: "platform", slackChannel: "#team-platform" }], channels: { warning: ["slack"] }, routes: [payments, digest] });
  const top = (name: string) => cfg.route.routes?.find((r) => r.receiver === name) as AmRoute;

  it("are tried after the Watchdog, security and team routes, in order, before the severity routes", () => {
    expect(cfg.route.routes?.map((r) => r.receiver)).toEqual(["blackhole", "security", "team-platform", "route-payments", "route-warning-digest", "critical", "warning", "info"]);
  });

  it("write their matchers in Alertmanager's quoted form and stop unless they continue", () => {
    expect(top("route-payments").matchers).toEqual(['service="payments"', 'severity=~"critical|warning"']);
    expect(top("route-payments").continue).toBeUndefined();
    expect(top("route-warning-digest").continue).toBe(true);
  });

  it("without timing of their own keep each severity's timing; with it, use theirs for every alert (the digest)", () => {
    expect(top("route-payments").routes?.map((r) => [r.matchers, r.group_wait, r.group_interval, r.repeat_interval])).toEqual([
      [['severity="critical"'], "10s", "1m", "30m"],
      [['severity="warning"'], "30s", "5m", "4h"],
      [['severity="info"'], "1m", "10m", "24h"],
    ]);
    expect(top("route-warning-digest")).toEqual({
      receiver: "route-warning-digest",
      matchers: ['severity="warning"'],
      group_by: ["severity"],
      continue: true,
      group_wait: "1h",
      group_interval: "24h",
      repeat_interval: "24h",
    });
  });

  it("notify their own channels, Slack channel and addresses", () => {
    const r = receiver(cfg, "route-payments");
    expect(kinds(r)).toEqual(["pagerduty", "slack", "email"]);
    expect(r.slack_configs?.[0].channel).toBe("#payments");
    expect(r.email_configs?.[0].to).toBe("oncall@example.test");
    expect(receiver(cfg, "route-warning-digest")).toMatchObject({ email_configs: [{ to: "digest@example.test" }] });
    expect(kinds(receiver(cfg, "route-warning-digest"))).toEqual(["email"]);
  });

  it("are muted by a maintenance window that names them, down to their severity routes", () => {
    const window = {
      name: "payments-release",
      intervals: [{ weekdays: ["tuesday"], times: [{ start: "06:00", end: "07:00" }] }],
      mutes: ["route:payments", "route:warning-digest"],
    };
    const muted = configOf(channels, { routes: [payments, digest], maintenanceWindows: [window] });
    const r = muted.route.routes?.find((x) => x.receiver === "route-payments") as AmRoute;
    expect(r.mute_time_intervals).toEqual(["payments-release"]);
    expect(r.routes?.map((c) => c.mute_time_intervals)).toEqual([["payments-release"], ["payments-release"], ["payments-release"]]);
    expect(muted.route.routes?.find((x) => x.receiver === "route-warning-digest")?.mute_time_intervals).toEqual(["payments-release"]);
    expect(muted.route.routes?.find((x) => x.receiver === "critical")?.mute_time_intervals).toBeUndefined();
  });

  it("refuse to render a channel that is not enabled or a matcher that does not parse, whoever calls the renderer", () => {
    // The spec already refuses both; a caller that builds the spec itself still cannot render them.
    const input = renderInput({ slack: { enabled: true } }, { routes: [{ ...payments, channels: ["slack"] }] }, ["slackWebhookUrl"]);
    const routes = [{ ...input.routing.routes[0], channels: ["slack", "sns"] as Array<"slack" | "sns">, matchers: ["service payments"] }];
    const bad = () => renderAlertmanagerConfig({ ...input, routing: { ...input.routing, routes } });
    expect(bad).toThrow(AlertmanagerRenderError);
    expect(bad).toThrow(/routing\.routes\[0\]\.channels: 'sns' is not an enabled channel[\s\S]*routing\.routes\[0\]\.matchers: 'service payments' is not an Alertmanager matcher/);
  });
});

describe("messages of the stack's own", () => {
  const art = render(channels, {
    messages: { critical: { subject: "PAGE {{ .CommonLabels.alertname }}", text: "{{ range .Alerts }}{{ .Annotations.summary }}{{ end }}" } },
    routes: [{ ...payments, subject: "Payments: {{ .CommonLabels.alertname }}" }],
  });
  const cfg = parse(art.files["alertmanager.yml"]) as AmConfig;

  it("are defined once per receiver in templates/custom.tmpl", () => {
    expect(art.files["templates/custom.tmpl"]).toContain('{{ define "watchpost.custom.critical.subject" }}PAGE {{ .CommonLabels.alertname }}{{ end }}');
    expect(art.files["templates/custom.tmpl"]).toContain('{{ define "watchpost.custom.critical.text" }}{{ range .Alerts }}{{ .Annotations.summary }}{{ end }}{{ end }}');
    expect(art.files["templates/custom.tmpl"]).toContain('{{ define "watchpost.custom.route-payments.subject" }}Payments: {{ .CommonLabels.alertname }}{{ end }}');
    expect(render(channels, {}).files["templates/custom.tmpl"]).toBeUndefined();
  });

  it("replace the subject of email, Slack and PagerDuty and the text of Slack and email, on that receiver only", () => {
    const critical = receiver(cfg, "critical");
    const subject = '{{ template "watchpost.custom.critical.subject" . }}';
    const text = '{{ template "watchpost.custom.critical.text" . }}';
    expect(critical.email_configs?.[0].headers.Subject).toBe(subject);
    expect(critical.email_configs?.[0].text).toBe(text);
    expect(critical.email_configs?.[0].html).toContain(text);
    expect(critical.slack_configs?.[0]).toMatchObject({ title: subject, text });
    expect(critical.pagerduty_configs?.[0].description).toBe(subject);
    expect(receiver(cfg, "route-payments").slack_configs?.[0]).toMatchObject({
      title: '{{ template "watchpost.custom.route-payments.subject" . }}',
      text: '{{ template "watchpost.slack.text" . }}',
    });
    expect(receiver(cfg, "warning").slack_configs?.[0].title).toBe('{{ template "watchpost.slack.title" . }}');
  });
});

describe("Amazon SNS", () => {
  const sns = { enabled: true, topicArn: "arn:aws:sns:eu-west-1:123456789012:watchpost-alerts" };
  const keys = ["snsAccessKeyId", "snsSecretAccessKey"];

  it("publishes critical alerts to the topic, signed for its region with the mounted credentials file's profile", () => {
    const art = render({ sns }, {}, keys);
    const cfg = parse(art.files["alertmanager.yml"]) as AmConfig;
    expect(receiver(cfg, "critical").sns_configs).toEqual([
      {
        topic_arn: sns.topicArn,
        sigv4: { region: "eu-west-1", profile: "watchpost-sns" },
        send_resolved: true,
        subject: '{{ template "watchpost.sns.subject" . }}',
        message: '{{ template "watchpost.sns.message" . }}',
      },
    ]);
    expect(receiver(cfg, "warning").sns_configs).toBeUndefined();
    expect(art.secretFiles).toEqual({ snsCredentials: "/etc/alertmanager/secrets/snsCredentials" });
    expect(art.files["alertmanager.yml"]).not.toMatch(/access_key|secret_key/);
  });

  it("with the role (eks) mounts nothing and names no profile: the SDK takes the service account's web identity", () => {
    const art = renderAlertmanagerConfig({ ...renderInput({ sns }, {}, []), snsAuth: "role" });
    expect(receiver(parse(art.files["alertmanager.yml"]) as AmConfig, "critical").sns_configs?.[0].sigv4).toEqual({ region: "eu-west-1" });
    expect(art.secretFiles).toEqual({});
  });

  it("can be routed like any channel: warnings by SMS and email through the topic", () => {
    const cfg = configOf({ sns }, { channels: { warning: ["sns"] } }, keys);
    expect(kinds(receiver(cfg, "warning"))).toEqual(["sns"]);
  });
});
