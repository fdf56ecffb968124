/**
 * Turns case data into promtool unit-test files. Expected annotations are the
 * rule's own templates with the expected labels and value filled in, so a
 * case states what the alert should say and promtool checks what it does say.
 */
import type { AlertRule, RuleFile } from "../../rules";
import type { AlertCase, ExpectedAlert, ExprCase, PackCases } from "./cases/types";

function alertRules(files: RuleFile[], name: string): AlertRule[] {
  return files.flatMap((f) => f.groups.flatMap((g) => g.rules.filter((r): r is AlertRule => "alert" in r && r.alert === name)));
}

/** The rule an expected alert comes from: the one whose static labels it carries. */
function ruleFor(files: RuleFile[], alert: string, expected: ExpectedAlert): AlertRule {
  const rule = alertRules(files, alert).find((r) => Object.entries(r.labels).every(([k, v]) => expected.labels[k] === v));
  if (!rule) throw new Error(`no ${alert} rule has static labels matching ${JSON.stringify(expected.labels)}`);
  return rule;
}

/**
 * Fills the template forms the catalogue uses: `{{ $labels.x }}`,
 * `{{ $value }}` / `{{ $value | fn }}` and `{{ with $labels.x }}…{{ . }}…{{ end }}`.
 */
export function fillTemplate(text: string, expected: ExpectedAlert): string {
  const label = (k: string) => expected.labels[k] ?? "";
  return text
    .replace(/\{\{ with \$labels\.(\w+) \}\}(.*?)\{\{ end \}\}/g, (_m, k: string, body: string) => (label(k) === "" ? "" : body.replace(/\{\{ \. \}\}/g, label(k))))
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_m, k: string) => label(k))
    .replace(/\{\{ \$value( \| \w+)? \}\}/g, () => {
      if (expected.value === undefined) throw new Error(`case for labels ${JSON.stringify(expected.labels)} needs a value`);
      return expected.value;
    });
}

function testCase(files: RuleFile[], c: AlertCase) {
  return {
    name: `${c.alert}: ${c.name}`,
    interval: "1m",
    input_series: c.series,
    alert_rule_test: [
      {
        eval_time: c.at,
        alertname: c.alert,
        exp_alerts: c.expect.map((e) => {
          const rule = ruleFor(files, c.alert, e);
          const annotations = Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, fillTemplate(v, e)]));
          return { exp_labels: e.labels, exp_annotations: annotations };
        }),
      },
    ],
  };
}

function exprTest(c: ExprCase) {
  return {
    name: `recording: ${c.name}`,
    interval: "1m",
    input_series: c.series,
    promql_expr_test: [{ expr: c.expr, eval_time: c.at, exp_samples: c.samples }],
  };
}

/**
 * Recording groups before alerting groups at every evaluation step. Without an
 * order promtool evaluates groups in no fixed order, so an alert reading a
 * series another group records saw this step's value in one run and the last
 * step's in the next (HostDiskWillFillIn24Hours: "80%" or "79.9%" full).
 */
export function groupEvalOrder(files: RuleFile[], pack: PackCases): string[] {
  const groups = pack.files.flatMap((f) => files.find((x) => x.name === f)?.groups ?? []);
  const records = (g: (typeof groups)[number]) => g.rules.some((r) => "record" in r);
  return [...groups.filter(records), ...groups.filter((g) => !records(g))].map((g) => g.name);
}

/** A promtool test file (as data) for one pack's cases; `dir` holds the rendered rule files. */
export function promtoolTestFile(files: RuleFile[], pack: PackCases, dir: string) {
  return {
    rule_files: pack.files.map((f) => `${dir}/${f}`),
    evaluation_interval: "1m",
    group_eval_order: groupEvalOrder(files, pack),
    tests: [...pack.cases.map((c) => testCase(files, c)), ...(pack.exprs ?? []).map(exprTest)],
  };
}
