/**
 * The EKS cluster a prod stack deploys to: an existing one looked up by name,
 * or a small one created here (VPC, EKS, one managed node group, EBS CSI
 * driver, IAM OIDC provider). Either way the caller gets the same shape:
 * name, kubeconfig (token auth through `aws eks get-token`), the OIDC
 * provider IRSA roles trust, and the VPC.
 *
 * Monthly cost of a created cluster, approximate (on-demand list prices,
 * us-east-1 figures; eu-west-1 is a few percent higher; check the AWS
 * pricing pages before relying on them):
 *   EKS control plane      $0.10/h                    ≈ $73
 *   NAT gateway            ≈ $0.045/h + $0.045/GB      ≈ $33 + data
 *   3 × t3.large nodes     $0.0832/h each              ≈ $182
 *   EBS gp3                $0.08/GB-month: node disks 3 × 20 GB ≈ $5, plus every PVC
 *   NAT public IPv4        $0.005/h                    ≈ $4
 *   ≈ $300/month before PVCs, data transfer, S3 and CloudWatch Logs
 *   (audit logging can be the largest of those on a busy cluster).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec } from "../../components/production/spec";
import { createIrsaRole } from "./iam";
import { createClusterNetwork } from "./network";
import { type AwsResourceOptions, childOptions, invokeOptions } from "./options";
import type { Tags } from "./plan";
import { managedPolicies, serviceTrustPolicy } from "./policies";

/** What the rest of the prod stack needs from the cluster, existing or created. */
export interface EksClusterInfo {
  name: pulumi.Output<string>;
  /** kubeconfig authenticating with `aws eks get-token`; a secret when it came from `watchpost:kubeconfig`. */
  kubeconfig: pulumi.Output<string>;
  /** ARN of the cluster's IAM OIDC provider (IRSA). */
  oidcProviderArn: pulumi.Output<string>;
  /** Issuer host and path, without `https://`. */
  oidcIssuer: pulumi.Output<string>;
  vpcId: pulumi.Output<string>;
  /** The VPC's CIDR (the control plane's ENIs live in it). */
  vpcCidr: pulumi.Output<string>;
  /** Where an internet-facing ALB's nodes live: the public subnets of a created cluster, the whole VPC of an existing one (its subnets are not ours to know). */
  loadBalancerCidrs: Array<pulumi.Input<string>>;
  /** Created clusters: what must exist before workloads are scheduled (node group, EBS CSI driver). Empty for existing clusters. */
  ready: pulumi.Resource[];
}

/** Control-plane logs shipped to CloudWatch Logs. */
export const controlPlaneLogTypes = ["api", "audit", "authenticator"];
/** Namespace and service account of the EKS-managed EBS CSI controller. */
export const ebsCsiServiceAccount = { namespace: "kube-system", name: "ebs-csi-controller-sa" } as const;

/** A kubeconfig for one EKS cluster, authenticating through `aws eks get-token` (no long-lived credential in it). */
export function renderKubeconfig(clusterName: string, endpoint: string, certificateAuthorityData: string, region?: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": certificateAuthorityData } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    "current-context": clusterName,
    users: [
      {
        name: clusterName,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", clusterName, ...(region ? ["--region", region] : [])],
          },
        },
      },
    ],
  });
}

export function stripScheme(issuerUrl: string): string {
  return issuerUrl.replace(/^https:\/\//, "");
}

function firstIssuer(clusterName: string, identities: Array<{ oidcs?: Array<{ issuer?: string }> }> | undefined): string {
  const issuer = identities?.[0]?.oidcs?.[0]?.issuer;
  if (!issuer) throw new Error(`EKS cluster ${clusterName} reports no OIDC issuer; IRSA roles need one`);
  return issuer;
}

/**
 * An existing cluster by name: endpoint, CA and OIDC issuer from EKS, the
 * IAM OIDC provider registered for that issuer (it must exist already:
 * `eksctl utils associate-iam-oidc-provider --cluster <name> --approve`).
 */
export function existingEksCluster(clusterName: string, region: string | undefined, opts: AwsResourceOptions, kubeconfigSecret?: pulumi.Output<string>): EksClusterInfo {
  const cluster = aws.eks.getClusterOutput({ name: clusterName }, invokeOptions(opts));
  const issuerUrl = cluster.identities.apply((ids) => firstIssuer(clusterName, ids));
  const provider = aws.iam.getOpenIdConnectProviderOutput({ url: issuerUrl }, invokeOptions(opts));
  const kubeconfig =
    kubeconfigSecret ?? pulumi.all([cluster.endpoint, cluster.certificateAuthorities]).apply(([endpoint, ca]) => renderKubeconfig(clusterName, endpoint, ca[0].data, region));
  const vpcCidr = aws.ec2.getVpcOutput({ id: cluster.vpcConfig.vpcId }, invokeOptions(opts)).cidrBlock;
  return {
    name: pulumi.output(clusterName),
    kubeconfig,
    oidcProviderArn: provider.arn,
    oidcIssuer: issuerUrl.apply(stripScheme),
    vpcId: cluster.vpcConfig.vpcId,
    vpcCidr,
    loadBalancerCidrs: [vpcCidr],
    ready: [],
  };
}

function serviceRole(name: string, service: string, policies: string[], description: string, tags: Tags, opts: AwsResourceOptions) {
  const role = new aws.iam.Role(name, { assumeRolePolicy: JSON.stringify(serviceTrustPolicy(service)), description, tags }, childOptions(opts));
  const attachments = policies.map((policyArn, i) => new aws.iam.RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn }, childOptions(opts)));
  return { role, attachments };
}

/** A small cluster: see the cost estimate at the top of this file. */
export function createEksCluster(
  clusterName: string,
  spec: ClusterSpec["create"],
  region: string | undefined,
  tags: Tags,
  opts: AwsResourceOptions,
): EksClusterInfo & { cluster: aws.eks.Cluster; nodeGroup: aws.eks.NodeGroup } {
  const network = createClusterNetwork(spec.vpcCidr, tags, opts);
  const secretsKey = new aws.kms.Key(
    "cluster-secrets-key",
    { description: `Envelope encryption of Kubernetes Secrets in ${clusterName}`, enableKeyRotation: true, deletionWindowInDays: 30, tags },
    // Every Secret in etcd is encrypted with it: losing it loses the cluster's Secrets.
    childOptions(opts, { protect: true }),
  );
  const clusterRole = serviceRole("cluster-role", "eks.amazonaws.com", [managedPolicies.eksCluster], "EKS control plane", tags, opts);
  const cluster = new aws.eks.Cluster(
    "cluster",
    {
      name: clusterName,
      version: spec.kubernetesVersion,
      roleArn: clusterRole.role.arn,
      vpcConfig: {
        subnetIds: [...network.privateSubnetIds, ...network.publicSubnetIds],
        endpointPrivateAccess: true,
        // The API is on the internet only for the listed addresses; with none it is private.
        endpointPublicAccess: spec.publicAccessCidrs.length > 0,
        ...(spec.publicAccessCidrs.length > 0 ? { publicAccessCidrs: spec.publicAccessCidrs } : {}),
      },
      // Access entries; whoever runs `pulumi up` becomes cluster admin, so the stack can deploy to it.
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
      encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
      enabledClusterLogTypes: controlPlaneLogTypes,
      tags,
    },
    // It holds every PVC object, Secret and workload of the stack: a changed name (the default follows
    // the stack name) or `pulumi destroy` must stop here, not replace it.
    childOptions(opts, { dependsOn: clusterRole.attachments, protect: true }),
  );
  const issuerUrl = cluster.identities.apply((ids) => firstIssuer(clusterName, ids));
  const oidcProvider = new aws.iam.OpenIdConnectProvider("oidc-provider", { url: issuerUrl, clientIdLists: ["sts.amazonaws.com"], tags }, childOptions(opts));
  const oidc = { oidcProviderArn: oidcProvider.arn, oidcIssuer: issuerUrl.apply(stripScheme) };

  const nodeRole = serviceRole(
    "node-role",
    "ec2.amazonaws.com",
    [managedPolicies.eksWorkerNode, managedPolicies.eksCni, managedPolicies.ecrReadOnly],
    "EKS managed nodes",
    tags,
    opts,
  );
  const nodeGroup = new aws.eks.NodeGroup(
    "nodes",
    {
      clusterName: cluster.name,
      nodeRoleArn: nodeRole.role.arn,
      subnetIds: network.privateSubnetIds,
      instanceTypes: [spec.instanceType],
      amiType: "AL2023_x86_64_STANDARD",
      capacityType: "ON_DEMAND",
      // No cluster autoscaler is deployed: the group stays at the configured size.
      scalingConfig: { desiredSize: spec.nodes, minSize: spec.nodes, maxSize: spec.nodes },
      updateConfig: { maxUnavailable: 1 },
      tags,
    },
    childOptions(opts, { dependsOn: [...nodeRole.attachments, ...network.egressReady] }),
  );

  const ebsCsiRole = createIrsaRole(
    "ebs-csi",
    {
      oidc,
      namespace: ebsCsiServiceAccount.namespace,
      serviceAccount: ebsCsiServiceAccount.name,
      managedPolicyArns: [managedPolicies.ebsCsiDriver],
      description: "EBS CSI driver: create, attach and snapshot EBS volumes",
      tags,
    },
    opts,
  );
  const ebsCsi = new aws.eks.Addon(
    "ebs-csi-driver",
    {
      clusterName: cluster.name,
      addonName: "aws-ebs-csi-driver",
      serviceAccountRoleArn: ebsCsiRole.arn,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      tags,
    },
    // The controller's pods need nodes to run on.
    childOptions(opts, { dependsOn: [nodeGroup] }),
  );

  const kubeconfig = pulumi
    .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
    .apply(([name, endpoint, ca]) => renderKubeconfig(name, endpoint, ca.data ?? "", region));
  return {
    name: cluster.name,
    kubeconfig,
    oidcProviderArn: oidc.oidcProviderArn,
    oidcIssuer: oidc.oidcIssuer,
    vpcId: network.vpcId,
    vpcCidr: pulumi.output(spec.vpcCidr),
    loadBalancerCidrs: network.publicSubnetCidrs,
    ready: [nodeGroup, ebsCsi],
    cluster,
    nodeGroup,
  };
}
