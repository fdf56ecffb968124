import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { issuer, prodConfig, runAws } from "./harness";

const tags = { "watchpost.io/stack": "prod", "watchpost.io/environment": "prod", "managed-by": "pulumi" };
let run: Awaited<ReturnType<typeof runAws>>;

/** Prod with a created cluster, AMP on, cert-manager instead of ACM, backups off. */
const variant = () =>
  prodConfig((v) => {
    v.cluster = { region: "eu-west-1", create: { enabled: true, kubernetesVersion: "1.32", instanceType: "m6i.large", nodes: 4, vpcCidr: "10.50.0.0/16" } };
    v.prometheus = { ...v.prometheus, amp: { enabled: true } };
    v.ingress = { ...v.ingress, tls: "cert-manager", className: "traefik", controllerNamespace: "traefik", acmeEmail: "ops@example.com", route53ZoneId: undefined };
    v.backup = { enabled: false };
  });

describe("created EKS cluster with public access for listed addresses", () => {
  it("opens the public endpoint to exactly those addresses, the private one stays", async () => {
    const listed = await runAws(
      prodConfig((v) => {
        v.cluster = { region: "eu-west-1", create: { enabled: true, publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"] } };
      }),
    );
    expect(listed.one("aws:eks/cluster:Cluster", "cluster").inputs.vpcConfig).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"],
    });
  });
});

describe("created EKS cluster, AMP, no ACM certificate, no backups (Pulumi mocks)", () => {
  beforeAll(async () => {
    run = await runAws(variant());
  });

  it("makes a VPC over 2 zones with tagged public and private subnets and one NAT gateway", () => {
    expect(run.one("aws:ec2/vpc:Vpc", "vpc").inputs).toMatchObject({ cidrBlock: "10.50.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
    const subnets = run.byType("aws:ec2/subnet:Subnet");
    expect(subnets.map((s) => [s.name, s.inputs.cidrBlock, s.inputs.availabilityZone])).toEqual([
      ["public-subnet-0", "10.50.0.0/20", "eu-west-1a"],
      ["public-subnet-1", "10.50.16.0/20", "eu-west-1b"],
      ["private-subnet-0", "10.50.64.0/18", "eu-west-1a"],
      ["private-subnet-1", "10.50.128.0/18", "eu-west-1b"],
    ]);
    for (const s of subnets.filter((x) => x.name.startsWith("public"))) expect(s.inputs.tags["kubernetes.io/role/elb"]).toBe("1");
    for (const s of subnets.filter((x) => x.name.startsWith("private"))) expect(s.inputs.tags["kubernetes.io/role/internal-elb"]).toBe("1");
    expect(run.byType("aws:ec2/natGateway:NatGateway")).toHaveLength(1);
    expect(run.one("aws:ec2/natGateway:NatGateway", "nat-gateway").inputs.subnetId).toBe("public-subnet-0-id");
    expect(run.one("aws:ec2/routeTable:RouteTable", "private-routes").inputs.routes).toEqual([{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-gateway-id" }]);
    expect(run.one("aws:ec2/routeTable:RouteTable", "public-routes").inputs.routes).toEqual([{ cidrBlock: "0.0.0.0/0", gatewayId: "internet-gateway-id" }]);
  });

  it("creates the EKS cluster at the configured version with a private API endpoint only, KMS secrets encryption and control-plane logs", () => {
    const cluster = run.one("aws:eks/cluster:Cluster", "cluster").inputs;
    expect(cluster.name).toBe("watchpost-prod");
    expect(cluster.version).toBe("1.32");
    // The public endpoint was on and open to 0.0.0.0/0; with no publicAccessCidrs it is now off.
    expect(cluster.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false });
    expect(cluster.vpcConfig.publicAccessCidrs).toBeUndefined();
    expect(cluster.vpcConfig.subnetIds).toEqual(["private-subnet-0-id", "private-subnet-1-id", "public-subnet-0-id", "public-subnet-1-id"]);
    expect(cluster.encryptionConfig).toEqual({ provider: { keyArn: "arn:aws:kms:eu-west-1:123456789012:key/cluster-secrets-key" }, resources: ["secrets"] });
    expect(cluster.enabledClusterLogTypes).toEqual(["api", "audit", "authenticator"]);
    expect(cluster.accessConfig).toEqual({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
    expect(cluster.tags).toEqual(tags);
    const clusterRoleTrust = JSON.parse(run.one("aws:iam/role:Role", "cluster-role").inputs.assumeRolePolicy);
    expect(clusterRoleTrust.Statement[0].Principal).toEqual({ Service: "eks.amazonaws.com" });
  });

  it("runs a managed node group of the configured size and instance type in the private subnets", () => {
    const nodes = run.one("aws:eks/nodeGroup:NodeGroup", "nodes").inputs;
    expect(nodes.instanceTypes).toEqual(["m6i.large"]);
    expect(nodes.scalingConfig).toEqual({ desiredSize: 4, minSize: 4, maxSize: 4 });
    expect(nodes.subnetIds).toEqual(["private-subnet-0-id", "private-subnet-1-id"]);
    expect(nodes.clusterName).toBe("watchpost-prod");
    expect(
      run
        .byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.name.startsWith("node-role-"))
        .map((a) => a.inputs.policyArn),
    ).toEqual(["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"]);
  });

  it("registers the IAM OIDC provider and runs the EBS CSI driver addon with its own IRSA role", () => {
    expect(run.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "oidc-provider").inputs).toMatchObject({
      url: `https://${issuer}`,
      clientIdLists: ["sts.amazonaws.com"],
    });
    const addon = run.one("aws:eks/addon:Addon", "ebs-csi-driver").inputs;
    expect(addon).toMatchObject({ addonName: "aws-ebs-csi-driver", clusterName: "watchpost-prod", serviceAccountRoleArn: "arn:aws:iam::123456789012:role/ebs-csi-role-1234567" });
    const trust = JSON.parse(run.one("aws:iam/role:Role", "ebs-csi-role").inputs.assumeRolePolicy);
    expect(trust.Statement[0].Condition.StringEquals[`${issuer}:sub`]).toBe("system:serviceaccount:kube-system:ebs-csi-controller-sa");
    expect(run.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ebs-csi-role-0").inputs.policyArn).toBe("arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
  });

  it("returns the created cluster's kubeconfig, OIDC provider and VPC; no lookups of an existing cluster", () => {
    expect(run.calls.map((c) => c.token)).toEqual(["aws:index/getAvailabilityZones:getAvailabilityZones"]);
    expect(run.cluster.oidcIssuer).toBe(issuer);
    expect(run.cluster.oidcProviderArn).toBe(`arn:aws:iam::123456789012:oidc-provider/${issuer}`);
    expect(run.cluster.vpcId).toBe("vpc-id");
    const kc = JSON.parse(run.cluster.kubeconfig);
    expect(kc.clusters[0].cluster.server).toBe("https://CREATED.gr7.eu-west-1.eks.amazonaws.com");
    expect(kc.users[0].user.exec.args).toEqual(["eks", "get-token", "--cluster-name", "watchpost-prod", "--region", "eu-west-1"]);
  });

  it("hands the Kubernetes side the VPC's CIDR (the API server's webhook calls) and the public subnets' CIDRs (where the ALB's nodes are)", () => {
    expect(run.wiring.loadBalancerCidrs).toEqual(["10.50.0.0/20", "10.50.16.0/20"]);
    expect(pulumi.Output.isInstance(run.wiring.vpcCidr)).toBe(true);
  });

  it("creates a protected AMP workspace and a role that may only remote-write to it", async () => {
    const ws = run.one("aws:amp/workspace:Workspace", "amp");
    expect(ws.inputs).toEqual({ alias: "watchpost-prod", tags });
    expect(ws.protect).toBe(true);
    const trust = JSON.parse(run.one("aws:iam/role:Role", "prometheus-role").inputs.assumeRolePolicy);
    expect(trust.Statement[0].Condition.StringEquals[`${issuer}:sub`]).toBe("system:serviceaccount:monitoring:watchpost-prometheus");
    const doc = JSON.parse(run.one("aws:iam/rolePolicy:RolePolicy", "prometheus-policy").inputs.policy);
    expect(doc.Statement).toEqual([
      { Sid: "RemoteWriteToWorkspace", Effect: "Allow", Action: ["aps:RemoteWrite"], Resource: "arn:aws:aps:eu-west-1:123456789012:workspace/ws-0123" },
    ]);
    expect(run.outputs.ampRemoteWriteUrl).toBe("https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0123/api/v1/remote_write");
    expect(run.wiring.remoteWrite?.region).toBe("eu-west-1");
  });

  it("makes no certificate or Load Balancer Controller role with cert-manager, and no backup vault or bucket with backups off", () => {
    for (const type of ["aws:acm/certificate:Certificate", "aws:route53/record:Record", "aws:backup/vault:Vault", "aws:backup/plan:Plan", "aws:backup/selection:Selection"])
      expect(run.byType(type), type).toEqual([]);
    expect(run.byType("aws:s3/bucket:Bucket").map((b) => b.name)).toEqual(["loki-bucket", "tempo-bucket"]);
    expect(run.resources.find((r) => r.name === "load-balancer-controller-role")).toBeUndefined();
    expect(run.wiring.certificateArn).toBeUndefined();
    expect(run.wiring.backups).toBeUndefined();
  });

  it("protects the cluster and its secrets key along with the data, and tags everything taggable", () => {
    // The cluster holds every PVC object and Secret of the stack; a changed name (its default follows the stack name) must not replace it.
    expect(
      run.resources
        .filter((r) => r.protect)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["amp", "cluster", "cluster-secrets-key", "loki-bucket", "tempo-bucket"]);
    for (const type of [
      "aws:ec2/vpc:Vpc",
      "aws:ec2/subnet:Subnet",
      "aws:ec2/natGateway:NatGateway",
      "aws:ec2/eip:Eip",
      "aws:eks/nodeGroup:NodeGroup",
      "aws:eks/addon:Addon",
      "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    ])
      for (const r of run.byType(type)) expect(r.inputs.tags, `${type}/${r.name}`).toMatchObject(tags);
  });
});
