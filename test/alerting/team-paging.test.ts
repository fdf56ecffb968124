/**
 * A team with its own PagerDuty service (`routing.teams[].pagerduty`): its critical alerts page its
 * service, with its routing key from its own file, and not the stack's; its warnings and every other
 * team's alerts are routed as before. Rendered, checked by amtool's route tests, and live: the real
 * Alertmanager posting Events API v2 to a local sink.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AlertmanagerRenderError, renderAlertmanagerConfig } from "../../components/alerting/render";
import { HttpSink } from "../../drill/sinks";
import { ProcessGroup } from "../../harness/processes";
import { built, tool } from "../support/tools";
import { deliveredTo, type RunningAlertmanager, postAlerts, startAlertmanager } from "./alertmanager";
import { renderInput, writeArtifacts } from "./fixtures";

const amtool = tool("amtool");
const am = tool("alertmanager");
// Test-only keys: they exist to prove which file each page reads.
const stackKey = "stack-routing-key-0000000000000001";
const paymentsKey = "payments-routing-key-000000000001";

const teams = [
  { name: "payments", slackChannel: "#team-payments", pagerduty: {} },
  { name: "search", slackChannel: "#team-search" },
];
const secrets = ["pagerdutyRoutingKey", "pagerdutyRoutingKeyPayments", "slackWebhookUrl"];
const input = (pagerdutyUrl?: string, fast = false) => {
  const timing = { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" };
  return renderInput(
    { pagerduty: { enabled: true, ...(pagerdutyUrl ? { url: pagerdutyUrl } : {}) }, slack: { enabled: true } },
    { teams, ...(fast ? { timing: { critical: timing, warning: timing, info: timing } } : {}) },
    secrets,
  );
};

describe("routing.teams[].pagerduty rendered", () => {
  const art = renderAlertmanagerConfig(input());
  const config = parse(art.files["alertmanager.yml"]);

  it("mounts the team's routing key as a file of its own, beside the stack's", () => {
    expect(art.secretFiles).toMatchObject({
      pagerdutyRoutingKey: "/etc/alertmanager/secrets/pagerdutyRoutingKey",
      pagerdutyRoutingKeyPayments: "/etc/alertmanager/secrets/pagerdutyRoutingKeyPayments",
    });
  });

  it("pages with the team's key on the critical channels, and the stack's key elsewhere", () => {
    const receiver = (name: string) => config.receivers.find((r: { name: string }) => r.name === name);
    expect(receiver("critical-team-payments").pagerduty_configs.map((c: any) => c.routing_key_file)).toEqual(["/etc/alertmanager/secrets/pagerdutyRoutingKeyPayments"]);
    expect(receiver("critical-team-payments").slack_configs.map((c: any) => c.channel)).toEqual(["#critical-alerts"]);
    expect(receiver("critical").pagerduty_configs.map((c: any) => c.routing_key_file)).toEqual(["/etc/alertmanager/secrets/pagerdutyRoutingKey"]);
    expect(receiver("critical-team-search")).toBeUndefined();
  });

  it("puts the team's page after the stack's own routes and before the severity routes, with critical timing", () => {
    const names = config.route.routes.map((r: { receiver: string }) => r.receiver);
    expect(names.indexOf("critical-team-payments")).toBe(names.indexOf("critical") - 1);
    const page = config.route.routes.find((r: { receiver: string }) => r.receiver === "critical-team-payments");
    expect(page.matchers).toEqual(['team="payments"', 'severity="critical"']);
    expect(page.continue).toBeUndefined();
    expect(page.repeat_interval).toBe(config.route.routes.find((r: { receiver: string }) => r.receiver === "critical").repeat_interval);
  });

  it("is refused without the team's key, without PagerDuty, and when critical alerts page no PagerDuty", () => {
    const problems = (build: () => unknown) => {
      try {
        build();
      } catch (error) {
        if (error instanceof AlertmanagerRenderError) return error.problems.join("\n");
        throw error;
      }
      return "";
    };
    expect(problems(() => renderAlertmanagerConfig(renderInput({ pagerduty: { enabled: true } }, { teams }, ["pagerdutyRoutingKey"])))).toContain(
      "routing.teams[0].pagerduty: the secret watchpost:pagerdutyRoutingKeyPayments is not set",
    );
    expect(problems(() => renderAlertmanagerConfig(renderInput({}, { teams }, ["pagerdutyRoutingKeyPayments"])))).toContain(
      "routing.teams[0].pagerduty is set but PagerDuty is not enabled",
    );
    expect(
      problems(() => renderAlertmanagerConfig(renderInput({ pagerduty: { enabled: true }, slack: { enabled: true } }, { teams, channels: { critical: ["slack"] } }, secrets))),
    ).toContain("routing.teams[0].pagerduty is set but routing.channels.critical does not include pagerduty");
  });
});

describe.skipIf(!amtool)(`routing.teams[].pagerduty routed by amtool (${built("amtool")})`, () => {
  const { configFile } = writeArtifacts(renderAlertmanagerConfig(input()));
  const route = (labels: Record<string, string>) =>
    execFileSync(amtool as string, ["config", "routes", "test", `--config.file=${configFile}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)], { encoding: "utf8" })
      .trim()
      .split(",");

  it.each<[string, Record<string, string>, string[]]>([
    [
      "the team's critical alert: its channel, then its own page",
      { alertname: "PaymentsDown", team: "payments", severity: "critical" },
      ["team-payments", "critical-team-payments"],
    ],
    ["the team's warning: its channel, then the warning route", { alertname: "PaymentsSlow", team: "payments", severity: "warning" }, ["team-payments", "warning"]],
    ["another team's critical alert: the stack's page", { alertname: "SearchDown", team: "search", severity: "critical" }, ["team-search", "critical"]],
    ["a critical alert of no team: the stack's page", { alertname: "HostDown", severity: "critical" }, ["critical"]],
  ])("%s", (_, labels, receivers) => {
    expect(route(labels)).toEqual(receivers);
  });
});

describe.skipIf(!am)(`live Alertmanager paging a team's own PagerDuty service (${built("alertmanager")})`, () => {
  const group = new ProcessGroup();
  const http = new HttpSink();
  let server: RunningAlertmanager;
  const events = () => http.at("/pagerduty").map((d) => d.body as { routing_key: string; event_action: string; payload: { summary: string } });

  beforeAll(async () => {
    await http.start();
    const written = writeArtifacts(renderAlertmanagerConfig(input(http.url("/pagerduty"), true)), {
      pagerdutyRoutingKey: stackKey,
      pagerdutyRoutingKeyPayments: paymentsKey,
      slackWebhookUrl: http.url("/slack"),
    });
    server = await startAlertmanager(group, am as string, { name: "alertmanager-team-paging", configFile: written.configFile, dir: written.dir });
    const alert = (alertname: string, labels: Record<string, string>) => ({
      labels: { alertname, ...labels },
      annotations: { summary: `${alertname} summary` },
      startsAt: new Date(Date.now() - 60_000).toISOString(),
    });
    await postAlerts(server, [
      alert("PaymentsDown", { team: "payments", service: "payments", severity: "critical" }),
      alert("SearchDown", { team: "search", service: "search", severity: "critical" }),
      alert("PaymentsSlow", { team: "payments", service: "payments", severity: "warning" }),
    ]);
    await deliveredTo(server, "both pages", () => events().length >= 2);
  }, 45_000);

  afterAll(async () => {
    await group.stopAll();
    await http.stop();
  });

  it("pages the team's service with the team's key, and the stack's service with the stack's, once each", () => {
    const paged = events().map((e) => [
      e.routing_key,
      e.event_action,
      e.payload.summary.includes("PaymentsDown") ? "PaymentsDown" : e.payload.summary.includes("SearchDown") ? "SearchDown" : e.payload.summary,
    ]);
    expect(paged.sort()).toEqual([
      [paymentsKey, "trigger", "PaymentsDown"],
      [stackKey, "trigger", "SearchDown"],
    ]);
  });

  it("pages no one for the team's warning, which still reaches the team's channel", () => {
    expect(JSON.stringify(events())).not.toContain("PaymentsSlow");
    expect(JSON.stringify(http.slack("#team-payments"))).toContain("PaymentsSlow");
  });
});
