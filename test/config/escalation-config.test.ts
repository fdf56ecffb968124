/**
 * routing.escalation as a stack author meets it: a good escalation is accepted, and every mistake is
 * reported with its key path, value, what was expected and the fix, before anything is rendered.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, formatProblems, parseStackConfig, type RawStackConfig } from "../../infra/config/validate";

const raw = (escalation: unknown): RawStackConfig => ({
  values: {
    services: [{ name: "api", targets: ["api:8080"] }],
    notifications: { slack: { enabled: true } },
    routing: { escalation },
  },
  secrets: new Set(["slackWebhookUrl"]),
});

function message(r: RawStackConfig): string {
  try {
    parseStackConfig("dev", r);
  } catch (error) {
    if (error instanceof ConfigError) return formatProblems("dev", error.problems);
    throw error;
  }
  return "";
}

const lead = { after: "15m", channels: ["slack"], slackChannel: "#devops-leads" };
const cto = { after: "45m", channels: ["slack"], slackChannel: "#cto" };

describe("routing.escalation", () => {
  it("accepts on-call, then the DevOps lead after 15m, then the CTO after 45m; matchers default to critical alerts", () => {
    expect(message(raw({ levels: [lead, cto] }))).toBe("");
    const { config: cfg } = parseStackConfig("dev", raw({ levels: [lead, cto] }));
    expect(cfg.routing.escalation?.matchers).toEqual(['severity="critical"']);
  });

  it.each<[string, unknown, string]>([
    ["no level", { levels: [] }, "watchpost:routing.escalation.levels: got []; expected at least one level, such as {after: 15m, channels: [slack]}"],
    [
      "a level with no channel",
      { levels: [{ after: "15m", channels: [] }] },
      "watchpost:routing.escalation.levels[0].channels: got []; expected at least one channel, such as [slack]; a level that notifies no one is not an escalation",
    ],
    ["a delay of 0", { levels: [{ after: "0s", channels: ["slack"] }] }, 'watchpost:routing.escalation.levels[0].after: got "0s"; a level told at once is not an escalation'],
    [
      "levels out of order",
      { levels: [cto, lead] },
      'watchpost:routing.escalation.levels[1].after: got "15m"; expected a delay longer than the level before (levels[0].after: 45m); each delay counts from when the alert started firing, so list the levels from the shortest delay to the longest',
    ],
    [
      "a channel that is not enabled",
      { levels: [{ after: "15m", channels: ["email"] }] },
      'watchpost:routing.escalation.levels[0].channels[0]: got "email"; the email channel is not enabled; expected an enabled channel: set watchpost:notifications.email.enabled: true',
    ],
    [
      "an email list without email",
      { levels: [{ after: "15m", channels: ["slack"], email: ["lead@example.test"] }] },
      'watchpost:routing.escalation.levels[0].email: got ["lead@example.test"]; is set but email is not in this level\'s channels; add email to channels or remove this list',
    ],
    ["a bad matcher", { matchers: ['sev-erity="critical"'], levels: [lead] }, "watchpost:routing.escalation.matchers[0]"],
    ["an unknown key", { levels: [{ ...lead, wait: "5m" }] }, "watchpost:routing.escalation.levels[0]"],
  ])("refuses %s", (_, escalation, words) => {
    const text = message(raw(escalation));
    expect(text).toMatch(/^Invalid configuration for stack "dev"/);
    expect(text).toContain(words);
  });
});
