/**
 * The fire drill, run for real: the dev stack's rendered configuration on
 * loopback with Prometheus, Alertmanager and the exporters built from source
 * at the pinned releases, every scenario injected and healed. Timings
 * × 1/30 (`--fast`), so the whole drill takes about three minutes.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatTable } from "../../drill/report";
import { type DrillReport, runDrill } from "../../drill/run";
import { built, tool } from "../support/tools";

const tools = [tool("prometheus"), tool("promtool"), tool("alertmanager"), tool("amtool"), tool("nodeExporter"), tool("blackboxExporter")];
const missing = tools.some((t) => !t);

const alive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(missing)(`fire drill on the dev stack (${built("prometheus")}, ${built("alertmanager")})`, () => {
  let report: DrillReport;
  const lines: string[] = [];
  const scenario = (name: string) => {
    const found = report.scenarios.find((s) => s.name === name);
    if (!found) throw new Error(`no scenario ${name} in the report`);
    return found;
  };

  beforeAll(async () => {
    report = await runDrill({ stack: "dev", timeScale: 1 / 30, log: (line) => lines.push(line) });
  }, 420_000);

  afterAll(() => {
    // The table is the evidence when something failed; vitest shows it with the run.
    if (report && !report.ok) process.stderr.write(`${formatTable(report)}\n${lines.join("\n")}\n`);
  });

  it("passes every scenario", () => {
    expect(report.scenarios.map((s) => s.name)).toEqual([
      "service-down",
      "error-spike",
      "latency-spike",
      "slo-fast-burn",
      "probe-failure",
      "alertmanager-killed",
      "prometheus-killed",
    ]);
    expect(report.scenarios.filter((s) => !s.ok).map((s) => `${s.name}: ${[...s.notes, ...s.checks.filter((c) => !c.ok).map((c) => c.detail)].join("; ")}`)).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it("pages a down service on PagerDuty, #critical-alerts, the team's channel and on-call email, and nowhere else", () => {
    const down = scenario("service-down");
    expect(down.expectedReceivers).toEqual(["email:oncall@drill.watchpost.test", "pagerduty", "slack:#critical-alerts", "slack:#team-platform"]);
    expect(down.actualReceivers).toEqual(down.expectedReceivers);
    expect(down.resolvedArrived).toBe(true);
  });

  it("sends a latency warning to Slack #alerts, the team and email, without paging", () => {
    expect(scenario("latency-spike").actualReceivers).toEqual(["email:oncall@drill.watchpost.test", "slack:#alerts", "slack:#team-platform"]);
  });

  it("keeps the probe failure of a down service quiet (ServiceDown inhibits EndpointDown)", () => {
    const down = scenario("service-down");
    expect(down.inhibitionExercised).toContain("EndpointDown");
    expect(down.inhibitionRespected).toBe(true);
  });

  it("notifies no sooner than the fault's own series let the rule fire (the ideal floor), and within a few times it", () => {
    for (const s of report.scenarios) {
      expect(s.latencyMs, s.name).toBeDefined();
      expect(s.idealFloorMs, `${s.name}: ${s.notes.join("; ")}`).toBeDefined();
      // Evaluated on a grid of a tenth of a scrape, the moment the rule could fire can be late by one
      // step (100ms); nothing can notify before it. group_wait can be skipped: an alert that joins an
      // aggregation group still open from an earlier scenario (slo-fast-burn's latency fast burn in
      // error-spike's "SLOErrorBudgetFastBurn api" group) goes out at that group's next tick.
      expect(s.latencyMs as number, s.name).toBeGreaterThanOrEqual((s.alerts[0].idealFloor?.holdsMs as number) - 100);
      expect(s.ratio as number, s.name).toBeLessThan(2.5);
      // The expression must hold for its for, and group_wait follows, whatever the series.
      const { for: hold, groupWait } = s.alerts[0].pipelineFloor;
      expect(s.idealFloorMs as number, s.name).toBeGreaterThanOrEqual((hold + groupWait) * 1000);
    }
    expect(scenario("service-down").pipelineFloorMs).toBe(5000); // 1s scrape + 1s evaluation + 2s for + 1s group_wait
    expect(scenario("error-spike").pipelineFloorMs).toBe(13000); // for 5m × 1/30 = 10s
  });

  it("reaches every channel when the notifying Alertmanager is SIGKILLed mid-incident, a second copy only where the victim had sent before it died", () => {
    const checks = scenario("alertmanager-killed").checks;
    expect(checks.find((c) => c.name === "replica killed")).toMatchObject({ ok: true });
    expect(checks.find((c) => c.name === "every channel once")).toMatchObject({ ok: true });
    expect(checks.find((c) => c.name === "heartbeat")).toMatchObject({ ok: true });
  });

  it("loses no alert when Prometheus is SIGKILLed mid-for: the pending time is restored from ALERTS_FOR_STATE", () => {
    const s = scenario("prometheus-killed");
    for (const name of ["for state restored", "every channel once", "no false resolve", "heartbeat", "ends resolved"])
      expect(
        s.checks.find((c) => c.name === name),
        name,
      ).toMatchObject({ ok: true });
    expect(s.resolvedArrived).toBe(true);
  });

  it("stopped every process it started", () => {
    expect(report.processes.map((p) => p.name)).toEqual(
      expect.arrayContaining(["prometheus", "alertmanager-0", "alertmanager-1", "alertmanager-2", "node-exporter", "blackbox-exporter"]),
    );
    expect(report.processes.filter((p) => alive(p.pid))).toEqual([]);
  });
});

describe.skipIf(missing)("fire drill interrupted with Ctrl-C", () => {
  it("stops every process it started and exits 130", async () => {
    const cli = spawn(process.execPath, ["--import", "tsx", resolve(__dirname, "../../drill/cli.ts"), "--stack", "dev", "--scenario", "service-down", "--fast"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    cli.stderr.on("data", (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((r) => cli.once("exit", (code) => r(code)));
    const deadline = Date.now() + 90_000;
    while (!/inject/.test(err) && Date.now() < deadline && cli.exitCode === null) await new Promise((r) => setTimeout(r, 200));
    const pids = [...err.matchAll(/started [\w-]+ \(pid (\d+)\)/g)].map((m) => Number(m[1]));
    expect(pids.length, err).toBeGreaterThanOrEqual(6);
    cli.kill("SIGINT");
    const code = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 20_000))]);
    if (code === "timeout") cli.kill("SIGKILL");
    expect(code).toBe(130);
    expect(pids.filter(alive)).toEqual([]);
  }, 120_000);
});
