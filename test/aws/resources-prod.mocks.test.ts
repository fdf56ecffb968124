import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { backupSelectionTag } from "../../infra/aws/index";
import { issuer, oidcProviderArn, prodConfig, runAws } from "./harness";

const tags = { "watchpost.io/stack": "prod", "watchpost.io/environment": "prod", "managed-by": "pulumi" };
let run: Awaited<ReturnType<typeof runAws>>;

const policyOf = (resource: { inputs: Record<string, any> }, key: string) => JSON.parse(resource.inputs[key]);
const roleTrust = (role: string) => policyOf(run.one("aws:iam/role:Role", `${role}-role`), "assumeRolePolicy");
const rolePolicy = (role: string) => policyOf(run.one("aws:iam/rolePolicy:RolePolicy", `${role}-policy`), "policy");
const bucketArn = (role: string) => `arn:aws:s3:::watchpost-prod-${role}-0123abcd`;

describe("AWS resources of the prod stack under Pulumi mocks (existing cluster)", () => {
  beforeAll(async () => {
    run = await runAws(prodConfig());
  });

  it("looks the cluster up by name and finds the IAM OIDC provider of its issuer", () => {
    expect(run.calls.map((c) => c.token)).toEqual(expect.arrayContaining(["aws:eks/getCluster:getCluster", "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider"]));
    expect(run.calls.find((c) => c.token === "aws:eks/getCluster:getCluster")?.inputs).toEqual({ name: "watchpost-prod" });
    expect(run.calls.find((c) => c.token === "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider")?.inputs).toEqual({ url: `https://${issuer}` });
    expect(run.cluster).toMatchObject({ name: "watchpost-prod", oidcIssuer: issuer, oidcProviderArn, vpcId: "vpc-0existing" });
    expect(JSON.parse(run.cluster.kubeconfig).users[0].user.exec.args).toEqual(["eks", "get-token", "--cluster-name", "watchpost-prod", "--region", "eu-west-1"]);
    expect(run.byType("aws:eks/cluster:Cluster")).toEqual([]);
  });

  it("looks up the existing cluster's VPC CIDR: the API server's webhook calls and the ALB's nodes come from it", async () => {
    expect(run.calls.find((c) => c.token === "aws:ec2/getVpc:getVpc")?.inputs).toEqual({ id: "vpc-0existing" });
    const [vpcCidr, albCidrs] = await new Promise<[string, string[]]>((resolve) =>
      pulumi.all([run.wiring.vpcCidr as pulumi.Input<string>, pulumi.all(run.wiring.loadBalancerCidrs ?? [])]).apply((v) => resolve(v as [string, string[]])),
    );
    expect(vpcCidr).toBe("10.0.0.0/16");
    expect(albCidrs).toEqual(["10.0.0.0/16"]);
  });

  it("creates exactly the Loki, Tempo and backups buckets, each with its own configuration resources", () => {
    expect(run.byType("aws:s3/bucket:Bucket").map((b) => b.name)).toEqual(["loki-bucket", "tempo-bucket", "backups-bucket"]);
    for (const role of ["loki", "tempo", "backups"]) {
      const bucket = run.one("aws:s3/bucket:Bucket", `${role}-bucket`);
      expect(bucket.inputs.bucketPrefix).toBe(`watchpost-prod-${role}-`);
      expect(bucket.inputs.forceDestroy).toBe(false);
      expect(bucket.inputs.tags).toEqual({ ...tags, "watchpost.io/data": role });
      const name = `watchpost-prod-${role}-0123abcd`;
      expect(run.one("aws:s3/bucketVersioning:BucketVersioning", `${role}-bucket-versioning`).inputs).toEqual({ bucket: name, versioningConfiguration: { status: "Enabled" } });
      expect(run.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${role}-bucket-encryption`).inputs.rules).toEqual([
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ]);
      expect(run.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${role}-bucket-public-access`).inputs).toEqual({
        bucket: name,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      expect(run.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", `${role}-bucket-ownership`).inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
      const tlsOnly = policyOf(run.one("aws:s3/bucketPolicy:BucketPolicy", `${role}-bucket-tls-only`), "policy");
      expect(tlsOnly.Statement).toEqual([
        expect.objectContaining({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } }, Resource: [bucketArn(role), `${bucketArn(role)}/*`] }),
      ]);
    }
  });

  it("expires objects with each retention: Loki 168h → 7 days + 1, Tempo 72h → 3 days + 1, backups 30 days", () => {
    const rule = (role: string) => run.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `${role}-bucket-lifecycle`).inputs.rules[0];
    expect(rule("loki").expiration).toEqual({ days: 8 });
    expect(rule("tempo").expiration).toEqual({ days: 4 });
    expect(rule("backups").expiration).toEqual({ days: 30 });
    for (const role of ["loki", "tempo", "backups"]) {
      expect(rule(role).status).toBe("Enabled");
      expect(rule(role).noncurrentVersionExpiration).toEqual({ noncurrentDays: 7 });
      expect(rule(role).abortIncompleteMultipartUpload).toEqual({ daysAfterInitiation: 1 });
    }
  });

  it("protects what holds data, and retains buckets even when removed from the program", () => {
    const protectedNames = run.resources
      .filter((r) => r.protect)
      .map((r) => `${r.type}/${r.name}`)
      .sort();
    expect(protectedNames).toEqual(
      [
        "aws:backup/vault:Vault/backup-vault",
        "aws:kms/key:Key/backup-vault-key",
        "aws:s3/bucket:Bucket/backups-bucket",
        "aws:s3/bucket:Bucket/loki-bucket",
        "aws:s3/bucket:Bucket/tempo-bucket",
      ].sort(),
    );
    expect(run.resources.filter((r) => r.retainOnDelete).map((r) => r.name)).toEqual(["loki-bucket", "tempo-bucket", "backups-bucket"]);
  });

  it("gives each IRSA role exactly one service account and only its own bucket", () => {
    for (const [role, sa, bucket] of [
      ["loki", "loki", "loki"],
      ["tempo", "tempo", "tempo"],
      ["backup", "watchpost-backup", "backups"],
    ]) {
      const trust = roleTrust(role);
      expect(trust.Statement).toHaveLength(1);
      expect(trust.Statement[0].Principal).toEqual({ Federated: oidcProviderArn });
      expect(trust.Statement[0].Condition.StringEquals).toEqual({ [`${issuer}:sub`]: `system:serviceaccount:monitoring:${sa}`, [`${issuer}:aud`]: "sts.amazonaws.com" });
      const resources = rolePolicy(role).Statement.flatMap((s: any) => [s.Resource].flat());
      expect(resources.length).toBeGreaterThan(0);
      for (const r of resources) expect(r.startsWith(bucketArn(bucket)), `${role}: ${r}`).toBe(true);
    }
    expect(rolePolicy("backup").Statement.find((s: any) => s.Action.includes("s3:PutObject")).Resource).toEqual([
      `${bucketArn("backups")}/prometheus/*`,
      `${bucketArn("backups")}/grafana/*`,
    ]);
  });

  it("backs up tagged EBS volumes daily into a KMS-encrypted vault, kept 30 days", () => {
    const vault = run.one("aws:backup/vault:Vault", "backup-vault").inputs;
    expect(vault.kmsKeyArn).toBe("arn:aws:kms:eu-west-1:123456789012:key/backup-vault-key");
    expect(vault.tags).toEqual(tags);
    expect(run.one("aws:kms/key:Key", "backup-vault-key").inputs.enableKeyRotation).toBe(true);
    const plan = run.one("aws:backup/plan:Plan", "backup-plan").inputs;
    expect(plan.rules).toEqual([
      { ruleName: "daily", schedule: "cron(0 3 * * ? *)", lifecycle: { deleteAfter: 30 }, targetVaultName: "backup-vault-1234567", recoveryPointTags: tags },
    ]);
    const selection = run.one("aws:backup/selection:Selection", "backup-selection").inputs;
    expect(selection.resources).toEqual(["arn:aws:ec2:*:*:volume/*"]);
    expect(selection.conditions).toEqual([{ stringEquals: [{ key: `aws:ResourceTag/${backupSelectionTag.key}`, value: "true" }] }]);
    expect(selection.selectionTags).toBeUndefined();
    expect(selection.iamRoleArn).toBe("arn:aws:iam::123456789012:role/backup-service-role-1234567");
    expect(
      run
        .byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.name.startsWith("backup-service-role-"))
        .map((a) => a.inputs.policyArn),
    ).toEqual(["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup", "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"]);
  });

  it("validates an ACM certificate for *.domain and domain by DNS in the configured zone", () => {
    const cert = run.one("aws:acm/certificate:Certificate", "certificate").inputs;
    expect(cert).toMatchObject({ domainName: "*.monitoring.example.com", subjectAlternativeNames: ["monitoring.example.com"], validationMethod: "DNS", tags });
    const record = run.one("aws:route53/record:Record", "certificate-validation-record").inputs;
    expect(record).toMatchObject({ zoneId: "Z0123456789EXAMPLE", name: "_x1.monitoring.example.com.", type: "CNAME", records: ["_x2.acm-validations.aws."] });
    expect(run.one("aws:acm/certificateValidation:CertificateValidation", "certificate-validation").inputs).toEqual({
      certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0123",
      validationRecordFqdns: ["_x1.monitoring.example.com"],
    });
    expect(run.outputs.certificateArn).toBe("arn:aws:acm:eu-west-1:123456789012:certificate/0123");
  });

  it("gives the Load Balancer Controller its role, trusted by its service account in kube-system only", () => {
    const trust = roleTrust("load-balancer-controller");
    expect(trust.Statement[0].Condition.StringEquals[`${issuer}:sub`]).toBe("system:serviceaccount:kube-system:aws-load-balancer-controller");
    const doc = rolePolicy("load-balancer-controller");
    expect(doc.Statement.some((s: any) => [s.Action].flat().includes("elasticloadbalancing:CreateLoadBalancer"))).toBe(true);
  });

  it("creates no AMP workspace and no remote-write role while prometheus.amp is off", () => {
    expect(run.byType("aws:amp/workspace:Workspace")).toEqual([]);
    expect(run.resources.find((r) => r.name === "prometheus-role")).toBeUndefined();
    expect(run.wiring.remoteWrite).toBeUndefined();
  });

  it("hands the Kubernetes side buckets, role ARNs, certificate, cluster name and VPC", async () => {
    const w = run.wiring;
    const v = async (x: unknown) => (pulumi.Output.isInstance(x) ? await new Promise((r) => (x as pulumi.Output<unknown>).apply(r)) : x);
    expect(w.region).toBe("eu-west-1");
    expect(await v(w.loki?.bucket)).toBe("watchpost-prod-loki-0123abcd");
    expect(await v(w.loki?.roleArn)).toBe("arn:aws:iam::123456789012:role/loki-role-1234567");
    expect(await v(w.tempo?.roleArn)).toBe("arn:aws:iam::123456789012:role/tempo-role-1234567");
    expect(await v(w.backups?.bucket)).toBe("watchpost-prod-backups-0123abcd");
    expect(await v(w.certificateArn)).toBe("arn:aws:acm:eu-west-1:123456789012:certificate/0123");
    expect(await v(w.loadBalancerControllerRoleArn)).toBe("arn:aws:iam::123456789012:role/load-balancer-controller-role-1234567");
    expect(await v(w.clusterName)).toBe("watchpost-prod");
    expect(await v(w.vpcId)).toBe("vpc-0existing");
    expect(Object.keys(run.outputs).sort()).toEqual(
      ["backupVaultArn", "backupsBucket", "backupsRoleArn", "certificateArn", "loadBalancerControllerRoleArn", "lokiBucket", "lokiRoleArn", "tempoBucket", "tempoRoleArn"].sort(),
    );
  });

  it("creates every AWS resource through the regional provider and tags every taggable one", () => {
    const provider = run.one("pulumi:providers:aws", "aws");
    expect(provider.inputs.region).toBe("eu-west-1");
    const untaggable = new Set([
      "pulumi:providers:aws",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:s3/bucketVersioning:BucketVersioning",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "aws:backup/selection:Selection",
      "aws:route53/record:Record",
      "aws:acm/certificateValidation:CertificateValidation",
    ]);
    for (const r of run.resources) {
      if (r.type === "pulumi:providers:aws") continue;
      expect(r.provider, r.name).toMatch(/::aws::aws-id$/);
      if (!untaggable.has(r.type)) expect(r.inputs.tags, `${r.type}/${r.name}`).toMatchObject(tags);
    }
  });
});

describe("AWS resources whose names may move", () => {
  it("keeps a bucket whose name prefix moved (a stack rename): the prefix only names it at creation", () => {
    for (const role of ["loki", "tempo", "backups"]) expect(run.one("aws:s3/bucket:Bucket", `${role}-bucket`).ignoreChanges).toEqual(["bucketPrefix"]);
  });

  it("answers to the root-level URN of every AWS resource when the AWS side moves under a component, so nothing stateful is replaced", async () => {
    const moved = await runAws(prodConfig(), "aws-side");
    const created = moved.resources.filter((r) => r.type.startsWith("aws:") && !r.type.startsWith("pulumi:providers:"));
    expect(created.map((r) => r.name)).toEqual(expect.arrayContaining(["loki-bucket", "backup-vault", "backup-vault-key"]));
    for (const r of created) {
      expect(r.parent, r.name).toMatch(/::aws-side$/);
      expect(r.aliases, `${r.type}/${r.name}`).toContainEqual(expect.objectContaining({ spec: expect.objectContaining({ noparent: true }) }));
    }
  });
});
