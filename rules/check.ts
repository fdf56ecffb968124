/**
 * Parses every rule expression with the PromQL grammar Prometheus' own UI
 * uses, so a typo in a custom alert is reported by name before any deploy.
 */
import type { RuleFile } from "./types";
import { isAlertRule } from "./types";

// The package is ESM-typed but ships a CommonJS build, which is what a require reaches.
const { parser }: typeof import("@prometheus-io/lezer-promql", { with: { "resolution-mode": "import" } }) = require("@prometheus-io/lezer-promql");

export interface RuleExpressionProblem {
  /** Alert or recording rule name. */
  rule: string;
  file: string;
  message: string;
}

function syntaxErrors(expr: string): Array<{ from: number; to: number }> {
  const errors: Array<{ from: number; to: number }> = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push({ from: node.from, to: node.to });
    },
  });
  return errors;
}

function describe(expr: string, at: number): string {
  const line = expr.slice(0, at).split("\n").length;
  const near = expr.slice(Math.max(0, at - 15), at + 15).replace(/\s+/g, " ");
  return `line ${line}, near "${near}"`;
}

export function checkRuleExpressions(files: RuleFile[]): RuleExpressionProblem[] {
  const problems: RuleExpressionProblem[] = [];
  for (const file of files) {
    for (const group of file.groups) {
      for (const rule of group.rules) {
        const name = isAlertRule(rule) ? rule.alert : rule.record;
        const kind = isAlertRule(rule) ? "alert" : "recording rule";
        const errors = rule.expr.trim() === "" ? [{ from: 0, to: 0 }] : syntaxErrors(rule.expr);
        if (errors.length > 0) {
          problems.push({
            rule: name,
            file: file.name,
            message: `${kind} '${name}' (group ${group.name}): PromQL syntax error at ${describe(rule.expr, errors[0].from)}; expr: ${rule.expr.replace(/\s+/g, " ")}`,
          });
        }
      }
    }
  }
  return problems;
}
