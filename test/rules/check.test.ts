/**
 * Every expression goes through the real PromQL grammar (@prometheus-io/lezer-promql)
 * and the type checker of Prometheus' UI (@prometheus-io/codemirror-promql).
 */
import { describe, expect, it, vi } from "vitest";
import { checkRuleExpressions } from "../../rules";
import { buildRuleFiles, renderRuleFiles } from "../../components/catalogue";
import { lintExpression } from "../../rules/check";
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

  it("type-checks what parses: a rate without a range, a rule that is a range vector", () => {
    const files = [
      {
        name: "x.rules.yml",
        groups: [
          {
            name: "g",
            rules: [
              { record: "a:b:rate", expr: "sum(rate(http_requests_total))" },
              { alert: "Ranged", expr: "up[5m]", labels: {}, annotations: {} },
            ],
          },
        ],
      },
    ];
    const messages = checkRuleExpressions(files).map((p) => p.message);
    expect(messages).toEqual([
      'recording rule \'a:b:rate\' (group g): PromQL type error at line 1, near "sum(rate(http_requests_t": expected type matrix in call to function "rate", got vector; expr: sum(rate(http_requests_total))',
      "alert 'Ranged' (group g): PromQL type error: the expression is a range vector; a rule needs an instant vector; expr: up[5m]",
    ]);
  });
});

describe("lintExpression", () => {
  it.each([
    ["sum by (service) (rate(http_requests_total[5m]))", "vector"],
    ["scalar(up)", "scalar"],
    ["up[5m]", "matrix"],
    ['"text"', "string"],
  ])("types %s as %s", (expr, type) => {
    expect(lintExpression(expr)).toEqual({ diagnostics: [], type });
  });

  it("reports the comparison of two scalars without bool", () => {
    expect(lintExpression("time() > 5").diagnostics.map((d) => d.message)).toEqual(["comparisons between scalars must use BOOL modifier"]);
  });

  it("lints the whole expression when the editor's first parse is cut short, as on a busy machine", () => {
    const { EditorState }: typeof import("@codemirror/state") = require("@codemirror/state");
    const { syntaxTree }: typeof import("@codemirror/language") = require("@codemirror/language");
    const { promQLLanguage, LanguageType }: typeof import("@prometheus-io/codemirror-promql") = require("@prometheus-io/codemirror-promql");
    // Forty good terms, then a rate without a range at the very end.
    const expr = `sum by (service) (${Array.from({ length: 40 }, (_, i) => `rate(http_requests_total{code="${i}"}[5m])`).join(" + ")} + rate(http_requests_total))`;
    // The first clock reads jump 25 ms each: the editor's 20 ms parse budget runs out at once, later work runs normally.
    const busy = <T>(run: () => T): T => {
      let jumps = 0;
      const now = Date.now.bind(Date);
      let skew = 0;
      const slow = vi.spyOn(Date, "now").mockImplementation(() => now() + (jumps++ < 5 ? (skew += 25) : skew));
      try {
        return run();
      } finally {
        slow.mockRestore();
      }
    };
    const first = busy(() => EditorState.create({ doc: expr, extensions: promQLLanguage(LanguageType.PromQL) }));
    expect(syntaxTree(first).length).toBeLessThan(expr.length);
    expect(busy(() => lintExpression(expr)).diagnostics.map((d) => d.message)).toEqual(['expected type matrix in call to function "rate", got vector']);
  });
});
