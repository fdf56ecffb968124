/**
 * Pure planning for the AWS side of a prod stack: tags, names, bucket
 * lifecycles and subnet maths. Plain functions of StackConfig; no Pulumi.
 */
import { durationSeconds } from "../../model/primitives";
import type { StackConfig } from "../config/schema";

export type Tags = Record<string, string>;

/** Tags on every taggable AWS resource Watchpost creates. */
export function awsTags(cfg: Pick<StackConfig, "stack" | "environment">): Tags {
  return { "watchpost.io/stack": cfg.stack, "watchpost.io/environment": cfg.environment, "managed-by": "pulumi" };
}

/**
 * Tag AWS Backup selects EBS volumes by. The StorageClass sets it on every
 * volume through the EBS CSI `tagSpecification_1` parameter (`key=value`).
 */
export const backupSelectionTag = { key: "watchpost.io/backup", value: "true" } as const;

/** The AWS region every AWS resource lives in; validate.ts requires it on kubernetes. */
export function requireRegion(cfg: Pick<StackConfig, "cluster">): string {
  const region = cfg.cluster.region;
  if (!region)
    throw new Error(
      "watchpost:cluster.region is required on kubernetes: the S3 buckets, IAM roles, backups and AMP workspace are created in this AWS region; expected a region such as eu-west-1",
    );
  return region;
}

/** Name of the EKS cluster: `cluster.name`, or `watchpost-<stack>` for a created cluster. */
export function clusterName(cfg: Pick<StackConfig, "stack" | "cluster">): string {
  return cfg.cluster.name ?? `watchpost-${cfg.stack}`;
}

/** Whole days covering a Prometheus-style duration, rounded up ("168h" → 7, "25h" → 2). */
export function retentionDays(duration: string): number {
  return Math.max(1, Math.ceil(durationSeconds(duration) / 86_400));
}

export type BucketRole = "loki" | "tempo" | "backups";

export interface BucketPlan {
  role: BucketRole;
  /**
   * Prefix of the globally unique bucket name; AWS appends a suffix, so a
   * replacement never collides with the old bucket. S3 allows 37 characters.
   */
  namePrefix: string;
  /** Current objects expire after this many days. */
  expirationDays: number;
  /** Overwritten or deleted objects are kept this long: the window to undo a mistake. */
  noncurrentDays: number;
  /** Parts of uploads that never completed are removed after this many days. */
  abortIncompleteUploadDays: number;
  /** Where the retention comes from, for comments and errors. */
  retentionKey: string;
}

/** Days an overwritten or deleted object stays recoverable. */
export const noncurrentVersionDays = 7;
/** Days before parts of an abandoned multipart upload are removed. */
export const abortIncompleteUploadDays = 1;
/**
 * Loki and Tempo delete expired data themselves (Loki's compactor, Tempo's backend
 * worker). The bucket lifecycle is the backstop, a day later, so it never removes
 * an index or block they still read (Loki's storage retention docs ask for a
 * lifecycle longer than the configured retention).
 */
export const compactorGraceDays = 1;

export function bucketNamePrefix(stack: string, role: BucketRole): string {
  const safeStack = stack.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  const prefix = `watchpost-${safeStack}`.slice(0, 37 - role.length - 2);
  return `${prefix.replace(/-+$/, "")}-${role}-`;
}

/** The buckets a stack needs: Loki and Tempo when enabled with their backend, backups when enabled. */
export function bucketPlans(cfg: Pick<StackConfig, "stack" | "logging" | "tracing" | "backup">): BucketPlan[] {
  const plans: BucketPlan[] = [];
  const plan = (role: BucketRole, expirationDays: number, retentionKey: string): BucketPlan => ({
    role,
    namePrefix: bucketNamePrefix(cfg.stack, role),
    expirationDays,
    noncurrentDays: noncurrentVersionDays,
    abortIncompleteUploadDays,
    retentionKey,
  });
  if (cfg.logging.enabled && cfg.logging.backend === "loki") plans.push(plan("loki", retentionDays(cfg.logging.retention) + compactorGraceDays, "logging.retention"));
  if (cfg.tracing.enabled && cfg.tracing.backend === "tempo") plans.push(plan("tempo", retentionDays(cfg.tracing.retention) + compactorGraceDays, "tracing.retention"));
  if (cfg.backup.enabled) plans.push(plan("backups", cfg.backup.retentionDays, "backup.retentionDays"));
  return plans;
}

/** Key prefixes the backup CronJobs write under in the backups bucket. */
export const backupPrefixes = ["prometheus/", "grafana/"] as const;

export interface SubnetPlan {
  public: string[];
  private: string[];
}

function ipToInt(ip: string): number {
  return ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/**
 * Splits the VPC into 4 equal quarters: the first holds the small public
 * subnets (a sixteenth of the VPC each: load balancers and the NAT gateway),
 * the next ones one private subnet per zone (a quarter each: the VPC CNI
 * gives every pod a VPC address, so nodes need the room).
 * 10.40.0.0/16 → public 10.40.0.0/20, 10.40.16.0/20; private 10.40.64.0/18, 10.40.128.0/18.
 */
export function subnetCidrs(vpcCidr: string, zones: number): SubnetPlan {
  const [base, bits] = vpcCidr.split("/");
  const prefix = Number(bits);
  if (prefix > 24)
    throw new Error(`watchpost:cluster.create.vpcCidr: got "${vpcCidr}"; expected a VPC of /24 or larger such as 10.40.0.0/16, so each zone gets a private and a public subnet`);
  if (zones < 1 || zones > 3) throw new Error(`expected 1 to 3 availability zones, got ${zones}`);
  const start = ipToInt(base);
  const size = (p: number) => 2 ** (32 - p);
  const cidr = (offset: number, p: number) => `${intToIp(start + offset)}/${p}`;
  return {
    public: Array.from({ length: zones }, (_, i) => cidr(i * size(prefix + 4), prefix + 4)),
    private: Array.from({ length: zones }, (_, i) => cidr((i + 1) * size(prefix + 2), prefix + 2)),
  };
}
