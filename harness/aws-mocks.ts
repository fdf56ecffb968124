/**
 * What a real AWS provider would compute for the resources and lookups of
 * the AWS side (ARNs, the EKS OIDC issuer, ACM validation records), for
 * Pulumi mocks. Stack-wide mocks can answer with these too:
 *   newResource: (a) => ({ id: `${a.name}-id`, state: awsMockState(a.type, a.name, a.inputs) })
 *   call: (a) => awsMockCall(a.token, a.inputs) ?? a.inputs
 */
export const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
export const oidcProviderArn = `arn:aws:iam::123456789012:oidc-provider/${issuer}`;
export const account = "123456789012";

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
    case "aws:ec2/getVpc:getVpc":
      return { id: inputs.id, cidrBlock: "10.0.0.0/16", cidrBlockAssociations: [], tags: {} };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return { names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], zoneIds: ["euw1-az1", "euw1-az2", "euw1-az3"], id: "eu-west-1" };
    default:
      return undefined;
  }
}
