/**
 * A custom alert that names a `service:` reaches that service's team, as the
 * built-in alerts do: the README's own business-alert example, rendered to a
 * rule and routed by the real amtool through a config with the team declared.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildRuleFiles } from "../../components/catalogue";
import { alertsSpec } from "../../rules/spec";
import { minimalContext } from "../rules/fixtures";
import { built, tool } from "../support/tools";
import { renderAndWrite, renderInput } from "./fixtures";

const amtool = tool("amtool");

/** The `watchpost:alerts` block under "Adding a business alert" in README.md. */
function readmeBusinessAlert(): unknown {
  const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("**Adding a business alert.**"));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error("README.md: no yaml block under 'Adding a business alert'");
  return (parse(block) as Record<string, unknown>)["watchpost:alerts"];
}

function renderedLabels(): Record<string, string> {
  const ctx = minimalContext({
    services: [
      { name: "api", team: "platform", slos: [] },
      { name: "payments", team: "payments", slos: [] },
    ],
    alerts: alertsSpec.parse(readmeBusinessAlert()),
  });
  for (const file of buildRuleFiles(ctx))
    for (const group of file.groups) for (const rule of group.rules) if ("alert" in rule && rule.alert === "PaymentFailureRateHigh") return rule.labels;
  throw new Error("PaymentFailureRateHigh not rendered");
}

describe("a custom alert with service: carries the service's team", () => {
  it("the README's example gets team=payments from watchpost:services[].team", () => {
    expect(renderedLabels()).toEqual({ service: "payments", team: "payments", severity: "critical" });
  });

  it.skipIf(!amtool)(`and amtool routes it to the team's receiver first (${built("amtool")})`, () => {
    const { configFile } = renderAndWrite(renderInput({}, { teams: [{ name: "payments", slackChannel: "#team-payments" }] }));
    const labels = Object.entries({ alertname: "PaymentFailureRateHigh", ...renderedLabels() }).map(([k, v]) => `${k}=${v}`);
    const out = execFileSync(amtool as string, ["config", "routes", "test", `--config.file=${configFile}`, ...labels], { encoding: "utf8" });
    expect(out.trim().split(",")).toEqual(["team-payments", "critical"]);
  });
});
