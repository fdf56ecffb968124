/**
 * Parses every rule expression with the PromQL grammar Prometheus' own UI
 * uses, and type-checks it with the linter of that UI (codemirror-promql's
 * static analysis, modelled on Prometheus' checkAST): a typo, or an expression
 * that parses but cannot run (`rate(x)` without a range, a range vector
 * compared with a number), is reported by name before any deploy.
 */
import type { RuleFile } from "./types";
import { isAlertRule } from "./types";

// These packages are ESM-typed but ship CommonJS builds, which is what a require reaches.
const { parser }: typeof import("@prometheus-io/lezer-promql", { with: { "resolution-mode": "import" }}) = require("@prometheus-io/lezer-promql");
const { EditorState }: typeof import("@codemirror/state") = require("@codemirror/state");
const { ensureSyntaxTree, syntaxTree }: typeof import("@codemirror/language") = require("@codemirror/language");
const { promQLLanguage, LanguageType }: typeof import("@prometheus-io/codemirror-promql") = require("@prometheus-io/codemirror-promql");
const { Parser: PromQLLinter }: typeof import("@prometheus-io/codemirror-promql/dist/cjs/parser") = require("@prometheus-io/codemirror-promql/dist/cjs/parser");

/** What an expression evaluates to: "vector" (instant vector), "scalar", "matrix" (range vector), "string" or "none". */
export type PromQLType = "vector" | "scalar" | "matrix" | "string" | "none";

export interface PromQLDiagnostic {
  message: string;
  from: number;
}

/**
 * The linter's type errors and the type of the whole expression. Run it on
 * text that parses: syntax errors are `syntaxErrors`' to report.
 */
export function lintExpression(expr: string): { diagnostics: PromQLDiagnostic[]; type: PromQLType } {
  const created = EditorState.create({ doc: expr, extensions: promQLLanguage(LanguageType.PromQL) });
  // An editor parses for 20 ms and finishes later: on a busy machine the first tree can stop short of the
  // end, and the linter would read a cut-off expression. Finish the parse; an empty transaction hands it on.
  if (!ensureSyntaxTree(created, expr.length, 10_000)) throw new Error(`PromQL parse of ${expr.length} characters did not finish in 10 s`);
  const state = created.update({}).state;
  if (syntaxTree(state).length !== expr.length) throw new Error("PromQL parse tree does not span the expression");
  const linter = new PromQLLinter(state);
  linter.analyze();
  const type = new PromQLLinter(state).checkAST(syntaxTree(state).topNode.firstChild) as PromQLType;
  const diagnostics = linter
    .getDiagnostics()
    .filter((d) => d.severity === "error" && d.message !== "unexpected expression")
    .map((d) => ({ message: d.message, from: d.from }));
  return { diagnostics, type };
}

export interface RuleExpressionProblem {
  /** Alert or recording rule name. */
  rule: string;
  file: string;
  message: string;
}

export function syntaxErrors(expr: string): Array<{ from: number; to: number }> {
  const errors: Array<{ from: number; to: number }> = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push({ from: node.from, to: node.to });
    },
  });
  return errors;
}

/** The fix for a type error its author can act on: a range function given an instant vector. */
export function typeFix(message: string): string {
  const fn = /expected type matrix in call to function "(\w+)", got vector/.exec(message)?.[1];
  return fn ? `; give its argument a range, such as ${fn}(http_requests_total[5m])` : "";
}

export function describe(expr: string, at: number): string {
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
          continue;
        }
        const { diagnostics, type } = lintExpression(rule.expr);
        const typeProblem = type === "vector" ? undefined : `the expression is a ${type === "matrix" ? "range vector" : type}; a rule needs an instant vector`;
        const first = diagnostics[0]?.message ?? typeProblem;
        if (first !== undefined)
          problems.push({
            rule: name,
            file: file.name,
            message: `${kind} '${name}' (group ${group.name}): PromQL type error${diagnostics[0] ? ` at ${describe(rule.expr, diagnostics[0].from)}` : ""}: ${first}; expr: ${rule.expr.replace(/\s+/g, " ")}`,
          });
      }
    }
  }
  return problems;
}
