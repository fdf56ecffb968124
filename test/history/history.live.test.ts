/**
 * The alert history, live: the real Alertmanager runs a config rendered with the history on,
 * posts to the real collector (built from source with the collector builder, the components
 * Watchpost's configs use, at the pinned release), and the collector exports each notification
 * over OTLP/HTTP to a local sink standing where Loki's OTLP endpoint is. Loki itself is not run
 * here (its licence keeps it out of our builds): the sink checks what would reach it.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { alertHistoryCollectorDocument } from "../../components/alerting/history";
import { renderAlertmanagerConfig } from "../../components/alerting/render";
import { HttpSink } from "../../drill/sinks";
import { collectorBinary, collectorModule } from "../../e2e/images/collector";
import { freePort, ProcessGroup, waitFor } from "../../harness/processes";
import { type RunningAlertmanager, postAlerts, startAlertmanager } from "../alerting/alertmanager";
import { renderInput, writeArtifacts } from "../alerting/fixtures";
import { built, inCI, tool } from "../support/tools";

const am = tool("alertmanager");
const collector = existsSync(collectorBinary()) ? collectorBinary() : undefined;
if (!collector && inCI) throw new Error(`${collectorBinary()} is missing: npm run e2e:images -- --binaries builds it (.ci/run does)`);

describe.skipIf(!am || !collector)(
  `the alert history live: ${built("alertmanager")} → otelcol-contrib ${collectorModule.release} built from source (Watchpost's components only) → OTLP sink in Loki's place`,
  () => {
    const group = new ProcessGroup();
    const sink = new HttpSink();
    const dir = mkdtempSync(join(tmpdir(), "watchpost-history-"));
    let server: RunningAlertmanager;
    /** Everything the collector exported, as text (OTLP protobuf carries the JSON body verbatim). */
    const exported = () => sink.deliveries.map((d) => (typeof d.body === "string" ? d.body : JSON.stringify(d.body))).join("\n");

    beforeAll(async () => {
      await sink.start();
      const [webhook, health, metrics] = [await freePort(), await freePort(), await freePort()];
      const doc = alertHistoryCollectorDocument(`http://127.0.0.1:${sink.port}`) as any;
      doc.receivers.webhookevent.endpoint = `127.0.0.1:${webhook}`;
      doc.extensions.health_check.endpoint = `127.0.0.1:${health}`;
      doc.service.telemetry.metrics.readers[0].pull.exporter.prometheus = { host: "127.0.0.1", port: metrics };
      const config = join(dir, "collector.yaml");
      writeFileSync(config, stringify(doc));
      group.start("otelcol", collector as string, [`--config=${config}`]);
      await waitFor("the collector's health check", async () => ((await fetch(`http://127.0.0.1:${health}/`).catch(() => undefined))?.ok ? true : undefined), 60_000);

      const fast = { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" };
      const art = renderAlertmanagerConfig({
        ...renderInput({}, { timing: { critical: fast, warning: fast, info: fast } }),
        historyUrl: `http://127.0.0.1:${webhook}/notifications`,
      });
      const written = writeArtifacts(art);
      server = await startAlertmanager(group, am as string, { name: "alertmanager", configFile: written.configFile, dir: written.dir });
      const startsAt = new Date(Date.now() - 60_000).toISOString();
      await postAlerts(server, [
        { labels: { alertname: "CheckoutDown", service: "checkout", severity: "critical" }, annotations: { summary: "checkout is down" }, startsAt },
        { labels: { alertname: "DiskFillingUp", instance: "node1", severity: "warning" }, annotations: { summary: "disk" }, startsAt },
      ]);
      await waitFor("both notifications at the sink", async () => (/CheckoutDown/.test(exported()) && /DiskFillingUp/.test(exported()) ? true : undefined), 60_000);
      // Resolve the critical one: the resolved notification is kept too.
      await postAlerts(server, [
        {
          labels: { alertname: "CheckoutDown", service: "checkout", severity: "critical" },
          annotations: { summary: "checkout is down" },
          startsAt,
          endsAt: new Date().toISOString(),
        },
      ]);
      await waitFor("the resolved notification at the sink", async () => (/"status":"resolved"/.test(exported()) ? true : undefined), 60_000);
    }, 150_000);

    afterAll(async () => {
      await group.stopAll();
      await sink.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("each notification reaches Loki's OTLP logs endpoint in the history's stream", () => {
      expect(sink.deliveries.length).toBeGreaterThan(0);
      for (const d of sink.deliveries) expect(d.path).toBe("/otlp/v1/logs");
      expect(exported()).toContain("alertmanager-notifications");
    });

    it("says who was told: the receiver of each notification, firing and then resolved", () => {
      const text = exported();
      expect(text).toMatch(/"receiver":"critical"[^\n]*"status":"firing"[^\n]*CheckoutDown|CheckoutDown[^\n]*"receiver":"critical"/);
      expect(text).toMatch(/"receiver":"warning"/);
      expect(text).toMatch(/"status":"resolved"/);
      expect(text).toMatch(/"startsAt":"[^"]+"/);
    });
  },
);
