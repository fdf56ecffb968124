/**
 * IRSA roles: each assumable by exactly one Kubernetes service account and
 * allowed only its own bucket or workspace.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceAccounts } from "../../model/conventions";
import { loadBalancerControllerPolicy } from "./load-balancer-controller";
import { type AwsResourceOptions, childOptions } from "./options";
import type { Tags } from "./plan";
import { backupWriterPolicy, bucketReadWritePolicy, irsaTrustPolicy, type PolicyDocument, remoteWritePolicy, snsPublishPolicy } from "./policies";

/** The cluster's IAM OIDC provider, which IRSA trust policies name. */
export interface OidcIdentity {
  oidcProviderArn: pulumi.Input<string>;
  /** Issuer without `https://`. */
  oidcIssuer: pulumi.Input<string>;
}

export interface IrsaRoleArgs {
  oidc: OidcIdentity;
  namespace: string;
  serviceAccount: string;
  /** Inline permissions; omitted for roles that only get managed policies. */
  permissions?: pulumi.Input<PolicyDocument>;
  /** AWS managed policies to attach. */
  managedPolicyArns?: string[];
  description: string;
  tags: Tags;
}

export interface IrsaRole {
  role: aws.iam.Role;
  arn: pulumi.Output<string>;
}

/** `<role>-role` trusted by one service account, with `<role>-policy` inline and `<role>-<n>` attachments. */
export function createIrsaRole(role: string, args: IrsaRoleArgs, opts: AwsResourceOptions): IrsaRole {
  const trust = pulumi
    .all([args.oidc.oidcProviderArn, args.oidc.oidcIssuer])
    .apply(([oidcProviderArn, oidcIssuer]) => JSON.stringify(irsaTrustPolicy({ oidcProviderArn, oidcIssuer, namespace: args.namespace, serviceAccount: args.serviceAccount })));
  const iamRole = new aws.iam.Role(`${role}-role`, { assumeRolePolicy: trust, description: args.description, tags: args.tags }, childOptions(opts));
  if (args.permissions)
    new aws.iam.RolePolicy(`${role}-policy`, { role: iamRole.name, policy: pulumi.output(args.permissions).apply((doc) => JSON.stringify(doc)) }, childOptions(opts));
  (args.managedPolicyArns ?? []).forEach((policyArn, i) => {
    new aws.iam.RolePolicyAttachment(`${role}-role-${i}`, { role: iamRole.name, policyArn }, childOptions(opts));
  });
  return { role: iamRole, arn: iamRole.arn };
}

interface ScopedRoleArgs {
  oidc: OidcIdentity;
  namespace: string;
  tags: Tags;
}

export function lokiRole(bucketArn: pulumi.Input<string>, args: ScopedRoleArgs, opts: AwsResourceOptions): IrsaRole {
  return createIrsaRole(
    "loki",
    { ...args, serviceAccount: serviceAccounts.loki, permissions: pulumi.output(bucketArn).apply(bucketReadWritePolicy), description: "Loki: chunks and index in its own bucket" },
    opts,
  );
}

export function tempoRole(bucketArn: pulumi.Input<string>, args: ScopedRoleArgs, opts: AwsResourceOptions): IrsaRole {
  return createIrsaRole(
    "tempo",
    { ...args, serviceAccount: serviceAccounts.tempo, permissions: pulumi.output(bucketArn).apply(bucketReadWritePolicy), description: "Tempo: trace blocks in its own bucket" },
    opts,
  );
}

export function backupRole(bucketArn: pulumi.Input<string>, args: ScopedRoleArgs, opts: AwsResourceOptions): IrsaRole {
  return createIrsaRole(
    "backup",
    {
      ...args,
      serviceAccount: serviceAccounts.backup,
      permissions: pulumi.output(bucketArn).apply(backupWriterPolicy),
      description: "Backup CronJobs: upload Prometheus and Grafana snapshots",
    },
    opts,
  );
}

export function prometheusRemoteWriteRole(workspaceArn: pulumi.Input<string>, args: ScopedRoleArgs, opts: AwsResourceOptions): IrsaRole {
  return createIrsaRole(
    "prometheus",
    {
      ...args,
      serviceAccount: serviceAccounts.prometheus,
      permissions: pulumi.output(workspaceArn).apply(remoteWritePolicy),
      description: "Prometheus: remote write to its AMP workspace",
    },
    opts,
  );
}

export function alertmanagerSnsRole(topicArn: string, args: ScopedRoleArgs, opts: AwsResourceOptions): IrsaRole {
  return createIrsaRole(
    "alertmanager",
    {
      ...args,
      serviceAccount: serviceAccounts.alertmanager,
      permissions: pulumi.output(snsPublishPolicy(topicArn)),
      description: "Alertmanager: publish notifications to its SNS topic",
    },
    opts,
  );
}

export function loadBalancerControllerRole(args: ScopedRoleArgs, opts: AwsResourceOptions): IrsaRole {
  return createIrsaRole(
    "load-balancer-controller",
    {
      ...args,
      serviceAccount: serviceAccounts.loadBalancerController,
      permissions: loadBalancerControllerPolicy(),
      description: "AWS Load Balancer Controller: ALBs for the Watchpost ingress",
    },
    opts,
  );
}
