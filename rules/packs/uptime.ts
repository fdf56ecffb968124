/**
 * Endpoints, from blackbox exporter probes. The scrape config labels every
 * probe series with `probe` (its name in config), `probe_module` and, when the
 * probe belongs to one, `service`.
 */
import { jobs } from "../../model/conventions";
import { num } from "../promql";
import type { RulePack } from "../types";

const probes = `job="${jobs.blackbox}"`;
const day = 86400;

export const uptimePack: RulePack = {
  id: "uptime",
  file: "uptime.rules.yml",
  dashboard: "uptime",
  enabledByDefault: () => true,
  groups: (_ctx, t) => {
    const expiresIn = `probe_ssl_earliest_cert_expiry{${probes}} - time()`;
    const tlsAlert = (severity: "warning" | "critical", expr: string, within: number) => ({
      alert: "TLSCertificateExpiringSoon",
      expr,
      severity,
      runbook: "TLSCertificateExpiringSoon",
      summary: "TLS certificate of {{ $labels.instance }} expires in {{ $value | humanizeDuration }}",
      description: `The certificate served by {{ $labels.instance }} (probe {{ $labels.probe }}) expires in {{ $value | humanizeDuration }}, less than ${num(within)} days. Clients will refuse the connection once it does.`,
    });
    return [
      {
        name: "uptime-alerts",
        rules: [
          {
            alert: "EndpointDown",
            expr: `probe_success{${probes},probe_module!="dns"} == 0`,
            // Longer than ServiceDown's 1m: when the service itself is down, ServiceDown
            // reaches Alertmanager first and inhibits this one, instead of racing it.
            for: "2m",
            severity: "critical",
            summary: "Endpoint {{ $labels.instance }} is down",
            description: "Probe {{ $labels.probe }} ({{ $labels.probe_module }}) has failed against {{ $labels.instance }} for over two minutes, as seen from outside the service.",
          },
          {
            alert: "EndpointSlow",
            expr: `probe_duration_seconds{${probes},probe_module!="dns"} > ${num(t.endpointSlowSeconds)}`,
            for: "5m",
            severity: "warning",
            summary: "Endpoint {{ $labels.instance }} takes {{ $value | humanizeDuration }} to answer",
            description: `Probe {{ $labels.probe }} has taken {{ $value | humanizeDuration }} against {{ $labels.instance }} for 5 minutes (threshold ${num(t.endpointSlowSeconds)}s).`,
          },
          // Two severities of one symptom; the warning stops where the critical
          // starts, so at most one of them fires per certificate.
          tlsAlert("warning", `${expiresIn} < ${num(t.tlsExpiryWarningDays)} * ${day}\nand ${expiresIn} >= ${num(t.tlsExpiryCriticalDays)} * ${day}`, t.tlsExpiryWarningDays),
          tlsAlert("critical", `${expiresIn} < ${num(t.tlsExpiryCriticalDays)} * ${day}`, t.tlsExpiryCriticalDays),
          {
            alert: "DnsResolutionFailing",
            expr: `probe_success{${probes},probe_module="dns"} == 0`,
            for: "2m",
            severity: "critical",
            summary: "DNS resolution of {{ $labels.instance }} is failing",
            description: "DNS probe {{ $labels.probe }} has not resolved {{ $labels.instance }} for 2 minutes; clients cannot find the service even if it is up.",
          },
        ],
      },
    ];
  },
};
