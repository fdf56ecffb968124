/**
 * Production overview: the four golden signals for every service on one
 * screen. Reads the per-service recording rules, so it stays cheap with many
 * services and long ranges.
 */
import * as common from "@grafana/grafana-foundation-sdk/common";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { dashboardUids } from "../model/conventions";
import { serviceErrorRatio, serviceLatency, serviceRequestRate } from "../rules/names";
import { alertThresholds, type DashboardContext } from "./context";
import { baseDashboard, errorRatioThresholds, finish, prom, row, serviceVariable, statPanel, tablePanel, thresholds, timeseriesPanel } from "./base";
import { byService, rate, sel } from "./selectors";

const requests = sel(serviceRequestRate, byService);
const errorRatio = sel(serviceErrorRatio, byService);

/** Error ratio across the selected services, weighted by each one's traffic. */
const weightedErrorRatio = `sum(${errorRatio} * on (service) ${requests}) / sum(${requests})`;

export function overviewDashboard(ctx: DashboardContext): Dashboard {
  const builder = baseDashboard(dashboardUids.overview, "Production overview", ctx.environment)
    .description("Golden signals — traffic, errors, latency, saturation — for every monitored service.")
    .withVariable(serviceVariable())
    .withRow(row("Now"))
    .withPanel(
      statPanel({
        title: "Requests",
        description: "Requests per second across the selected services, averaged over 5 minutes.",
        targets: [prom(`sum(${requests})`, { instant: true })],
        unit: "reqps",
      }).colorMode(common.BigValueColorMode.None), // traffic is neither good nor bad
    )
    .withPanel(
      statPanel({
        title: "Error ratio",
        description: "Share of requests answered with a 5xx status, weighted by traffic across the selected services.",
        targets: [prom(weightedErrorRatio, { instant: true })],
        unit: "percentunit",
      }).thresholds(errorRatioThresholds(alertThresholds(ctx).errorRatioCritical)),
    )
    .withPanel(
      statPanel({
        title: "Worst p99 latency",
        description: "The slowest service's 99th percentile response time over the last 5 minutes.",
        targets: [prom(`max(${sel(serviceLatency.p99, byService)})`, { instant: true })],
        unit: "s",
      }).thresholds(thresholds([null, "green"], [0.5, "orange"], [1, "red"])),
    )
    .withPanel(
      statPanel({
        title: "Targets down",
        description: "Scrape targets of the selected services that Prometheus cannot reach. Anything above zero needs a look.",
        targets: [prom(`count(${sel("up", byService)} == 0) or vector(0)`, { instant: true })],
      }).thresholds(thresholds([null, "green"], [1, "red"])),
    )
    .withRow(row("Golden signals per service"))
    .withPanel(
      timeseriesPanel({
        title: "Traffic",
        description: "Requests per second for each service (5-minute rate).",
        targets: [prom(requests, { legend: "{{service}}" })],
        unit: "reqps",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Errors",
        description: "Share of each service's requests that returned 5xx. A rising line is the earliest sign of an outage.",
        targets: [prom(errorRatio, { legend: "{{service}}" })],
        unit: "percentunit",
      }).min(0),
    )
    .withPanel(
      timeseriesPanel({
        title: "Latency p95 / p99",
        description: "95th and 99th percentile response time per service over 5 minutes. The gap between them shows how long the tail is.",
        targets: [prom(sel(serviceLatency.p95, byService), { legend: "{{service}} p95" }), prom(sel(serviceLatency.p99, byService), { legend: "{{service}} p99" })],
        unit: "s",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Saturation: database connection pool",
        description: "Share of each service's database connection pool in use. Near 100% requests queue for a connection and latency climbs.",
        targets: [prom(`max by (service) (${sel("db_connection_pool_used", byService)} / ${sel("db_connection_pool_size", byService)})`, { legend: "{{service}}" })],
        unit: "percentunit",
      })
        .min(0)
        .max(1),
    )
    .withPanel(
      timeseriesPanel({
        title: "Saturation: CPU",
        description: "CPU cores each service's processes use, summed over its instances.",
        targets: [prom(`sum by (service) (${rate(sel("process_cpu_seconds_total", byService))})`, { legend: "{{service}}" })],
        unit: "short",
      }).span(24),
    )
    .withRow(row("Summary"))
    .withPanel(
      tablePanel({
        title: "Services",
        description: "Current traffic, error ratio and p99 latency of every selected service, one row each.",
        targets: [
          prom(requests, { instant: true, table: true }),
          prom(errorRatio, { instant: true, table: true }),
          prom(sel(serviceLatency.p99, byService), { instant: true, table: true }),
        ],
      })
        // One row per service: join the three instant results on their shared `service` column.
        .withTransformation({ id: "merge", options: {} })
        .withTransformation({
          id: "organize",
          options: {
            excludeByName: { Time: true },
            renameByName: { "Value #A": "Requests/s", "Value #B": "Error ratio", "Value #C": "p99 (s)" },
          },
        }),
    );
  return finish(builder);
}
