/**
 * Runs the AWS side of a prod stack under Pulumi mocks. Records every
 * resource with its inputs and the options that reached the engine
 * (`protect`, `retainOnDelete`, parent, provider): the mock API hides
 * options, so the harness wraps the mock monitor's `registerResource` and
 * reads them off the request the SDK sends, exactly what the engine would get.
 *
 * `awsMockState` and `awsMockCall` answer what a real provider computes
 * (ARNs, the EKS OIDC issuer, ACM validation records); the stack-wide mocks
 * can reuse them.
 */
import * as pulumi from "@pulumi/pulumi";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import type { StackConfig } from "../../infra/config/schema";
import { parseStackConfig } from "../../infra/config/validate";
import { awsProvider, createAwsResources, eksCluster } from "../../infra/aws/index";

export const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
export const oidcProviderArn = `arn:aws:iam::123456789012:oidc-provider/${issuer}`;
export const account = "123456789012";

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, any>;
  protect: boolean;
  retainOnDelete: boolean;
  parent: string;
  provider: string;
}

/** Provider-computed outputs of the AWS resources Watchpost reads, keyed by type. */
export function awsMockState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  const arn = (service: string, path: string) => `arn:aws:${service}:eu-west-1:${account}:${path}`;
  switch (type) {
    case "aws:s3/bucket:Bucket": {
      const bucket = `${inputs.bucketPrefix ?? name}0123abcd`;
      return { ...inputs, bucket, arn: `arn:aws:s3:::${bucket}` };
    }
    case "aws:iam/role:Role":
      return { ...inputs, name: `${name}-1234567`, arn: `arn:aws:iam::${account}:role/${name}-1234567` };
    case "aws:amp/workspace:Workspace":
      return { ...inputs, arn: arn("aps", "workspace/ws-0123"), prometheusEndpoint: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0123/" };
    case "aws:acm/certificate:Certificate":
      return {
        ...inputs,
        arn: arn("acm", "certificate/0123"),
        domainValidationOptions: [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])].map((domainName: string) => ({
          domainName,
          resourceRecordName: "_x1.monitoring.example.com.",
          resourceRecordType: "CNAME",
          resourceRecordValue: "_x2.acm-validations.aws.",
        })),
      };
    case "aws:acm/certificateValidation:CertificateValidation":
      return { ...inputs };
    case "aws:route53/record:Record":
      return { ...inputs, fqdn: String(inputs.name).replace(/\.$/, "") };
    case "aws:kms/key:Key":
      return { ...inputs, arn: arn("kms", `key/${name}`) };
    case "aws:backup/vault:Vault":
      return { ...inputs, name: `${name}-1234567`, arn: arn("backup", `backup-vault:${name}-1234567`) };
    case "aws:eks/cluster:Cluster":
      return {
        ...inputs,
        arn: arn("eks", `cluster/${inputs.name}`),
        endpoint: "https://CREATED.gr7.eu-west-1.eks.amazonaws.com",
        certificateAuthority: { data: "Q1JFQVRFRA==" },
        identities: [{ oidcs: [{ issuer: `https://${issuer}` }] }],
      };
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      return { ...inputs, arn: `arn:aws:iam::${account}:oidc-provider/${String(inputs.url).replace(/^https:\/\//, "")}` };
    default:
      return inputs;
  }
}

/** Answers the data-source lookups of the AWS side; undefined for tokens it does not know. */
export function awsMockCall(token: string, inputs: Record<string, any>): Record<string, any> | undefined {
  switch (token) {
    case "aws:eks/getCluster:getCluster":
      return {
        name: inputs.name,
        endpoint: "https://EXISTING.gr7.eu-west-1.eks.amazonaws.com",
        certificateAuthorities: [{ data: "Y2E=" }],
        identities: [{ oidcs: [{ issuer: `https://${issuer}` }] }],
        vpcConfig: { vpcId: "vpc-0existing" },
      };
    case "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider":
      if (inputs.url !== `https://${issuer}`) throw new Error(`no IAM OIDC provider for ${inputs.url}`);
      return { arn: oidcProviderArn, url: issuer, clientIdLists: ["sts.amazonaws.com"], thumbprintLists: [], tags: {} };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return { names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], zoneIds: ["euw1-az1", "euw1-az2", "euw1-az3"], id: "eu-west-1" };
    default:
      return undefined;
  }
}

const prodSecrets = new Set(["slackWebhookUrl", "pagerdutyRoutingKey", "smtpPassword", "heartbeatUrl", "oidcClientSecret"]);

/** The prod stack's config with its channel secrets marked set, optionally changed. */
export function prodConfig(change: (values: Record<string, any>) => void = () => {}): StackConfig {
  const raw = readStackFile(stackFilePath("prod"));
  const values = structuredClone(raw.values) as Record<string, any>;
  change(values);
  return parseStackConfig("prod", { values, secrets: prodSecrets }).config;
}

function outputValue<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

export async function runAws(cfg: StackConfig) {
  const resources: Recorded[] = [];
  const calls: Array<{ token: string; inputs: Record<string, any> }> = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: awsMockState(args.type, args.name, args.inputs) }),
      call: (args) => {
        calls.push({ token: args.token, inputs: args.inputs });
        const answer = awsMockCall(args.token, args.inputs);
        if (!answer) throw new Error(`unexpected call ${args.token}`);
        return answer;
      },
    },
    "watchpost",
    cfg.stack,
    false,
  );
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    resources.push({
      type: req.getType(),
      name: req.getName(),
      inputs: pulumi.runtime.deserializeProperties(req.getObject()),
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      parent: req.getParent(),
      provider: req.getProvider(),
    });
    return register(req, callback);
  };

  const provider = awsProvider(cfg);
  const cluster = eksCluster(cfg, undefined, { provider });
  const result = createAwsResources(cfg, cluster, { provider });
  const outputs = await outputValue(pulumi.all(result.outputs));
  const settled = await outputValue(
    pulumi.all({ kubeconfig: cluster.kubeconfig, name: cluster.name, oidcIssuer: cluster.oidcIssuer, oidcProviderArn: cluster.oidcProviderArn, vpcId: cluster.vpcId }),
  );
  await new Promise((r) => setTimeout(r, 50));

  const byType = (type: string) => resources.filter((r) => r.type === type);
  const one = (type: string, name: string) => {
    const found = resources.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`no ${type} named ${name}; have: ${resources.map((r) => `${r.type}/${r.name}`).join(", ")}`);
    return found;
  };
  return { resources, calls, byType, one, outputs, cluster: settled, wiring: result.wiring };
}
