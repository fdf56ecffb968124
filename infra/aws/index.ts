/**
 * The AWS side of a prod stack, in two calls:
 *
 *   const provider = awsProvider(cfg);
 *   const cluster = eksCluster(cfg, kubeconfigSecret, { provider });
 *   const { wiring, outputs } = createAwsResources(cfg, cluster, { provider });
 *
 * `eksCluster` targets the existing cluster `cluster.name`, or creates one
 * with `cluster.create.enabled`. `createAwsResources` makes the buckets, the
 * IRSA roles, the AMP workspace, AWS Backup and the ACM certificate the
 * config asks for and returns them as `AwsWiring` for the Kubernetes side.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { controllerNamespaces } from "../../components/production/controllers";
import type { AwsWiring, BucketAccess } from "../../components/production/wiring";
import type { StackConfig } from "../config/schema";
import { createAmpWorkspace } from "./amp";
import { createEbsBackups } from "./backup";
import { createCertificate, wantsAcmCertificate } from "./certificate";
import { createEksCluster, type EksClusterInfo, existingEksCluster } from "./cluster";
import { alertmanagerSnsRole, backupRole, type IrsaRole, lokiRole, loadBalancerControllerRole, prometheusRemoteWriteRole, tempoRole } from "./iam";
import type { AwsResourceOptions } from "./options";
import { awsTags, bucketPlans, clusterName, requireRegion } from "./plan";
import { createBuckets, type DataBucket } from "./storage";

export { backupSelectionTag } from "./plan";
export { loadBalancerControllerFeatureValues } from "./load-balancer-controller";
export type { EksClusterInfo } from "./cluster";
export type { AwsResourceOptions } from "./options";

/** The aws provider for the stack's region (`watchpost:cluster.region`). */
export function awsProvider(cfg: StackConfig, opts?: pulumi.CustomResourceOptions): aws.Provider {
  return new aws.Provider("aws", { region: requireRegion(cfg) }, opts);
}

/**
 * The cluster to deploy to. With `cluster.create.enabled`, a new cluster
 * named `cluster.name` (default `watchpost-<stack>`); otherwise the existing
 * cluster `cluster.name`, reached with `kubeconfigSecret` when given, else
 * with a kubeconfig derived through `aws eks get-token`.
 */
export function eksCluster(cfg: StackConfig, kubeconfigSecret?: pulumi.Output<string>, opts: AwsResourceOptions = {}): EksClusterInfo {
  if (cfg.cluster.create.enabled) return createEksCluster(clusterName(cfg), cfg.cluster.create, cfg.cluster.region, awsTags(cfg), opts);
  if (!cfg.cluster.name)
    throw new Error(
      "watchpost:cluster.name is required with the secret watchpost:kubeconfig on kubernetes: the S3 buckets and IRSA roles trust the cluster's OIDC provider, which is looked up by cluster name; set watchpost:cluster.name to the EKS cluster's name",
    );
  return existingEksCluster(cfg.cluster.name, cfg.cluster.region, opts, kubeconfigSecret);
}

export interface AwsResources {
  wiring: AwsWiring;
  /** Stack outputs worth exporting (bucket names, role ARNs, AMP URL, certificate ARN). None is secret. */
  outputs: Record<string, pulumi.Output<string>>;
}

export function createAwsResources(cfg: StackConfig, cluster: EksClusterInfo, opts: AwsResourceOptions = {}): AwsResources {
  const region = requireRegion(cfg);
  const tags = awsTags(cfg);
  const scoped = { oidc: { oidcProviderArn: cluster.oidcProviderArn, oidcIssuer: cluster.oidcIssuer }, namespace: cfg.kubernetes.namespace, tags };
  const outputs: Record<string, pulumi.Output<string>> = {};

  const buckets = createBuckets(bucketPlans(cfg), tags, opts);
  type ScopedRole = (bucketArn: pulumi.Output<string>, args: typeof scoped, o: AwsResourceOptions) => IrsaRole;
  /** A bucket with the role allowed to use it, or nothing when the config needs no such bucket. */
  const access = (bucket: DataBucket | undefined, makeRole: ScopedRole): BucketAccess | undefined => {
    if (!bucket) return undefined;
    const roleArn = makeRole(bucket.arn, scoped, opts).arn;
    outputs[`${bucket.role}Bucket`] = bucket.name;
    outputs[`${bucket.role}RoleArn`] = roleArn;
    return { bucket: bucket.name, region, roleArn };
  };
  const wiring: AwsWiring = {
    region,
    clusterName: cluster.name,
    vpcId: cluster.vpcId,
    vpcCidr: cluster.vpcCidr,
    loadBalancerCidrs: cluster.loadBalancerCidrs,
    loki: access(buckets.loki, lokiRole),
    tempo: access(buckets.tempo, tempoRole),
    backups: access(buckets.backups, backupRole),
  };

  if (cfg.prometheus.amp.enabled) {
    const amp = createAmpWorkspace(cfg.environment, region, tags, opts);
    const roleArn = prometheusRemoteWriteRole(amp.arn, scoped, opts).arn;
    wiring.remoteWrite = { url: amp.remoteWriteUrl, region, roleArn };
    outputs.ampRemoteWriteUrl = amp.remoteWriteUrl;
    outputs.prometheusRoleArn = roleArn;
  }

  // SNS notifications are signed with the Alertmanager's own role: no access key exists for them on eks.
  const sns = cfg.notifications.sns;
  if (sns.enabled && sns.topicArn !== undefined) wiring.alertmanagerRoleArn = outputs.alertmanagerRoleArn = alertmanagerSnsRole(sns.topicArn, scoped, opts).arn;

  if (cfg.backup.enabled) outputs.backupVaultArn = createEbsBackups(cfg.backup, tags, opts).vaultArn;

  if (wantsAcmCertificate(cfg.ingress)) {
    if (!cfg.ingress.route53ZoneId)
      throw new Error(`watchpost:ingress.route53ZoneId is required with ingress.tls acm: the certificate for *.${cfg.ingress.domain} is validated by DNS in this hosted zone`);
    const certificateArn = createCertificate(cfg.ingress.domain, cfg.ingress.route53ZoneId, tags, opts);
    // The ALB that serves the certificate is made by the controller, so both come together.
    // The controller runs in kube-system (see controllerNamespaces), so its role trusts that namespace.
    const controllerRoleArn = loadBalancerControllerRole({ ...scoped, namespace: controllerNamespaces.loadBalancerController }, opts).arn;
    wiring.certificateArn = outputs.certificateArn = certificateArn;
    wiring.loadBalancerControllerRoleArn = outputs.loadBalancerControllerRoleArn = controllerRoleArn;
  }
  return { wiring, outputs };
}
