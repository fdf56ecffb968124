/**
 * The checks of a stack against what it makes of itself, on their edges: the
 * corpus (bad-stacks.ts) has one failing case of each; here both sides of the
 * line.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig, type RawStackConfig } from "../../infra/config/validate";

const dev = (values: Record<string, unknown> = {}): RawStackConfig => ({
  values: { services: [{ name: "api", targets: ["api:8080"], slos: [{ name: "latency", type: "latency", objective: 99, threshold: "500ms" }] }], ...values },
  secrets: new Set(),
});
const prod = (values: Record<string, unknown> = {}): RawStackConfig => ({
  values: { cluster: { name: "eks", region: "eu-west-1" }, services: [{ name: "api" }], ...values },
  secrets: new Set(),
});

function problems(stack: string, raw: RawStackConfig): string[] {
  try {
    parseStackConfig(stack, raw);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.key}: ${p.message}`);
  }
}

describe("ports after docker.portOffset", () => {
  it.each([
    ["jaeger", 48849, []],
    [
      "jaeger",
      48850,
      [
        "watchpost:docker.portOffset: publishes Jaeger's UI on 65536, beyond the highest TCP port 65535; expected at most 48849 with this stack (its highest port is 16686, Jaeger's UI); lower the offset",
      ],
    ],
    ["tempo", 53190, []],
    [
      "tempo",
      53191,
      [
        "watchpost:docker.portOffset: publishes Alloy on 65536, beyond the highest TCP port 65535; expected at most 53190 with this stack (its highest port is 12345, Alloy); lower the offset",
      ],
    ],
  ])("with %s and offset %d", (backend, offset, expected) => {
    expect(problems("dev", dev({ docker: { portOffset: offset }, tracing: { backend } }))).toEqual(expected);
  });
});

describe("volume sizes on Kubernetes (gp3: up to 16Ti)", () => {
  it("takes 16Ti and refuses 16385Gi", () => {
    expect(problems("prod", prod({ prometheus: { volumeSize: "16Ti" } }))).toEqual([]);
    expect(problems("prod", prod({ logging: { volumeSize: "16385Gi" } }))).toEqual(["watchpost:logging.volumeSize: is beyond the largest gp3 volume, 16Ti; expected at most 16Ti"]);
  });

  it("does not hold Docker's named volumes to gp3", () => {
    expect(problems("dev", dev({ prometheus: { volumeSize: "20Ti" } }))).toEqual([]);
  });
});

describe("threshold overrides", () => {
  it("keep warnings before critical alerts, whichever way the threshold runs", () => {
    expect(problems("dev", dev({ alerts: { thresholds: { tlsExpiryCriticalDays: 20 } } }))).toEqual([
      "watchpost:alerts.thresholds.tlsExpiryCriticalDays: tlsExpiryWarningDays (14) must be above tlsExpiryCriticalDays (20), or the warning would come after the critical alert; raise tlsExpiryWarningDays or lower tlsExpiryCriticalDays",
    ]);
    expect(problems("dev", dev({ alerts: { thresholds: { latencyP95WarningSeconds: 1, latencyP95CriticalSeconds: 3, postgresDeadlocks: 0, hostInodesFree: 1 } } }))).toEqual([]);
  });
});

describe("service names", () => {
  it("clash with the stack's own jobs on Kubernetes too", () => {
    expect(problems("prod", prod({ services: [{ name: "alertmanager" }] }))).toEqual([
      "watchpost:services[0].name: clashes with the stack's own scrape job \"alertmanager\": a service's name is its job and service label, so its series and alerts would mix with that job's; rename the service, such as alertmanager-app",
    ]);
  });
});

describe("latency SLO thresholds and the bucket convention", () => {
  it.each(["5ms", "250ms", "500ms", "1s", "2500ms", "10s"])("%s is a default bucket: no warning", (threshold) => {
    const raw = dev();
    (raw.values.services as any)[0].slos[0].threshold = threshold;
    expect(parseStackConfig("dev", raw).warnings).toEqual([]);
  });

  it("warns, naming the buckets, for a threshold off them", () => {
    const raw = dev();
    (raw.values.services as any)[0].slos[0].threshold = "2s";
    expect(parseStackConfig("dev", raw).warnings).toEqual([
      'watchpost:services[0].slos[0].threshold: 2s (le="2") is not one of the default histogram buckets of the Prometheus client libraries (5ms, 10ms, 25ms, 50ms, 100ms, 250ms, 500ms, 1s, 2.5s, 5s, 10s); the SLO reads http_request_duration_seconds_bucket{le="2"}, so unless api declares that bucket the SLO has no data and SLOMetricAbsent fires; use one of those thresholds, or add 2 to the service\'s buckets',
    ]);
  });
});
