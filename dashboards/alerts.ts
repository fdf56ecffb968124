/**
 * Alerts & SLA: what is firing now, what fired recently, and availability
 * over the selected time range — the numbers an SLA report quotes.
 */
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { alertHistory, dashboardUids, jobs } from "../model/conventions";
import type { DashboardContext } from "./context";
import { baseDashboard, datasources, finish, logql, logsPanel, prom, row, serviceVariable, stacked, statPanel, tablePanel, thresholds, timeseriesPanel } from "./base";
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
  if (ctx.alertHistory) notificationHistory(builder);
  return finish(builder);
}

/** The alert history's stream, each line one notification as Alertmanager sent it (JSON). */
const historyStream = `{service_name="${alertHistory.serviceName}"}`;
const historyFields = `json receiver="receiver", status="status", alertname="groupLabels.alertname", severity="commonLabels.severity"`;

/** What fired, when, for how long, and who was told: every notification any receiver sent. */
function notificationHistory(builder: ReturnType<typeof baseDashboard>): void {
  builder
    .withRow(row("Notification history"))
    .withPanel(
      timeseriesPanel({
        title: "Notifications sent",
        description: "Notifications per receiver (who was told) and status (firing or resolved), per interval.",
        targets: [logql(`sum by (receiver, status) (count_over_time(${historyStream} | ${historyFields} [$__auto]))`, { legend: "{{receiver}} {{status}}" })],
        datasource: datasources.loki,
      })
        .span(24)
        .stacking(stacked()),
    )
    .withPanel(
      tablePanel({
        title: "Who was told, per alert (range)",
        description: "Notifications over the selected range by alert, severity, receiver and status. Set the range to a year to read the whole history.",
        targets: [logql(`sum by (alertname, severity, receiver, status) (count_over_time(${historyStream} | ${historyFields} [$__range]))`)],
        datasource: datasources.loki,
      }),
    )
    .withPanel(
      logsPanel({
        title: "Notifications",
        description: "Each notification as Alertmanager sent it, newest first: its receiver, status, every alert with its labels, startsAt and endsAt (how long it fired).",
        targets: [logql(historyStream, { maxLines: 1000 })],
      }),
    );
}
