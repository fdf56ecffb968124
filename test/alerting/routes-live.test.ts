/**
 * Live: the real Alertmanager on routing chosen in config, with Amazon SNS and
 * the generic webhook pointed at a local sink that answers as SNS and a
 * webhook receiver do. Checks who was told, with what, signed with which key,
 * and who was not told.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderAlertmanagerConfig } from "../../components/alerting/render";
import { awsCredentialsFile } from "../../components/alerting/receivers";
import { relocateAlertmanagerPaths } from "../../drill/rewrite";
import { HttpSink } from "../../drill/sinks";
import { ProcessGroup } from "../../harness/processes";
import { built, tool } from "../support/tools";
import { deliveredTo, type RunningAlertmanager, type TestAlert, postAlerts, startAlertmanager } from "./alertmanager";
import { renderInput, writeArtifacts } from "./fixtures";

const am = tool("alertmanager");
// Test-only credentials: they exist to prove Alertmanager reads them from the mounted file.
const accessKeyId = "AKIATESTWATCHPOST01";
const secretAccessKey = "test-secret-access-key-0001";
const topicArn = "arn:aws:sns:eu-west-1:123456789012:watchpost-alerts";
const runbook = (name: string) => `https://runbooks.example.test/${name}`;

function alert(alertname: string, labels: Record<string, string>): TestAlert {
  return {
    labels: { alertname, ...labels },
    annotations: { summary: `${alertname} summary`, description: `${alertname} description`, runbook_url: runbook(alertname) },
    startsAt: new Date(Date.now() - 60_000).toISOString(),
  };
}

const apiDown = alert("ApiDown", { service: "api", severity: "critical" });
const paymentsSlow = alert("PaymentsSlow", { service: "payments", severity: "warning" });
const apiSlow = alert("ApiLatencyHigh", { service: "api", severity: "warning" });

describe.skipIf(!am)(`live Alertmanager with routing from config, SNS and the webhook (${built("alertmanager")})`, () => {
  const group = new ProcessGroup();
  const http = new HttpSink();
  let server: RunningAlertmanager;
  const published = () => http.deliveries.filter((d) => d.path.startsWith("/sns")).map((d) => ({ ...d, form: Object.fromEntries(new URLSearchParams(String(d.body))) }));

  beforeAll(async () => {
    await http.start();
    const fast = { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" };
    const input = renderInput(
      { sns: { enabled: true, topicArn, url: http.url("/sns") }, webhook: { enabled: true } },
      {
        timing: { critical: fast, warning: fast, info: fast },
        // Critical by SMS and email through the topic; warnings to no one, but payments' go to the webhook and SNS.
        channels: { critical: ["sns"], warning: [] },
        routes: [{ name: "payments", matchers: ['service="payments"'], channels: ["webhook", "sns"], subject: "Payments: {{ .CommonLabels.alertname }}" }],
      },
      ["snsAccessKeyId", "snsSecretAccessKey", "webhookUrl"],
    );
    const art = renderAlertmanagerConfig(input);
    const written = writeArtifacts(art, { snsCredentials: awsCredentialsFile(accessKeyId, secretAccessKey), webhookUrl: http.url("/webhook") });
    const credentials = relocateAlertmanagerPaths(art.secretFiles.snsCredentials, written.dir);
    server = await startAlertmanager(group, am as string, {
      name: "alertmanager-routes",
      configFile: written.configFile,
      dir: written.dir,
      // As the platform sets it; no other AWS source may sign (no config file, no instance metadata).
      env: { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: `${written.dir}/no-aws-config`, AWS_EC2_METADATA_DISABLED: "true" },
    });
    await postAlerts(server, [apiDown, paymentsSlow, apiSlow]);
    await deliveredTo(server, "SNS and the webhook to be told", () => published().length >= 2 && http.at("/webhook").length >= 1);
  }, 45_000);

  afterAll(async () => {
    await group.stopAll();
    await http.stop();
  });

  it("publishes each group once to the topic, signed for its region with the key pair from the mounted file", () => {
    const sent = published();
    expect(sent.map((d) => d.form.Subject).sort()).toEqual(["Payments: PaymentsSlow", "[FIRING:1] ApiDown api (test)"]);
    for (const d of sent) {
      expect(d.form).toMatchObject({ Action: "Publish", TopicArn: topicArn });
      expect(d.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${accessKeyId}/\\d{8}/eu-west-1/sns/aws4_request`));
    }
  });

  it("carries the summary and the runbook, dashboard and silence links in the message", () => {
    const message = published().find((d) => d.form.Subject.includes("ApiDown"))?.form.Message ?? "";
    expect(message).toContain("FIRING: ApiDown summary (critical)");
    expect(message).toContain(`Runbook: ${runbook("ApiDown")}`);
    expect(message).toContain("Dashboard: https://grafana.example.test/d/");
    expect(message).toContain("Silence: https://alertmanager.example.test/#/silences/new?filter=");
  });

  it("sends payments' warning to the webhook as Alertmanager's JSON, from its own route", () => {
    const hooks = http.at("/webhook").map((d) => d.body);
    expect(hooks.map((h) => [h.receiver, h.alerts.map((a: any) => a.labels.alertname)])).toEqual([["route-payments", ["PaymentsSlow"]]]);
    expect(hooks[0].alerts[0].annotations.runbook_url).toBe(runbook("PaymentsSlow"));
  });

  it("tells no one of a warning whose severity lists no channel", () => {
    const everything = JSON.stringify(http.deliveries.map((d) => d.body));
    expect(everything).not.toContain("ApiLatencyHigh");
  });
});
