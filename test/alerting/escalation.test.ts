/**
 * routing.escalation in alertmanager.yml: one route per level, right after the Watchdog's, to that level's
 * receiver; checked as data, then by the real amtool (check-config, and the routing table).
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { AmConfig, AmReceiver } from "../../components/alerting/amconfig";
import { AlertmanagerRenderError, renderAlertmanagerConfig } from "../../components/alerting/render";
import { built, tool } from "../support/tools";
import { renderAndWrite, renderInput } from "./fixtures";

const amtool = tool("amtool");
const email = { enabled: true, to: ["oncall@example.test"], from: "am@example.test", smarthost: "smtp.example.test:587" };
const notifications = { email, slack: { enabled: true }, pagerduty: { enabled: true } };
const secrets = ["slackWebhookUrl", "pagerdutyRoutingKey"];
/** On-call by the critical route (PagerDuty, Slack, email); the DevOps lead after 15m; the CTO after 45m. */
const routing = {
  channels: { critical: ["pagerduty", "slack", "email"] },
  teams: [{ name: "platform", slackChannel: "#team-platform" }],
  escalation: {
    levels: [
      { after: "15m", channels: ["slack", "email"], slackChannel: "#devops-leads", email: ["lead@example.test"] },
      { after: "45m", channels: ["email"], email: ["cto@example.test"] },
    ],
  },
};
const input = () => renderInput(notifications, routing, secrets);
const configOf = () => parse(renderAlertmanagerConfig(input()).files["alertmanager.yml"]) as AmConfig;
const receiver = (cfg: AmConfig, name: string) => cfg.receivers.find((r) => r.name === name) as AmReceiver;

describe("routing.escalation rendered", () => {
  it("adds one route per level after the Watchdog's, matching escalation=level-<n>, with critical timing, grouped by the escalated alert", () => {
    const routes = configOf().route.routes ?? [];
    expect(routes.slice(1, 3)).toEqual([
      {
        receiver: "escalation-level-2",
        matchers: ['escalation="level-2"'],
        group_by: ["alertname", "service", "escalated_alertname"],
        group_wait: "10s",
        group_interval: "1m",
        repeat_interval: "30m",
      },
      {
        receiver: "escalation-level-3",
        matchers: ['escalation="level-3"'],
        group_by: ["alertname", "service", "escalated_alertname"],
        group_wait: "10s",
        group_interval: "1m",
        repeat_interval: "30m",
      },
    ]);
    expect(routes[3].receiver).toBe("security");
  });

  it("gives each level its own channels and addressees", () => {
    const cfg = configOf();
    const lead = receiver(cfg, "escalation-level-2");
    expect(lead.slack_configs?.map((c) => c.channel)).toEqual(["#devops-leads"]);
    expect(lead.email_configs?.map((c) => c.to)).toEqual(["lead@example.test"]);
    expect(lead.pagerduty_configs).toBeUndefined();
    const cto = receiver(cfg, "escalation-level-3");
    expect(Object.keys(cto).sort()).toEqual(["email_configs", "name"]);
    expect(cto.email_configs?.map((c) => c.to)).toEqual(["cto@example.test"]);
  });

  it("mutes the levels in the critical route's maintenance windows: an escalation is a page", () => {
    const window = { name: "release", intervals: [{ weekdays: ["sunday"] }], mutes: ["critical"] };
    const cfg = parse(renderAlertmanagerConfig(renderInput(notifications, { ...routing, maintenanceWindows: [window] }, secrets)).files["alertmanager.yml"]) as AmConfig;
    expect((cfg.route.routes ?? []).slice(1, 3).map((r) => [r.receiver, r.mute_time_intervals])).toEqual([
      ["escalation-level-2", ["release"]],
      ["escalation-level-3", ["release"]],
    ]);
  });

  it("refuses a level's channel that is not enabled, whoever calls the renderer", () => {
    const bad = { ...routing, escalation: { levels: [{ after: "15m", channels: ["opsgenie"] }] } };
    expect(() => renderAlertmanagerConfig(renderInput(notifications, bad, secrets))).toThrow(AlertmanagerRenderError);
    expect(() => renderAlertmanagerConfig(renderInput(notifications, bad, secrets))).toThrow(
      "routing.escalation.levels[0].channels: 'opsgenie' is not an enabled channel (notifications.opsgenie.enabled)",
    );
  });
});

describe.skipIf(!amtool)(`routing.escalation with the real amtool (${built("amtool")})`, () => {
  const run = (args: string[]) => execFileSync(amtool as string, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

  it("check-config accepts it", () => {
    expect(run(["check-config", renderAndWrite(input()).configFile])).toMatch(/SUCCESS[\s\S]*9 receivers/);
  });

  it.each<[string[], string]>([
    // The alert itself: the team's channel, then on-call by the critical route.
    [["alertname=ApiErrorRateHigh", "service=api", "severity=critical", "team=platform"], "team-platform,critical"],
    // Its escalations, which carry every label of the alert: to the level's receiver only.
    [["alertname=AlertEscalated", "escalated_alertname=ApiErrorRateHigh", "escalation=level-2", "service=api", "severity=critical", "team=platform"], "escalation-level-2"],
    [["alertname=AlertEscalated", "escalated_alertname=ApiErrorRateHigh", "escalation=level-3", "service=api", "severity=critical", "team=platform"], "escalation-level-3"],
    // A security finding's escalation too goes to the level: the level is who was chosen to be told next.
    [["alertname=AlertEscalated", "escalated_alertname=SshBruteForce", "escalation=level-2", "category=security", "severity=critical"], "escalation-level-2"],
  ])("routes %j to %s", (labels, expected) => {
    const out = run(["config", "routes", "test", `--config.file=${renderAndWrite(input()).configFile}`, ...labels]).trim();
    expect(out).toBe(expected);
  });
});
