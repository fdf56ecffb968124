/**
 * Live drill: the real Alertmanager runs the rendered config with every
 * channel pointed at local sinks. Alerts go in through the v2 API; the test
 * checks who was notified, with what, and who was not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderAlertmanagerConfig } from "../../components/alerting/render";
import { ProcessGroup, waitFor } from "../../harness/processes";
import { built, tool } from "../support/tools";
import { type RunningAlertmanager, type TestAlert, postAlerts, sleep, startAlertmanager } from "./alertmanager";
import { renderInput, writeArtifacts } from "./fixtures";
import { HttpSink, SmtpSink } from "../../drill/sinks";

const am = tool("alertmanager");
const amtool = tool("amtool");
const runbook = (name: string) => `https://runbooks.example.test/${name}`;
const smtpUser = "alertmanager";
// Test-only credentials: they exist to prove Alertmanager reads them from files.
const smtpPassword = "smtp-test-password-7f3a";
const routingKey = "pd-test-routing-key-0001";
const opsgenieKey = "og-test-api-key-0001";

function alert(alertname: string, labels: Record<string, string>, extra: Partial<TestAlert> = {}): TestAlert {
  return {
    labels: { alertname, ...labels },
    annotations: {
      summary: `${alertname} summary`,
      description: `${alertname} description`,
      runbook_url: runbook(alertname),
      dashboard_url: "https://grafana.example.test/d/watchpost-service-health",
    },
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    ...extra,
  };
}

// Critical sources and the warning symptoms each of them inhibits.
const apiCritical = alert("ApiErrorRateHigh", { service: "api", severity: "critical" });
const sources = [
  apiCritical,
  alert("ServiceDown", { service: "checkout", severity: "critical" }),
  alert("HostDown", { instance: "node1:9100", severity: "critical" }),
  alert("SLOErrorBudgetFastBurn", { service: "search", slo: "availability", severity: "critical" }),
];
const inhibited = [
  alert("ApiErrorRateHigh", { service: "api", severity: "warning" }),
  alert("CheckoutLatencyHigh", { service: "checkout", severity: "warning" }),
  alert("HostDiskFull", { instance: "node1:9100", severity: "warning" }),
  alert("SLOErrorBudgetSlowBurn", { service: "search", slo: "availability", severity: "warning" }),
];
const teamWarning = alert("PaymentsQueueBacklog", { service: "payments", severity: "warning", team: "payments" });
const security = alert("SshBruteForce", { category: "security", severity: "critical", instance: "bastion:22" });
const mutedInfo = alert("SearchIndexStale", { service: "search", severity: "info" });
const watchdog = alert("Watchdog", { severity: "none" });

describe.skipIf(!am || !amtool)(`live Alertmanager with local sinks (${built("alertmanager")})`, () => {
  const group = new ProcessGroup();
  const http = new HttpSink();
  const smtp = new SmtpSink(smtpUser, smtpPassword);
  let server: RunningAlertmanager;
  const allText = (path: string) =>
    http
      .at(path)
      .map((d) => JSON.stringify(d.body))
      .join("\n");
  const opsgenieAlerts = () => http.at("/opsgenie/v2/alerts");
  const opsgenieText = () =>
    http.deliveries
      .filter((d) => d.path.startsWith("/opsgenie/"))
      .map((d) => JSON.stringify(d.body))
      .join("\n");
  // A Teams card: a bold title block, then the text block.
  const teamsCards = () =>
    http.at("/msteams").map((d) => ({ title: d.body.attachments[0].content.body[0].text as string, text: d.body.attachments[0].content.body[1].text as string }));
  const everythingSent = () =>
    [allText("/slack"), allText("/pagerduty"), opsgenieText(), allText("/msteams"), allText("/webhook"), smtp.mails.map((m) => m.text).join("\n")].join("\n");

  beforeAll(async () => {
    await Promise.all([http.start(), smtp.start()]);
    // Short timings come from the spec's own fields, as a stack would set them.
    const fast = { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" };
    const input = renderInput(
      {
        email: { enabled: true, to: ["oncall@example.test"], from: "alertmanager@example.test", smarthost: `127.0.0.1:${smtp.port}`, username: smtpUser, requireTls: false },
        slack: { enabled: true },
        pagerduty: { enabled: true, url: http.url("/pagerduty") },
        opsgenie: { enabled: true, url: http.url("/opsgenie") },
        msteams: { enabled: true },
        webhook: { enabled: true },
        heartbeat: { enabled: true, interval: "2s" },
      },
      {
        timing: { critical: fast, warning: fast, info: fast },
        teams: [{ name: "payments", slackChannel: "#team-payments", email: ["payments@example.test"] }],
        security: { email: ["security@example.test"] },
        maintenanceWindows: [{ name: "always", intervals: [{ times: [{ start: "00:00", end: "24:00" }] }], mutes: ["info"] }],
      },
      ["slackWebhookUrl", "pagerdutyRoutingKey", "opsgenieApiKey", "msteamsWebhookUrl", "smtpPassword", "webhookUrl", "heartbeatUrl"],
    );
    const written = writeArtifacts(renderAlertmanagerConfig(input), {
      slackWebhookUrl: http.url("/slack"),
      pagerdutyRoutingKey: routingKey,
      opsgenieApiKey: opsgenieKey,
      msteamsWebhookUrl: http.url("/msteams"),
      smtpPassword,
      webhookUrl: http.url("/webhook"),
      heartbeatUrl: http.url("/heartbeat"),
    });
    server = await startAlertmanager(group, am as string, { name: "alertmanager", configFile: written.configFile, dir: written.dir });
    // Sources first: the inhibitor must know them before the alerts they silence arrive,
    // or a loaded machine can flush a target's group before the source is indexed.
    await postAlerts(server, sources);
    await waitFor("the inhibiting alerts to be stored", async () => {
      const res = await fetch(`${server.externalUrl}/api/v2/alerts`);
      const stored = (await res.json()) as unknown[];
      return stored.length >= sources.length ? true : undefined;
    });
    await sleep(500);
    await postAlerts(server, [...inhibited, teamWarning, security, mutedInfo, watchdog]);
    // Everything expected has arrived...
    await waitFor("the first notifications", async () =>
      http.slack("#critical-alerts").length >= 4 &&
      http.at("/pagerduty").length >= 4 &&
      opsgenieAlerts().length >= 4 &&
      http.at("/msteams").length >= 5 &&
      smtp.to("oncall@example.test").length >= 5 &&
      http.slack("#security-alerts").length >= 1 &&
      http.at("/heartbeat").length >= 2
        ? true
        : undefined,
    );
    // ...and a few more group intervals pass, so anything that should not arrive has had its chance.
    await sleep(3000);
  }, 45_000);

  afterAll(async () => {
    await group.stopAll();
    await Promise.all([http.stop(), smtp.stop()]);
  });

  it("pages PagerDuty once per critical group, with the routing key from its file and the runbook in the details", () => {
    const events = http.at("/pagerduty").map((d) => d.body);
    expect(events.map((e) => e.payload.custom_details.runbook).sort()).toEqual(sources.map((s) => s.annotations?.runbook_url).sort());
    for (const e of events) {
      expect(e).toMatchObject({ routing_key: routingKey, event_action: "trigger", payload: { severity: "critical" } });
      expect(e.payload.summary).toMatch(/^\[FIRING:1\] \w+/);
      expect(e.payload.custom_details.silence).toContain("https://alertmanager.example.test/#/silences/new?filter=");
    }
  });

  it("pages Opsgenie once per critical group, with the API key from its file, priority P1 and the runbook in the details", () => {
    const created = opsgenieAlerts();
    expect(created.map((d) => d.body.details.runbook).sort()).toEqual(sources.map((s) => s.annotations?.runbook_url).sort());
    for (const d of created) {
      expect(d.authorization).toBe(`GenieKey ${opsgenieKey}`);
      expect(d.body).toMatchObject({ priority: "P1", source: "Watchpost Alertmanager (test)", details: { severity: "critical", environment: "test" } });
      expect(d.body.message).toMatch(/^\[FIRING:1\] \w+/);
      expect(d.body.description).toContain("dashboard: https://grafana.example.test/d/watchpost-service-health");
      expect(d.body.details.silence).toContain("https://alertmanager.example.test/#/silences/new?filter=");
    }
  });

  it("posts to Teams what reaches Slack's general channels: the critical groups and the team's warning", () => {
    const cards = teamsCards();
    expect(cards.map((c) => c.title).sort()).toEqual([
      "[FIRING:1] ApiErrorRateHigh api (test)",
      "[FIRING:1] HostDown (test)",
      "[FIRING:1] PaymentsQueueBacklog payments (test)",
      "[FIRING:1] SLOErrorBudgetFastBurn search (test)",
      "[FIRING:1] ServiceDown checkout (test)",
    ]);
    for (const s of [...sources, teamWarning])
      expect(
        cards.some((c) => c.text.includes(`[Runbook](${runbook(s.labels.alertname)})`)),
        s.labels.alertname,
      ).toBe(true);
    expect(cards.every((c) => c.text.includes("[Silence this group](https://alertmanager.example.test/#/silences/new?filter="))).toBe(true);
  });

  it("posts critical alerts to #critical-alerts and the team's warning to its channel and #alerts", () => {
    const text = (channel: string) => http.slack(channel).map((m) => m.attachments[0].text as string);
    expect(text("#critical-alerts").length).toBe(4);
    for (const s of sources) expect(text("#critical-alerts").some((t) => t.includes(`<${runbook(s.labels.alertname)}|Runbook>`))).toBe(true);
    expect(text("#team-payments")).toEqual([expect.stringContaining(`<${runbook("PaymentsQueueBacklog")}|Runbook>`)]);
    expect(text("#alerts")).toEqual([expect.stringContaining("PaymentsQueueBacklog summary")]);
    expect(http.slack("#critical-alerts")[0].attachments[0].color).toBe("danger");
  });

  it("emails on-call, the team and security, authenticating with the password from its file", () => {
    expect(smtp.authFailures).toEqual([]);
    const subjects = (to: string) =>
      smtp
        .to(to)
        .map((m) => /^Subject: (.*)$/m.exec(m.text)?.[1])
        .sort();
    expect(subjects("oncall@example.test")).toEqual([
      "[FIRING:1] ApiErrorRateHigh api (test)",
      "[FIRING:1] HostDown (test)",
      "[FIRING:1] PaymentsQueueBacklog payments (test)",
      "[FIRING:1] SLOErrorBudgetFastBurn search (test)",
      "[FIRING:1] ServiceDown checkout (test)",
    ]);
    expect(subjects("payments@example.test")).toEqual(["[FIRING:1] PaymentsQueueBacklog payments (test)"]);
    expect(subjects("security@example.test")).toEqual(["[FIRING:1] SshBruteForce (test)"]);
    const mail = smtp.to("security@example.test")[0].text;
    expect(mail).toContain(`<a href="${runbook("SshBruteForce")}">Runbook</a>`);
    expect(mail).toContain(`Runbook: ${runbook("SshBruteForce")}`);
  });

  it("keeps security alerts out of the general channels and the generic webhook", () => {
    expect(http.slack("#security-alerts").map((m) => m.attachments[0].text)).toEqual([expect.stringContaining(`<${runbook("SshBruteForce")}|Runbook>`)]);
    expect([allText("/webhook"), allText("/pagerduty"), opsgenieText(), allText("/msteams"), JSON.stringify(http.slack("#critical-alerts"))].join()).not.toContain("SshBruteForce");
  });

  it("delivers nothing for inhibited alerts (critical sibling, ServiceDown, HostDown, fast SLO burn)", () => {
    const sent = everythingSent();
    for (const name of ["CheckoutLatencyHigh", "HostDiskFull", "SLOErrorBudgetSlowBurn"]) expect(sent, name).not.toContain(name);
    const warningApi = http
      .at("/webhook")
      .flatMap((d) => d.body.alerts)
      .filter((a: any) => a.labels.alertname === "ApiErrorRateHigh" && a.labels.severity === "warning");
    expect(warningApi).toEqual([]);
  });

  it("delivers nothing for the info route muted by an always-on maintenance window", () => {
    expect(http.slack("#alerts-info")).toEqual([]);
    expect(everythingSent()).not.toContain("SearchIndexStale");
  });

  it("sends the Watchdog to the heartbeat every interval and to nobody else", () => {
    const beats = http.at("/heartbeat");
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(beats.every((b) => b.body.alerts.every((a: any) => a.labels.alertname === "Watchdog"))).toBe(true);
    // Repeats follow the 2s interval: not every 200ms group tick, and not every other interval.
    const gaps = beats.slice(1).map((b, i) => b.at - beats[i].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1500);
    expect(Math.max(...gaps)).toBeLessThan(3000);
    expect(everythingSent()).not.toContain("Watchdog");
  });

  it("sends resolved notifications to PagerDuty, Opsgenie, Slack, Teams, email and the webhook", async () => {
    await postAlerts(server, [{ ...apiCritical, endsAt: new Date(Date.now() - 1000).toISOString() }]);
    const opsgenieClose = () => http.deliveries.find((d) => /^\/opsgenie\/v2\/alerts\/\w+\/close\?identifierType=alias$/.test(d.path));
    const resolvedTeams = () => teamsCards().find((c) => c.title === "[RESOLVED] ApiErrorRateHigh api (test)");
    const resolvedMail = () => smtp.to("oncall@example.test").find((m) => m.text.includes("Subject: [RESOLVED] ApiErrorRateHigh api (test)"));
    await waitFor("resolved notifications", async () =>
      http.at("/pagerduty").some((d) => d.body.event_action === "resolve") &&
      opsgenieClose() &&
      resolvedTeams() &&
      resolvedMail() &&
      http.at("/webhook").some((d) => d.body.status === "resolved")
        ? true
        : undefined,
    );
    const resolvedSlack = http.slack("#critical-alerts").find((m) => m.attachments[0].title.startsWith("[RESOLVED]"));
    expect(resolvedSlack?.attachments[0]).toMatchObject({ color: "good", text: expect.stringContaining(`<${runbook("ApiErrorRateHigh")}|Runbook>`) });
    expect(resolvedMail()?.text).toContain(`Runbook: ${runbook("ApiErrorRateHigh")}`);
    expect(opsgenieClose()).toMatchObject({ authorization: `GenieKey ${opsgenieKey}`, body: { source: "Watchpost Alertmanager (test)" } });
    expect(resolvedTeams()?.text).toContain(`[Runbook](${runbook("ApiErrorRateHigh")})`);
    const hook = http.at("/webhook").find((d) => d.body.status === "resolved")?.body;
    expect(hook.alerts[0]).toMatchObject({
      status: "resolved",
      labels: { alertname: "ApiErrorRateHigh", severity: "critical" },
      annotations: { runbook_url: runbook("ApiErrorRateHigh") },
    });
  });
});
