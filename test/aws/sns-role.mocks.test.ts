/**
 * SNS on eks: the Alertmanager signs with its own IAM role (IRSA). Under
 * Pulumi mocks the AWS side creates that role, trusted by the Alertmanager's
 * service account only, allowed sns:Publish on the one topic; the Kubernetes
 * plan annotates that service account and runs the Alertmanager as it.
 */
import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { planStack } from "../../infra/plan";
import { issuer, oidcProviderArn, prodConfig, runAws } from "./harness";

const topicArn = "arn:aws:sns:eu-west-1:123456789012:watchpost-alerts";
const withSns = () =>
  prodConfig((v) => {
    v.notifications.sns = { enabled: true, topicArn };
    v.routing.channels = { critical: ["pagerduty", "slack", "sns"] };
  });
let run: Awaited<ReturnType<typeof runAws>>;

describe("SNS on eks: the Alertmanager's IRSA role", () => {
  beforeAll(async () => {
    run = await runAws(withSns());
  });

  it("is trusted by the watchpost-alertmanager service account only and may publish to the topic, nothing else", () => {
    const trust = JSON.parse(run.one("aws:iam/role:Role", "alertmanager-role").inputs.assumeRolePolicy);
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0].Principal).toEqual({ Federated: oidcProviderArn });
    expect(trust.Statement[0].Condition.StringEquals).toEqual({
      [`${issuer}:sub`]: "system:serviceaccount:monitoring:watchpost-alertmanager",
      [`${issuer}:aud`]: "sts.amazonaws.com",
    });
    expect(JSON.parse(run.one("aws:iam/rolePolicy:RolePolicy", "alertmanager-policy").inputs.policy).Statement).toEqual([
      { Sid: "PublishToAlertTopic", Effect: "Allow", Action: ["sns:Publish"], Resource: topicArn },
    ]);
  });

  it("is handed to the Kubernetes side and exported", async () => {
    const arn = await new Promise((r) => (run.wiring.alertmanagerRoleArn as pulumi.Output<string>).apply(r));
    expect(arn).toBe("arn:aws:iam::123456789012:role/alertmanager-role-1234567");
    expect(Object.keys(run.outputs)).toContain("alertmanagerRoleArn");
  });

  it("is not made while SNS is off", async () => {
    const off = await runAws(prodConfig());
    expect(off.resources.find((r) => r.name === "alertmanager-role")).toBeUndefined();
    expect(off.wiring.alertmanagerRoleArn).toBeUndefined();
  });
});

describe("SNS on eks: the Kubernetes plan", () => {
  it("annotates the Alertmanager's own service account with the role, runs the Alertmanager as it, and mounts no AWS key", () => {
    const plan = planStack(withSns());
    const alerting = plan.kubernetes?.alerting;
    expect(alerting?.serviceAccount).toEqual({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { namespace: "monitoring", name: "watchpost-alertmanager", annotations: { "eks.amazonaws.com/role-arn": "<aws:alertmanager-role-arn>" } },
    });
    expect(alerting?.alertmanager.spec).toMatchObject({ serviceAccountName: "watchpost-alertmanager" });
    expect(alerting?.alertmanager.spec.containers[0]).not.toHaveProperty("env");
    expect(Object.keys(plan.alertmanager.secretFiles)).not.toContain("snsCredentials");
    expect(plan.alertmanager.files["alertmanager.yml"]).toContain("sigv4:\n          region: eu-west-1\n");
  });

  it("without SNS plans no service account: the operator's default stays", () => {
    const alerting = planStack(prodConfig()).kubernetes?.alerting;
    expect(alerting?.serviceAccount).toBeUndefined();
    expect(alerting?.alertmanager.spec).not.toHaveProperty("serviceAccountName");
  });
});
