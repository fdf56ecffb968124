/**
 * Live HA drill: three Alertmanager replicas gossiping on loopback receive
 * every alert, as Prometheus sends to all of them. The replica that has been
 * notifying is killed midway; every notification must still arrive, and no
 * receiver may get one twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderAlertmanagerConfig } from "../../components/alerting/render";
import { ProcessGroup, freePort, waitFor } from "../../harness/processes";
import { built, tool } from "../support/tools";
import { type RunningAlertmanager, type TestAlert, clusterPeers, postAlerts, sleep, startAlertmanager } from "./alertmanager";
import { renderInput, writeArtifacts } from "./fixtures";
import { HttpSink } from "../../drill/sinks";

const am = tool("alertmanager");
const amtool = tool("amtool");

const startsAt = new Date(Date.now() - 60_000).toISOString();
const warning = (name: string): TestAlert => ({
  labels: { alertname: name, service: "api", severity: "warning" },
  annotations: { summary: `${name} summary`, runbook_url: `https://runbooks.example.test/${name}` },
  startsAt,
});
const before = ["HaBeforeOne", "HaBeforeTwo", "HaBeforeThree"].map(warning);
const after = ["HaAfterOne", "HaAfterTwo", "HaAfterThree"].map(warning);

describe.skipIf(!am || !amtool)(`Alertmanager HA: 3 gossiping replicas, one killed midway (${built("alertmanager")})`, () => {
  const group = new ProcessGroup();
  const http = new HttpSink();
  const replicas: RunningAlertmanager[] = [];
  let killed: RunningAlertmanager | undefined;

  /** Alert names per receiver path, one entry per notified alert. */
  const notified = (path: string): string[] =>
    http.at(path).flatMap((d) => (path === "/slack" ? [/\] (\w+) api/.exec(d.body.attachments[0].title)?.[1] ?? "?"] : d.body.alerts.map((a: any) => a.labels.alertname)));
  /** Which replica sent a webhook notification, by its --web.external-url. */
  const senders = (names: TestAlert[]) =>
    new Set(
      http
        .at("/webhook")
        .filter((d) => names.some((n) => n.labels.alertname === d.body.groupLabels.alertname))
        .map((d) => d.body.externalURL as string),
    );

  beforeAll(async () => {
    await http.start();
    const fast = { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" };
    const input = renderInput({ slack: { enabled: true }, webhook: { enabled: true } }, { timing: { critical: fast, warning: fast, info: fast } }, [
      "slackWebhookUrl",
      "webhookUrl",
    ]);
    const written = writeArtifacts(renderAlertmanagerConfig(input), { slackWebhookUrl: http.url("/slack"), webhookUrl: http.url("/webhook") });
    const gossip = [await freePort(), await freePort(), await freePort()];
    replicas.push(
      ...(await Promise.all(
        gossip.map((port, i) =>
          startAlertmanager(group, am as string, {
            name: `alertmanager-${i}`,
            configFile: written.configFile,
            dir: written.dir,
            cluster: { port, peers: gossip.filter((p) => p !== port) },
          }),
        ),
      )),
    );
    await waitFor(
      "a settled 3-member cluster",
      async () => ((await Promise.all(replicas.map(clusterPeers))).every((c) => c.status === "ready" && c.peers === 3) ? true : undefined),
      30_000,
    );
  }, 45_000);

  afterAll(async () => {
    await group.stopAll();
    await http.stop();
  });

  it("delivers every alert exactly once per receiver while one replica is SIGKILLed midway", async () => {
    await Promise.all(replicas.map((r) => postAlerts(r, before)));
    await waitFor("the first batch on Slack and the webhook", async () => (notified("/slack").length >= 3 && notified("/webhook").length >= 3 ? true : undefined));
    const [leader] = [...senders(before)];
    killed = replicas.find((r) => r.externalUrl === leader);
    expect(killed, `a webhook came from ${leader}, which is not a replica`).toBeDefined();
    await group.kill(killed!.proc);

    // Prometheus keeps re-sending firing alerts to every replica it can reach.
    const survivors = replicas.filter((r) => r !== killed);
    await Promise.all(survivors.map((r) => postAlerts(r, [...before, ...after])));
    await waitFor("the second batch from a surviving replica", async () => (notified("/slack").length >= 6 && notified("/webhook").length >= 6 ? true : undefined), 30_000);
    // Long enough for the last replica in line (2 x peer timeout of 3s) to send, had it missed the others' log.
    await sleep(8000);

    const expected = [...before, ...after].map((a) => a.labels.alertname).sort();
    expect(notified("/slack").sort()).toEqual(expected);
    expect(notified("/webhook").sort()).toEqual(expected);
    expect([...senders(after)].every((url) => url !== leader)).toBe(true);
  }, 60_000);
});
