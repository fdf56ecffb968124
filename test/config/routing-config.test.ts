/**
 * The routing keys as a stack author meets them: channels per severity, the
 * stack's own routes, messages and SNS. Every mistake is reported before
 * anything is rendered, with key path, value, what was expected and the fix.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, formatProblems, parseStackConfig, type RawStackConfig } from "../../infra/config/validate";

const slack = { enabled: true };
const raw = (values: Record<string, unknown>, secrets: string[] = ["slackWebhookUrl"]): RawStackConfig => ({
  values: { services: [{ name: "api", targets: ["api:8080"] }], notifications: { slack }, ...values },
  secrets: new Set(secrets),
});

function message(r: RawStackConfig, stack = "dev"): string {
  try {
    parseStackConfig(stack, r);
  } catch (error) {
    if (error instanceof ConfigError) return formatProblems(stack, error.problems);
    throw error;
  }
  return "";
}

const route = (patch: Record<string, unknown> = {}) => ({ name: "payments", matchers: ['service="payments"'], channels: ["slack"], ...patch });

describe("routing.channels and routing.routes", () => {
  it("accept the seeds' wishes: critical to PagerDuty and Slack only, payments to three channels, a warning digest", () => {
    const r = raw(
      {
        notifications: {
          slack,
          pagerduty: { enabled: true },
          email: { enabled: true, to: ["oncall@example.test"], from: "am@example.test", smarthost: "smtp.example.test:587" },
        },
        routing: {
          channels: { critical: ["pagerduty", "slack"], warning: ["slack"] },
          routes: [
            route({ matchers: ['service="payments"', 'severity=~"critical|warning"'], channels: ["pagerduty", "slack", "email"] }),
            route({
              name: "warning-digest",
              matchers: ["severity=warning"],
              channels: ["email"],
              groupBy: ["severity"],
              groupInterval: "24h",
              repeatInterval: "24h",
              continue: true,
            }),
          ],
        },
      },
      ["slackWebhookUrl", "pagerdutyRoutingKey"],
    );
    expect(message(r)).toBe("");
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      "an unknown channel name, with the nearest one",
      { channels: { critical: ["pagerduty", "slak"] } },
      'watchpost:routing.channels.critical[1]: got "slak"; unknown channel; did you mean slack? expected a channel name: one of pagerduty, opsgenie, slack, msteams, email, webhook, sns',
    ],
    [
      "a channel that is not enabled",
      { channels: { critical: ["pagerduty"] } },
      'watchpost:routing.channels.critical[0]: got "pagerduty"; the pagerduty channel is not enabled; expected an enabled channel: set watchpost:notifications.pagerduty.enabled: true (and its settings and secret), or remove pagerduty from this list',
    ],
    ["a channel listed twice", { channels: { info: ["slack", "slack"] } }, 'watchpost:routing.channels.info[1]: got "slack"; lists slack twice; name each channel once'],
    [
      "a matcher with a bad label name",
      { routes: [route({ matchers: ['pay-ment="x"'] })] },
      'watchpost:routing.routes[0].matchers[0]: got "pay-ment=\\"x\\""; label \'pay-ment\' is not a label name',
    ],
    [
      "a matcher without an operator",
      { routes: [route({ matchers: ["service payments"] })] },
      'is not an Alertmanager matcher; expected <label><op>"<value>" with op one of =, !=, =~, !~',
    ],
    ["a single-quoted value", { routes: [route({ matchers: ["service='payments'"] })] }, 'must be double-quoted: service="payments"'],
    ["a regex RE2 refuses", { routes: [route({ matchers: ['service=~"(?!api).*"'] })] }, "uses look-around, which Go's RE2 (Alertmanager's regex engine) does not support"],
    ["a regex that does not compile", { routes: [route({ matchers: ['service=~"(api"'] })] }, 'the regex "(api" does not compile'],
    ["no matcher", { routes: [route({ matchers: [] })] }, 'watchpost:routing.routes[0].matchers: got []; expected at least one matcher, such as service="payments"'],
    ["a group_interval of 0", { routes: [route({ groupInterval: "0s" })] }, 'watchpost:routing.routes[0].groupInterval: got "0s"'],
    ["two routes of one name", { routes: [route(), route()] }, 'watchpost:routing.routes[1].name: got "payments"; duplicate route name; each must be unique'],
    [
      "a slackChannel without slack",
      { routes: [route({ channels: [], slackChannel: "#payments" })] },
      'watchpost:routing.routes[0].slackChannel: got "#payments"; is set but slack is not in this route\'s channels',
    ],
    [
      "a maintenance window muting an undeclared route",
      { routes: [route()], maintenanceWindows: [{ name: "w", intervals: [{ weekdays: ["sunday"] }], mutes: ["route:payment"] }] },
      'watchpost:routing.maintenanceWindows[0].mutes[0]: got "route:payment"; names a route that is not declared under routing.routes (known: payments); expected route:<name>',
    ],
    ["a subject that is not a template", { messages: { critical: { subject: "{{ .CommonLabels.alertname " } } }, "watchpost:routing.messages.critical.subject"],
    ["a text calling an unknown function", { routes: [route({ text: "{{ humanize .Status }}" })] }, "watchpost:routing.routes[0].text"],
  ])("refuse %s", (_, routing, words) => {
    const text = message(raw({ routing }));
    expect(text).toMatch(/^Invalid configuration for stack "dev"/);
    expect(text).toContain(words);
  });
});

describe("notifications.sns", () => {
  const sns = { enabled: true, topicArn: "arn:aws:sns:eu-west-1:123456789012:watchpost-alerts" };
  const keys = ["snsAccessKeyId", "snsSecretAccessKey"];

  it("on docker signs with the key pair: both secrets are needed", () => {
    expect(message(raw({ notifications: { sns } }, keys))).toBe("");
    expect(message(raw({ notifications: { sns } }, ["snsAccessKeyId"]))).toContain(
      "watchpost:notifications.sns.enabled: got true; SNS is enabled on the docker platform, which signs with an access key pair, but the secret watchpost:snsSecretAccessKey is not set; set it with: pulumi config set --secret watchpost:snsSecretAccessKey",
    );
  });

  it("on eks signs with the Alertmanager's IAM role: a key pair is a second way and refused", () => {
    const eks = (secrets: string[]) => ({
      values: { platform: "eks", cluster: { name: "c", region: "eu-west-1" }, services: [{ name: "api" }], notifications: { sns } },
      secrets: new Set(secrets),
    });
    expect(message(eks([]), "prod")).toBe("");
    expect(message(eks(keys), "prod")).toContain("watchpost:snsAccessKeyId: is set, but on eks the Alertmanager signs SNS requests with its own IAM role (IRSA)");
  });

  it("needs a topic ARN, and a standard topic's", () => {
    expect(message(raw({ notifications: { sns: { enabled: true } } }, keys))).toContain("watchpost:notifications.sns.topicArn: is required when notifications.sns.enabled is true");
    expect(message(raw({ notifications: { sns: { ...sns, topicArn: "arn:aws:sns:eu-west-1:123456789012:alerts.fifo" } } }, keys))).toContain(
      'watchpost:notifications.sns.topicArn: got "arn:aws:sns:eu-west-1:123456789012:alerts.fifo"; expected an SNS topic ARN',
    );
  });
});
