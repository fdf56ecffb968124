/**
 * The rules an alert reads, followed down to the scraped series: its own
 * alerting rules, every recording rule whose output they select, the
 * recording rules those select, and so on. The chain splits in two for the
 * ideal floor (drill/floor.ts): the leaves, recording rules that read scraped
 * series only, which Prometheus' engine evaluates on the drill's data at any
 * resolution in one range query; and the rest, which read recorded series
 * and so must be evaluated in order by promtool, with the scraped series they
 * read directly. Expressions are read with the PromQL grammar Prometheus' own
 * UI uses (as rules/check.ts does), not with regular expressions.
 */
import { parse, stringify } from "yaml";
import { durationSeconds } from "../model/primitives";

// The package is ESM-typed but ships a CommonJS build, which is what a require reaches (as in rules/check.ts).
const { parser }: typeof import("@prometheus-io/lezer-promql", { with: { "resolution-mode": "import" }}) = require("@prometheus-io/lezer-promql");

/** One rule as a rule file holds it; copied verbatim into the offline evaluation. */
export interface ChainRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A series selector an expression reads, and how far back in time it reads. */
export interface SelectorUse {
  /** The selector as written, without range or offset: `http_requests_total{status_code=~"5.."}`. */
  selector: string;
  /** The metric name, when the selector names one (by identifier or an `__name__="…"` matcher). */
  metric?: string;
  /** Range, offset and enclosing subquery ranges, summed: 0 for an instant selector read without offset. */
  reachSeconds: number;
}

export interface RuleChain {
  alertname: string;
  /**
   * Recording rules that read scraped series only (or none): Prometheus'
   * own engine evaluates them on the drill's data at every grid point
   * (a range query), exactly as continuous evaluation would.
   */
  leaves: ChainRule[];
  /** The rest, each after the rules it reads, the alert's own rules last: promtool evaluates these. */
  rules: ChainRule[];
  /** Selectors of scraped series (a metric no rule records) that `rules` read, deduplicated: the series to export. */
  rawSelectors: string[];
  /**
   * How far before an evaluation `rules` read their inputs, in seconds: a
   * recorded series read over a range needs the rules recording it evaluated
   * over that range first; a leaf's values are given, so it adds only its range.
   */
  reachSeconds: number;
}

interface RuleDoc {
  groups: Array<{ name: string; rules: ChainRule[] }>;
}

function durationOf(text: string, expr: string): number {
  try {
    return durationSeconds(text.trim());
  } catch {
    throw new Error(`cannot follow the rule chain: '${text}' in '${expr.replace(/\s+/g, " ")}' is not a plain duration (duration arithmetic is not supported here)`);
  }
}

/** Every series selector of an expression, with its reach back in time. */
export function selectorsOf(expr: string): SelectorUse[] {
  const uses: SelectorUse[] = [];
  const tree = parser.parse(expr);
  const errors: number[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) errors.push(ref.from);
      if (ref.name !== "VectorSelector") return;
      const node = ref.node;
      const name = node.getChild("Identifier");
      let metric = name ? expr.slice(name.from, name.to) : undefined;
      const matchers = node.getChild("LabelMatchers");
      if (metric === undefined && matchers) {
        const byName = /__name__\s*=\s*"([^"]+)"/.exec(expr.slice(matchers.from, matchers.to));
        if (byName) metric = byName[1];
      }
      let reach = 0;
      for (let up = node.parent; up !== null; up = up.parent) {
        if (up.name === "MatrixSelector" || up.name === "SubqueryExpr") {
          const range = up.getChild("DurationExpr");
          if (range) reach += durationOf(expr.slice(range.from, range.to), expr);
        } else if (up.name === "OffsetExpr") {
          const offset = up.getChild("OffsetDurationExpr");
          const text = offset ? expr.slice(offset.from, offset.to).trim() : "";
          if (offset && !text.startsWith("-")) reach += durationOf(text, expr);
        }
      }
      uses.push({ selector: expr.slice(node.from, node.to), metric, reachSeconds: reach });
    },
  });
  if (errors.length > 0) throw new Error(`cannot follow the rule chain: PromQL syntax error at ${errors[0]} in '${expr.replace(/\s+/g, " ")}'`);
  return uses;
}

/**
 * The rule chain of one alert across the given rule files (the scaled ones
 * the drill runs). Recording rules that record the same name in several
 * groups (one per SLO, say) are all followed.
 */
export function ruleChain(ruleFiles: string[], alertname: string): RuleChain {
  const all = ruleFiles.flatMap((content) => (parse(content) as RuleDoc).groups.flatMap((g) => g.rules));
  const alerts = all.filter((r) => r.alert === alertname);
  if (alerts.length === 0) throw new Error(`no alerting rule named ${alertname} in the stack's rule files`);
  const recorders = new Map<string, ChainRule[]>();
  for (const r of all) if (r.record !== undefined) recorders.set(r.record, [...(recorders.get(r.record) ?? []), r]);
  const recordedBy = (use: SelectorUse) => (use.metric === undefined ? undefined : recorders.get(use.metric));

  const leaves: ChainRule[] = [];
  const rules: ChainRule[] = [];
  const raw = new Set<string>();
  const reachOf = new Map<ChainRule, number>();
  const visiting = new Set<ChainRule>();
  // Depth first: a rule goes in after everything it reads.
  const visit = (rule: ChainRule): number => {
    const known = reachOf.get(rule);
    if (known !== undefined) return known;
    if (visiting.has(rule)) throw new Error(`cannot follow the rule chain: ${rule.record ?? rule.alert} reads its own output`);
    visiting.add(rule);
    const uses = selectorsOf(rule.expr);
    let reach = 0;
    if (rule.record !== undefined && uses.every((u) => recordedBy(u) === undefined)) leaves.push(rule);
    else {
      for (const use of uses) {
        const inner = recordedBy(use);
        if (inner === undefined) raw.add(use.selector);
        reach = Math.max(reach, use.reachSeconds + (inner === undefined ? 0 : Math.max(...inner.map(visit))));
      }
      rules.push(rule);
    }
    visiting.delete(rule);
    reachOf.set(rule, reach);
    return reach;
  };
  const reachSeconds = Math.max(...alerts.map(visit));
  return { alertname, leaves, rules, rawSelectors: [...raw], reachSeconds };
}

/** The rules promtool evaluates for several chains, in one rule file: one group, each rule once, every rule after those it reads. */
export function chainRuleFile(chains: RuleChain[]): string {
  const byText = new Map(chains.flatMap((c) => c.rules).map((r) => [JSON.stringify(r), r]));
  const doc = { groups: [{ name: "ideal-floor", rules: [...byText.values()] }] };
  return `# The rule chains of ${chains.map((c) => c.alertname).join(", ")}, copied from the drill's scaled rule files (drill/rule-chain.ts).\n${stringify(doc, { lineWidth: 0 })}`;
}
