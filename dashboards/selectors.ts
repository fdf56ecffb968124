/**
 * Every label matcher a dashboard query uses is built here, so a label name
 * or a variable name changes in one place instead of in every expression.
 *
 * No matcher filters on `environment`: that label is an external label, added
 * only when series leave Prometheus (remote write, federation, alerts). Local
 * queries never see it, so `environment="prod"` would match nothing.
 */
import { type jobs, labels } from "../model/conventions";

/** Dashboard variable names. Queries refer to them as `$<name>`. */
export const vars = {
  environment: labels.environment,
  service: labels.service,
  instance: "instance",
} as const;

/** `$<variable>` for a variable name, for use inside a matcher or LogQL. */
export function varRef(name: (typeof vars)[keyof typeof vars]): string {
  return `$${name}`;
}

/** A set of label matchers: label name → operator and quoted value, e.g. `=~"$service"`. */
export type Matchers = Readonly<Record<string, string>>;

function quote(value: string): string {
  return JSON.stringify(value);
}
export const eq = (value: string): string => `=${quote(value)}`;
export const neq = (value: string): string => `!=${quote(value)}`;
export const re = (value: string): string => `=~${quote(value)}`;
export const nre = (value: string): string => `!~${quote(value)}`;

/** `metric{a="x",b=~"y"}`; later sets override earlier ones for the same label. */
export function sel(metric: string, ...sets: Matchers[]): string {
  const merged: Record<string, string> = {};
  for (const set of sets) Object.assign(merged, set);
  const body = Object.entries(merged)
    .map(([label, matcher]) => `${label}${matcher}`)
    .join(", ");
  return body === "" ? metric : `${metric}{${body}}`;
}

/** Series of the services picked in the service variable. */
export const byService: Matchers = { [labels.service]: re(varRef(vars.service)) };
/** Series of the instances picked in the instance variable. */
export const byInstance: Matchers = { instance: re(varRef(vars.instance)) };
/** The dashboard variable that picks the named instances of a list-form exporter: `<exporter>_instance`. */
export function exporterInstanceVar(exporter: string): string {
  return `${exporter}_instance`;
}
/** Series of the named instances picked in an exporter's instance variable. */
export function byExporterInstance(exporter: string): Matchers {
  return { [labels.instanceName]: re(`$${exporterInstanceVar(exporter)}`) };
}
/** Series scraped by one of Watchpost's own scrape jobs. */
export function byJob(job: (typeof jobs)[keyof typeof jobs]): Matchers {
  return { [labels.job]: eq(job) };
}
/** Series scraped by any of several jobs. */
export function byJobs(names: ReadonlyArray<(typeof jobs)[keyof typeof jobs]>): Matchers {
  return { [labels.job]: re([...names].sort().join("|")) };
}
/** One SLO of one service, as labelled by the SLO recording rules. */
export function bySlo(service: string, slo: string): Matchers {
  return { [labels.service]: eq(service), slo: eq(slo) };
}
/** 5xx responses under the application's `status_code` label. */
export const serverErrors: Matchers = { status_code: re("5..") };

/**
 * Range of `rate()` windows: Grafana widens it to at least four scrape
 * intervals, so panels stay correct when the scrape interval changes.
 */
export const rateWindow = "$__rate_interval";
/** The dashboard's whole time range, for SLA-style averages. */
export const rangeWindow = "$__range";

/** `rate(<selector>[$__rate_interval])`. */
export function rate(selector: string): string {
  return `rate(${selector}[${rateWindow}])`;
}
