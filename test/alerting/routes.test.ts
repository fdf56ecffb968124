/**
 * Pure tests of the route tree, inhibit rules, maintenance windows and the
 * template files alertmanager.yml refers to.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { AmConfig, AmRoute } from "../../components/alerting/amconfig";
import { renderAlertmanagerConfig } from "../../components/alerting/render";
import { heartbeatGroupInterval } from "../../components/alerting/routes";
import { configPaths } from "../../model/conventions";
import { alertmanagerUrl, renderInput } from "./fixtures";

const teams = [{ name: "payments", slackChannel: "#team-payments" }];
const configOf = (notifications: unknown = {}, routing: unknown = { teams }, secrets: string[] = []): AmConfig =>
  parse(renderAlertmanagerConfig(renderInput(notifications, routing, secrets)).files["alertmanager.yml"]) as AmConfig;
const routeTo = (cfg: AmConfig, receiver: string): AmRoute => {
  const found = cfg.route.routes?.find((r) => r.receiver === receiver);
  if (!found) throw new Error(`no top-level route to ${receiver}`);
  return found;
};

describe("route tree", () => {
  it("tries Watchdog, security, teams, then severities, falling back to 'default'", () => {
    const cfg = configOf();
    expect(cfg.route.receiver).toBe("default");
    expect(cfg.route.group_by).toEqual(["alertname", "service"]);
    expect(cfg.route.routes?.map((r) => [r.receiver, r.matchers, r.continue ?? false])).toEqual([
      ["blackhole", ['alertname="Watchdog"'], false],
      ["security", ['category="security"'], false],
      ["team-payments", ['team="payments"'], true],
      ["critical", ['severity="critical"'], false],
      ["warning", ['severity="warning"'], false],
      ["info", ['severity="info"'], false],
    ]);
  });

  it("sends Watchdog to the heartbeat every interval when enabled, and never on to a person", () => {
    const cfg = configOf({ heartbeat: { enabled: true, interval: "2m" } }, {}, ["heartbeatUrl"]);
    expect(cfg.route.routes?.[0]).toEqual({
      receiver: "heartbeat",
      matchers: ['alertname="Watchdog"'],
      group_wait: "0s",
      // Ticks ten times per interval, so a beat is never a whole tick late (see heartbeatGroupInterval).
      group_interval: "12s",
      repeat_interval: "2m",
    });
  });

  it("times each severity from routing.timing, also below the team and security routes", () => {
    const timing = { critical: { groupWait: "5s", groupInterval: "30s", repeatInterval: "15m" }, info: { repeatInterval: "12h" } };
    const cfg = configOf({}, { teams, timing });
    expect(routeTo(cfg, "critical")).toMatchObject({ group_wait: "5s", group_interval: "30s", repeat_interval: "15m" });
    expect(routeTo(cfg, "warning")).toMatchObject({ group_wait: "30s", group_interval: "5m", repeat_interval: "4h" });
    expect(routeTo(cfg, "info")).toMatchObject({ group_wait: "1m", group_interval: "10m", repeat_interval: "12h" });
    for (const parent of ["team-payments", "security"])
      expect(routeTo(cfg, parent).routes?.map((r) => [r.matchers, r.group_wait, r.repeat_interval])).toEqual([
        [['severity="critical"'], "5s", "15m"],
        [['severity="warning"'], "30s", "4h"],
        [['severity="info"'], "1m", "12h"],
      ]);
  });

  it("gives each team its own receiver, in declaration order", () => {
    const cfg = configOf({}, { teams: [...teams, { name: "search", slackChannel: "#team-search" }] });
    expect(cfg.route.routes?.filter((r) => r.continue).map((r) => r.receiver)).toEqual(["team-payments", "team-search"]);
  });

  it("honours a custom group_by", () => {
    expect(configOf({}, { groupBy: ["alertname", "cluster"] }).route.group_by).toEqual(["alertname", "cluster"]);
  });
});

describe("inhibit rules", () => {
  it("silences symptoms of a critical alert, a down service, a down host and a fast SLO burn", () => {
    expect(configOf().inhibit_rules).toEqual([
      { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ["alertname", "service"] },
      {
        source_matchers: ['alertname="ServiceDown"', 'service=~".+"'],
        target_matchers: ['alertname!="ServiceDown"', 'alertname!="Watchdog"'],
        equal: ["service"],
      },
      { source_matchers: ['alertname="HostDown"', 'instance=~".+"'], target_matchers: ['alertname=~"Host.+"', 'alertname!="HostDown"'], equal: ["instance"] },
      {
        source_matchers: ['alertname="SLOErrorBudgetFastBurn"', 'slo=~".+"', 'service=~".+"'],
        target_matchers: ['alertname="SLOErrorBudgetSlowBurn"'],
        equal: ["slo", "service"],
      },
    ]);
  });
});

describe("maintenance windows", () => {
  const windows = [
    {
      name: "weekend-upgrades",
      intervals: [{ weekdays: ["sunday", "saturday"], times: [{ start: "02:00", end: "04:00" }], location: "Europe/Berlin" }],
      mutes: ["warning", "team:payments"],
    },
    { name: "december", intervals: [{ months: ["december"], daysOfMonth: ["24:26"], years: ["2030"] }], mutes: ["info", "security", "warning"] },
  ];

  it("become time_intervals with Alertmanager's field names", () => {
    expect(configOf({}, { teams, maintenanceWindows: windows }).time_intervals).toEqual([
      {
        name: "weekend-upgrades",
        time_intervals: [{ weekdays: ["saturday", "sunday"], times: [{ start_time: "02:00", end_time: "04:00" }], location: "Europe/Berlin" }],
      },
      { name: "december", time_intervals: [{ months: ["december"], days_of_month: ["24:26"], years: ["2030"], location: "UTC" }] },
    ]);
  });

  it("mute exactly the routes they name, including the severity routes below a team or security", () => {
    const cfg = configOf({}, { teams, maintenanceWindows: windows });
    const mutes = (r: AmRoute) => r.mute_time_intervals ?? [];
    expect(Object.fromEntries(cfg.route.routes?.map((r) => [r.receiver, mutes(r)]) ?? [])).toEqual({
      blackhole: [],
      security: ["december"],
      "team-payments": ["weekend-upgrades"],
      critical: [],
      warning: ["weekend-upgrades", "december"],
      info: ["december"],
    });
    expect(routeTo(cfg, "team-payments").routes?.map(mutes)).toEqual([["weekend-upgrades"], ["weekend-upgrades"], ["weekend-upgrades"]]);
    expect(routeTo(cfg, "security").routes?.map(mutes)).toEqual([["december"], ["december"], ["december"]]);
  });

  it("are left out entirely when none are declared", () => {
    expect(configOf()).not.toHaveProperty("time_intervals");
  });
});

describe("templates", () => {
  const art = renderAlertmanagerConfig(
    renderInput({ slack: { enabled: true }, pagerduty: { enabled: true }, email: { enabled: true, to: ["a@example.test"], from: "b@example.test", smarthost: "smtp:25" } }, {}, [
      "slackWebhookUrl",
      "pagerdutyRoutingKey",
    ]),
  );

  it("are loaded from the templates dir and written next to alertmanager.yml", () => {
    expect(parse(art.files["alertmanager.yml"]).templates).toEqual([`${configPaths.alertmanagerTemplatesDir}/*.tmpl`]);
    expect(Object.keys(art.files).sort()).toEqual([
      "alertmanager.yml",
      "templates/common.tmpl",
      "templates/email.tmpl",
      "templates/msteams.tmpl",
      "templates/opsgenie.tmpl",
      "templates/pagerduty.tmpl",
      "templates/slack.tmpl",
      "templates/sns.tmpl",
    ]);
  });

  it("define every template alertmanager.yml and the templates call", () => {
    const all = Object.values(art.files).join("\n");
    const called = new Set([...all.matchAll(/\{\{-? template "([^"]+)"/g)].map((m) => m[1]));
    const defined = new Set([...all.matchAll(/\{\{-? define "([^"]+)"/g)].map((m) => m[1]));
    expect([...called].filter((name) => !defined.has(name))).toEqual([]);
    expect(called.size).toBeGreaterThan(10);
  });

  it("link to the public Alertmanager for silences and carry runbook and dashboard annotations", () => {
    const common = art.files["templates/common.tmpl"];
    expect(common).toContain(`{{ define "watchpost.alertmanagerUrl" }}${alertmanagerUrl}{{ end }}`);
    expect(common).toContain("/#/silences/new?filter=");
    for (const file of ["templates/slack.tmpl", "templates/email.tmpl", "templates/pagerduty.tmpl", "templates/msteams.tmpl", "templates/opsgenie.tmpl"]) {
      expect(art.files[file], file).toContain(".Annotations.runbook_url");
      expect(art.files[file], file).toContain("watchpost.alert.dashboardUrl");
      expect(art.files[file], file).toContain("watchpost.alert.silenceUrl");
      expect(art.files[file], file).toContain(".Annotations.description");
      expect(art.files[file], file).toContain(".Labels.severity");
    }
  });

  it("refuse a URL that would open a template action", () => {
    expect(() => renderAlertmanagerConfig({ ...renderInput(), alertmanagerUrl: "https://am/{{ .X }}" })).toThrow(/alertmanagerUrl: got/);
  });
});

describe("heartbeat timing", () => {
  it.each([
    ["1m", "6s"],
    ["5m", "30s"],
    ["2s", "200ms"],
  ])("a %s heartbeat ticks every %s, so no beat waits a whole extra interval", (interval, tick) => {
    expect(heartbeatGroupInterval(interval)).toBe(tick);
  });
});
