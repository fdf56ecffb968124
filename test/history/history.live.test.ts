/**
 * The alert history, live: the real Alertmanager runs a config rendered with the history on and
 * posts every notification, firing and resolved, with the receiver that told someone, to the
 * history's URL, here a local sink standing where the history's collector listens. The collector
 * leg (webhook event receiver → Loki over OTLP) is not run: the receiver's Go module
 * (opentelemetry-collector-contrib/receiver/webhookeventreceiver) is not served by the module proxy
 * this project builds from, so no source-built collector carries it; the deployed contrib image does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertHistory } from "../../model/conventions";
import { renderAlertmanagerConfig } from "../../components/alerting/render";
import { HttpSink } from "../../drill/sinks";
import { ProcessGroup, waitFor } from "../../harness/processes";
import { type RunningAlertmanager, postAlerts, startAlertmanager } from "../alerting/alertmanager";
import { renderInput, writeArtifacts } from "../alerting/fixtures";
import { built, tool } from "../support/tools";

const am = tool("alertmanager");

interface Notification {
  receiver: string;
  status: string;
  groupLabels: Record<string, string>;
  alerts: Array<{ status: string; labels: Record<string, string>; startsAt: string; endsAt: string }>;
}

describe.skipIf(!am)(
  `the alert history live: ${built("alertmanager")} posts every notification to the history's URL (a local sink in the collector's place: its webhook receiver module is not served to source builds)`,
  () => {
    const group = new ProcessGroup();
    const sink = new HttpSink();
    let server: RunningAlertmanager;
    const notifications = () => sink.at(alertHistory.path).map((d) => d.body as Notification);

    beforeAll(async () => {
      await sink.start();
      const fast = { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" };
      const art = renderAlertmanagerConfig({ ...renderInput({}, { timing: { critical: fast, warning: fast, info: fast } }), historyUrl: sink.url(alertHistory.path) });
      const written = writeArtifacts(art);
      server = await startAlertmanager(group, am as string, { name: "alertmanager", configFile: written.configFile, dir: written.dir });
      const startsAt = new Date(Date.now() - 60_000).toISOString();
      const down = { labels: { alertname: "CheckoutDown", service: "checkout", severity: "critical" }, annotations: { summary: "checkout is down" }, startsAt };
      await postAlerts(server, [down, { labels: { alertname: "DiskFillingUp", instance: "node1", severity: "warning" }, annotations: { summary: "disk" }, startsAt }]);
      await waitFor("both notifications at the history", async () => (notifications().length >= 2 ? true : undefined), 60_000);
      // Resolve the critical one: the resolved notification is kept too.
      await postAlerts(server, [{ ...down, endsAt: new Date().toISOString() }]);
      await waitFor("the resolved notification at the history", async () => (notifications().some((n) => n.status === "resolved") ? true : undefined), 60_000);
    }, 150_000);

    afterAll(async () => {
      await group.stopAll();
      await sink.stop();
    });

    it("says who was told: each notification names its receiver, the alert and its severity", () => {
      const firing = notifications().filter((n) => n.status === "firing");
      expect(firing.map((n) => [n.receiver, n.groupLabels.alertname]).sort()).toEqual([
        ["critical", "CheckoutDown"],
        ["warning", "DiskFillingUp"],
      ]);
    });

    it("keeps the resolved notification with when the alert started and ended: how long it fired", () => {
      const resolved = notifications().find((n) => n.status === "resolved");
      expect(resolved?.receiver).toBe("critical");
      const alert = resolved?.alerts[0];
      expect(alert?.labels.alertname).toBe("CheckoutDown");
      expect(Date.parse(alert?.endsAt ?? "") - Date.parse(alert?.startsAt ?? "")).toBeGreaterThanOrEqual(59_000);
    });
  },
);
