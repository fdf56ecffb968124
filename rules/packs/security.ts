/**
 * Security signals from application metrics. Every alert carries
 * `category="security"`, which routing sends to the security channel.
 *
 * Metrics the applications expose:
 *   auth_failures_total{service, reason}        failed logins; reason="rate_limited"
 *                                                for requests refused by a rate limiter
 *   security_suspicious_uploads_total{service}  uploads rejected by content checks
 *                                                (type mismatch, malware scan hit)
 */
import { num } from "../promql";
import type { RulePack } from "../types";

export const securityPack: RulePack = {
  id: "security",
  file: "security.rules.yml",
  dashboard: "serviceHealth",
  commonLabels: { category: "security" },
  enabledByDefault: () => true,
  groups: (_ctx, t) => [
    {
      name: "security-alerts",
      rules: [
        {
          alert: "AuthenticationFailureSpike",
          expr: `sum by (service) (rate(auth_failures_total{reason!="rate_limited"}[5m])) > ${num(t.authFailuresPerSecond)}`,
          for: "2m",
          severity: "warning",
          ownedByService: true,
          summary: "{{ $labels.service }} sees {{ $value | humanize }} failed logins/s",
          description: `{{ $labels.service }} has rejected {{ $value | humanize }} logins per second for 2 minutes (threshold ${num(t.authFailuresPerSecond)}/s): credential stuffing or a broken client.`,
        },
        {
          alert: "RateLimitViolations",
          expr: `sum by (service) (rate(auth_failures_total{reason="rate_limited"}[5m])) > ${num(t.rateLimitedPerSecond)}`,
          for: "5m",
          severity: "warning",
          ownedByService: true,
          summary: "{{ $labels.service }} rate-limits {{ $value | humanize }} requests/s",
          description: `{{ $labels.service }} has refused {{ $value | humanize }} requests/s at its rate limiter for 5 minutes (threshold ${num(t.rateLimitedPerSecond)}/s): one client is hammering it.`,
        },
        {
          alert: "SuspiciousFileUpload",
          expr: `sum by (service) (increase(security_suspicious_uploads_total[10m])) > 0`,
          severity: "critical",
          ownedByService: true,
          summary: "{{ $labels.service }} received a suspicious file upload",
          description:
            "{{ $labels.service }} rejected {{ $value | humanize }} uploads in 10 minutes that failed its content checks; someone may be probing it with malicious files.",
        },
      ],
    },
  ],
};
