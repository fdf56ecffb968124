/**
 * Service health: one service (or a few) in depth — is it up, how much
 * traffic, how many errors, how fast, and what it costs in memory and CPU.
 * Panels broken down by instance or route read the raw series, because the
 * per-service recording rules aggregate those labels away; the per-route
 * latency panel reads the per-route buckets recorded for it instead, because
 * a quantile over every raw bucket series is the costliest query a dashboard
 * could make (the record keeps no instance: per instance it cost the rule
 * group about 15% more in the bench and would hold a series per route, bucket and pod).
 */
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { dashboardUids } from "../model/conventions";
import { serviceErrorRatio, serviceLatency, serviceRequestRate, serviceRouteLatencyBuckets } from "../rules/names";
import { alertThresholds, type DashboardContext } from "./context";
import { baseDashboard, errorRatioThresholds, finish, instanceVariable, prom, row, serviceVariable, stacked, statPanel, timeseriesPanel, upDownMappings } from "./base";
import { byInstance, byService, rate, sel, serverErrors } from "./selectors";

const requestsTotal = (...extra: Array<Record<string, string>>) => sel("http_requests_total", byService, byInstance, ...extra);

export function serviceHealthDashboard(ctx: DashboardContext): Dashboard {
  const builder = baseDashboard(dashboardUids.serviceHealth, "Service health", ctx.environment)
    .description("Status, traffic, errors, latency and resources of the selected services.")
    .withVariable(serviceVariable())
    .withVariable(instanceVariable(sel("up", byService)))
    .withRow(row("Status"))
    .withPanel(
      statPanel({
        title: "Up",
        description: "Whether Prometheus can scrape each selected instance. DOWN means the process is gone or unreachable.",
        targets: [prom(sel("up", byService, byInstance), { instant: true, legend: "{{instance}}" })],
      }).mappings(upDownMappings),
    )
    .withPanel(
      statPanel({
        title: "Readiness probe",
        description:
          "Result of the blackbox probes declared for these services (probes with `service` set). " +
          "Fails when the endpoint stops answering as expected, even while its metrics are still scraped.",
        targets: [prom(`min by (service) (${sel("probe_success", byService)})`, { instant: true, legend: "{{service}}" })],
      })
        .mappings(upDownMappings)
        .noValue("no probe"),
    )
    .withPanel(
      statPanel({
        title: "Request rate",
        description: "Requests per second over the last 5 minutes.",
        targets: [prom(`sum(${sel(serviceRequestRate, byService)})`, { instant: true })],
        unit: "reqps",
      }),
    )
    .withPanel(
      statPanel({
        title: "5xx ratio",
        description: "Share of requests answered with a 5xx status over the last 5 minutes (worst selected service).",
        targets: [prom(`max(${sel(serviceErrorRatio, byService)})`, { instant: true })],
        unit: "percentunit",
      }).thresholds(errorRatioThresholds(alertThresholds(ctx).errorRatioCritical)),
    )
    .withRow(row("Traffic and errors"))
    .withPanel(
      timeseriesPanel({
        title: "Requests by instance",
        description: "Requests per second handled by each instance. Uneven lines point at load balancing or a sick instance.",
        targets: [prom(`sum by (instance) (${rate(requestsTotal())})`, { legend: "{{instance}}" })],
        unit: "reqps",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "5xx rate by route",
        description: "Server errors per second, split by route, so a single failing endpoint stands out.",
        targets: [prom(`sum by (route) (${rate(requestsTotal(serverErrors))})`, { legend: "{{route}}" })],
        unit: "reqps",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Status codes",
        description: "Responses per second by HTTP status code. 4xx are client mistakes; 5xx are ours.",
        targets: [prom(`sum by (status_code) (${rate(requestsTotal())})`, { legend: "{{status_code}}" })],
        unit: "reqps",
      }).stacking(stacked()),
    )
    .withPanel(
      timeseriesPanel({
        title: "Authentication failures",
        description: "Rejected logins and tokens per second by reason. A spike may be an attack or a broken client release.",
        targets: [prom(`sum by (reason) (${rate(sel("auth_failures_total", byService))})`, { legend: "{{reason}}" })],
        unit: "ops",
      }),
    )
    .withRow(row("Latency"))
    .withPanel(
      timeseriesPanel({
        title: "Latency p50 / p95 / p99",
        description: "Median, 95th and 99th percentile response time per service over 5 minutes.",
        targets: [
          prom(sel(serviceLatency.p50, byService), { legend: "{{service}} p50" }),
          prom(sel(serviceLatency.p95, byService), { legend: "{{service}} p95" }),
          prom(sel(serviceLatency.p99, byService), { legend: "{{service}} p99" }),
        ],
        unit: "s",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "p99 latency by route",
        description:
          "99th percentile response time per route over 5 minutes, across every instance of the selected services — find the slow endpoint. " +
          "The instance picker does not narrow it: the per-route buckets are recorded per service.",
        targets: [prom(`histogram_quantile(0.99, sum by (route, le) (${sel(serviceRouteLatencyBuckets, byService)}))`, { legend: "{{route}}" })],
        unit: "s",
      }),
    )
    .withRow(row("Resources"))
    .withPanel(
      timeseriesPanel({
        title: "Memory",
        description: "Resident memory of each instance's process. Steady growth without traffic growth suggests a leak.",
        targets: [prom(sel("process_resident_memory_bytes", byService, byInstance), { legend: "{{instance}}" })],
        unit: "bytes",
      }).span(8),
    )
    .withPanel(
      timeseriesPanel({
        title: "CPU",
        description: "CPU cores used by each instance's process.",
        targets: [prom(rate(sel("process_cpu_seconds_total", byService, byInstance)), { legend: "{{instance}}" })],
        unit: "short",
      }).span(8),
    )
    .withPanel(
      timeseriesPanel({
        title: "Database connection pool",
        description: "Share of each instance's database connections in use. At 100% requests wait for a free connection.",
        targets: [
          prom(`${sel("db_connection_pool_used", byService, byInstance)} / ${sel("db_connection_pool_size", byService, byInstance)}`, {
            legend: "{{instance}}",
          }),
        ],
        unit: "percentunit",
      })
        .span(8)
        .min(0)
        .max(1),
    );
  return finish(builder);
}
