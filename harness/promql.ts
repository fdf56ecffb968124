/** PromQL checks with Prometheus's own lezer grammar (the one its web UI uses). */

// The package is ESM-typed but ships a CommonJS build, which is what a require reaches (as in rules/check.ts).
const { parser }: typeof import("@prometheus-io/lezer-promql", { with: { "resolution-mode": "import" }}) = require("@prometheus-io/lezer-promql");

/**
 * Grafana replaces `$__rate_interval`, `$__range` and friends before the query
 * reaches Prometheus; stand in a literal duration so the grammar sees what
 * Prometheus will. Only inside `[...]`: anywhere else such a macro is a bug.
 */
export function interpolateGrafanaMacros(expr: string): string {
  return expr.replace(/\[\$__\w+\]/g, "[5m]");
}

export interface ParsedPromQL {
  errors: string[];
  metrics: string[];
}

export function parsePromQL(rawExpr: string): ParsedPromQL {
  const expr = interpolateGrafanaMacros(rawExpr);
  const errors: string[] = [];
  const metrics: string[] = [];
  const tree = parser.parse(expr);
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) errors.push(`syntax error at ${ref.from}: …${expr.slice(Math.max(0, ref.from - 20), ref.to + 20)}…`);
      if (ref.name === "VectorSelector") {
        const name = ref.node.getChild("Identifier");
        if (name === null) errors.push(`selector without a metric name at ${ref.from}; name the metric so it can be checked`);
        else metrics.push(expr.slice(name.from, name.to));
      }
    },
  });
  return { errors, metrics };
}

/** The series selector inside `label_values(<selector>, <label>)`, as Grafana's Prometheus variables use. */
export function labelValuesSelector(query: string): string {
  const match = /^label_values\((.+),\s*[a-zA-Z_][a-zA-Z0-9_]*\)$/.exec(query);
  if (match === null) throw new Error(`'${query}' is not label_values(<selector>, <label>)`);
  return match[1];
}
