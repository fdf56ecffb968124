import { fires, type PackCases, quiet, s } from "./types";

const http = 'job="blackbox",instance="https://api.example.com/healthz",probe="api-public",probe_module="http_2xx",service="api"';
const h = { job: "blackbox", instance: "https://api.example.com/healthz", probe: "api-public", probe_module: "http_2xx", service: "api" };
const dns = 'job="blackbox",instance="api.example.com",probe="api-dns",probe_module="dns",service="api"';
const d = { job: "blackbox", instance: "api.example.com", probe: "api-dns", probe_module: "dns", service: "api" };
const day = 86400;
// Evaluated at 5m (300s), so the certificate expires `days` after that.
const certExpiresIn = (days: number) => [s(`probe_ssl_earliest_cert_expiry{${http}}`, `${300 + days * day}x10`)];

const security = { category: "security", service: "api", team: "platform" };

export const uptimeCases: PackCases = {
  files: ["uptime.rules.yml"],
  cases: [
    fires("EndpointDown", "probe failing 3m", "3m", [s(`probe_success{${http}}`, "0x5")], [{ labels: { severity: "critical", ...h } }]),
    quiet("EndpointDown", "a failing DNS probe is DnsResolutionFailing", "3m", [s(`probe_success{${dns}}`, "0x5")]),
    fires("EndpointSlow", "3s probes", "8m", [s(`probe_duration_seconds{${http}}`, "3x10")], [{ labels: { severity: "warning", ...h }, value: "3s" }]),
    quiet("EndpointSlow", "1s probes", "8m", [s(`probe_duration_seconds{${http}}`, "1x10")]),
    fires("TLSCertificateExpiringSoon", "10 days left: warning", "5m", certExpiresIn(10), [{ labels: { severity: "warning", ...h }, value: "10d 0h 0m 0s" }]),
    fires("TLSCertificateExpiringSoon", "2 days left: critical only", "5m", certExpiresIn(2), [{ labels: { severity: "critical", ...h }, value: "2d 0h 0m 0s" }]),
    quiet("TLSCertificateExpiringSoon", "20 days left", "5m", certExpiresIn(20)),
    fires("DnsResolutionFailing", "not resolving for 3m", "3m", [s(`probe_success{${dns}}`, "0x5")], [{ labels: { severity: "critical", ...d } }]),
    quiet("DnsResolutionFailing", "resolving", "3m", [s(`probe_success{${dns}}`, "1x5")]),
  ],
};

export const securityCases: PackCases = {
  files: ["security.rules.yml", "service-owners.rules.yml"],
  cases: [
    fires(
      "AuthenticationFailureSpike",
      "6 failed logins/s",
      "8m",
      [s('auth_failures_total{job="api",service="api",reason="bad_password"}', "0+360x10")],
      [{ labels: { severity: "warning", ...security }, value: "6" }],
    ),
    quiet("AuthenticationFailureSpike", "rate-limited requests are not login failures", "8m", [
      s('auth_failures_total{job="api",service="api",reason="rate_limited"}', "0+360x10"),
    ]),
    fires(
      "RateLimitViolations",
      "12 rate-limited requests/s",
      "10m",
      [s('auth_failures_total{job="api",service="api",reason="rate_limited"}', "0+720x12")],
      [{ labels: { severity: "warning", ...security }, value: "12" }],
    ),
    quiet("RateLimitViolations", "8 rate-limited requests/s", "10m", [s('auth_failures_total{job="api",service="api",reason="rate_limited"}', "0+480x12")]),
    fires(
      "SuspiciousFileUpload",
      "one suspicious upload",
      "9m",
      [s('security_suspicious_uploads_total{job="api",service="api"}', "0x4 1x6")],
      [{ labels: { severity: "critical", ...security }, value: "1" }],
    ),
    quiet("SuspiciousFileUpload", "none in the last 10m", "20m", [s('security_suspicious_uploads_total{job="api",service="api"}', "0x4 1x20")]),
  ],
};
