/**
 * Checks of a stack's keys against its platform profile (infra/profiles.ts):
 * keys only the AWS side reads are refused on the kubernetes profile, keys of
 * a generic cluster on eks, each naming the key, what it got, what the profile
 * expects and the fix. They read the keys as written, so a value the profile
 * defaults is never mistaken for a choice. Pure: run by validate.ts once the
 * shape of the configuration is valid.
 */
import { profiles } from "../profiles";
import { type ConfigProblem, keyPath } from "./problems";
import type { StackConfig } from "./schema";

/** The keys as written in the stack file, before defaults. */
interface WrittenKeys {
  cluster?: Record<string, unknown>;
  ingress?: { tls?: unknown; route53ZoneId?: unknown };
  backup?: Record<string, unknown>;
  prometheus?: { amp?: { enabled?: unknown } };
  kubernetes?: { context?: unknown; apiServerCidrs?: unknown };
}

const toEks = "set watchpost:platform: eks to deploy to an EKS cluster with its AWS side";

/** What each AWS-only key makes, for the message. */
const awsKeys: Array<{ path: PropertyKey[]; value: (w: WrittenKeys) => unknown; what: string; instead: string }> = [
  {
    path: ["cluster", "name"],
    value: (w) => w.cluster?.name,
    what: "names an EKS cluster, whose kubeconfig and OIDC provider come through AWS",
    instead: "the cluster is the one of the secret watchpost:kubeconfig, or the ambient context (kubernetes.context picks one); remove it",
  },
  {
    path: ["cluster", "region"],
    value: (w) => w.cluster?.region,
    what: "is the AWS region of the EKS cluster, the buckets and the AMP workspace",
    instead: "the kubernetes platform creates no AWS resource; remove it",
  },
  {
    path: ["cluster", "create"],
    value: (w) => w.cluster?.create,
    what: "creates an EKS cluster (VPC, EKS, a node group)",
    instead: "the kubernetes platform deploys to an existing cluster; remove it",
  },
  {
    path: ["ingress", "tls"],
    value: (w) => (w.ingress?.tls === "acm" ? "acm" : undefined),
    what: "takes an ACM certificate and the AWS Load Balancer Controller",
    instead: "expected cert-manager (the default on kubernetes); set ingress.tls: cert-manager",
  },
  {
    path: ["ingress", "route53ZoneId"],
    value: (w) => w.ingress?.route53ZoneId,
    what: "is the Route 53 zone of the ACM certificate's validation records",
    instead: "with cert-manager point the DNS names at your ingress controller yourself; remove it",
  },
  {
    path: ["backup", "enabled"],
    value: (w) => (w.backup?.enabled === true ? true : undefined),
    what: "keeps EBS backups in AWS Backup and Prometheus snapshots in S3",
    instead: "expected false (the default on kubernetes): back up the volumes with your cluster's own tooling",
  },
  ...(["retentionDays", "schedule", "snapshotSchedule"] as const).map((key) => ({
    path: ["backup", key],
    value: (w: WrittenKeys) => w.backup?.[key],
    what: "schedules the backups to AWS Backup and S3",
    instead: "the kubernetes platform makes no backups; remove it",
  })),
  {
    path: ["prometheus", "amp", "enabled"],
    value: (w) => (w.prometheus?.amp?.enabled === true ? true : undefined),
    what: "writes to Amazon Managed Service for Prometheus, signed through IRSA",
    instead: "expected false; write to another store with prometheus.remoteWrite",
  },
];

function kubernetesProblems(cfg: StackConfig, written: WrittenKeys): ConfigProblem[] {
  const problems: ConfigProblem[] = awsKeys.flatMap(({ path, value, what, instead }) => {
    const found = value(written);
    if (found === undefined) return [];
    return [{ key: keyPath(path), value: found, message: `${what}, which needs the AWS side; on watchpost:platform kubernetes ${instead}; or ${toEks}` }];
  });
  if (profiles[cfg.profile].addons.networkPolicies && cfg.kubernetes.apiServerCidrs.length === 0)
    problems.push({
      key: keyPath(["kubernetes", "apiServerCidrs"]),
      message:
        "is required on the kubernetes platform: the network policies admit the API server's calls to the Prometheus operator's admission webhook from these addresses only; " +
        "expected a list of IPv4 CIDRs, such as [172.18.0.0/16] on kind (docker network inspect kind), the control-plane range on GKE, or your nodes' network on-premises",
    });
  return problems;
}

function eksProblems(written: WrittenKeys): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (written.kubernetes?.context !== undefined)
    problems.push({
      key: keyPath(["kubernetes", "context"]),
      value: written.kubernetes.context,
      message: "is for watchpost:platform kubernetes; on eks the kubeconfig is derived from cluster.name, or given by the secret watchpost:kubeconfig; remove it",
    });
  if (written.kubernetes?.apiServerCidrs !== undefined)
    problems.push({
      key: keyPath(["kubernetes", "apiServerCidrs"]),
      value: written.kubernetes.apiServerCidrs,
      message: "is for watchpost:platform kubernetes; on eks the API server calls from the cluster VPC's CIDR, which the stack finds itself; remove it",
    });
  return problems;
}

export function profileChecks(cfg: StackConfig, written: WrittenKeys): ConfigProblem[] {
  if (cfg.profile === "kubernetes") return kubernetesProblems(cfg, written);
  if (cfg.profile === "eks") return eksProblems(written);
  return [];
}
