/**
 * SLOs: per-SLO error-ratio recording rules over every window, then generic
 * multi-window multi-burn-rate alerts (Google SRE workbook, ch. 5) that read
 * them. Availability counts 5xx responses; latency counts requests slower than
 * the SLO threshold, read off the histogram bucket whose `le` equals the
 * threshold in seconds (that bucket must exist, or SLOMetricAbsent fires).
 */
import type { SloSpec } from "./spec";
import { durationSeconds } from "../model/primitives";
import { sloBudgetRemaining, sloErrorRatio, sloObjective, sloPeriodErrorRatio, sloWindows } from "./names";
import { num } from "./promql";
import type { AuthoredAlert, AuthoredGroup, RecordingRule, RuleContext, RulePack } from "./types";

/** Burn rate thresholds: long window, short window, factor of the sustainable rate. */
export const burnRateWindows = [
  { long: "1h", short: "5m", factor: 14.4, alert: "SLOErrorBudgetFastBurn", severity: "critical" },
  { long: "6h", short: "30m", factor: 6, alert: "SLOErrorBudgetFastBurn", severity: "critical" },
  { long: "1d", short: "2h", factor: 3, alert: "SLOErrorBudgetSlowBurn", severity: "warning" },
  { long: "3d", short: "6h", factor: 1, alert: "SLOErrorBudgetSlowBurn", severity: "warning" },
] as const;

/** Error budget as a ratio: 99.9 -> 0.001. */
export function errorBudget(objectivePercent: number): number {
  return Number((1 - objectivePercent / 100).toPrecision(12));
}

/**
 * The bucket convention a latency SLO relies on: the default histogram buckets
 * of the Prometheus client libraries (client_golang DefBuckets, prom-client,
 * client_python, client_java), in seconds. A threshold off these needs a
 * service that declares that bucket itself.
 */
export const defaultLatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** `le` matcher for a threshold: Go clients write 1s as "1", Python ones as "1.0". */
function leMatcher(threshold: string): string {
  const seconds = num(durationSeconds(threshold));
  return Number.isInteger(Number(seconds)) ? `le=~"${seconds}(\\\\.0)?"` : `le="${seconds}"`;
}

/** The SLI's error ratio over `window`; no series while the service has no traffic. */
export function sliErrorRatioExpr(service: string, slo: SloSpec, window: string): string {
  const total = `sum(rate(http_requests_total{service="${service}"}[${window}]))`;
  if (slo.type === "availability") {
    const errors = `sum(rate(http_requests_total{service="${service}",status_code=~"5.."}[${window}]))`;
    // `or 0 * total`: a service that never failed has no 5xx series at all.
    return `(\n  ${errors}\n  or\n  0 * ${total}\n)\n/\n(${total} > 0)`;
  }
  const fast = `sum(rate(http_request_duration_seconds_bucket{service="${service}",${leMatcher(slo.threshold as string)}}[${window}]))`;
  const count = `sum(rate(http_request_duration_seconds_count{service="${service}"}[${window}]))`;
  return `1 - (\n  ${fast}\n  /\n  (${count} > 0)\n)`;
}

function sloRecordingGroups(service: string, slo: SloSpec): AuthoredGroup[] {
  const labels = { service, slo: slo.name };
  const windows: RecordingRule[] = sloWindows.map((w) => ({ record: sloErrorRatio(w), expr: sliErrorRatioExpr(service, slo, w), labels }));
  return [
    {
      name: `slo-${service}-${slo.name}`,
      rules: [...windows, { record: sloObjective, expr: `vector(${num(slo.objective / 100)})`, labels }],
    },
    {
      // The whole-period rate reads weeks of samples; once a minute is plenty
      // and stays inside the 5m staleness window.
      name: `slo-${service}-${slo.name}-period`,
      interval: "1m",
      rules: [{ record: sloPeriodErrorRatio, expr: sliErrorRatioExpr(service, slo, slo.period), labels }],
    },
  ];
}

function burnRateAlert(w: (typeof burnRateWindows)[number]): AuthoredAlert {
  const over = (window: string) => `${sloErrorRatio(window)} > on (service, slo) (${w.factor} * (1 - ${sloObjective}))`;
  const pace = w.factor === 1 ? "exactly as fast as" : `${w.factor}× faster than`;
  return {
    alert: w.alert,
    expr: `${over(w.long)}\nand on (service, slo)\n${over(w.short)}`,
    severity: w.severity,
    labels: { window: `${w.long}/${w.short}` },
    ownedByService: true,
    summary: `{{ $labels.service }} is burning its {{ $labels.slo }} error budget ${w.factor}× too fast`,
    description:
      `{{ $value | humanizePercentage }} of {{ $labels.service }} requests failed the {{ $labels.slo }} SLO over the last ${w.long} ` +
      `(and still over ${w.short}): the error budget is being spent ${pace} the SLO allows.`,
  };
}

export function sloAlerts(ctx: RuleContext, budgetRemaining: number): AuthoredAlert[] {
  const absent: AuthoredAlert[] = ctx.services.flatMap((svc) =>
    svc.slos.map((slo) => {
      const metric =
        slo.type === "availability"
          ? `http_requests_total{service="${svc.name}"}`
          : `http_request_duration_seconds_bucket{service="${svc.name}",${leMatcher(slo.threshold as string)}}`;
      return {
        alert: "SLOMetricAbsent",
        expr: `absent(${metric})`,
        for: "15m",
        severity: "warning" as const,
        labels: { service: svc.name, slo: slo.name },
        ownedByService: true,
        runbook: "SLOMetricAbsent",
        // Written out rather than templated: templates see only the expression's
        // labels, and `slo` is a static rule label.
        summary: `SLO ${slo.name} of ${svc.name} has no data`,
        description: `Prometheus has no ${metric.split("{")[0]} series for ${svc.name}${slo.type === "latency" ? ` in bucket le=${num(durationSeconds(slo.threshold as string))}` : ""}, so the ${slo.name} SLO cannot be measured and its burn-rate alerts cannot fire.`,
      };
    }),
  );
  return [
    ...burnRateWindows.map(burnRateAlert),
    {
      alert: "SLOErrorBudgetExhausted",
      expr: `${sloBudgetRemaining} < ${num(budgetRemaining)}`,
      for: "15m",
      severity: "warning",
      ownedByService: true,
      summary: "{{ $labels.service }} has {{ $value | humanizePercentage }} of its {{ $labels.slo }} error budget left",
      description: `Only {{ $value | humanizePercentage }} of the {{ $labels.slo }} error budget of {{ $labels.service }} remains for this SLO period (threshold ${num(budgetRemaining * 100)}%). Freeze risky releases until it recovers.`,
    },
    ...absent,
  ];
}

export const sloPack: RulePack = {
  id: "slo",
  file: "slo.rules.yml",
  dashboard: "slo",
  // SLOs are declared one by one in config, so declaring one is the switch.
  enabledByDefault: (ctx) => ctx.services.some((s) => s.slos.length > 0),
  groups: (ctx, t) => [
    ...ctx.services.flatMap((svc) => svc.slos.flatMap((slo) => sloRecordingGroups(svc.name, slo))),
    {
      name: "slo-alerts",
      rules: [
        {
          record: sloBudgetRemaining,
          expr: `1 - ${sloPeriodErrorRatio} / on (service, slo) (1 - ${sloObjective})`,
        },
        ...sloAlerts(ctx, t.sloBudgetRemaining),
      ],
    },
  ],
};
