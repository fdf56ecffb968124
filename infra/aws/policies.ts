/**
 * IAM and bucket policy documents as typed data: pure functions of ARNs and
 * names, so tests can read exactly what each role may touch.
 */
import { backupPrefixes } from "./plan";

export type Condition = Record<string, Record<string, string | string[]>>;

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  /** Absent in trust policies, where IAM forbids it. */
  Resource?: string | string[];
  Principal?: "*" | Record<string, string | string[]>;
  Condition?: Condition;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

export function policy(...statements: Statement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** AWS managed policies, by the name AWS gives them. */
export const managedPolicies = {
  eksCluster: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
  eksWorkerNode: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  eksCni: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
  ecrReadOnly: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  ebsCsiDriver: "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
  backup: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
  backupRestore: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
} as const;

export interface ServiceAccountRef {
  /** ARN of the cluster's IAM OIDC provider. */
  oidcProviderArn: string;
  /** Issuer host and path, without `https://` (such as oidc.eks.eu-west-1.amazonaws.com/id/ABC). */
  oidcIssuer: string;
  namespace: string;
  serviceAccount: string;
}

/** IRSA trust: only this one Kubernetes service account, through the cluster's OIDC provider, for STS. */
export function irsaTrustPolicy(ref: ServiceAccountRef): PolicyDocument {
  const issuer = ref.oidcIssuer.replace(/^https:\/\//, "");
  return policy({
    Effect: "Allow",
    Principal: { Federated: ref.oidcProviderArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${issuer}:sub`]: `system:serviceaccount:${ref.namespace}:${ref.serviceAccount}`,
        [`${issuer}:aud`]: "sts.amazonaws.com",
      },
    },
  });
}

/** Trust for an AWS service (eks, ec2, backup) to assume a role. */
export function serviceTrustPolicy(service: string): PolicyDocument {
  return policy({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" });
}

/**
 * Loki and Tempo: read, write, delete and list objects of their own bucket,
 * nothing else. (Loki's compactor and Tempo's backend worker delete; both list to find blocks and chunks.)
 */
export function bucketReadWritePolicy(bucketArn: string): PolicyDocument {
  return policy(
    { Sid: "ListOwnBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArn },
    { Sid: "ObjectsInOwnBucket", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${bucketArn}/*` },
  );
}

/**
 * Backup CronJobs: upload under prometheus/ and grafana/ and list those
 * prefixes. No read or delete: a compromised job cannot erase or exfiltrate
 * older backups (the bucket's lifecycle expires them).
 */
export function backupWriterPolicy(bucketArn: string): PolicyDocument {
  return policy(
    {
      Sid: "ListBackupPrefixes",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: bucketArn,
      Condition: { StringLike: { "s3:prefix": backupPrefixes.flatMap((p) => [p, `${p}*`]) } },
    },
    { Sid: "PutBackups", Effect: "Allow", Action: ["s3:PutObject"], Resource: backupPrefixes.map((p) => `${bucketArn}/${p}*`) },
  );
}

/** Prometheus remote write to one AMP workspace. */
export function remoteWritePolicy(workspaceArn: string): PolicyDocument {
  return policy({ Sid: "RemoteWriteToWorkspace", Effect: "Allow", Action: ["aps:RemoteWrite"], Resource: workspaceArn });
}

/** Publish to the one SNS topic the Alertmanager notifies; nothing else of SNS. */
export function snsPublishPolicy(topicArn: string): PolicyDocument {
  return policy({ Sid: "PublishToAlertTopic", Effect: "Allow", Action: ["sns:Publish"], Resource: topicArn });
}

/** Bucket policy: every request without TLS is refused, whoever makes it. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return policy({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  });
}
