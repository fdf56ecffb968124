/**
 * Live: the real Alertmanager with routing.escalation, Slack and the webhook pointed at a local sink.
 * The critical alert goes to on-call (the critical route: the webhook); its escalation alert, as the
 * escalation rule raises it, goes to the level's Slack channel and nowhere else.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderAlertmanagerConfig } from "../../components/alerting/render";
import { HttpSink } from "../../drill/sinks";
import { ProcessGroup } from "../../harness/processes";
import { built, tool } from "../support/tools";
import { deliveredTo, type RunningAlertmanager, type TestAlert, postAlerts, startAlertmanager } from "./alertmanager";
import { renderInput, writeArtifacts } from "./fixtures";

const am = tool("alertmanager");

function alert(alertname: string, labels: Record<string, string>): TestAlert {
  return {
    labels: { alertname, ...labels },
    annotations: { summary: `${alertname} summary`, description: `${alertname} description`, runbook_url: `https://runbooks.example.test/${alertname}` },
    startsAt: new Date(Date.now() - 60_000).toISOString(),
  };
}

const apiDown = alert("ApiDown", { service: "api", severity: "critical" });
// The labels the escalation rule gives it: all of ApiDown's, its name kept, the level added.
const apiDownEscalated = alert("AlertEscalated", { service: "api", severity: "critical", escalated_alertname: "ApiDown", escalation: "level-2" });

describe.skipIf(!am)(`live Alertmanager with routing.escalation (${built("alertmanager")})`, () => {
  const group = new ProcessGroup();
  const http = new HttpSink();
  let server: RunningAlertmanager;

  beforeAll(async () => {
    await http.start();
    const fast = { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" };
    const input = renderInput(
      { slack: { enabled: true }, webhook: { enabled: true } },
      {
        timing: { critical: fast, warning: fast, info: fast },
        channels: { critical: ["webhook"] },
        escalation: { levels: [{ after: "15m", channels: ["slack"], slackChannel: "#devops-leads" }] },
      },
      ["slackWebhookUrl", "webhookUrl"],
    );
    const written = writeArtifacts(renderAlertmanagerConfig(input), { slackWebhookUrl: http.url("/slack"), webhookUrl: http.url("/webhook") });
    server = await startAlertmanager(group, am as string, { name: "alertmanager-escalation", configFile: written.configFile, dir: written.dir });
    await postAlerts(server, [apiDown, apiDownEscalated]);
    await deliveredTo(server, "the webhook and Slack to be told", () => http.at("/webhook").length >= 1 && http.at("/slack").length >= 1);
  }, 45_000);

  afterAll(async () => {
    await group.stopAll();
    await http.stop();
  });

  it("tells on-call of the alert itself, by the critical route", () => {
    const hooks = http.at("/webhook").map((d) => d.body);
    expect(hooks.map((h) => [h.receiver, h.alerts.map((a: { labels: Record<string, string> }) => a.labels.alertname)])).toEqual([["critical", ["ApiDown"]]]);
  });

  it("tells the level's Slack channel of the escalation, naming the escalated alert, and only it", () => {
    const posts = http.at("/slack").map((d) => d.body);
    expect(posts.map((p) => p.channel)).toEqual(["#devops-leads"]);
    const text = JSON.stringify(posts[0]);
    expect(text).toContain("AlertEscalated");
    expect(text).toContain("ApiDown");
    expect(JSON.stringify(http.at("/webhook").map((d) => d.body))).not.toContain("AlertEscalated");
  });
});
