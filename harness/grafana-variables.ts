/**
 * What Grafana does to a panel's PromQL before Prometheus sees it: template
 * variables replaced by their current values, and the built-in interval
 * macros by durations. Done here the way Grafana's Prometheus data source does
 * it, so a live query runs what a dashboard would send.
 */
import type { Dashboard } from "../dashboards/index";
import { labelValuesSelector } from "./promql";
import { promApi } from "./prometheus";

/** Grafana's regex escape for multi-value variables: each special is preceded by `\\` (a PromQL string then holds `\`). */
export function grafanaRegexEscape(value: string): string {
  return value.replace(/\\/g, "\\\\\\\\").replace(/[$^*{}[\]'+?.()|]/g, "\\\\$&");
}

/** A multi-value or "All" selection becomes `(a|b)` of escaped values; a single value is escaped alone. */
export function formatVariable(values: string[]): string {
  if (values.length === 1) return grafanaRegexEscape(values[0]);
  return `(${values.map(grafanaRegexEscape).join("|")})`;
}

export interface GrafanaTime {
  /** The data source's scrape interval, in seconds (Grafana's "Scrape interval" setting). */
  scrapeIntervalSeconds: number;
  /** The dashboard's time range, in seconds. */
  rangeSeconds: number;
}

/**
 * `$__rate_interval` is max($__interval + scrape interval, 4 × scrape interval); at a
 * short range $__interval is below the scrape interval, so it is 4 × scrape interval.
 * `$__range` is the dashboard range in seconds.
 */
export function substituteMacros(expr: string, t: GrafanaTime): string {
  return expr
    .replace(/\$__rate_interval\b/g, `${4 * t.scrapeIntervalSeconds}s`)
    .replace(/\$__range\b/g, `${t.rangeSeconds}s`)
    .replace(/\$__interval\b/g, `${t.scrapeIntervalSeconds}s`);
}

export function substituteVariables(expr: string, values: Record<string, string[]>): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    if (name.startsWith("__")) return whole;
    const v = values[name];
    if (v === undefined) throw new Error(`variable $${name} has no value; the dashboard does not define it`);
    if (v.length === 0) throw new Error(`variable $${name} resolved to no values; Grafana would show "No data"`);
    return formatVariable(v);
  });
}

/** Fails when anything Grafana would have replaced is still in the query. */
export function assertFullySubstituted(expr: string): void {
  const left = /\$\{?\w+/.exec(expr);
  if (left) throw new Error(`'${left[0]}' left in query after substitution: ${expr}`);
}

/**
 * Current values of a dashboard's variables, in the order Grafana resolves them
 * (a variable may use an earlier one): custom variables take their query,
 * `label_values(selector, label)` asks Prometheus, and "All" selects every value.
 */
export async function resolveVariables(d: Dashboard, prom: { url: string }): Promise<Record<string, string[]>> {
  const values: Record<string, string[]> = {};
  for (const v of d.templating.list ?? []) {
    const name = String(v.name);
    if (v.type === "custom")
      values[name] = String(v.query)
        .split(",")
        .map((s) => s.trim());
    else if (v.type === "query") {
      const query = String(v.query);
      const label = /,\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(query)?.[1] as string;
      const selector = substituteVariables(labelValuesSelector(query), values);
      values[name] = await promApi<string[]>(prom, `/api/v1/label/${label}/values`, { "match[]": selector });
    } else throw new Error(`dashboard '${d.uid}' variable $${name} has type '${v.type}', which this test does not resolve`);
  }
  return values;
}
