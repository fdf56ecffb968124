/**
 * The ideal floor with the real tools, built from source at the pinned
 * releases, on small synthetic incidents: promtool counts a 5-minute rate
 * window filling up (a 1-minute window fills 4 minutes sooner), and refuses
 * to produce a floor from input it cannot evaluate; and a recording rule
 * evaluated by Prometheus at every grid point gives the floor promtool gives
 * when it evaluates the same expression itself.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RawSeries, floorGrid, floorTestFile, idealFloorOf } from "../../drill/floor";
import { evaluateFloorTest, exportSeries, idealFloorsOf, lookbackSeconds } from "../../drill/floor-live";
import { ProcessGroup, failIfPortTaken, onFreePort, waitFor } from "../../harness/processes";
import { chainRuleFile, ruleChain } from "../../drill/rule-chain";
import { built, tool } from "../support/tools";

const promtool = tool("promtool");
const prometheus = tool("prometheus");
const scrapeSeconds = 15;
const labels = { job: "shop", instance: "shop:8080" };

/** A service scraped every 15s: 10 requests/s, and from the injection on a share of them failing. */
function incident(injectedAt: number, fromMs: number, toMs: number, errorShare: number): RawSeries[] {
  const times: number[] = [];
  for (let t = fromMs; t <= toMs; t += scrapeSeconds * 1000) times.push(t);
  const requests = (t: number) => ((t - fromMs) / 1000) * 10;
  const errors = (t: number) => Math.max(0, ((t - injectedAt) / 1000) * 10 * errorShare);
  return [
    { labels: { __name__: "requests_total", ...labels }, samples: times.map((t) => [t, String(requests(t))]) },
    { labels: { __name__: "errors_total", ...labels }, samples: times.map((t) => [t, String(Math.floor(errors(t)))]) },
  ];
}

const alertRule = (window: string) => ({
  alert: "ErrorRatioHigh",
  expr: `sum by (job) (rate(errors_total[${window}])) / sum by (job) (rate(requests_total[${window}])) > 0.05`,
  for: "1m",
});
const ruleFile = (rules: object[]) => JSON.stringify({ groups: [{ name: "shop", rules }] });

describe.skipIf(!promtool)(`the ideal floor evaluated by promtool test rules (${built("promtool")})`, () => {
  const dir = mkdtempSync(join(tmpdir(), "watchpost-floor-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Injected 7.5s after a scrape: the first bad sample is seen at the next one.
  const injectedAt = 1_700_000_007_500;

  async function floorOf(rules: string, series: RawSeries[], name: string) {
    const chain = ruleChain([rules], "ErrorRatioHigh");
    const grid = floorGrid(injectedAt, injectedAt + 600_000, chain.reachSeconds, scrapeSeconds);
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, "chain.rules.yml"), chainRuleFile([chain]));
    writeFileSync(join(dir, name, "floor.test.yml"), floorTestFile({ name, ruleFile: "chain.rules.yml", grid, series, alertnames: ["ErrorRatioHigh"] }));
    const firings = await evaluateFloorTest(promtool as string, join(dir, name, "floor.test.yml"));
    return idealFloorOf(firings, { alertname: "ErrorRatioHigh" }, grid, 30);
  }
  const from = injectedAt - 7_500 - 3_600_000;
  const to = injectedAt - 7_500 + 600_000;

  it("counts a 5-minute rate window filling up: at 20% errors the 5% ratio takes 75s, then the 1m for, then group_wait", async () => {
    const floor = await floorOf(ruleFile([alertRule("5m")]), incident(injectedAt, from, to, 0.2), "five-minutes");
    // the next scrape 7.5s + the window filling to 5% of 5m at 20% errors 75s + for 60s, then group_wait;
    // the pipeline floor (scrape 15 + evaluation 15 + for 60 + group_wait 30s) would say 120s
    expect(floor).toEqual({ holdsMs: 7_500 + 75_000 + 60_000, groupWaitMs: 30_000, totalMs: 172_500 });
    // a 1m window reaches 5% after 15s: the 60s between the two is the 5m window filling
    expect(await floorOf(ruleFile([alertRule("1m")]), incident(injectedAt, from, to, 0.2), "one-minute")).toMatchObject({ holdsMs: 7_500 + 15_000 + 60_000 });
  });

  it("gives no floor when the expression never holds for its for: 4% errors stay under the 5% threshold", async () => {
    expect(await floorOf(ruleFile([alertRule("5m")]), incident(injectedAt, from, to, 0.04), "under")).toBeUndefined();
  });

  it("fails, instead of giving a floor, on input the rule cannot evaluate: two series of one job where one is matched", async () => {
    const rules = ruleFile([{ alert: "ErrorRatioHigh", expr: "rate(errors_total[5m]) / on (job) rate(requests_total[5m]) > 0.05", for: "1m" }]);
    const series = incident(injectedAt, from, to, 0.2);
    const stray: RawSeries = { ...series[0], labels: { ...series[0].labels, instance: "shop:8081" } };
    await expect(floorOf(rules, [...series, stray], "duplicate")).rejects.toThrow(
      /failed \(exit 1\) without listing a firing alert: [\s\S]*found duplicate series for the match group \{job="shop"\}/,
    );
  });

  it("fails on an input series promtool cannot load", async () => {
    const broken: RawSeries = { labels: { __name__: "requests-total" }, samples: [[injectedAt, "1"]] };
    await expect(floorOf(ruleFile([alertRule("5m")]), [...incident(injectedAt, from, to, 0.2), broken], "unloadable")).rejects.toThrow(
      /failed \(exit 1\) without listing a firing alert: [\s\S]*parse error/,
    );
  });
});

describe.skipIf(!promtool || !prometheus)(`a recording rule evaluated by Prometheus at every grid point (${built("prometheus")}, ${built("promtool")})`, () => {
  const dir = mkdtempSync(join(tmpdir(), "watchpost-floor-live-"));
  const group = new ProcessGroup();
  let url = "";
  // Recent enough for the default retention; on a 15s boundary plus 7.5s.
  const injectedAt = Math.floor((Date.now() - 1_800_000) / 15_000) * 15_000 + 7_500;
  const from = injectedAt - 7_500 - 3_600_000;
  const to = injectedAt - 7_500 + 900_000;
  const series = incident(injectedAt, from, to, 0.2);

  beforeAll(async () => {
    const text = series.flatMap((s) => s.samples.map(([t, v]) => `${s.labels.__name__}{job="shop",instance="shop:8080"} ${v} ${(t / 1000).toFixed(3)}`));
    writeFileSync(join(dir, "history.om"), ["# TYPE requests counter", "# TYPE errors counter", ...text, "# EOF", ""].join("\n"));
    mkdirSync(join(dir, "data"));
    execFileSync(promtool as string, ["tsdb", "create-blocks-from", "openmetrics", join(dir, "history.om"), join(dir, "data")], { stdio: "pipe" });
    writeFileSync(join(dir, "prometheus.yml"), "global:\n  scrape_interval: 15s\n");
    url = await onFreePort(async (port) => {
      const at = `http://127.0.0.1:${port}`;
      const proc = group.start("prometheus", prometheus as string, [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ]);
      try {
        await waitFor(
          "prometheus ready",
          async () => {
            failIfPortTaken(proc);
            if (proc.proc.exitCode !== null) throw new Error(proc.output());
            return (await fetch(`${at}/-/ready`)).ok ? true : undefined;
          },
          30_000,
        );
      } catch (e) {
        await group.kill(proc);
        throw e;
      }
      return at;
    });
  }, 60_000);

  afterAll(async () => {
    await group.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives the floor promtool gives when it evaluates the expression on the exported raw samples", async () => {
    const recorded = ruleFile([
      { record: "job:errors:ratio_rate5m", expr: "sum by (job) (rate(errors_total[5m])) / sum by (job) (rate(requests_total[5m]))" },
      { alert: "ErrorRatioHigh", expr: "job:errors:ratio_rate5m > 0.05", for: "1m" },
    ]);
    expect(ruleChain([recorded], "ErrorRatioHigh").leaves).toHaveLength(1);
    const request = { name: "shop", injectedAt, healedAt: injectedAt + 600_000, alerts: [{ alert: { alertname: "ErrorRatioHigh" }, groupWaitSeconds: 30 }] };
    const [viaPrometheus] = await idealFloorsOf(request, { promtool: promtool as string, prometheusUrl: url, ruleFiles: [recorded], scrapeSeconds, dir: join(dir, "leaf") });

    // The same expression inline: promtool evaluates it on the samples exported from the same Prometheus.
    const inline = ruleChain([ruleFile([alertRule("5m")])], "ErrorRatioHigh");
    const grid = floorGrid(injectedAt, request.healedAt, inline.reachSeconds, scrapeSeconds);
    const endMs = grid.originMs + grid.endIndex * grid.stepMs;
    const exported = (await Promise.all(inline.rawSelectors.map((s) => exportSeries(url, s, endMs - grid.originMs + lookbackSeconds * 1000, endMs)))).flat();
    expect(exported.map((s) => s.labels.__name__).sort()).toEqual(["errors_total", "requests_total"]);
    mkdirSync(join(dir, "inline"));
    writeFileSync(join(dir, "inline", "chain.rules.yml"), chainRuleFile([inline]));
    writeFileSync(join(dir, "inline", "floor.test.yml"), floorTestFile({ name: "inline", ruleFile: "chain.rules.yml", grid, series: exported, alertnames: ["ErrorRatioHigh"] }));
    const viaPromtool = idealFloorOf(await evaluateFloorTest(promtool as string, join(dir, "inline", "floor.test.yml")), { alertname: "ErrorRatioHigh" }, grid, 30);

    expect(viaPrometheus).toHaveProperty("holdsMs");
    expect(viaPrometheus).toEqual(viaPromtool);
    expect(viaPromtool).toMatchObject({ holdsMs: 142_500 });
  });
});
