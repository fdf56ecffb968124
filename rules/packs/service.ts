/**
 * Application services declared in config: availability, errors, latency and
 * traffic, read from the recording rules dashboards also use.
 */
import { serviceErrorRatio, serviceLatency, serviceLatencyBuckets, serviceRequestRate, serviceRouteLatencyBuckets } from "../names";
import { anyOf, num } from "../promql";
import type { RulePack } from "../types";

const requests = "http_requests_total";
const durations = "http_request_duration_seconds";

// A service with no traffic has 0/0 = NaN error ratio and NaN quantiles; both
// are guarded so a quiet service produces no series instead of a NaN. Rules of
// a group run in order within one evaluation, so the quantiles and the ratio
// read the sums recorded just above them instead of every raw series again:
// rate() over the raw buckets (routes × methods × status codes × buckets per
// instance, most of an application's series) happens once per evaluation.
const latencyQuantile = (q: number) => `histogram_quantile(${q}, ${serviceLatencyBuckets})\n` + `and on (service) (${serviceLatencyBuckets}{le="+Inf"} > 0)`;

export const servicePack: RulePack = {
  id: "service",
  file: "service.rules.yml",
  dashboard: "serviceHealth",
  enabledByDefault: () => true,
  groups: (ctx, t) => [
    {
      name: "service-recording",
      rules: [
        { record: serviceRequestRate, expr: `sum by (service) (rate(${requests}[5m]))` },
        { record: serviceRouteLatencyBuckets, expr: `sum by (service, route, le) (rate(${durations}_bucket[5m]))` },
        { record: serviceLatencyBuckets, expr: `sum by (service, le) (${serviceRouteLatencyBuckets})` },
        {
          record: serviceErrorRatio,
          // `or 0 * total` gives services that never returned a 5xx (and so have
          // no 5xx series at all) a ratio of 0 rather than no ratio.
          expr: `(\n  sum by (service) (rate(${requests}{status_code=~"5.."}[5m]))\n  or\n  0 * ${serviceRequestRate}\n)\n` + `/\n(${serviceRequestRate} > 0)`,
        },
        { record: serviceLatency.p50, expr: latencyQuantile(0.5) },
        { record: serviceLatency.p95, expr: latencyQuantile(0.95) },
        { record: serviceLatency.p99, expr: latencyQuantile(0.99) },
      ],
    },
    {
      name: "service-alerts",
      rules: [
        {
          alert: "ServiceDown",
          // Only declared services: exporters and probes carry `service` labels too
          // and have alerts of their own.
          expr: `up{job=~"${anyOf(ctx.services.map((s) => s.name))}"} == 0`,
          for: "1m",
          // ServiceDown inhibits EndpointDown and SLOMetricAbsent while the service is down. When it
          // comes back, `up` recovers on the first scrape but the probe's and the absence rule's
          // alerts resolve one probe and one evaluation later; had ServiceDown resolved first, a
          // group_interval flush in between would page EndpointDown at recovery (seen in the fire
          // drill). Firing on for a minute (at 15s scrapes and evaluations) lets them resolve first.
          keep_firing_for: "1m",
          severity: "critical",
          ownedByService: true,
          summary: "Service {{ $labels.service }} is down on {{ $labels.instance }}",
          description:
            "Prometheus has not been able to scrape {{ $labels.service }} at {{ $labels.instance }} for over a minute: the process is down, unreachable or not answering /metrics.",
        },
        {
          alert: "HighErrorRate",
          expr: `${serviceErrorRatio} > ${num(t.errorRatioCritical)}`,
          for: "5m",
          severity: "critical",
          ownedByService: true,
          summary: "{{ $labels.service }} is failing {{ $value | humanizePercentage }} of requests",
          description: `{{ $value | humanizePercentage }} of {{ $labels.service }} requests returned 5xx over the last 5 minutes (threshold ${num(t.errorRatioCritical * 100)}%).`,
        },
        {
          alert: "HighLatency",
          expr: `${serviceLatency.p95} > ${num(t.latencyP95WarningSeconds)}`,
          for: "5m",
          severity: "warning",
          ownedByService: true,
          summary: "{{ $labels.service }} is slow: p95 {{ $value | humanizeDuration }}",
          description: `95% of {{ $labels.service }} requests finish within {{ $value | humanizeDuration }}, above the ${num(t.latencyP95WarningSeconds)}s target.`,
        },
        {
          alert: "VeryHighLatency",
          expr: `${serviceLatency.p95} > ${num(t.latencyP95CriticalSeconds)}`,
          for: "3m",
          severity: "critical",
          ownedByService: true,
          summary: "{{ $labels.service }} is very slow: p95 {{ $value | humanizeDuration }}",
          description: `95% of {{ $labels.service }} requests finish within {{ $value | humanizeDuration }}, above the ${num(t.latencyP95CriticalSeconds)}s limit; users are likely timing out.`,
        },
        {
          alert: "ServiceTrafficDrop",
          // Compared with the same time yesterday so the daily cycle does not alert.
          expr:
            `${serviceRequestRate}\n< ${num(t.trafficDropRatio)} * (${serviceRequestRate} offset 1d)\n` +
            `and (${serviceRequestRate} offset 1d) > ${num(t.trafficDropMinRequestsPerSecond)}`,
          for: "15m",
          severity: "warning",
          ownedByService: true,
          summary: "{{ $labels.service }} traffic dropped to {{ $value | humanize }} req/s",
          description: `{{ $labels.service }} is serving {{ $value | humanize }} req/s, less than ${num(t.trafficDropRatio * 100)}% of its rate at the same time yesterday. Clients may be failing before they reach it.`,
        },
      ],
    },
  ],
};
