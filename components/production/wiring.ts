/**
 * What the AWS side of a prod stack hands to the Kubernetes side: buckets,
 * IRSA role ARNs, the AMP endpoint and the certificate. Components take these
 * as plain inputs, so they can be used with resources made elsewhere.
 */
import type * as pulumi from "@pulumi/pulumi";

/** An S3 bucket and the IRSA role allowed to use it (and only it). */
export interface BucketAccess {
  bucket: pulumi.Input<string>;
  region: string;
  /** IAM role assumed by the component's service account through IRSA. */
  roleArn: pulumi.Input<string>;
}

export interface AwsWiring {
  region: string;
  /** Loki chunks and index. */
  loki?: BucketAccess;
  /** Tempo traces. */
  tempo?: BucketAccess;
  /** Prometheus TSDB snapshots and the Grafana database dump (backup CronJobs). */
  backups?: BucketAccess;
  /** AMP remote write, signed with SigV4 by the Prometheus service account. */
  remoteWrite?: { url: pulumi.Input<string>; region: string; roleArn: pulumi.Input<string> };
  /** IRSA role of the Alertmanager's service account: sns:Publish on notifications.sns.topicArn. */
  alertmanagerRoleArn?: pulumi.Input<string>;
  /** ACM certificate for the ingress hosts (tls: acm). */
  certificateArn?: pulumi.Input<string>;
  /** IRSA role of the AWS Load Balancer Controller. */
  loadBalancerControllerRoleArn?: pulumi.Input<string>;
  /** Name of the EKS cluster (the Load Balancer Controller needs it). */
  clusterName: pulumi.Input<string>;
  /** VPC of the cluster (the Load Balancer Controller needs it when IMDS is off). */
  vpcId?: pulumi.Input<string>;
  /** CIDR of the cluster's VPC: the API server's calls to admission webhooks come from its control-plane ENIs there. */
  vpcCidr?: pulumi.Input<string>;
  /**
   * Address ranges the internet-facing ALB's nodes live in: the public subnets of a created
   * cluster, the VPC of an existing one. Grafana and oauth2-proxy admit users from these only.
   */
  loadBalancerCidrs?: Array<pulumi.Input<string>>;
}
