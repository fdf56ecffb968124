/**
 * Recording rules declared under `alerts.recording`, rendered into a file of
 * their own. They pass through the same PromQL check as every built-in rule;
 * their names keep clear of the built-in recording rules (two rules writing
 * one series would overwrite each other at every evaluation) and of the
 * application metrics a service is scraped under.
 */
import { applicationMetrics } from "../model/conventions";
import { describe, lintExpression, syntaxErrors, typeFix } from "./check";
import type { RecordingRuleSpec } from "./spec";
import type { RecordingRule, RulePack } from "./types";

export function recordingRule(spec: RecordingRuleSpec): RecordingRule {
  return Object.keys(spec.labels).length > 0 ? { record: spec.record, expr: spec.expr, labels: { ...spec.labels } } : { record: spec.record, expr: spec.expr };
}

export const recordingPack: RulePack = {
  id: "recording",
  file: "recording.rules.yml",
  // Declared one by one in config, so declaring one is the switch.
  enabledByDefault: (ctx) => ctx.alerts.recording.length > 0,
  groups: (ctx) => [{ name: "recording-rules", rules: ctx.alerts.recording.map(recordingRule) }],
};

/** A problem of one `alerts.recording` entry; `path` is under `alerts.recording[index]`. */
export interface RecordingRuleProblem {
  index: number;
  path: "record" | "expr";
  value: string;
  message: string;
}

/** What is wrong with a recording rule's expression, in words for its author: it must parse, type-check and be an instant vector. */
export function recordingExpressionProblems(expr: string): string[] {
  const errors = syntaxErrors(expr);
  if (errors.length > 0) return [`not valid PromQL (syntax error at ${describe(expr, errors[0].from)})`];
  const { diagnostics, type } = lintExpression(expr);
  if (diagnostics.length > 0) return diagnostics.map((d) => `not valid PromQL: ${d.message} (at ${describe(expr, d.from)})${typeFix(d.message)}`);
  if (type === "matrix") return ["the expression is a range vector; a recording rule records an instant vector: apply a function over the range, such as rate(x[5m])"];
  if (type === "scalar") return ["the expression is a scalar; a recording rule records an instant vector: wrap the number in vector(...)"];
  if (type !== "vector") return [`the expression is a ${type}; a recording rule records an instant vector`];
  return [];
}

const sameLabels = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/**
 * Every problem of `alerts.recording`.
 * @param builtIn built-in recording rule name -> the pack that records it.
 */
export function recordingRuleProblems(specs: readonly RecordingRuleSpec[], builtIn: ReadonlyMap<string, string>): RecordingRuleProblem[] {
  const problems: RecordingRuleProblem[] = [];
  specs.forEach((spec, index) => {
    const pack = builtIn.get(spec.record);
    if (pack !== undefined)
      problems.push({
        index,
        path: "record",
        value: spec.record,
        message: `is the name of a built-in recording rule (pack ${pack}); two rules writing one series overwrite each other; choose a name of your own, such as ${spec.record.replace(/^[^:]*:/, "custom:")}`,
      });
    else if (spec.record in applicationMetrics)
      problems.push({
        index,
        path: "record",
        value: spec.record,
        message: `is a Watchpost application metric that services are scraped under; to read a service's own metric under it, map it with services[].metrics.names.${spec.record} instead`,
      });
    const earlier = specs.findIndex((other, j) => j < index && other.record === spec.record && sameLabels(other.labels, spec.labels));
    if (earlier >= 0)
      problems.push({
        index,
        path: "record",
        value: spec.record,
        message: `alerts.recording[${earlier}] records ${spec.record} with the same labels already, so the two would write one series; remove one, or tell them apart with labels`,
      });
    for (const message of recordingExpressionProblems(spec.expr)) problems.push({ index, path: "expr", value: spec.expr, message });
  });
  return problems;
}
