/**
 * PagerDutyEscalation under Pulumi mocks: per team exactly a policy with the levels and delays given, a
 * service on it that creates alerts, and an Events API v2 integration whose key comes back as a secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { PagerDutyEscalation } from "../components/pagerduty/index";
import { type PagerDutyTeam, pagerDutyTeamProblems } from "../components/pagerduty/plan";
import { lookups, outputValue } from "../harness/pulumi-mocks";

interface Made {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

const teams: PagerDutyTeam[] = [
  // On-call rotation 5 min, the DevOps lead 15 min, then the CTO.
  {
    name: "payments",
    levels: [
      { escalateAfterMinutes: 5, schedules: ["PSCHED1"] },
      { escalateAfterMinutes: 15, users: ["PLEAD01"] },
      { escalateAfterMinutes: 30, users: ["PCTO001"] },
    ],
    numLoops: 1,
  },
  { name: "search", levels: [{ escalateAfterMinutes: 10, users: ["PUSER01", "PUSER02"], schedules: ["PSCHED2"] }], teamId: "PTEAM01" },
];

describe("PagerDutyEscalation", () => {
  const made: Made[] = [];
  let keys: Record<string, pulumi.Output<string>> = {};

  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          made.push({ type: args.type, name: args.name, inputs: args.inputs });
          const state = args.type === "pagerduty:index/serviceIntegration:ServiceIntegration" ? { ...args.inputs, integrationKey: `key-of-${args.name}` } : args.inputs;
          return { id: `${args.name}-id`, state };
        },
        call: (args) => args.inputs,
      },
      "watchpost",
      "prod",
      false,
    );
    const component = new PagerDutyEscalation("paging", { teams, environment: "prod" });
    keys = component.routingKeys;
    await outputValue(pulumi.all(Object.values(keys)));
  });

  it("creates exactly a policy, a service and an Events API v2 integration per team", () => {
    // Registration order across teams is the engine's; the set is what is asserted.
    expect(made.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "pagerduty:index/escalationPolicy:EscalationPolicy paging-payments-policy",
      "pagerduty:index/escalationPolicy:EscalationPolicy paging-search-policy",
      "pagerduty:index/service:Service paging-payments-service",
      "pagerduty:index/service:Service paging-search-service",
      "pagerduty:index/serviceIntegration:ServiceIntegration paging-payments-events",
      "pagerduty:index/serviceIntegration:ServiceIntegration paging-search-events",
      "watchpost:pagerduty:PagerDutyEscalation paging",
    ]);
  });

  it("writes each level's delay and targets, in order, into the policy", () => {
    const { one } = lookups(made);
    expect(one("pagerduty:index/escalationPolicy:EscalationPolicy", "paging-payments-policy").inputs).toEqual({
      name: "prod-payments (Watchpost)",
      description: "Escalation of payments's alerts from Watchpost (prod); managed by Pulumi.",
      numLoops: 1,
      rules: [
        { escalationDelayInMinutes: 5, targets: [{ type: "schedule_reference", id: "PSCHED1" }] },
        { escalationDelayInMinutes: 15, targets: [{ type: "user_reference", id: "PLEAD01" }] },
        { escalationDelayInMinutes: 30, targets: [{ type: "user_reference", id: "PCTO001" }] },
      ],
    });
    expect(one("pagerduty:index/escalationPolicy:EscalationPolicy", "paging-search-policy").inputs).toMatchObject({
      numLoops: 0,
      teams: "PTEAM01",
      rules: [
        {
          escalationDelayInMinutes: 10,
          targets: [
            { type: "user_reference", id: "PUSER01" },
            { type: "user_reference", id: "PUSER02" },
            { type: "schedule_reference", id: "PSCHED2" },
          ],
        },
      ],
    });
  });

  it("puts the service on its team's policy and the Events API v2 integration on the service", () => {
    const { one } = lookups(made);
    expect(one("pagerduty:index/service:Service", "paging-payments-service").inputs).toEqual({
      name: "prod-payments",
      description: "payments's alerts from Watchpost's Alertmanager (prod); managed by Pulumi.",
      alertCreation: "create_alerts_and_incidents",
      escalationPolicy: "paging-payments-policy-id",
    });
    expect(one("pagerduty:index/serviceIntegration:ServiceIntegration", "paging-payments-events").inputs).toEqual({
      name: "Watchpost Alertmanager (Events API v2)",
      type: "events_api_v2_inbound_integration",
      service: "paging-payments-service-id",
    });
  });

  it("returns each team's routing key as a secret", async () => {
    expect(Object.keys(keys)).toEqual(["payments", "search"]);
    expect(await outputValue(keys.payments)).toBe("key-of-paging-payments-events");
    expect(await pulumi.isSecret(keys.payments)).toBe(true);
    expect(await pulumi.isSecret(keys.search)).toBe(true);
  });
});

describe("PagerDuty teams refused before any resource exists", () => {
  it.each<[string, PagerDutyTeam, string]>([
    ["no level", { name: "payments", levels: [] }, "teams[0].levels: got []; expected at least one level"],
    ["no one to page", { name: "payments", levels: [{ escalateAfterMinutes: 5 }] }, "teams[0].levels[0]: no one to page; expected at least one id under users or schedules"],
    [
      "a delay of 0",
      { name: "payments", levels: [{ escalateAfterMinutes: 0, users: ["P1"] }] },
      "teams[0].levels[0].escalateAfterMinutes: got 0; expected a whole number of minutes, at least 1",
    ],
    ["too many loops", { name: "payments", levels: [{ escalateAfterMinutes: 5, users: ["P1"] }], numLoops: 10 }, "teams[0].numLoops: got 10; expected a whole number from 0 to 9"],
  ])("%s", (_, team, words) => {
    expect(pagerDutyTeamProblems([team]).join("\n")).toContain(words);
  });
});
