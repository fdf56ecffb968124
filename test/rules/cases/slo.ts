import { fires, type PackCases, quiet, s } from "./types";

/** `errorsPerMin` of every 100 requests/min fail with 500, for `minutes`. */
const traffic = (service: string, errorsPerMin: number, minutes = 80) => [
  s(`http_requests_total{job="${service}",service="${service}",status_code="200"}`, `0+${Number((100 - errorsPerMin).toFixed(4))}x${minutes}`),
  s(`http_requests_total{job="${service}",service="${service}",status_code="500"}`, `0+${errorsPerMin}x${minutes}`),
];
const owners = { api: { service: "api", team: "platform" }, payments: { service: "payments", team: "payments" } };
const burn = (service: "api" | "payments", severity: string, window: string, value: string) => ({
  labels: { severity, window, slo: "availability", ...owners[service] },
  value,
});

// Burn thresholds at 99.9%: 14.4x = 1.44%, 6x = 0.6%, 3x = 0.3%, 1x = 0.1% of requests failing.
// At 99%: 14.4%, 6%, 3%, 1%. Rates stay steady wherever a value is asserted: recording
// and alerting groups may run in either order, so a changing ratio is read a step late.
export const sloCases: PackCases = {
  files: ["slo.rules.yml", "service-owners.rules.yml"],
  cases: [
    fires("SLOErrorBudgetFastBurn", "99.9%: 1.45% errors crosses 14.4x and 6x", "70m", traffic("api", 1.45), [
      burn("api", "critical", "1h/5m", "1.45%"),
      burn("api", "critical", "6h/30m", "1.45%"),
    ]),
    fires("SLOErrorBudgetFastBurn", "99.9%: 1.43% errors crosses only 6x", "70m", traffic("api", 1.43), [burn("api", "critical", "6h/30m", "1.43%")]),
    fires("SLOErrorBudgetFastBurn", "99%: 14.5% errors crosses 14.4x and 6x", "70m", traffic("payments", 14.5), [
      burn("payments", "critical", "1h/5m", "14.5%"),
      burn("payments", "critical", "6h/30m", "14.5%"),
    ]),
    fires("SLOErrorBudgetFastBurn", "99%: 14.3% errors crosses only 6x", "70m", traffic("payments", 14.3), [burn("payments", "critical", "6h/30m", "14.3%")]),
    quiet("SLOErrorBudgetFastBurn", "99.9%: 0.59% errors is under 6x", "70m", traffic("api", 0.59)),
    quiet("SLOErrorBudgetFastBurn", "errors stopped 40m ago: both short windows clear", "70m", [
      s('http_requests_total{job="api",service="api",status_code="200"}', "0+98x30 2940+100x50"),
      s('http_requests_total{job="api",service="api",status_code="500"}', "0+2x30 60x50"),
    ]),
    quiet("SLOErrorBudgetFastBurn", "a quiet service: no traffic, no NaN, no alert", "70m", [
      s('http_requests_total{job="api",service="api",status_code="200"}', "5x80"),
      s('http_requests_total{job="api",service="api",status_code="500"}', "1x80"),
    ]),
    fires("SLOErrorBudgetSlowBurn", "99.9%: 0.59% errors crosses 3x and 1x", "70m", traffic("api", 0.59), [
      burn("api", "warning", "1d/2h", "0.59%"),
      burn("api", "warning", "3d/6h", "0.59%"),
    ]),
    fires("SLOErrorBudgetSlowBurn", "99.9%: 0.29% errors crosses only 1x", "70m", traffic("api", 0.29), [burn("api", "warning", "3d/6h", "0.29%")]),
    fires("SLOErrorBudgetSlowBurn", "99%: 2.9% errors crosses only 1x", "70m", traffic("payments", 2.9), [burn("payments", "warning", "3d/6h", "2.9%")]),
    quiet("SLOErrorBudgetSlowBurn", "99.9%: 0.09% errors is within budget", "70m", traffic("api", 0.09)),
    fires("SLOErrorBudgetExhausted", "1.5% errors all period", "30m", traffic("api", 1.5), [
      { labels: { severity: "warning", slo: "availability", ...owners.api }, value: "-1400%" },
    ]),
    quiet("SLOErrorBudgetExhausted", "0.05% errors uses half the budget", "30m", traffic("api", 0.05)),
    fires(
      "SLOMetricAbsent",
      "latency SLO without its 0.5s bucket",
      "20m",
      [...traffic("api", 0), ...traffic("payments", 0)],
      [{ labels: { severity: "warning", slo: "latency", le: "0.5", ...owners.api } }],
    ),
    quiet("SLOMetricAbsent", "every SLI series present", "20m", [
      ...traffic("api", 0),
      ...traffic("payments", 0),
      s('http_request_duration_seconds_bucket{job="api",service="api",le="0.5"}', "0+90x80"),
    ]),
  ],
  exprs: [
    {
      name: "a quiet service records no error ratio (not NaN)",
      at: "30m",
      series: [s('http_requests_total{job="api",service="api",status_code="200"}', "5x40")],
      expr: "slo:sli_error:ratio_rate5m",
      samples: [],
    },
    {
      name: "a service that never failed records 0, not nothing",
      at: "30m",
      series: [s('http_requests_total{job="api",service="api",status_code="200"}', "0+100x40")],
      expr: 'slo:sli_error:ratio_rate5m{slo="availability"}',
      samples: [{ labels: 'slo:sli_error:ratio_rate5m{service="api",slo="availability"}', value: 0 }],
    },
    {
      name: "latency SLI counts requests above the 0.5s bucket as errors",
      at: "30m",
      series: [
        s('http_request_duration_seconds_bucket{job="api",service="api",le="0.5"}', "0+50x40"),
        s('http_request_duration_seconds_count{job="api",service="api"}', "0+100x40"),
      ],
      expr: 'slo:sli_error:ratio_rate1h{slo="latency"}',
      samples: [{ labels: 'slo:sli_error:ratio_rate1h{service="api",slo="latency"}', value: 0.5 }],
    },
    {
      name: "objectives are recorded as ratios",
      at: "1m",
      series: [],
      expr: "slo:objective:ratio",
      samples: [
        { labels: 'slo:objective:ratio{service="api",slo="availability"}', value: 0.999 },
        { labels: 'slo:objective:ratio{service="api",slo="latency"}', value: 0.99 },
        { labels: 'slo:objective:ratio{service="payments",slo="availability"}', value: 0.99 },
      ],
    },
  ],
};
