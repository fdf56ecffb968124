/**
 * notifications.pagerduty.managed on the prod stack under Pulumi mocks: the stack creates the PagerDuty
 * policy, service and Events API v2 integration, and the Alertmanager's credentials Secret carries the
 * integration's key as pagerdutyRoutingKey, a secret; no routing key is read from config.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { ConfigError, formatProblems, parseStackConfig } from "../infra/config/validate";
import { runStack } from "../harness/pulumi-mocks";
import { prodSecrets } from "../harness/stacks";

const secretValue = (key: string) => `SECRET-VALUE-OF-${key}`;
const managed = {
  levels: [
    { escalateAfterMinutes: 5, schedules: ["PSCHED1"] },
    { escalateAfterMinutes: 15, users: ["PLEAD01"] },
    { escalateAfterMinutes: 30, users: ["PCTO001"] },
  ],
};
const raw = readStackFile(stackFilePath("prod"));
const values = (pagerduty: Record<string, unknown>) => ({
  ...raw.values,
  notifications: { ...(raw.values.notifications as Record<string, unknown>), pagerduty },
});
const withoutKey = prodSecrets.filter((k) => k !== "pagerdutyRoutingKey");

describe("prod stack with a managed PagerDuty service", () => {
  let run: Awaited<ReturnType<typeof runStack>>;
  beforeAll(async () => {
    run = await runStack("prod", { values: values({ enabled: true, managed }), secrets: new Set(withoutKey) }, secretValue);
  }, 60_000);

  it("creates the policy with the levels' delays, the service on it and the Events API v2 integration", () => {
    expect(run.one("pagerduty:index/escalationPolicy:EscalationPolicy", "pagerduty-watchpost-policy").inputs.rules).toEqual([
      { escalationDelayInMinutes: 5, targets: [{ type: "schedule_reference", id: "PSCHED1" }] },
      { escalationDelayInMinutes: 15, targets: [{ type: "user_reference", id: "PLEAD01" }] },
      { escalationDelayInMinutes: 30, targets: [{ type: "user_reference", id: "PCTO001" }] },
    ]);
    expect(run.one("pagerduty:index/service:Service", "pagerduty-watchpost-service").inputs).toMatchObject({
      name: "prod-watchpost",
      escalationPolicy: "pagerduty-watchpost-policy-id",
    });
    expect(run.one("pagerduty:index/serviceIntegration:ServiceIntegration", "pagerduty-watchpost-events").inputs).toMatchObject({
      type: "events_api_v2_inbound_integration",
      service: "pagerduty-watchpost-service-id",
    });
  });

  it("mounts the integration's key as the routing key file, as a secret", () => {
    const credentials = run.one("kubernetes:core/v1:Secret", "alerting-credentials");
    expect(credentials.secretInputs).toContain("stringData");
    expect(credentials.inputs.stringData.pagerdutyRoutingKey).toBe("INTEGRATION-KEY-OF-pagerduty-watchpost-events");
    expect(JSON.stringify(run.resources.map((r) => r.inputs))).not.toContain("SECRET-VALUE-OF-pagerdutyRoutingKey");
  });
});

describe("notifications.pagerduty.managed refused", () => {
  const message = (pagerduty: Record<string, unknown>, secrets: readonly string[]) => {
    try {
      parseStackConfig("prod", { values: values(pagerduty), secrets: new Set(secrets) });
    } catch (error) {
      if (error instanceof ConfigError) return formatProblems("prod", error.problems);
      throw error;
    }
    return "";
  };

  it.each<[string, Record<string, unknown>, readonly string[], string]>([
    [
      "with the routing key secret set too",
      { enabled: true, managed },
      prodSecrets,
      'watchpost:notifications.pagerduty.managed: got "set"; is set, so the routing key is the managed service\'s integration key, but the secret watchpost:pagerdutyRoutingKey is set too',
    ],
    ["without PagerDuty enabled", { enabled: false, managed }, withoutKey, 'watchpost:notifications.pagerduty.managed: got "set"; is set but PagerDuty is not enabled'],
    ["a level with no one to page", { enabled: true, managed: { levels: [{ escalateAfterMinutes: 5 }] } }, withoutKey, "watchpost:notifications.pagerduty.managed.levels[0]: got"],
    [
      "a user id that is not one",
      { enabled: true, managed: { levels: [{ escalateAfterMinutes: 5, users: ["lead@example.com"] }] } },
      withoutKey,
      "expected a PagerDuty id such as PABC123",
    ],
  ])("%s", (_, pagerduty, secrets, words) => {
    expect(message(pagerduty, secrets)).toContain(words);
  });

  it("without managed, still needs the routing key secret", () => {
    expect(message({ enabled: true }, withoutKey)).toContain(
      "watchpost:notifications.pagerduty.enabled: got true; PagerDuty is enabled but the secret watchpost:pagerdutyRoutingKey is not set",
    );
  });
});

const teamValues = (teams: unknown[], pagerduty: Record<string, unknown> = { enabled: true }) => ({
  ...values(pagerduty),
  routing: { ...(raw.values.routing as Record<string, unknown>), teams },
});
const paymentsLevels = [{ escalateAfterMinutes: 10, schedules: ["PSCHED9"] }];

/** The teams of the README's example under "A team's own PagerDuty service". */
function readmeTeams(): unknown[] {
  const readme = readFileSync(join(__dirname, "../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### A team's own PagerDuty service"));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error("README.md: no yaml block under 'A team's own PagerDuty service'");
  return (parse(block) as { "watchpost:routing": { teams: unknown[] } })["watchpost:routing"].teams;
}

describe("prod stack with the README's teams paging their own PagerDuty services", () => {
  let run: Awaited<ReturnType<typeof runStack>>;
  beforeAll(async () => {
    const teams = [{ name: "platform", slackChannel: "#team-platform" }, ...readmeTeams()];
    run = await runStack("prod", { values: teamValues(teams), secrets: new Set([...prodSecrets, "pagerdutyRoutingKeySearch"]) }, secretValue);
  }, 60_000);

  it("creates a policy, a service and an integration for the managed team only", () => {
    expect(run.resources.filter((r) => r.type.startsWith("pagerduty:")).map((r) => `${r.type} ${r.name}`)).toEqual(
      expect.arrayContaining([
        "pagerduty:index/escalationPolicy:EscalationPolicy pagerduty-payments-policy",
        "pagerduty:index/service:Service pagerduty-payments-service",
        "pagerduty:index/serviceIntegration:ServiceIntegration pagerduty-payments-events",
      ]),
    );
    expect(run.resources.filter((r) => r.type.startsWith("pagerduty:index/service:"))).toHaveLength(1);
    expect(run.one("pagerduty:index/escalationPolicy:EscalationPolicy", "pagerduty-payments-policy").inputs).toMatchObject({
      name: "prod-payments (Watchpost)",
      teams: "PPAYTM1",
      rules: [
        { escalationDelayInMinutes: 5, targets: [{ type: "schedule_reference", id: "PPAYON1" }] },
        { escalationDelayInMinutes: 15, targets: [{ type: "user_reference", id: "PPAYLD1" }] },
      ],
    });
    expect(run.one("pagerduty:index/service:Service", "pagerduty-payments-service").inputs.name).toBe("prod-payments");
  });

  it("mounts each team's key beside the stack's: the managed one's integration key, the other's secret", () => {
    const credentials = run.one("kubernetes:core/v1:Secret", "alerting-credentials");
    expect(credentials.secretInputs).toContain("stringData");
    expect(credentials.inputs.stringData).toMatchObject({
      pagerdutyRoutingKey: "SECRET-VALUE-OF-pagerdutyRoutingKey",
      pagerdutyRoutingKeyPayments: "INTEGRATION-KEY-OF-pagerduty-payments-events",
      pagerdutyRoutingKeySearch: "SECRET-VALUE-OF-pagerdutyRoutingKeySearch",
    });
    expect(credentials.inputs.stringData.pagerdutyRoutingKeyPlatform).toBeUndefined();
  });
});

describe("routing.teams[].pagerduty refused", () => {
  const message = (teams: unknown[], secrets: readonly string[], pagerduty?: Record<string, unknown>) => {
    try {
      parseStackConfig("prod", { values: teamValues(teams, pagerduty), secrets: new Set(secrets) });
    } catch (error) {
      if (error instanceof ConfigError) return formatProblems("prod", error.problems);
      throw error;
    }
    return "";
  };
  const own = { name: "payments", slackChannel: "#team-payments", pagerduty: {} };
  const managedTeam = { ...own, pagerduty: { managed: { levels: paymentsLevels } } };

  it.each<[string, unknown[], readonly string[], Record<string, unknown> | undefined, string]>([
    [
      "without the team's routing key",
      [own],
      prodSecrets,
      undefined,
      "watchpost:routing.teams[0].pagerduty: got \"set\"; the team payments's own service needs its routing key; set it with: pulumi config set --secret watchpost:pagerdutyRoutingKeyPayments <PagerDuty Events v2 routing key of the team payments's own service",
    ],
    [
      "managed, with the team's routing key set too",
      [managedTeam],
      [...prodSecrets, "pagerdutyRoutingKeyPayments"],
      undefined,
      "watchpost:routing.teams[0].pagerduty.managed: got \"set\"; is set, so the team's routing key is the managed service's integration key, but the secret watchpost:pagerdutyRoutingKeyPayments is set too",
    ],
    [
      "without PagerDuty enabled",
      [own],
      [...withoutKey, "pagerdutyRoutingKeyPayments"],
      { enabled: false },
      'watchpost:routing.teams[0].pagerduty: got "set"; is set but PagerDuty is not enabled',
    ],
    [
      "a team key no team reads",
      [{ name: "payments", slackChannel: "#team-payments" }],
      [...prodSecrets, "pagerdutyRoutingKeyPayments"],
      undefined,
      "watchpost:pagerdutyRoutingKeyPayments: is the routing key of a team named payments, but no routing.teams[] entry by that name has pagerduty without managed (teams reading a key of their own: none)",
    ],
    [
      "a managed team named like the stack's managed service",
      [{ ...managedTeam, name: "watchpost" }],
      withoutKey,
      { enabled: true, managed },
      'watchpost:routing.teams[0].name: got "watchpost"; names the PagerDuty service prod-watchpost, which notifications.pagerduty.managed creates for the whole stack',
    ],
  ])("%s", (_, teams, secrets, pagerduty, words) => {
    expect(message(teams, secrets, pagerduty)).toContain(words);
  });

  it("a team key given in plain text is refused as a credential", () => {
    expect(() =>
      parseStackConfig("prod", { values: { ...teamValues([own]), pagerdutyRoutingKeyPayments: "abc" }, secrets: new Set([...prodSecrets, "pagerdutyRoutingKeyPayments"]) }),
    ).toThrow(/watchpost:pagerdutyRoutingKeyPayments: is a credential and is stored in plain text/);
  });
});
