/**
 * Uptime & certificates: the blackbox probes — is each endpoint answering,
 * how fast, with which status, and when its TLS certificate expires.
 */
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { dashboardUids, jobs } from "../model/conventions";
import type { DashboardContext } from "./context";
import { baseDashboard, finish, instanceVariable, prom, row, statPanel, tablePanel, thresholds, timeseriesPanel, upDownMappings } from "./base";
import { byInstance, byJob, sel } from "./selectors";

const probes = byJob(jobs.blackbox);
const probe = (metric: string) => sel(metric, probes, byInstance);

export function uptimeDashboard(ctx: DashboardContext): Dashboard {
  const builder = baseDashboard(dashboardUids.uptime, "Uptime & certificates", ctx.environment)
    .description("Blackbox probes: availability, response time, HTTP status, DNS and certificate expiry of every endpoint.")
    .withVariable(instanceVariable(sel("probe_success", probes)))
    .withRow(row("Availability"))
    .withPanel(
      statPanel({
        title: "Probe status",
        description: "Latest result of each endpoint's probe. DOWN means the endpoint failed its check (connection, status code, TLS or DNS).",
        targets: [prom(probe("probe_success"), { instant: true, legend: "{{instance}}" })],
      })
        .mappings(upDownMappings)
        .span(24),
    )
    .withPanel(
      timeseriesPanel({
        title: "Probe duration",
        description: "Total time each probe took, connection to last byte. Rising durations come before timeouts.",
        targets: [prom(probe("probe_duration_seconds"), { legend: "{{instance}}" })],
        unit: "s",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "HTTP phases",
        description: "Where HTTP probe time goes: resolve, connect, tls, processing (server think time) and transfer.",
        targets: [prom(`sum by (instance, phase) (${probe("probe_http_duration_seconds")})`, { legend: "{{instance}} {{phase}}" })],
        unit: "s",
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: "DNS lookup time",
        description: "Time spent resolving each endpoint's name. Slow lookups add to every request users make.",
        targets: [prom(probe("probe_dns_lookup_time_seconds"), { legend: "{{instance}}" })],
        unit: "s",
      }),
    )
    .withPanel(
      tablePanel({
        title: "HTTP status codes",
        description: "The status code each HTTP endpoint returned on its latest probe (0 when no response arrived).",
        targets: [prom(probe("probe_http_status_code"), { instant: true, table: true })],
      })
        .span(12)
        .withTransformation({ id: "organize", options: { excludeByName: { Time: true, __name__: true }, renameByName: { Value: "Status" } } }),
    )
    .withRow(row("Certificates"))
    .withPanel(
      statPanel({
        title: "Days until certificate expiry",
        description: "Days before the earliest certificate in each endpoint's chain expires. Renew before 14 days; under 7 days browsers will soon refuse the site.",
        targets: [prom(`(${probe("probe_ssl_earliest_cert_expiry")} - time()) / 86400`, { instant: true, legend: "{{instance}}" })],
        unit: "none",
      })
        .decimals(0)
        .span(24)
        .thresholds(thresholds([null, "red"], [7, "orange"], [14, "green"])),
    );
  return finish(builder);
}
