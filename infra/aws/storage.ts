/**
 * S3 buckets for Loki chunks, Tempo traces and backups: versioned, encrypted,
 * never public, owned by the bucket owner, TLS only, expiring with the
 * configured retention. The bucket itself is protected and retained on
 * delete: removing it from the program never removes the data.
 *
 * Encryption is SSE-S3 (AES256), chosen over SSE-KMS: Loki and Tempo make
 * many small requests, which SSE-KMS bills per KMS call, and the AWS-managed
 * aws/s3 key would add no access control beyond IAM. Access is controlled by
 * the IRSA roles (each scoped to one bucket) and the TLS-only bucket policy.
 * A customer-managed key would add a second layer, at the price of KMS
 * grants in every role; change `sseAlgorithm` here if that is wanted.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { type AwsResourceOptions, childOptions } from "./options";
import type { BucketPlan, BucketRole, Tags } from "./plan";
import { tlsOnlyBucketPolicy } from "./policies";

export const sseAlgorithm = "AES256";

export interface DataBucket {
  role: BucketRole;
  bucket: aws.s3.Bucket;
  name: pulumi.Output<string>;
  arn: pulumi.Output<string>;
}

/** Lifecycle rules of a bucket plan, as the provider takes them. */
export function lifecycleRules(plan: BucketPlan): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  return [
    {
      id: "expire-with-retention",
      status: "Enabled",
      filter: {},
      expiration: { days: plan.expirationDays },
      noncurrentVersionExpiration: { noncurrentDays: plan.noncurrentDays },
      abortIncompleteMultipartUpload: { daysAfterInitiation: plan.abortIncompleteUploadDays },
    },
  ];
}

export function createDataBucket(plan: BucketPlan, tags: Tags, opts: AwsResourceOptions): DataBucket {
  const name = `${plan.role}-bucket`;
  const bucket = new aws.s3.Bucket(
    name,
    { bucketPrefix: plan.namePrefix, forceDestroy: false, tags: { ...tags, "watchpost.io/data": plan.role } },
    // Holds data: `pulumi destroy` or a refactor must never delete it. The prefix follows the stack
    // name; it only names the bucket at creation, so a renamed stack keeps its buckets.
    childOptions(opts, { protect: true, retainOnDelete: true, ignoreChanges: ["bucketPrefix"] }),
  );
  const of = childOptions(opts, { dependsOn: [bucket] });
  new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, of);
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    { bucket: bucket.bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    of,
  );
  new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" } }, of);
  new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, { bucket: bucket.bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm } }] }, of);
  new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.bucket, rules: lifecycleRules(plan) }, of);
  // After the public access block, so S3 judges the policy with the block in place.
  new aws.s3.BucketPolicy(
    `${name}-tls-only`,
    { bucket: bucket.bucket, policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))) },
    childOptions(opts, { dependsOn: [bucket, publicAccess] }),
  );
  return { role: plan.role, bucket, name: bucket.bucket, arn: bucket.arn };
}

/** One bucket per plan, keyed by role. */
export function createBuckets(plans: BucketPlan[], tags: Tags, opts: AwsResourceOptions): Partial<Record<BucketRole, DataBucket>> {
  return Object.fromEntries(plans.map((p) => [p.role, createDataBucket(p, tags, opts)]));
}
