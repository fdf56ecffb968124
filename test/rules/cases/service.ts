import { fires, type PackCases, quiet, s } from "./types";

const api = 'job="api",service="api",instance="api-1:8080"';
const team = { service: "api", team: "platform" };
const requests = (okPerMin: number, errorsPerMin: number) => [
  s(`http_requests_total{${api},method="GET",route="/orders",status_code="200"}`, `0+${okPerMin}x30`),
  s(`http_requests_total{${api},method="GET",route="/orders",status_code="500"}`, `0+${errorsPerMin}x30`),
];
/** Every request in the bucket ending at `le`; the bucket below it is empty. */
const latency = (below: string, le: string) => [
  s(`http_request_duration_seconds_bucket{${api},le="${below}"}`, "0x30"),
  s(`http_request_duration_seconds_bucket{${api},le="${le}"}`, "0+60x30"),
  s(`http_request_duration_seconds_bucket{${api},le="+Inf"}`, "0+60x30"),
  s(`http_request_duration_seconds_count{${api}}`, "0+60x30"),
];
// 100 req/s for a day, then `after` req/s.
const traffic = (after: number) => [s(`http_requests_total{${api},method="GET",route="/",status_code="200"}`, `0+6000x1440 8640000+${after * 60}x60`)];

export const serviceCases: PackCases = {
  files: ["service.rules.yml", "service-owners.rules.yml"],
  cases: [
    fires("ServiceDown", "target down for over 1m", "3m", [s(`up{${api}}`, "0x5")], [{ labels: { severity: "critical", job: "api", instance: "api-1:8080", ...team } }]),
    quiet("ServiceDown", "down for less than its 1m for", "3m", [s(`up{${api}}`, "1 1 1 0")]),
    fires(
      "ServiceDown",
      "back up since the last evaluation: keeps firing for its 1m keep_firing_for, so the alerts it inhibits resolve first",
      "4m",
      [s(`up{${api}}`, "0x3 1x10")],
      [{ labels: { severity: "critical", job: "api", instance: "api-1:8080", ...team } }],
    ),
    quiet("ServiceDown", "back up for its whole 1m keep_firing_for", "5m", [s(`up{${api}}`, "0x3 1x10")]),
    quiet("ServiceDown", "exporter jobs with a service label are not services", "3m", [s('up{job="blackbox",service="api",instance="x"}', "0x5")]),
    fires("HighErrorRate", "10% of requests fail", "15m", requests(90, 10), [{ labels: { severity: "critical", ...team }, value: "10%" }]),
    quiet("HighErrorRate", "4% fail, under the 5% threshold", "15m", requests(96, 4)),
    fires("HighLatency", "p95 4.85s", "15m", latency("2", "5"), [{ labels: { severity: "warning", ...team }, value: "4.85s" }]),
    quiet("HighLatency", "p95 1.95s", "15m", latency("1", "2")),
    fires("VeryHighLatency", "p95 9.75s", "15m", latency("5", "10"), [{ labels: { severity: "critical", ...team }, value: "9.75s" }]),
    quiet("VeryHighLatency", "p95 4.85s is only HighLatency", "15m", latency("2", "5")),
    fires("ServiceTrafficDrop", "100 -> 10 req/s against yesterday", "1d50m", traffic(10), [{ labels: { severity: "warning", ...team }, value: "10" }]),
    quiet("ServiceTrafficDrop", "100 -> 60 req/s is above half", "1d50m", traffic(60)),
  ],
  exprs: [
    {
      name: "per-route buckets sum instances, methods and status codes; per-service buckets sum those",
      at: "15m",
      series: [
        s('http_request_duration_seconds_bucket{job="api",service="api",instance="api-1:8080",route="/orders",method="GET",status_code="200",le="0.5"}', "0+60x30"),
        s('http_request_duration_seconds_bucket{job="api",service="api",instance="api-1:8080",route="/orders",method="POST",status_code="500",le="0.5"}', "0+120x30"),
        s('http_request_duration_seconds_bucket{job="api",service="api",instance="api-2:8080",route="/orders",method="GET",status_code="200",le="0.5"}', "0+30x30"),
        s('http_request_duration_seconds_bucket{job="api",service="api",instance="api-2:8080",route="/",method="GET",status_code="200",le="0.5"}', "0+6x30"),
      ],
      expr: '{__name__=~"service_route_le:.*|service_le:.*"}',
      samples: [
        { labels: 'service_route_le:http_request_duration_seconds_bucket:rate5m{service="api",route="/orders",le="0.5"}', value: 3.5 },
        { labels: 'service_route_le:http_request_duration_seconds_bucket:rate5m{service="api",route="/",le="0.5"}', value: 0.1 },
        { labels: 'service_le:http_request_duration_seconds_bucket:rate5m{service="api",le="0.5"}', value: 3.6 },
      ],
    },
  ],
};
