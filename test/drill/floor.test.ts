/**
 * The ideal floor's pure parts, each with a good case and a mutation: the
 * rule chain an alert reads (on the dev stack's scaled rule files and on
 * small synthetic ones), the grid, staleness, the promtool input notation,
 * reading promtool's failures back, and the ratio and notes in the report.
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { planDrill } from "../../drill/config";
import {
  type FloorGrid,
  type IdealFloor,
  type RawSeries,
  firingsOf,
  floorGrid,
  floorTestFile,
  gridValues,
  idealFloorOf,
  printedDurationMs,
  seriesText,
  withIdealFloors,
  withStaleness,
} from "../../drill/floor";
import type { ScenarioResult } from "../../drill/report";
import { scaleRuleFile } from "../../drill/rewrite";
import { chainRuleFile, ruleChain, selectorsOf } from "../../drill/rule-chain";

const scale = 1 / 15;
const devRules = planDrill("dev", readStackFile(stackFilePath("dev")), { http: "http://127.0.0.1:4000", smtp: "127.0.0.1:4025" }, scale).plan.rules.map((r) =>
  scaleRuleFile(r.content, scale, 4),
);
const names = (rules: Array<{ alert?: string; record?: string }>) => rules.map((r) => r.record ?? r.alert);
const ruleFile = (rules: object[]) => JSON.stringify({ groups: [{ name: "g", rules }] });

describe("selectors of an expression", () => {
  it("reads each selector with its range, offset and enclosing subquery, by the PromQL grammar", () => {
    expect(selectorsOf('sum(rate(http_requests_total{code=~"5.."}[5m] offset 1m)) / max_over_time(job:up:sum[10m:30s]) and up == 0 or {__name__="x"}')).toEqual([
      { selector: 'http_requests_total{code=~"5.."}', metric: "http_requests_total", reachSeconds: 360 },
      { selector: "job:up:sum", metric: "job:up:sum", reachSeconds: 600 },
      { selector: "up", metric: "up", reachSeconds: 0 },
      { selector: '{__name__="x"}', metric: "x", reachSeconds: 0 },
    ]);
  });

  it("does not mistake label names in a string or grouping for metrics", () => {
    expect(selectorsOf('sum by (job) (label_replace(up, "dst", "$1", "job", "(.*)"))').map((s) => s.selector)).toEqual(["up"]);
  });

  it("refuses an expression it cannot parse, naming it", () => {
    expect(() => selectorsOf("rate(up[5m]")).toThrow(/PromQL syntax error .* 'rate\(up\[5m\]'/);
  });
});

describe("the rule chain of an alert", () => {
  it("ServiceDown reads up and the owner table: up is exported, the owner table is a leaf", () => {
    const chain = ruleChain(devRules, "ServiceDown");
    expect(names(chain.leaves)).toEqual(["service:owner:info"]);
    expect(names(chain.rules)).toEqual(["ServiceDown"]);
    expect(chain.rawSelectors).toEqual(['up{job=~"api"}']);
    expect(chain.reachSeconds).toBe(0);
  });

  it("HighErrorRate: the error ratio reads a recorded rate and the raw 5xx counter, so promtool evaluates it over its window", () => {
    const chain = ruleChain(devRules, "HighErrorRate");
    expect(names(chain.leaves).sort()).toEqual(["service:http_requests:rate5m", "service:owner:info"]);
    expect(names(chain.rules)).toEqual(["service:http_requests_errors:ratio_rate5m", "HighErrorRate"]);
    expect(chain.rawSelectors).toEqual(['http_requests_total{status_code=~"5.."}']);
    expect(chain.reachSeconds).toBe(20); // 5m × 1/15
  });

  it("the fast burn: both its rules, every SLO's burn-rate windows as leaves, nothing raw left for promtool", () => {
    const chain = ruleChain(devRules, "SLOErrorBudgetFastBurn");
    expect(names(chain.rules)).toEqual(["SLOErrorBudgetFastBurn", "SLOErrorBudgetFastBurn"]);
    // availability and latency record the same names: both are followed
    expect(names(chain.leaves).filter((n) => n === "slo:sli_error:ratio_rate1h")).toHaveLength(2);
    expect(new Set(names(chain.leaves))).toEqual(
      new Set([
        "slo:sli_error:ratio_rate1h",
        "slo:sli_error:ratio_rate5m",
        "slo:sli_error:ratio_rate6h",
        "slo:sli_error:ratio_rate30m",
        "slo:objective:ratio",
        "service:owner:info",
      ]),
    );
    expect(chain.rawSelectors).toEqual([]);
    expect(chain.reachSeconds).toBe(0);
  });

  it("a recorded series read over a range adds its range, and the rules reading it go after it", () => {
    const rules = ruleFile([
      { alert: "A", expr: "max_over_time(b:ratio[2m]) > 1", for: "1m" },
      { record: "b:ratio", expr: "c:rate / sum(rate(d_total[30s]))" },
      { record: "c:rate", expr: "sum(rate(c_total[5m]))" },
    ]);
    const chain = ruleChain([rules], "A");
    expect(names(chain.leaves)).toEqual(["c:rate"]);
    expect(names(chain.rules)).toEqual(["b:ratio", "A"]);
    expect(chain.reachSeconds).toBe(150); // 2m over b:ratio, which reads d_total over 30s
    expect(parse(chainRuleFile([chain])).groups[0].rules.map((r: { record?: string; alert?: string }) => r.record ?? r.alert)).toEqual(["b:ratio", "A"]);
  });

  it("names the problem: an unknown alert, a rule reading itself", () => {
    expect(() => ruleChain(devRules, "NoSuchAlert")).toThrow(/no alerting rule named NoSuchAlert/);
    const loop = ruleFile([
      { alert: "A", expr: "a:b > 1" },
      { record: "a:b", expr: "a:b + rate(x[1m])" },
    ]);
    expect(() => ruleChain([loop], "A")).toThrow(/a:b reads its own output/);
  });
});

describe("the grid", () => {
  it("puts the injection on a point a tenth of a scrape apart, the chain's reach and two scrapes after the origin", () => {
    expect(floorGrid(100_000, 130_050, 20, 1)).toEqual({ originMs: 78_000, stepMs: 100, injectedIndex: 220, endIndex: 521 });
  });
});

const grid: FloorGrid = { originMs: 10_000, stepMs: 100, injectedIndex: 10, endIndex: 30 };

describe("series on the grid", () => {
  it("places each sample at the first point at or after it, keeps the last sample before the grid at 0, drops those after it, and writes gaps as _xN", () => {
    const s: RawSeries = {
      labels: { __name__: "x" },
      samples: [
        [8_000, "1"],
        [9_500, "2"],
        [10_050, "3"],
        [11_000, "NaN"],
        [12_050, "+Inf"],
        [20_000, "9"],
      ],
    };
    expect(gridValues(s, grid)).toBe("2 3 _x8 NaN _x10 +Inf _x9");
  });

  it("writes staleness markers, and the later of a sample and a marker in one cell", () => {
    const s: RawSeries = {
      labels: { __name__: "x" },
      samples: [
        [10_000, "1"],
        [11_000, "1"],
      ],
      stale: [12_000],
    };
    expect(gridValues(s, grid)).toBe("1 _x9 1 _x9 stale _x10");
    expect(gridValues({ ...s, stale: [9_000] }, grid).startsWith("1 ")).toBe(true);
    expect(gridValues({ labels: { __name__: "x" }, samples: [[9_000, "1"]], stale: [9_500] }, grid).startsWith("stale ")).toBe(true);
  });

  it("refuses a value promtool cannot load", () => {
    expect(() => gridValues({ labels: { __name__: "h" }, samples: [[10_000, "{count:1}"]] }, grid)).toThrow(/h\{\}: '\{count:1\}' is not a value promtool can load/);
  });

  it("writes the series' labels sorted and quoted, the name first", () => {
    expect(seriesText({ z: 'a"b\\c', __name__: "up", a: "1" })).toBe('up{a="1",z="a\\"b\\\\c"}');
  });
});

describe("staleness from the scrapes", () => {
  const up: RawSeries = { labels: { __name__: "up", job: "api", instance: "i" }, samples: [1000, 2000, 3000, 4000, 5000, 9000, 10_000].map((t) => [t, "1"]) };
  const series = (times: number[]): RawSeries => ({ labels: { __name__: "c", job: "api", instance: "i" }, samples: times.map((t) => [t, "1"]) });

  it("marks a series stale at the first scrape that did not return it, once, until it is back", () => {
    expect(withStaleness([series([1000, 2000, 5000])], [up])[0].stale).toEqual([3000, 9000]);
  });

  it("marks nothing over a gap in the scrapes themselves (Prometheus was down)", () => {
    expect(withStaleness([series([1000, 2000, 3000, 4000, 5000, 9000, 10_000])], [up])[0].stale).toBeUndefined();
  });

  it("leaves alone series with their own timestamps, and series of other targets", () => {
    expect(withStaleness([series([1100, 2100, 3100])], [up])[0].stale).toBeUndefined();
    expect(withStaleness([{ ...series([1000]), labels: { __name__: "c", job: "other", instance: "i" } }], [up])[0].stale).toBeUndefined();
  });
});

describe("the promtool test file", () => {
  it("evaluates every tenth of a scrape from real time, and expects no alert at every point from the injection on", () => {
    const doc = parse(
      floorTestFile({ name: "s", ruleFile: "chain.rules.yml", grid, series: [{ labels: { __name__: "x", a: "1" }, samples: [[10_000, "1"]] }], alertnames: ["A", "B"] }),
    );
    expect(doc.rule_files).toEqual(["chain.rules.yml"]);
    expect(doc.evaluation_interval).toBe("100ms");
    const [test] = doc.tests;
    expect(test).toMatchObject({ name: "s", interval: "100ms", start_timestamp: "10.000", input_series: [{ series: 'x{a="1"}', values: "1 _x30" }] });
    expect(test.alert_rule_test).toHaveLength(2 * 21);
    expect(test.alert_rule_test[0]).toEqual({ eval_time: "1000ms", alertname: "A", exp_alerts: [] });
    expect(test.alert_rule_test.at(-1)).toEqual({ eval_time: "3000ms", alertname: "B", exp_alerts: [] });
  });
});

describe("reading promtool's failures back", () => {
  const output = [
    "  FAILED:",
    "    alertname: HighErrorRate, time: 2s100ms, ",
    "        exp:[], ",
    "        got:[",
    "            0:",
    '              Labels:{alertname="HighErrorRate", service="api", slo="a\\"b"}',
    '              Annotations:{summary="x"}',
    "            ]",
    "    alertname: HighErrorRate, time: 1m2s, ",
    "        exp:[], ",
    "        got:[",
    "            0:",
    '              Labels:{alertname="HighErrorRate", service="web"}',
    "              Annotations:{}",
    "            ,",
    "            1:",
    '              Labels:{alertname="HighErrorRate", service="api"}',
    "              Annotations:{}",
    "            ]",
  ].join("\n");

  it("reads durations as promtool prints them, and nothing else", () => {
    expect(printedDurationMs("1m2s300ms")).toBe(62_300);
    expect(printedDurationMs("0s")).toBe(0);
    expect(() => printedDurationMs("2.5s")).toThrow(/not a duration promtool prints/);
  });

  it("lists every firing alert with its time and labels", () => {
    expect(firingsOf(output)).toEqual([
      { alertname: "HighErrorRate", atMs: 2100, labels: { alertname: "HighErrorRate", service: "api", slo: 'a"b' } },
      { alertname: "HighErrorRate", atMs: 62_000, labels: { alertname: "HighErrorRate", service: "web" } },
      { alertname: "HighErrorRate", atMs: 62_000, labels: { alertname: "HighErrorRate", service: "api" } },
    ]);
    expect(firingsOf("  SUCCESS\n")).toEqual([]);
  });

  it("takes the first firing with the expected labels after the injection, plus group_wait", () => {
    const firings = firingsOf(output);
    const g: FloorGrid = { originMs: 0, stepMs: 100, injectedIndex: 10, endIndex: 700 };
    expect(idealFloorOf(firings, { alertname: "HighErrorRate" }, g, 1)).toEqual({ holdsMs: 1100, groupWaitMs: 1000, totalMs: 2100 });
    expect(idealFloorOf(firings, { alertname: "HighErrorRate", labels: { service: "web" } }, g, 2)).toEqual({ holdsMs: 61_000, groupWaitMs: 2000, totalMs: 63_000 });
    expect(idealFloorOf(firings, { alertname: "ServiceDown" }, g, 1)).toBeUndefined();
  });
});

describe("the ideal floor in the report", () => {
  const base: ScenarioResult = {
    name: "s",
    title: "t",
    expectedReceivers: [],
    actualReceivers: [],
    inhibitionRespected: true,
    resolvedArrived: true,
    latencyMs: 12_000,
    pipelineFloorMs: 7000,
    ok: true,
    notes: [],
    alerts: [
      { alertname: "A", latencyMs: 12_000, reachedAlertmanagerMs: 10_900, pipelineFloorMs: 7000, pipelineFloor: { scrape: 1, evaluation: 1, for: 4, groupWait: 1 } },
      { alertname: "B", latencyMs: 9000, pipelineFloorMs: 3000, pipelineFloor: { scrape: 1, evaluation: 1, for: 0, groupWait: 1 } },
    ],
    inhibitionExercised: [],
    checks: [],
    timeline: [],
    durationMs: 1,
  };
  const floor = (holdsMs: number): IdealFloor => ({ holdsMs, groupWaitMs: 1000, totalMs: holdsMs + 1000 });

  it("gives each alert and the scenario latency ÷ ideal floor, and says how the floor is made up", () => {
    const r = withIdealFloors(base, [floor(10_000), floor(8000)], { evaluationSeconds: 1 });
    expect(r).toMatchObject({ idealFloorMs: 11_000, ratio: 1.09, pipelineFloorMs: 7000 });
    expect(r.alerts.map((a) => [a.idealFloorMs, a.ratio])).toEqual([
      [11_000, 1.09],
      [9000, 1],
    ]);
    expect(r.notes).toContain("ideal floor of A: its expression held for its for 10.0s after the injection + group_wait 1.0s = 11.0s; latency 12.0s, 1.09×");
    expect(r.notes.some((n) => n.includes("over 1.1×"))).toBe(false);
    expect(base.notes).toEqual([]);
  });

  it("above 1.1× says where the rest went, and on which side of the alert reaching Alertmanager the disruption came", () => {
    const r = withIdealFloors(base, [floor(6000), floor(8000)], { evaluationSeconds: 1, disruptedAtMs: 3000 });
    expect(r.ratio).toBe(1.71);
    expect(r.notes).toContain(
      "A over 1.1×: its rule could fire at +6.0s; the alert reached Alertmanager at +10.9s, 4.9s later (rules are evaluated every 1s, a chain of rule groups once per group; the scenario's disruption, at +3.0s, came before it); the first notification came 1.1s after that (group_wait 1.0s; Alertmanager's API is polled every 200ms)",
    );
    const killedReplica = withIdealFloors(base, [floor(9000), floor(8000)], { evaluationSeconds: 1, disruptedAtMs: 10_950 });
    expect(killedReplica.notes.find((n) => n.startsWith("A over"))).toMatch(
      /1\.9s later \(rules are evaluated every 1s, a chain of rule groups once per group\); the first notification came 1\.1s after that \(group_wait 1\.0s; .*; the scenario's disruption, at \+11\.0s, came in between\)$/,
    );
  });

  it("keeps the result, without a ratio, when the floor could not be worked out, and says why", () => {
    const r = withIdealFloors(base, [{ missing: "promtool failed" }, floor(8000)], { evaluationSeconds: 1 });
    expect(r.ratio).toBeUndefined();
    expect(r.idealFloorMs).toBeUndefined();
    expect(r.notes).toContain("no ideal floor for A: promtool failed");
  });
});
