/**
 * `services[].metrics`: how an existing application's own metric and label names map onto
 * Watchpost's conventions (model/conventions.ts `applicationMetrics`), so the built-in service,
 * SLO, security and queue alerts and dashboards read it without a change to its code.
 *
 * The mapping is applied at scrape time, as `metric_relabel_configs` of the service's job on
 * Docker and `metricRelabelings` of its ServiceMonitor or PodMonitor on Kubernetes, not as
 * recording rules that copy the series under the convention names:
 * - one series per application series: a copy would double what an application mostly
 *   exposes (a histogram's buckets per route, method and status code) in memory and on disk;
 * - the alerts' `rate()` and `histogram_quantile()` read the scraped samples themselves, at
 *   the scrape interval and with their staleness markers, not a copy one rule evaluation
 *   behind (a `for:` would start late, and a renamed counter would sit next to its original);
 * - the convention names and labels are the only ones stored, so a dashboard query, an
 *   alert and an ad-hoc query cannot read the same requests twice.
 * The cost: the application's own names are not stored. Its team's queries move to the
 * convention names; `alerts.recording` can record a name they still need.
 */
import { z } from "zod";
import { type ApplicationLabel, type ApplicationMetric, applicationLabels, applicationMetrics, labels as conventionLabels } from "../../model/conventions";
import { labelNameProblem, metricNameProblem } from "../../model/primitives";

const histogramSuffix = /_(bucket|count|sum)$/;

/** Labels the scrape itself sets or PromQL gives a meaning: an application label must not be moved onto them. */
const reservedLabels = new Set<string>([
  conventionLabels.service,
  conventionLabels.job,
  conventionLabels.team,
  "instance",
  "le",
  "quantile",
  conventionLabels.environment,
  conventionLabels.cluster,
]);

const metricNames = Object.keys(applicationMetrics) as [ApplicationMetric, ...ApplicationMetric[]];

export const serviceMetricsSpec = z
  .strictObject({
    /**
     * Watchpost's metric name -> the service's own, such as `http_requests_total: app_http_requests_total`.
     * A histogram is mapped by its base name: its `_bucket`, `_count` and `_sum` series follow. @default {}
     */
    names: z
      .partialRecord(z.enum(metricNames), z.string({ error: "expected the service's own metric name, as a string" }))
      .describe(`map of Watchpost metric names (${metricNames.join(", ")}) to the service's own metric names`)
      .default({}),
    /**
     * Watchpost's label name -> the service's own, such as `status_code: status`, on the series of the
     * metrics above (after `names`). The service's label is moved: the convention one replaces it. @default {}
     */
    labels: z
      .partialRecord(z.enum(applicationLabels), z.string({ error: "expected the service's own label name, as a string" }))
      .describe(`map of Watchpost label names (${applicationLabels.join(", ")}) to the service's own label names`)
      .default({}),
  })
  .superRefine((spec, ctx) => {
    const seen = new Map<string, string>();
    for (const [convention, own] of Object.entries(spec.names) as Array<[ApplicationMetric, string]>) {
      const path = ["names", convention];
      const problem = ownMetricProblem(convention, own);
      if (problem) ctx.addIssue({ code: "custom", path, message: problem });
      else if (seen.has(own)) ctx.addIssue({ code: "custom", path, message: `names.${seen.get(own)} maps ${own} already; one metric of the service maps to one Watchpost metric` });
      seen.set(own, convention);
    }
    const seenLabels = new Map<string, string>();
    for (const [convention, own] of Object.entries(spec.labels) as Array<[ApplicationLabel, string]>) {
      const path = ["labels", convention];
      const problem = ownLabelProblem(convention, own);
      if (problem) ctx.addIssue({ code: "custom", path, message: problem });
      else if (seenLabels.has(own))
        ctx.addIssue({ code: "custom", path, message: `labels.${seenLabels.get(own)} moves ${own} already; one label of the service maps to one Watchpost label` });
      seenLabels.set(own, convention);
    }
  });
export type ServiceMetricsSpec = z.infer<typeof serviceMetricsSpec>;

function ownMetricProblem(convention: ApplicationMetric, own: string): string | undefined {
  const invalid = metricNameProblem(own, "app_http_requests_total");
  if (invalid) return invalid;
  if (own === convention) return `is already the Watchpost name, so there is nothing to map; remove names.${convention}`;
  if (own in applicationMetrics) return `is the Watchpost metric ${own} itself; map a metric the service exposes under a name of its own`;
  if (applicationMetrics[convention] === "histogram" && histogramSuffix.test(own))
    return `${convention} is a histogram, mapped by its base name (its _bucket, _count and _sum series follow); write ${own.replace(histogramSuffix, "")}`;
  return undefined;
}

function ownLabelProblem(convention: ApplicationLabel, own: string): string | undefined {
  const problem = labelNameProblem(own);
  if (problem) return problem;
  if (own === convention) return `is already the Watchpost label, so there is nothing to map; remove labels.${convention}`;
  if ((applicationLabels as readonly string[]).includes(own)) return `is the Watchpost label ${own} itself; map a label the service uses under a name of its own`;
  if (reservedLabels.has(own))
    return `the ${own} label is set by the scrape or read by PromQL itself, not by the service; expected the service's own label, such as status for status_code`;
  return undefined;
}

/** One relabeling step, in prometheus.yml's spelling. */
export interface MetricRelabelConfig {
  source_labels: string[];
  regex: string;
  target_label: string;
  replacement: string;
  action: "replace";
}

/** The series names of the convention metrics, a histogram's three included, as one regex alternation. */
function conventionSeriesRegex(): string {
  return (Object.entries(applicationMetrics) as Array<[ApplicationMetric, string]>).map(([name, kind]) => (kind === "histogram" ? `${name}_(?:bucket|count|sum)` : name)).join("|");
}

/**
 * The service's `metric_relabel_configs`: first each of its metrics renamed to the convention name,
 * then each of its labels moved, on the convention series only, to the convention label (copied, then
 * emptied: an empty label is no label). Nothing when `metrics` maps nothing, so a service without a
 * mapping renders as before. Names are [a-zA-Z0-9_:] (checked above), so they need no regex escaping.
 */
export function metricRelabelConfigs(metrics: ServiceMetricsSpec | undefined): MetricRelabelConfig[] {
  if (metrics === undefined) return [];
  const step = (source_labels: string[], regex: string, target_label: string, replacement: string): MetricRelabelConfig => ({
    source_labels,
    regex,
    target_label,
    replacement,
    action: "replace",
  });
  const renames = (Object.entries(metrics.names) as Array<[ApplicationMetric, string]>).map(([convention, own]) =>
    applicationMetrics[convention] === "histogram"
      ? step(["__name__"], `${own}_(bucket|count|sum)`, "__name__", `${convention}_$1`)
      : step(["__name__"], own, "__name__", convention),
  );
  const series = conventionSeriesRegex();
  const moves = (Object.entries(metrics.labels) as Array<[ApplicationLabel, string]>).flatMap(([convention, own]) => [
    step(["__name__", own], `(?:${series});(.+)`, convention, "$1"),
    step(["__name__"], `(?:${series})`, own, ""),
  ]);
  return [...renames, ...moves];
}

/** The same steps in the prometheus-operator's spelling (ServiceMonitor and PodMonitor `metricRelabelings`). */
export function operatorMetricRelabelings(metrics: ServiceMetricsSpec | undefined): Array<Record<string, unknown>> {
  return metricRelabelConfigs(metrics).map((c) => ({
    sourceLabels: c.source_labels,
    regex: c.regex,
    targetLabel: c.target_label,
    replacement: c.replacement,
    action: c.action,
  }));
}
