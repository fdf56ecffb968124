/**
 * alerts.overrides on Kubernetes, at the resource: the PrometheusRule object
 * the prod stack creates for the service pack carries the tuned alert and
 * not the disabled one.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { runStack } from "../harness/pulumi-mocks";
import { prodSecrets } from "../harness/stacks";

let run: Awaited<ReturnType<typeof runStack>>;

describe("prod stack with alerts.overrides under Pulumi mocks", () => {
  beforeAll(async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const alerts = { ...(raw.values.alerts as object), overrides: { HighErrorRate: { for: "2m", severity: "warning" }, ServiceDown: { disabled: true } } };
    run = await runStack("prod", { values: { ...raw.values, alerts }, secrets: new Set(prodSecrets) }, (key) => `SECRET-VALUE-OF-${key}`);
  });

  it("renders the overrides into the service PrometheusRule's spec.groups", () => {
    const rule = run.resources.find((r) => r.inputs.kind === "PrometheusRule" && r.inputs.metadata.name === "watchpost-service");
    expect(rule).toBeDefined();
    const alerts = rule?.inputs.spec.groups.flatMap((g: { rules: Array<Record<string, unknown>> }) => g.rules.filter((r) => "alert" in r));
    expect(alerts.map((a: { alert: string }) => a.alert)).not.toContain("ServiceDown");
    expect(alerts.find((a: { alert: string }) => a.alert === "HighErrorRate")).toMatchObject({ for: "2m", labels: { severity: "warning" } });
  });
});
