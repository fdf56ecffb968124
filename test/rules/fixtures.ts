/**
 * Rule contexts for the rule tests: one stack with every pack on, and the
 * business alerts of the reference setups (seeds 003 and 004) as custom alerts.
 */
import type { RuleContext } from "../../rules";
import type { CustomAlertSpec } from "../../rules/spec";
import { alertsSpec } from "../../rules/spec";

/** Business alerts as a stack would declare them under `watchpost:alerts.custom`. */
export const businessAlerts: CustomAlertSpec[] = [
  {
    name: "PaymentFailureRateHigh",
    expr: 'sum(rate(payments_total{service="payments",outcome="failed"}[5m])) / sum(rate(payments_total{service="payments"}[5m]))',
    op: ">",
    threshold: 0.05,
    for: "5m",
    severity: "critical",
    service: "payments",
    summary: "More than 5% of payments are failing",
    description: "{{ $value | humanizePercentage }} of payment attempts failed over 5 minutes.",
    labels: { team: "payments" },
  },
  {
    name: "UserRegistrationsLow",
    expr: "sum(rate(user_registrations_total[1h])) * 3600",
    op: "<",
    threshold: 5,
    for: "30m",
    severity: "warning",
    service: "api",
    summary: "Fewer than 5 user registrations per hour",
    labels: {},
  },
  {
    name: "ResumeProcessingStalled",
    expr: "sum(increase(resumes_processed_total[15m]))",
    op: "==",
    threshold: 0,
    for: "15m",
    severity: "critical",
    summary: "No resume has been processed for 15 minutes",
    runbook: "resume-pipeline",
    labels: { team: "platform" },
  },
];

export function allPacksContext(overrides: Partial<RuleContext> = {}): RuleContext {
  return {
    environment: "prod",
    platform: "kubernetes",
    services: [
      {
        name: "api",
        team: "platform",
        slos: [
          { name: "availability", type: "availability", objective: 99.9, period: "30d" },
          { name: "latency", type: "latency", objective: 99, period: "30d", threshold: "500ms" },
        ],
      },
      { name: "payments", team: "payments", slos: [{ name: "availability", type: "availability", objective: 99, period: "30d" }] },
      { name: "web", slos: [] },
    ],
    probes: [
      { name: "api-public", service: "api", module: "http_2xx" },
      { name: "api-dns", service: "api", module: "dns" },
    ],
    exporters: { postgres: true, redis: true, rabbitmq: true, nginx: true, elasticsearch: true, mysql: true },
    logging: true,
    tracing: true,
    alerts: alertsSpec.parse({ custom: businessAlerts }),
    grafanaUrl: "https://grafana.example.com",
    retention: "30d",
    escalation: { matchers: ['severity="critical"'], levels: [{ after: "15m" }, { after: "45m" }] },
    ...overrides,
  };
}

/** The smallest stack: Docker, no exporters, no logging or tracing, no SLOs. */
export function minimalContext(overrides: Partial<RuleContext> = {}): RuleContext {
  return {
    environment: "dev",
    platform: "docker",
    services: [{ name: "api", slos: [] }],
    probes: [],
    exporters: { postgres: false, redis: false, rabbitmq: false, nginx: false, elasticsearch: false, mysql: false },
    logging: false,
    tracing: false,
    alerts: alertsSpec.parse({}),
    grafanaUrl: "http://localhost:3000",
    retention: "15d",
    ...overrides,
  };
}
