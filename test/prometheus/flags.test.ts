import { describe, expect, it } from "vitest";
import { alertForGracePeriod } from "../../components/prometheus/flags";
import { durationSeconds } from "../../model/primitives";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { parseStackConfig } from "../../infra/config/validate";
import { planStack } from "../../infra/plan";
import { runStack } from "../../harness/pulumi-mocks";
import { prodSecrets } from "../../harness/stacks";

describe("Prometheus restores pending alerts after a restart", () => {
  it("sets a for-grace-period no longer than the shortest `for` of any built-in rule", () => {
    const { config } = parseStackConfig("prod", { values: readStackFile(stackFilePath("prod")).values, secrets: new Set(prodSecrets) });
    const fors = planStack(config)
      .rules.flatMap((f) => f.groups as Array<{ rules: Array<{ for?: string }> }>)
      .flatMap((g) => g.rules)
      .filter((r) => r.for !== undefined)
      .map((r) => durationSeconds(r.for as string));
    expect(Math.min(...fors)).toBeGreaterThanOrEqual(durationSeconds(alertForGracePeriod));
  });

  it("passes it to Prometheus on Docker and on Kubernetes", async () => {
    const dev = await runStack("dev", readStackFile(stackFilePath("dev")), () => "x");
    const container = dev.resources.find((r) => r.type === "docker:index/container:Container" && r.inputs.name.endsWith("prometheus"))!;
    expect(container.inputs.command).toContain(`--rules.alert.for-grace-period=${alertForGracePeriod}`);
    const prod = await runStack("prod", { values: readStackFile(stackFilePath("prod")).values, secrets: new Set(prodSecrets) }, () => "x");
    const kps = prod.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "watchpost-kps")!;
    expect(kps.inputs.values.prometheus.prometheusSpec.additionalArgs).toEqual([{ name: "rules.alert.for-grace-period", value: alertForGracePeriod }]);
  });
});

describe("Prometheus' lifecycle API (/-/reload, /-/quit)", () => {
  it("is not enabled on Docker, where nothing calls it and its port may be published beyond loopback", async () => {
    const dev = await runStack("dev", readStackFile(stackFilePath("dev")), () => "x");
    const container = dev.resources.find((r) => r.type === "docker:index/container:Container" && r.inputs.name.endsWith("prometheus"))!;
    expect(container.inputs.command.filter((a: string) => a.startsWith("--web."))).toEqual([]);
    expect(container.inputs.command).not.toContain("--web.enable-lifecycle");
  });
});
