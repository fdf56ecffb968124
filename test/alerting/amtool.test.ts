/**
 * The real amtool on rendered configs: check-config for the dev and prod
 * stacks, the routing table, and the notification templates executed on a
 * sample alert, with amtool built from source at the pinned release.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { built, tool } from "../support/tools";
import { renderAndWrite, renderInput, stackRenderInput } from "./fixtures";

const amtool = tool("amtool");

function run(args: string[]): string {
  return execFileSync(amtool as string, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function checkConfig(file: string): string {
  try {
    return run(["check-config", file]);
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`amtool check-config failed:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
  }
}

describe.skipIf(!amtool)(`amtool check-config (${built("amtool")})`, () => {
  it("passes on the dev stack's config: no channels, every receiver a no-op", () => {
    const out = checkConfig(renderAndWrite(stackRenderInput("dev")).configFile);
    expect(out).toContain("SUCCESS");
    expect(out).toMatch(/4 inhibit rules[\s\S]*7 receivers[\s\S]*1 templates/);
  });

  it(`passes on the prod stack's config with its secrets set`, () => {
    const out = checkConfig(renderAndWrite(stackRenderInput("prod")).configFile);
    expect(out).toMatch(/SUCCESS[\s\S]*8 receivers/);
  });

  it(`passes with every channel, teams and maintenance windows`, () => {
    const input = renderInput(
      {
        email: { enabled: true, to: ["a@example.test"], from: "b@example.test", smarthost: "smtp.example.test:587", username: "am" },
        slack: { enabled: true },
        pagerduty: { enabled: true, url: "https://events.eu.pagerduty.com/v2/enqueue" },
        opsgenie: { enabled: true, url: "https://api.eu.opsgenie.com" },
        msteams: { enabled: true },
        webhook: { enabled: true },
        heartbeat: { enabled: true },
      },
      {
        teams: [
          { name: "payments", slackChannel: "#team-payments", email: ["p@example.test"] },
          { name: "search", slackChannel: "#team-search" },
        ],
        security: { email: ["sec@example.test"] },
        maintenanceWindows: [
          {
            name: "weekend",
            intervals: [{ weekdays: ["saturday", "sunday"], times: [{ start: "00:00", end: "24:00" }], location: "Europe/Berlin" }],
            mutes: ["info", "team:search"],
          },
          { name: "year-end", intervals: [{ months: ["december"], daysOfMonth: ["24:31"], years: ["2030:2031"] }], mutes: ["warning", "security"] },
        ],
      },
      ["slackWebhookUrl", "pagerdutyRoutingKey", "opsgenieApiKey", "msteamsWebhookUrl", "smtpPassword", "webhookUrl", "heartbeatUrl"],
    );
    expect(checkConfig(renderAndWrite(input).configFile)).toMatch(/SUCCESS[\s\S]*9 receivers/);
  });

  it("passes with routing from config: severity channel lists, the stack's own routes with messages, a digest, and SNS", () => {
    const input = renderInput(
      {
        email: { enabled: true, to: ["a@example.test"], from: "b@example.test", smarthost: "smtp.example.test:587" },
        slack: { enabled: true },
        pagerduty: { enabled: true },
        sns: { enabled: true, topicArn: "arn:aws:sns:eu-west-1:123456789012:watchpost-alerts" },
      },
      customRouting,
      ["slackWebhookUrl", "pagerdutyRoutingKey", "snsAccessKeyId", "snsSecretAccessKey"],
    );
    const written = renderAndWrite(input);
    // With the templates dir pointed at the rendered one, check-config parses the custom templates too.
    writeFileSync(written.configFile, readFileSync(written.configFile, "utf8").replace(/templates:\n {2}- .*$/m, `templates:\n  - ${written.dir}/templates/*.tmpl`));
    expect(checkConfig(written.configFile)).toMatch(/SUCCESS[\s\S]*9 receivers[\s\S]*1 templates/);
    // And role signing, as on eks.
    expect(checkConfig(renderAndWrite({ ...input, snsAuth: "role" }).configFile)).toContain("SUCCESS");
  });
});

/** The seeds' wishes: critical pages and posts (no email), payments gets three channels, warnings a daily email digest and Slack at once. */
const customRouting = {
  teams: [{ name: "platform", slackChannel: "#team-platform" }],
  channels: { critical: ["pagerduty", "slack", "sns"], warning: ["slack"] },
  maintenanceWindows: [{ name: "payments-release", intervals: [{ weekdays: ["tuesday"], times: [{ start: "06:00", end: "07:00" }] }], mutes: ["route:payments"] }],
  messages: {
    critical: {
      subject: "PAGE {{ .CommonLabels.alertname }} ({{ .Alerts.Firing | len }})",
      text: '{{ range .Alerts }}{{ .Annotations.summary }} {{ template "watchpost.alert.silenceUrl" . }}\n{{ end }}',
    },
  },
  routes: [
    { name: "payments", matchers: ["service=payments"], channels: ["pagerduty", "slack", "email"], slackChannel: "#payments", subject: "Payments: {{ .CommonLabels.alertname }}" },
    {
      name: "warning-digest",
      matchers: ['severity="warning"'],
      channels: ["email"],
      groupBy: ["severity"],
      groupWait: "1h",
      groupInterval: "24h",
      repeatInterval: "24h",
      continue: true,
    },
  ],
};

describe.skipIf(!amtool)(`routing table (amtool config routes test, ${built("amtool")})`, () => {
  // [labels, expected receivers in order]. Labels are those the rules set; `service` is present on most.
  const prodTable: Array<[string[], string[]]> = [
    [["alertname=ApiErrorRateHigh", "service=api", "severity=critical"], ["critical"]],
    [["alertname=ApiLatencyHigh", "service=api", "severity=warning"], ["warning"]],
    [["alertname=ApiTrafficLow", "service=api", "severity=info"], ["info"]],
    [
      ["alertname=ApiErrorRateHigh", "service=api", "severity=critical", "team=platform"],
      ["team-platform", "critical"],
    ],
    [
      ["alertname=ApiLatencyHigh", "service=api", "severity=warning", "team=platform"],
      ["team-platform", "warning"],
    ],
    [
      ["alertname=ApiTrafficLow", "service=api", "severity=info", "team=platform"],
      ["team-platform", "info"],
    ],
    [["alertname=SshBruteForce", "category=security", "severity=critical", "team=platform"], ["security"]],
    [["alertname=CertificateExpiring", "category=security", "severity=warning"], ["security"]],
    [["alertname=Watchdog", "severity=none"], ["heartbeat"]],
    [["alertname=Watchdog", "severity=critical", "team=platform"], ["heartbeat"]],
    [["alertname=SomethingNew", "service=api"], ["default"]],
    [["alertname=SomethingNew", "severity=page"], ["default"]],
    [["alertname=ApiLatencyHigh", "severity=warning", "team=unknown"], ["warning"]],
  ];

  function routesOf(file: string, labels: string[], expected: string[]): string[] {
    // --verify.receivers makes amtool itself fail on a mismatch; the parsed output gives a readable diff.
    try {
      return run(["config", "routes", "test", `--config.file=${file}`, `--verify.receivers=${expected.join(",")}`, ...labels])
        .trim()
        .split(",");
    } catch (e) {
      const out = (e as { stdout?: string }).stdout ?? "";
      return out.trim().split("\n")[0].split(",");
    }
  }

  it.each(prodTable)("prod: %j -> %j", (labels, expected) => {
    const { configFile } = renderAndWrite(stackRenderInput("prod"));
    expect(routesOf(configFile, labels, expected)).toEqual(expected);
  });

  it.each<[string[], string[]]>([
    [["alertname=ApiErrorRateHigh", "service=api", "severity=critical"], ["critical"]],
    [["alertname=PaymentsDown", "service=payments", "severity=critical"], ["route-payments"]],
    [
      ["alertname=PaymentsSlow", "service=payments", "severity=warning", "team=platform"],
      ["team-platform", "route-payments"],
    ],
    [
      ["alertname=ApiLatencyHigh", "service=api", "severity=warning"],
      ["route-warning-digest", "warning"],
    ],
    [["alertname=ApiTrafficLow", "service=api", "severity=info"], ["info"]],
    [["alertname=SshBruteForce", "category=security", "severity=warning", "service=payments"], ["security"]],
    [["alertname=Watchdog", "severity=none", "service=payments"], ["blackhole"]],
  ])("routing from config: %j -> %j", (labels, expected) => {
    const { configFile } = renderAndWrite(
      renderInput(
        {
          slack: { enabled: true },
          pagerduty: { enabled: true },
          email: { enabled: true, to: ["a@example.test"], from: "b@example.test", smarthost: "smtp.example.test:587" },
          sns: { enabled: true, topicArn: "arn:aws:sns:eu-west-1:123456789012:t" },
        },
        customRouting,
        ["slackWebhookUrl", "pagerdutyRoutingKey", "snsAccessKeyId", "snsSecretAccessKey"],
      ),
    );
    expect(routesOf(configFile, labels, expected)).toEqual(expected);
  });

  it.each<[string[], string[]]>([
    [["alertname=Watchdog", "severity=none"], ["blackhole"]],
    [
      ["alertname=ApiLatencyHigh", "service=api", "severity=warning", "team=platform"],
      ["team-platform", "warning"],
    ],
    [["alertname=SomethingNew"], ["default"]],
  ])("dev (heartbeat disabled): %j -> %j", (labels, expected) => {
    const { configFile } = renderAndWrite(stackRenderInput("dev"));
    expect(routesOf(configFile, labels, expected)).toEqual(expected);
  });
});

describe.skipIf(!amtool)(`templates executed by amtool template render (${built("amtool")})`, () => {
  const sample = {
    receiver: "critical",
    status: "firing",
    alerts: [
      {
        status: "firing",
        labels: { alertname: "ApiErrorRateHigh", service: "api", severity: "critical", route: "/a b&c" },
        annotations: {
          summary: "API errors at 12%",
          description: "5xx share above 5% for 10m",
          runbook_url: "https://runbooks.example.test/ApiErrorRateHigh",
          dashboard_url: "https://grafana.example.test/d/watchpost-service-health",
        },
        startsAt: "2030-01-01T10:00:00Z",
        endsAt: "0001-01-01T00:00:00Z",
        generatorURL: "http://prometheus.example.test/graph",
        fingerprint: "0123456789abcdef",
      },
    ],
    groupLabels: { alertname: "ApiErrorRateHigh", service: "api" },
    commonLabels: { alertname: "ApiErrorRateHigh", service: "api", severity: "critical" },
    commonAnnotations: { summary: "API errors at 12%" },
    externalURL: "http://alertmanager:9093",
  };

  function render(name: string, type: "text" | "html" = "text"): string {
    const { dir } = renderAndWrite(stackRenderInput("prod"));
    const data = join(dir, "data.json");
    writeFileSync(data, JSON.stringify(sample));
    return run([
      "template",
      "render",
      `--template.type=${type}`,
      `--template.glob=${dir}/templates/*.tmpl`,
      `--template.data=${data}`,
      `--template.text={{ template "${name}" . }}`,
    ]);
  }

  const groupSilence = "https://alertmanager.example.test/#/silences/new?filter=%7Balertname%3D%22ApiErrorRateHigh%22%2Cservice%3D%22api%22%7D";

  it.each([
    ["watchpost.slack.text", "text"],
    ["watchpost.email.text", "text"],
    ["watchpost.email.html", "html"],
    ["watchpost.pagerduty.alerts", "text"],
    ["watchpost.msteams.text", "text"],
    ["watchpost.opsgenie.description", "text"],
    ["watchpost.sns.message", "text"],
  ] as const)("%s carries summary, description, severity, labels and the three links", (name, type) => {
    const out = render(name, type);
    for (const part of [
      "API errors at 12%",
      "5xx share above 5% for 10m",
      "critical",
      "service=api",
      "https://runbooks.example.test/ApiErrorRateHigh",
      "https://grafana.example.test/d/watchpost-service-health",
      "https://alertmanager.example.test/#/silences/new?filter=%7Balertname%3D%22ApiErrorRateHigh%22",
    ])
      expect(out, `${name} lacks ${part}`).toContain(part);
  });

  it("encodes label values in silence links (spaces, ampersands, slashes)", () => {
    expect(render("watchpost.email.text")).toContain("route%3D%22%2Fa+b%26c%22");
    expect(render("watchpost.slack.text")).toContain(`<${groupSilence}|Silence this group>`);
  });

  it("titles say status, count, alert, service and environment", () => {
    expect(render("watchpost.email.subject")).toBe("[FIRING:1] ApiErrorRateHigh api (prod)");
    expect(render("watchpost.pagerduty.description")).toBe("[FIRING:1] ApiErrorRateHigh api (prod): API errors at 12%");
    expect(render("watchpost.slack.color")).toBe("danger");
    expect(render("watchpost.msteams.title")).toBe("[FIRING:1] ApiErrorRateHigh api (prod)");
    expect(render("watchpost.opsgenie.message")).toBe("[FIRING:1] ApiErrorRateHigh api (prod)");
    expect(render("watchpost.sns.subject")).toBe("[FIRING:1] ApiErrorRateHigh api (prod)");
  });

  it("cuts the SNS subject to SNS's 100 characters", () => {
    const { dir } = renderAndWrite(stackRenderInput("prod"));
    const data = join(dir, "data.json");
    const long = `Api${"Very".repeat(30)}Long`;
    writeFileSync(data, JSON.stringify({ ...sample, commonLabels: { ...sample.commonLabels, alertname: long } }));
    const out = run(["template", "render", `--template.glob=${dir}/templates/*.tmpl`, `--template.data=${data}`, '--template.text={{ template "watchpost.sns.subject" . }}']);
    expect(out).toBe(`${`[FIRING:1] ${long}`.slice(0, 97)}...`);
  });

  it("writes Teams links as Markdown and maps severity to Opsgenie priority (critical P1, warning P3, info P5)", () => {
    expect(render("watchpost.msteams.text")).toContain(
      "[Runbook](https://runbooks.example.test/ApiErrorRateHigh) | [Dashboard](https://grafana.example.test/d/watchpost-service-health) | [Silence](",
    );
    expect(render("watchpost.msteams.text")).toContain(`[Silence this group](${groupSilence})`);
    expect(render("watchpost.opsgenie.priority")).toBe("P1");
    for (const [severity, priority] of [
      ["warning", "P3"],
      ["info", "P5"],
      ["none", "P5"],
    ]) {
      const { dir } = renderAndWrite(stackRenderInput("prod"));
      const data = join(dir, "data.json");
      writeFileSync(data, JSON.stringify({ ...sample, commonLabels: { ...sample.commonLabels, severity } }));
      const out = run([
        "template",
        "render",
        `--template.glob=${dir}/templates/*.tmpl`,
        `--template.data=${data}`,
        '--template.text={{ template "watchpost.opsgenie.priority" . }}',
      ]);
      expect(out, severity).toBe(priority);
    }
  });
});
