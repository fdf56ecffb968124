import { fires, type PackCases, quiet, s } from "./types";

const payments = (failedPerMin: number) => [
  s('payments_total{job="payments",service="payments",outcome="failed"}', `0+${failedPerMin}x20`),
  s('payments_total{job="payments",service="payments",outcome="ok"}', `0+${100 - failedPerMin}x20`),
];

export const customCases: PackCases = {
  files: ["custom.rules.yml"],
  cases: [
    fires("PaymentFailureRateHigh", "10% of payments fail", "12m", payments(10), [{ labels: { severity: "critical", service: "payments", team: "payments" }, value: "10%" }]),
    quiet("PaymentFailureRateHigh", "3% of payments fail", "12m", payments(3)),
    fires(
      "UserRegistrationsLow",
      "3 registrations/hour",
      "100m",
      [s('user_registrations_total{job="api",service="api"}', "0+0.05x120")],
      [
        // No team in its own labels: it takes the team of the service it names (api: platform).
        { labels: { severity: "warning", service: "api", team: "platform" }, value: "3" },
      ],
    ),
    quiet("UserRegistrationsLow", "60 registrations/hour", "100m", [s('user_registrations_total{job="api",service="api"}', "0+1x120")]),
    fires(
      "ResumeProcessingStalled",
      "no resume processed for 35m",
      "35m",
      [s('resumes_processed_total{job="worker"}', "5x40")],
      [{ labels: { severity: "critical", team: "platform" }, value: "0" }],
    ),
    quiet("ResumeProcessingStalled", "resumes flowing", "35m", [s('resumes_processed_total{job="worker"}', "0+3x40")]),
  ],
};
