import { describe, expect, it } from "vitest";
import { serviceAccounts } from "../../model/conventions";
import { clusterTagKey, loadBalancerControllerPolicy } from "../../infra/aws/load-balancer-controller";
import { backupWriterPolicy, bucketReadWritePolicy, irsaTrustPolicy, type PolicyDocument, remoteWritePolicy, type Statement, tlsOnlyBucketPolicy } from "../../infra/aws/policies";

const lokiBucket = "arn:aws:s3:::watchpost-prod-loki-abc";
const tempoBucket = "arn:aws:s3:::watchpost-prod-tempo-abc";
const workspace = "arn:aws:aps:eu-west-1:123456789012:workspace/ws-0123";
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const resources = (doc: PolicyDocument) => doc.Statement.flatMap((s) => list(s.Resource));
const actions = (doc: PolicyDocument) => doc.Statement.flatMap((s) => list(s.Action));

describe("IRSA trust policy", () => {
  const trust = irsaTrustPolicy({
    oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
    oidcIssuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
    namespace: "monitoring",
    serviceAccount: serviceAccounts.loki,
  });

  it("names exactly one service account through the cluster's OIDC provider, for STS only", () => {
    expect(trust.Statement).toHaveLength(1);
    const [s] = trust.Statement;
    expect(s.Effect).toBe("Allow");
    expect(s.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(s.Principal).toEqual({ Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" });
    expect(s.Condition).toEqual({
      StringEquals: {
        "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:monitoring:loki",
        "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
      },
    });
  });

  it("uses StringEquals, never a wildcard match, and has no Resource (IAM rejects one in trust policies)", () => {
    const [s] = trust.Statement;
    expect(Object.keys(s.Condition ?? {})).toEqual(["StringEquals"]);
    expect(JSON.stringify(s.Condition)).not.toContain("*");
    expect(s).not.toHaveProperty("Resource");
  });
});

describe("bucket and workspace policies", () => {
  it("Loki may get, put, delete and list its own bucket and nothing else", () => {
    const doc = bucketReadWritePolicy(lokiBucket);
    expect(resources(doc).sort()).toEqual([lokiBucket, `${lokiBucket}/*`]);
    expect(actions(doc).sort()).toEqual(["s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"]);
    expect(JSON.stringify(doc)).not.toContain(tempoBucket);
    expect(doc.Statement.every((s) => s.Effect === "Allow")).toBe(true);
  });

  it("no bucket policy grants a wildcard action or a bucket-wide * resource", () => {
    for (const doc of [bucketReadWritePolicy(tempoBucket), backupWriterPolicy(lokiBucket)]) {
      expect(actions(doc).some((a) => a.endsWith("*"))).toBe(false);
      expect(resources(doc).some((r) => r === "*" || r === "arn:aws:s3:::*")).toBe(false);
    }
  });

  it("the backup job may only upload under prometheus/ and grafana/ and list those prefixes", () => {
    const doc = backupWriterPolicy(lokiBucket);
    expect(actions(doc).sort()).toEqual(["s3:ListBucket", "s3:PutObject"]);
    const put = doc.Statement.find((s) => list(s.Action).includes("s3:PutObject")) as Statement;
    expect(put.Resource).toEqual([`${lokiBucket}/prometheus/*`, `${lokiBucket}/grafana/*`]);
    const listing = doc.Statement.find((s) => list(s.Action).includes("s3:ListBucket")) as Statement;
    expect(listing.Resource).toBe(lokiBucket);
    expect(listing.Condition).toEqual({ StringLike: { "s3:prefix": ["prometheus/", "prometheus/*", "grafana/", "grafana/*"] } });
    expect(actions(doc)).not.toContain("s3:GetObject");
    expect(actions(doc)).not.toContain("s3:DeleteObject");
  });

  it("Prometheus may only remote-write to its workspace", () => {
    const doc = remoteWritePolicy(workspace);
    expect(doc.Statement).toEqual([{ Sid: "RemoteWriteToWorkspace", Effect: "Allow", Action: ["aps:RemoteWrite"], Resource: workspace }]);
  });

  it("the bucket policy denies every request made without TLS, to anyone", () => {
    const doc = tlsOnlyBucketPolicy(lokiBucket);
    expect(doc.Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [lokiBucket, `${lokiBucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });
});

describe("AWS Load Balancer Controller policy", () => {
  const doc = loadBalancerControllerPolicy();
  const statementsWith = (action: string) => doc.Statement.filter((s) => list(s.Action).includes(action));

  it("deletes and modifies only load balancers, target groups and security groups the controller tagged", () => {
    for (const action of [
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:SetSecurityGroups",
      "ec2:DeleteSecurityGroup",
    ]) {
      const found = statementsWith(action);
      expect(found, action).not.toHaveLength(0);
      for (const s of found) expect(s.Condition?.Null?.[`aws:ResourceTag/${clusterTagKey}`], action).toBe("false");
    }
  });

  it("creates load balancers and target groups only with the cluster tag in the request", () => {
    for (const action of ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"]) {
      const creates = statementsWith(action).filter((s) => !list(s.Action).includes("elasticloadbalancing:AddTags"));
      expect(creates).toHaveLength(1);
      expect(creates[0].Condition).toEqual({ Null: { [`aws:RequestTag/${clusterTagKey}`]: "false" } });
    }
  });

  it("may create the ELB service-linked role and no other", () => {
    expect(statementsWith("iam:CreateServiceLinkedRole")).toEqual([
      expect.objectContaining({ Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } } }),
    ]);
  });

  it("leaves out what Watchpost does not use: WAF, Shield, Cognito, IAM server certificates, and any wildcard action", () => {
    const all = actions(doc);
    expect(all.filter((a) => /^(waf|wafv2|waf-regional|shield|cognito-idp):/.test(a) || a.startsWith("iam:GetServerCertificate"))).toEqual([]);
    expect(all.some((a) => a.includes("*"))).toBe(false);
    expect(all).toContain("acm:DescribeCertificate");
  });
});
