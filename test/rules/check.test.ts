/**
 * Every expression goes through the real PromQL grammar (@prometheus-io/lezer-promql).
 */
import { describe, expect, it } from "vitest";
import { buildRuleFiles, checkRuleExpressions, renderRuleFiles } from "../../rules";
import { alertsSpec } from "../../rules/spec";
import { allPacksContext, minimalContext } from "./fixtures";

const broken = alertsSpec.parse({
  custom: [{ name: "CheckoutErrorsHigh", expr: "sum(rate(checkout_errors_total[5m]) by (service", threshold: 1, severity: "warning", summary: "s" }],
});

describe("checkRuleExpressions", () => {
  it("parses every expression of every pack, on both platforms", () => {
    expect(checkRuleExpressions(buildRuleFiles(allPacksContext()))).toEqual([]);
    expect(checkRuleExpressions(buildRuleFiles(allPacksContext({ platform: "docker" })))).toEqual([]);
  });

  it("names the rule and file of a broken custom alert", () => {
    const problems = checkRuleExpressions(buildRuleFiles(minimalContext({ alerts: broken })));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ rule: "CheckoutErrorsHigh", file: "custom.rules.yml" });
    expect(problems[0].message).toMatch(/^alert 'CheckoutErrorsHigh' \(group custom-alerts\): PromQL syntax error at line 1/);
  });

  it("catches a stray operator", () => {
    const files = [{ name: "x.rules.yml", groups: [{ name: "g", rules: [{ record: "a:b:c", expr: "sum(up) > > 1" }] }] }];
    expect(checkRuleExpressions(files).map((p) => p.rule)).toEqual(["a:b:c"]);
  });

  it("makes renderRuleFiles refuse invalid PromQL, naming the rule", () => {
    expect(() => renderRuleFiles(minimalContext({ alerts: broken }))).toThrow(/CheckoutErrorsHigh/);
  });
});
