/**
 * AWS Backup of the stack's EBS volumes (Prometheus, Alertmanager, Grafana,
 * Loki and Tempo PVCs): a KMS-encrypted vault, one daily rule, and a
 * selection of every volume carrying `backupSelectionTag`.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { BackupSpec } from "../../components/production/spec";
import { type AwsResourceOptions, childOptions } from "./options";
import { backupSelectionTag, type Tags } from "./plan";
import { managedPolicies, serviceTrustPolicy } from "./policies";

export interface BackupPlanRule {
  ruleName: string;
  schedule: string;
  lifecycle: { deleteAfter: number };
}

/** The one daily rule: on the configured schedule, recovery points kept `retentionDays`. */
export function backupRule(spec: Pick<BackupSpec, "schedule" | "retentionDays">): BackupPlanRule {
  return { ruleName: "daily", schedule: spec.schedule, lifecycle: { deleteAfter: spec.retentionDays } };
}

export interface EbsBackups {
  vault: aws.backup.Vault;
  plan: aws.backup.Plan;
  role: aws.iam.Role;
  vaultArn: pulumi.Output<string>;
}

export function createEbsBackups(spec: BackupSpec, tags: Tags, opts: AwsResourceOptions): EbsBackups {
  // Recovery points are only as durable as their key: both are protected.
  const key = new aws.kms.Key(
    "backup-vault-key",
    { description: "Watchpost AWS Backup vault", enableKeyRotation: true, deletionWindowInDays: 30, tags },
    childOptions(opts, { protect: true }),
  );
  const vault = new aws.backup.Vault("backup-vault", { kmsKeyArn: key.arn, forceDestroy: false, tags }, childOptions(opts, { protect: true }));
  const rule = backupRule(spec);
  const plan = new aws.backup.Plan("backup-plan", { rules: [{ ...rule, targetVaultName: vault.name, recoveryPointTags: tags }], tags }, childOptions(opts));
  const role = new aws.iam.Role(
    "backup-service-role",
    { assumeRolePolicy: JSON.stringify(serviceTrustPolicy("backup.amazonaws.com")), description: "AWS Backup: snapshot and restore Watchpost EBS volumes", tags },
    childOptions(opts),
  );
  const attachments = [managedPolicies.backup, managedPolicies.backupRestore].map(
    (policyArn, i) => new aws.iam.RolePolicyAttachment(`backup-service-role-${i}`, { role: role.name, policyArn }, childOptions(opts)),
  );
  new aws.backup.Selection(
    "backup-selection",
    {
      planId: plan.id,
      iamRoleArn: role.arn,
      // Resources AND conditions: only EBS volumes carrying the tag. (Resources with
      // `selectionTags` would be OR: every volume in the account.)
      resources: ["arn:aws:ec2:*:*:volume/*"],
      conditions: [{ stringEquals: [{ key: `aws:ResourceTag/${backupSelectionTag.key}`, value: backupSelectionTag.value }] }],
    },
    childOptions(opts, { dependsOn: attachments }),
  );
  return { vault, plan, role, vaultArn: vault.arn };
}
