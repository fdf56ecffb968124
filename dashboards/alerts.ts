/**
 * Alerts & SLA: what is firing now, what fired recently, and availability
 * over the selected time range — the numbers an SLA report quotes.
 */
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { dashboardUids, jobs } from "../model/conventions";
import type { DashboardContext } from "./context";
import { baseDashboard, finish, prom, row, serviceVariable, statPanel, tablePanel, thresholds, timeseriesPanel } from "./base";
import { byJob, byService, eq, rangeWindow, sel } from "./selectors";

const firing = sel("ALERTS", { alertstate: eq("firing") });
const pending = sel("ALERTS", { alertstate: eq("pending") });
/** Availability targets the SLA panels colour against. */
const slaThresholds = () => thresholds([null, "red"], [0.99, "orange"], [0.999, "green"]);

export function alertsDashboard(ctx: DashboardContext): Dashboard {
  const builder = baseDashboard(dashboardUids.alerts, "Alerts & SLA", ctx.environment)
    .description("Firing alerts and availability over the selected time range.")
    .withVariable(serviceVariable())
    .withRow(row("Alerts"))
    .withPanel(
      statPanel({
        title: "Firing",
        description: "Alerts firing now, all severities.",
        targets: [prom(`count(${firing}) or vector(0)`, { instant: true })],
      }).thresholds(thresholds([null, "green"], [1, "red"])),
    )
    .withPanel(
      statPanel({
        title: "Critical firing",
        description: "Critical alerts firing now: each of these pages someone.",
        targets: [prom(`count(${sel("ALERTS", { alertstate: eq("firing"), severity: eq("critical") })}) or vector(0)`, { instant: true })],
      }).thresholds(thresholds([null, "green"], [1, "red"])),
    )
    .withPanel(
      statPanel({
        title: "Pending",
        description: "Alerts whose condition is true but whose `for` duration has not passed yet: they fire if nothing changes.",
        targets: [prom(`count(${pending}) or vector(0)`, { instant: true })],
      }).thresholds(thresholds([null, "green"], [1, "orange"])),
    )
    .withPanel(
      statPanel({
        title: "Services below 99.9% (range)",
        description: "Selected services whose scrape availability over the selected time range is under 99.9%.",
        targets: [
          prom(`count(avg by (service) (avg_over_time(${sel("up", byService)}[${rangeWindow}])) < 0.999) or vector(0)`, {
            instant: true,
          }),
        ],
      }).thresholds(thresholds([null, "green"], [1, "orange"])),
    )
    .withPanel(
      tablePanel({
        title: "Active alerts",
        description: "Every alert firing now with its labels. Silence or acknowledge in Alertmanager; fix with the runbook linked from the notification.",
        targets: [prom(firing, { instant: true, table: true })],
      })
        // Only the labels matter here; the constant sample value and timestamp add nothing.
        .withTransformation({ id: "organize", options: { excludeByName: { Time: true, Value: true, __name__: true, alertstate: true } } }),
    )
    .withPanel(
      timeseriesPanel({
        title: "Alerts firing over time",
        description: "Firing alerts by name across the selected range — shows flapping alerts and incident timelines.",
        targets: [prom(`count by (alertname) (${firing})`, { legend: "{{alertname}}" })],
      }).span(24),
    )
    .withRow(row("SLA compliance"))
    .withPanel(
      statPanel({
        title: "Service availability (scrape)",
        description: "Share of scrapes that succeeded per service over the selected time range. Set the range to the SLA period (such as the last 30 days) to read compliance.",
        targets: [prom(`avg by (service) (avg_over_time(${sel("up", byService)}[${rangeWindow}]))`, { instant: true, legend: "{{service}}" })],
        unit: "percentunit",
      })
        .decimals(3)
        .span(24)
        .thresholds(slaThresholds()),
    )
    .withPanel(
      statPanel({
        title: "Endpoint availability (probes)",
        description: "Share of blackbox probes that succeeded per endpoint over the selected time range — availability as a user outside sees it.",
        targets: [
          prom(`avg by (instance) (avg_over_time(${sel("probe_success", byJob(jobs.blackbox))}[${rangeWindow}]))`, {
            instant: true,
            legend: "{{instance}}",
          }),
        ],
        unit: "percentunit",
      })
        .decimals(3)
        .span(24)
        .thresholds(slaThresholds()),
    );
  return finish(builder);
}
