/** The loopback rewrite and Grafana substitution the live tests rely on: pure checks, no processes. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { formatVariable, substituteMacros, substituteVariables } from "../../harness/grafana-variables";
import { hostOf, rewriteForLoopback } from "./loopback";

const config = `
global: { scrape_interval: 15s, evaluation_interval: 15s }
alerting: { alertmanagers: [{ static_configs: [{ targets: ["alertmanager-0:9093"] }] }] }
rule_files: [/etc/prometheus/rules/*.yml]
scrape_configs:
  - job_name: node
    static_configs: [{ targets: ["node-exporter:9100"] }]
  - job_name: loki
    static_configs: [{ targets: ["loki:3100"] }]
  - job_name: probe
    metrics_path: /probe
    static_configs: [{ targets: ["http://host.docker.internal:8080/healthz"] }]
    relabel_configs:
      - { source_labels: [__address__], target_label: __param_target }
      - { target_label: __address__, replacement: "blackbox-exporter:9115" }
`;
const addresses = {
  "alertmanager-0:9093": "127.0.0.1:1001",
  "node-exporter:9100": "127.0.0.1:1002",
  "blackbox-exporter:9115": "127.0.0.1:1003",
  "host.docker.internal:8080": "127.0.0.1:1004",
};

describe("rewriteForLoopback", () => {
  it("maps aliases to loopback ports, drops listed jobs with their reason, shortens intervals and points rule_files at the test dir", () => {
    const r = rewriteForLoopback(config, { addresses, drop: { loki: "not here" }, ruleFiles: ["/tmp/r/*.yml"], interval: "1s" });
    const doc = parse(r.yaml);
    expect(r.dropped).toEqual([{ job: "loki", targets: ["loki:3100"], reason: "not here" }]);
    expect(r.kept).toEqual({ node: ["127.0.0.1:1002"], probe: ["http://127.0.0.1:1004/healthz"] });
    expect(doc.scrape_configs[1].relabel_configs[1].replacement).toBe("127.0.0.1:1003");
    expect(doc.alerting.alertmanagers[0].static_configs[0].targets).toEqual(["127.0.0.1:1001"]);
    expect(doc.global).toEqual({ scrape_interval: "1s", evaluation_interval: "1s" });
    expect(doc.rule_files).toEqual(["/tmp/r/*.yml"]);
  });

  it("refuses a target it can neither map nor drop, naming the job", () => {
    expect(() => rewriteForLoopback(config, { addresses, drop: {}, ruleFiles: [], interval: "1s" })).toThrow(/job 'loki': target 'loki:3100' is not on 127\.0\.0\.1/);
  });

  it("refuses to drop a job the config does not have, so the drop list cannot go stale", () => {
    expect(() => rewriteForLoopback(config, { addresses, drop: { loki: "x", tempo: "y" }, ruleFiles: [], interval: "1s" })).toThrow(
      "drop lists job(s) the config does not have: tempo",
    );
  });

  it("reads hosts of addresses and URLs", () => {
    expect(hostOf("node-exporter:9100")).toBe("node-exporter");
    expect(hostOf("https://example.test:443/x")).toBe("example.test");
  });
});

describe("Grafana substitution", () => {
  it("formats one value and 'All' as Grafana's Prometheus data source does, escaping regex specials for a PromQL string", () => {
    expect(formatVariable(["api"])).toBe("api");
    expect(formatVariable(["127.0.0.1:9100", "b"])).toBe("(127\\\\.0\\\\.0\\\\.1:9100|b)");
    expect(substituteVariables('up{service=~"$service", instance=~"${instance}"}', { service: ["api"], instance: ["a", "b"] })).toBe('up{service=~"api", instance=~"(a|b)"}');
  });

  it("turns $__rate_interval into 4 × scrape interval and $__range into the dashboard range", () => {
    expect(substituteMacros("rate(x[$__rate_interval]) + avg_over_time(y[$__range])", { scrapeIntervalSeconds: 15, rangeSeconds: 3600 })).toBe(
      "rate(x[60s]) + avg_over_time(y[3600s])",
    );
  });

  it("fails on a variable the dashboard does not define", () => {
    expect(() => substituteVariables('up{job=~"$nope"}', {})).toThrow("variable $nope has no value");
  });
});
