/** The bench's pure parts: verdicts against goals, by how much a goal is missed, the table, drill medians, the series shape. */
import { describe, expect, it } from "vitest";
import { summarizeDrillRuns } from "../../bench/drill";
import { assess, formatValue, goals, median, renderTable, summarize } from "../../bench/goals";
import { buildSeries, shapeFor } from "../../bench/synthetic-series";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { parseStackConfig } from "../../infra/config/validate";
import { defaultThresholds as t } from "../../rules/thresholds";

describe("assess", () => {
  it("passes a value at or under the goal", () => {
    expect(assess({ section: "synth", name: "dev", value: 1000, unit: "ms", goal: goals.synth }).verdict).toBe("ok");
    expect(assess({ section: "drill", name: "x", value: 1.05, unit: "ratio", goal: goals.drillRatio }).verdict).toBe("ok");
  });

  it("says by how much a goal is missed, in the goal's unit and as a factor", () => {
    expect(assess({ section: "rules", name: "g", value: 250, unit: "ms", goal: goals.ruleGroup })).toMatchObject({ verdict: "missed", missedBy: "+150 ms (2.50× the goal)" });
    expect(assess({ section: "drill", name: "x", value: 1.32, unit: "ratio", goal: goals.drillRatio })).toMatchObject({ verdict: "missed", missedBy: "+0.22 (1.20× the goal)" });
    expect(assess({ section: "memory", name: "dev", value: 3584, unit: "MiB", goal: goals.devMemory })).toMatchObject({ missedBy: "+512 MiB (1.17× the goal)" });
    // A goal of zero has no factor.
    expect(assess({ section: "rules", name: "failures", value: 3, unit: "count", goal: goals.ruleFailures })).toMatchObject({ verdict: "missed", missedBy: "+3" });
  });

  it("keeps a missing measurement apart from a met goal", () => {
    expect(assess({ section: "drill", name: "x", value: undefined, unit: "ratio", goal: goals.drillRatio }).verdict).toBe("not measured");
    expect(assess({ section: "drill", name: "x", value: Number.NaN, unit: "ratio", goal: goals.drillRatio }).verdict).toBe("not measured");
    expect(assess({ section: "scale", name: "series", value: 100_000, unit: "series" }).verdict).toBe("no goal");
  });

  it("refuses a goal in another unit than the value", () => {
    expect(() => assess({ section: "s", name: "n", value: 1, unit: "s", goal: goals.synth })).toThrow("s/n: goal in ms for a value in s");
  });
});

describe("formatting", () => {
  it("prints values with their unit", () => {
    expect(formatValue(12.345, "ms")).toBe("12.3 ms");
    expect(formatValue(1234.5, "ms")).toBe("1235 ms");
    expect(formatValue(1.1, "ratio")).toBe("1.10×");
    expect(formatValue(2880, "MiB")).toBe("2880 MiB (2.81 GiB)");
    expect(formatValue(100352, "series")).toBe("100,352");
  });

  it("renders one aligned line per measurement, a missed goal in capitals, and a summary count", () => {
    const s = summarize([
      { section: "synth", name: "dev", value: 90, unit: "ms", goal: goals.synth, note: "median of 3" },
      { section: "rules", name: "slow;group", value: 120, unit: "ms", goal: goals.ruleGroup },
      { section: "drill", name: "x", value: undefined, unit: "ratio", goal: goals.drillRatio, note: "drill/run.ts is not in this checkout yet" },
    ]);
    expect([s.met, s.missed, s.notMeasured]).toEqual([1, 1, 1]);
    const lines = renderTable(s.rows).split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^section\s+measurement\s+value\s+goal\s+verdict\s+note$/);
    expect(lines[2]).toMatch(/^synth\s+dev\s+90\.0 ms\s+≤ 1000 ms\s+ok\s+median of 3$/);
    expect(lines[3]).toContain("MISSED by +20.0 ms (1.20× the goal)");
    expect(lines[4]).toMatch(/—.*not measured\s+drill\/run\.ts is not in this checkout yet/);
    // Columns line up: every value starts where the header's does.
    const at = lines[0].indexOf("value");
    for (const l of lines.slice(2)) expect(l.slice(at - 2, at)).toBe("  ");
  });
});

describe("median and drill runs", () => {
  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("groups scenarios across runs and reports medians and runs not ok", () => {
    // `ideal: null`: the run's ideal floor could not be worked out.
    const run = (latencyMs: number | undefined, ok = true, ideal: number | null = 10_000) => {
      const idealFloorMs = ideal ?? undefined;
      return {
        scenarios: [
          {
            name: "host-down",
            latencyMs,
            pipelineFloorMs: 12_000,
            idealFloorMs,
            ratio: latencyMs === undefined || idealFloorMs === undefined ? undefined : latencyMs / idealFloorMs,
            ok,
          },
        ],
      };
    };
    expect(summarizeDrillRuns([run(10_500), run(12_000, false), run(11_000)])).toEqual([
      { name: "host-down", runs: 3, measuredRuns: 3, medianLatencyMs: 11_000, medianPipelineFloorMs: 12_000, medianIdealFloorMs: 10_000, medianRatio: 1.1, failedRuns: 1 },
    ]);
    // A run whose alert never arrived has no latency: it is counted as not ok, not as zero.
    expect(summarizeDrillRuns([run(10_500), run(undefined, false), run(11_500)])[0]).toMatchObject({ runs: 3, measuredRuns: 2, medianLatencyMs: 11_000, failedRuns: 1 });
    // Nor is a run whose ideal floor could not be worked out measured against another floor.
    expect(summarizeDrillRuns([run(10_500), run(30_000, true, null), run(11_500)])[0]).toMatchObject({ runs: 3, measuredRuns: 2, medianLatencyMs: 11_000, medianRatio: 1.1 });
  });
});

describe("synthetic series", () => {
  it("sizes a shape to within 2% of the target, with unique series", () => {
    for (const target of [20_000, 100_000]) {
      const series = buildSeries(shapeFor(target));
      expect(Math.abs(series.length - target) / target).toBeLessThan(0.02);
      expect(new Set(series.map((s) => s.key)).size).toBe(series.length);
    }
  });

  it("includes the dev stack's api service with the SLO bucket the latency SLI reads", () => {
    const keys = buildSeries(shapeFor(20_000)).map((s) => s.key);
    expect(keys.some((k) => k.startsWith("http_request_duration_seconds_bucket{") && k.includes('service="api"') && k.includes('le="0.5"'))).toBe(true);
    expect(keys.some((k) => k.startsWith('up{job="node"'))).toBe(true);
  });
});

describe("synthetic series are a healthy system", () => {
  // Rates per second (counters) or values (gauges), summed over the series of one name whose labels match.
  const series = buildSeries(shapeFor(20_000));
  const total = (name: string, match: Record<string, string> = {}) =>
    series.filter((x) => x.key.startsWith(`${name}{`) && Object.entries(match).every(([k, v]) => x.key.includes(`${k}="${v}"`))).reduce((n, x) => n + x.rate, 0);
  const api = parseStackConfig("dev", readStackFile(stackFilePath("dev"))).config.services.find((svc) => svc.name === "api");

  it("serves the dev stack's api within its SLOs, so no burn-rate alert is pending (the bench's 'alerts pending or firing' row checks the rest live)", () => {
    const slo = (type: string) => api?.slos.find((x) => x.type === type);
    const failed = total("http_requests_total", { service: "api", status_code: "500" }) / total("http_requests_total", { service: "api" });
    expect(failed).toBeLessThan(1 - (slo("availability")?.objective ?? 0) / 100);
    const slow = 1 - total("http_request_duration_seconds_bucket", { service: "api", le: "0.5" }) / total("http_request_duration_seconds_count", { service: "api" });
    expect(slow).toBeLessThan(1 - (slo("latency")?.objective ?? 0) / 100);
  });

  it("keeps hosts inside the host alerts' thresholds", () => {
    const errors = total("node_network_receive_errs_total") + total("node_network_transmit_errs_total");
    const packets = total("node_network_receive_packets_total") + total("node_network_transmit_packets_total");
    expect(errors / packets).toBeLessThan(t.hostNetworkErrorRatio);
    const offsets = series.filter((x) => x.key.startsWith("node_timex_offset_seconds{")).map((x) => Math.abs(x.rate));
    expect(Math.max(...offsets)).toBeLessThan(t.hostClockSkewSeconds);
    expect(1 - total("node_memory_MemAvailable_bytes") / total("node_memory_MemTotal_bytes")).toBeLessThan(t.hostMemoryWarning);
    expect(1 - total("node_filesystem_avail_bytes") / total("node_filesystem_size_bytes")).toBeLessThan(t.hostDiskWarning);
  });
});
