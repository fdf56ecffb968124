/**
 * `watchpost:dashboards.folders[].permissions`: one good dev stack, then one mutation per problem,
 * each asserting its message (key path, value, what was expected and the fix), and the warning for
 * a closed folder nobody but the admins can open.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { parseStackConfig, type RawStackConfig } from "../../infra/config/validate";
import { planStack } from "../../infra/plan";
import { prodSecrets } from "../../harness/stacks";

const folder = (permissions: Record<string, unknown>) => ({
  name: "Payments",
  dashboards: [{ title: "Checkout", rows: [{ title: "Traffic", panels: [{ title: "Requests", queries: [{ expr: "sum(rate(http_requests_total[5m]))" }] }] }] }],
  permissions,
});
const dev = readStackFile(stackFilePath("dev"));
const withPermissions = (permissions: Record<string, unknown>, base: RawStackConfig = dev): RawStackConfig => ({
  ...base,
  values: { ...base.values, dashboards: { folders: [folder(permissions)] } },
});
const problemsOf = (raw: RawStackConfig, stack = "dev") => {
  try {
    parseStackConfig(stack, raw);
  } catch (error) {
    return (error as Error).message;
  }
  return "";
};

describe("folder permissions in the config", () => {
  it("accepts a team with members and fills in the defaults", () => {
    const { config, warnings } = parseStackConfig("dev", withPermissions({ team: "payments", members: ["ana@example.com"] }));
    expect(config.dashboards.folders[0].permissions).toEqual({ team: "payments", members: ["ana@example.com"], teamPermission: "Edit", orgViewers: true });
    expect(warnings.filter((w) => w.includes("permissions"))).toEqual([]);
    expect(planStack(config).grafana.access).toEqual({
      url: "http://127.0.0.1:3000",
      folders: [{ name: "Payments", uid: "folder-payments", permissions: config.dashboards.folders[0].permissions }],
    });
  });

  it("plans no access without permissions", () => {
    expect(planStack(parseStackConfig("dev", dev).config).grafana.access).toBeUndefined();
  });

  it.each([
    [
      "a team name with capitals",
      { team: "Payments" },
      /watchpost:dashboards.folders\[0\].permissions.team: got "Payments"; expected a Grafana team name such as payments: lower-case letters, digits and dashes/,
    ],
    [
      "a member that is not an e-mail address",
      { team: "payments", members: ["ana"] },
      /watchpost:dashboards.folders\[0\].permissions.members\[0\]: got "ana"; expected the e-mail address of a Grafana user, such as ana@example.com/,
    ],
    [
      "an unknown permission",
      { team: "payments", teamPermission: "Owner" },
      /watchpost:dashboards.folders\[0\].permissions.teamPermission: got "Owner"; expected View, Edit or Admin/,
    ],
    ["no team", { members: ["ana@example.com"] }, /watchpost:dashboards.folders\[0\].permissions.team: .*expected a Grafana team name such as payments/],
  ])("refuses %s, naming the key, the value and what is expected", (_, permissions, message) => {
    expect(problemsOf(withPermissions(permissions))).toMatch(message);
  });

  it("refuses permissions on Kubernetes without an Ingress, where Grafana's API has no address, before any resource exists", () => {
    const kind = readStackFile(path.resolve(__dirname, "../fixtures/Pulumi.kind.yaml"));
    expect(problemsOf(withPermissions({ team: "payments" }, kind), "kind")).toContain(
      'watchpost:dashboards.folders[0].permissions: got {"team":"payments"}; is set, but pulumi up sets folder permissions through Grafana\'s API at its Ingress host (https://grafana.<ingress.domain>), and ingress.domain is not set; set ingress.domain, or remove permissions',
    );
  });

  it("plans permissions on Kubernetes at Grafana's Ingress host, not grafana.rootUrl", () => {
    const prod = readStackFile(stackFilePath("prod"));
    const raw = withPermissions({ team: "payments" }, { values: { ...prod.values, grafana: { rootUrl: "https://proxy.example.com/grafana" } }, secrets: new Set(prodSecrets) });
    const { config } = parseStackConfig("prod", raw);
    expect(planStack(config).grafana.access?.url).toBe(`https://grafana.${config.ingress.domain}`);
  });

  it("warns when a team without members has only folders closed to the org", () => {
    const { warnings } = parseStackConfig("dev", withPermissions({ team: "payments", orgViewers: false }));
    expect(warnings).toContain(
      "watchpost:dashboards.folders[0].permissions: team payments has no members and its folders have orgViewers: false, so only Grafana's admins can open them; list the team's e-mail addresses under members",
    );
    expect(
      parseStackConfig("dev", withPermissions({ team: "payments", orgViewers: false, members: ["ana@example.com"] })).warnings.filter((w) => w.includes("permissions")),
    ).toEqual([]);
  });
});
