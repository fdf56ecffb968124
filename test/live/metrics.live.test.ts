/**
 * Live metrics check (issue 5): the real Prometheus runs the synthesized dev
 * prometheus.yml and rule files (planStack on Pulumi.dev.yaml, as synth does),
 * rewritten to loopback, next to the real node and blackbox exporters, the real
 * Alertmanager with the dev alertmanager.yml, and a prom-client stand-in for
 * the `api` service. Every remaining target must be up, every rule evaluate
 * without error, and every dashboard panel query run without error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { panelQueries } from "../../dashboards/index";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { parseStackConfig } from "../../infra/config/validate";
import { planStack } from "../../infra/plan";
import { startAlertmanager } from "../alerting/alertmanager";
import { ProcessGroup, freePort, waitFor } from "../../harness/processes";
import { built, tool } from "../support/tools";
import { startApiStandin, type ApiStandin } from "./api-standin";
import { startBlackboxExporter, startNodeExporter } from "../../harness/exporters";
import { assertFullySubstituted, resolveVariables, substituteMacros, substituteVariables } from "../../harness/grafana-variables";
import { type LoopbackConfig, rewriteForLoopback, shortenRuleGroupIntervals } from "./loopback";
import { type RunningPrometheus, activeTargets, instantQuery, ownMetric, resultSize, ruleGroups, startPrometheus } from "../../harness/prometheus";

const prometheusBin = tool("prometheus");
const nodeExporterBin = tool("nodeExporter");
const blackboxBin = tool("blackboxExporter");
const alertmanagerBin = tool("alertmanager");

/** The dev stack's components that cannot run on this machine, and why. Their scrape jobs are removed from the config. */
const notRunHere: Record<string, string> = {
  grafana: "Grafana is not installed here; its dashboards are checked query by query below instead",
  cadvisor: "cAdvisor needs the Docker engine's cgroups",
  loki: "Loki is under the AGPL: its module must not enter our builds",
  alloy: "Grafana Alloy is under the AGPL: its module must not enter our builds",
  "otel-collector": "the OpenTelemetry Collector is not among the tools built here",
  tempo: "Tempo is under the AGPL: its module must not enter our builds",
};

/**
 * Panels that may come back empty here, each for a stated reason; every other
 * panel query must return at least one series. Queries scoped to a dropped job
 * (`job="cadvisor"`, `job=~"otel-collector"`, …) are expected empty too.
 */
const emptyHere: Record<string, string> = {
  "watchpost-uptime.json / Days until certificate expiry": "the dev probe is plain http://, so blackbox reports no certificate",
  "watchpost-self-health.json / Cluster members": "Alertmanager runs here as one replica with gossip off (--cluster.listen-address=), so it exports no cluster metrics",
};

function scopedToDroppedJob(expr: string): string | undefined {
  return Object.keys(notRunHere).find((job) => new RegExp(`job=~?"${job}"`).test(expr));
}

const scrapeSeconds = 1;
const interval = `${scrapeSeconds}s`;

const { config } = parseStackConfig("dev", readStackFile(stackFilePath("dev")));
const plan = planStack(config);

describe.skipIf(!prometheusBin || !nodeExporterBin || !blackboxBin || !alertmanagerBin)(
  `live metrics: ${built("prometheus")}, ${built("alertmanager")}, ${built("nodeExporter")} and ${built("blackboxExporter")} on the synthesized dev config, rewritten to loopback`,
  () => {
    const group = new ProcessGroup();
    const work = mkdtempSync(path.join(tmpdir(), "watchpost-live-metrics-"));
    let api: ApiStandin | undefined;
    let prom: RunningPrometheus;
    let rewritten: LoopbackConfig;
    const startedAt = Date.now();
    let settled: Promise<void> | undefined;
    /**
     * Every target up, then every rule evaluated three intervals later: by then each
     * series has two samples to rate over, and rules that read another group's
     * records (the error budget reads the period ratio) have seen them. Each test
     * can run alone (-t) and still see data.
     */
    const settle = () =>
      (settled ??= (async () => {
        const expected = Object.values(rewritten.kept).flat().length;
        const allUp = async () => {
          const targets = await activeTargets(prom);
          return targets.length === expected && targets.every((t) => t.health === "up") ? true : undefined;
        };
        await waitFor(`all ${expected} targets to be scraped up`, allUp, 20_000).catch(async (e) => {
          const down = (await activeTargets(prom)).filter((t) => t.health !== "up").map((t) => `${t.scrapePool} ${t.scrapeUrl}: ${t.health} ${t.lastError}`);
          throw new Error(`${String(e)}\n${down.join("\n")}`);
        });
        const since = Date.now();
        await waitFor(
          "every rule to be evaluated three intervals after the targets came up",
          async () => {
            const rules = (await ruleGroups(prom)).flatMap((g) => g.rules);
            return rules.length > 0 && rules.every((r) => Date.parse(r.lastEvaluation) >= since + 3 * scrapeSeconds * 1000) ? true : undefined;
          },
          20_000,
        );
      })());

    beforeAll(async () => {
      const [promPort, nodePort, blackboxPort, apiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
      const ruleDir = path.join(work, "rules");
      mkdirSync(ruleDir);
      for (const file of plan.rules) writeFileSync(path.join(ruleDir, file.name), shortenRuleGroupIntervals(file.content, interval));
      const blackboxFile = path.join(work, "blackbox.yml");
      writeFileSync(blackboxFile, plan.blackboxConfig);
      const amDir = path.join(work, "alertmanager");
      mkdirSync(path.join(amDir, "templates"), { recursive: true });
      for (const [file, content] of Object.entries(plan.alertmanager.files))
        writeFileSync(path.join(amDir, file), file === "alertmanager.yml" ? content.replace("/etc/alertmanager/templates/", `${amDir}/templates/`) : content);

      api = await startApiStandin(apiPort);
      const [, , am] = await Promise.all([
        startNodeExporter(group, nodeExporterBin as string, nodePort),
        startBlackboxExporter(group, blackboxBin as string, blackboxPort, blackboxFile),
        startAlertmanager(group, alertmanagerBin as string, { name: "alertmanager", configFile: path.join(amDir, "alertmanager.yml"), dir: amDir }),
      ]);

      rewritten = rewriteForLoopback(plan.prometheusConfig, {
        addresses: {
          "localhost:9090": `127.0.0.1:${promPort}`,
          "alertmanager-0:9093": `127.0.0.1:${am.port}`,
          "node-exporter:9100": `127.0.0.1:${nodePort}`,
          "blackbox-exporter:9115": `127.0.0.1:${blackboxPort}`,
          "host.docker.internal:8080": `127.0.0.1:${apiPort}`,
        },
        drop: notRunHere,
        ruleFiles: [path.join(ruleDir, "*.yml")],
        interval,
      });
      const configFile = path.join(work, "prometheus.yml");
      writeFileSync(configFile, rewritten.yaml);
      prom = await startPrometheus(group, prometheusBin as string, { name: "prometheus", port: promPort, configFile, dataDir: path.join(work, "data") });
    });

    afterAll(async () => {
      await api?.stop();
      await group.stopAll();
      rmSync(work, { recursive: true, force: true });
    });

    it("drops exactly the jobs of components that cannot run here, and keeps every other job on loopback", () => {
      expect(rewritten.dropped.map((d) => d.job).sort()).toEqual(Object.keys(notRunHere).sort());
      expect(Object.keys(rewritten.kept).sort()).toEqual(["alertmanager", "api", "blackbox-api-health", "blackbox-exporter", "node", "prometheus"]);
      for (const targets of Object.values(rewritten.kept)) for (const t of targets) expect(t).toMatch(/^(http:\/\/)?127\.0\.0\.1:\d+/);
    });

    it("scrapes every remaining target successfully (/api/v1/targets)", async () => {
      await settle();
      const targets = await activeTargets(prom);
      expect(targets.filter((t) => t.health !== "up")).toEqual([]);
      expect(new Set(targets.map((t) => t.scrapePool))).toEqual(new Set(Object.keys(rewritten.kept)));
      // The probe really went through blackbox to the api stand-in.
      const probe = await instantQuery(prom, 'probe_success{job="blackbox", probe="api-health"}');
      expect((probe.result as Array<{ value: [number, string] }>).map((r) => r.value[1])).toEqual(["1"]);
    });

    it("evaluates every rule of every group without error (/api/v1/rules and prometheus_rule_evaluation_failures_total)", async () => {
      await settle();
      const groups = await ruleGroups(prom);
      const ruleCount = plan.rules.flatMap((f) => f.groups as Array<{ rules: unknown[] }>).reduce((n, g) => n + g.rules.length, 0);
      expect(groups.flatMap((g) => g.rules)).toHaveLength(ruleCount);
      const failing = groups.flatMap((g) => g.rules.filter((r) => r.health !== "ok" || (r.lastError ?? "") !== "").map((r) => `${g.name}/${r.name}: ${r.health} ${r.lastError}`));
      expect(failing).toEqual([]);

      const failures = await ownMetric(prom, "prometheus_rule_evaluation_failures_total");
      expect(failures.size).toBe(groups.length);
      expect([...failures].filter(([, v]) => v !== 0)).toEqual([]);
    });

    it("runs every Prometheus query of every dashboard panel without error, with Grafana's variables substituted (/api/v1/query)", async () => {
      await settle();
      const rangeSeconds = Math.max(60, Math.ceil((Date.now() - startedAt) / 1000));
      const checked: string[] = [];
      const errors: string[] = [];
      const empty: string[] = [];
      for (const [file, json] of Object.entries(plan.grafana.dashboards)) {
        const dashboard = JSON.parse(json);
        const values = await resolveVariables(dashboard, prom);
        for (const q of panelQueries(dashboard).filter((q) => q.datasource === "prometheus")) {
          const where = `${file} / ${q.panel}`;
          try {
            const expr = substituteVariables(substituteMacros(q.expr, { scrapeIntervalSeconds: scrapeSeconds, rangeSeconds }), values);
            assertFullySubstituted(expr);
            const r = await instantQuery(prom, expr);
            if (resultSize(r) === 0 && !scopedToDroppedJob(expr)) empty.push(where);
            checked.push(where);
          } catch (e) {
            errors.push(`${where}: ${String(e)}`);
          }
        }
      }
      expect(errors).toEqual([]);
      expect(checked.length).toBeGreaterThan(50);
      // Beyond "no error": everything fed by a running component shows data, so a misspelt metric or label fails here.
      expect([...new Set(empty)].sort()).toEqual(Object.keys(emptyHere).sort());
    });
  },
);
