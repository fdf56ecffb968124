/**
 * Platforms as small profiles: where the components run, which AWS side is
 * added around them, and which addons a profile switches on. The value of
 * `watchpost:platform` names one; the rest of the code asks the profile
 * instead of testing platform names. Pure data.
 */
import type { TlsMode } from "../components/production/spec";
import type { Platform } from "../model/vocabulary";

export const profileNames = ["docker", "kubernetes", "eks"] as const;
export type ProfileName = (typeof profileNames)[number];

export interface Profile {
  name: ProfileName;
  /** Where the components run: the Docker engine, or a Kubernetes cluster. */
  runtime: Platform;
  /**
   * The AWS side: the EKS cluster (existing or created), S3 buckets, IRSA roles, AWS Backup, the ACM
   * certificate and Route 53 records, Amazon Managed Service for Prometheus, the gp3 StorageClass.
   */
  aws: boolean;
  addons: {
    /** NetworkPolicies of the monitoring namespace (plain Kubernetes). */
    networkPolicies: boolean;
    /** How the Ingress in front of the UIs may get its certificate; none: no Ingress. */
    ingressTls: readonly TlsMode[];
    /** Prometheus TSDB snapshots and EBS backups, both kept in AWS (S3, AWS Backup). */
    backup: boolean;
  };
  defaults: {
    /** `ingress.tls` when not set. */
    ingressTls: TlsMode;
    /** `backup.enabled` when not set. */
    backup: boolean;
    /** `kubernetes.storageClass` when not set; undefined: the cluster's default StorageClass. */
    storageClass?: string;
  };
}

export const profiles: Record<ProfileName, Profile> = {
  docker: {
    name: "docker",
    runtime: "docker",
    aws: false,
    addons: { networkPolicies: false, ingressTls: [], backup: false },
    // Docker reads neither (no Ingress, no backups); they keep the values these keys always had.
    defaults: { ingressTls: "acm", backup: true },
  },
  kubernetes: {
    name: "kubernetes",
    runtime: "kubernetes",
    aws: false,
    addons: { networkPolicies: true, ingressTls: ["cert-manager"], backup: false },
    defaults: { ingressTls: "cert-manager", backup: false },
  },
  eks: {
    name: "eks",
    runtime: "kubernetes",
    aws: true,
    addons: { networkPolicies: true, ingressTls: ["acm", "cert-manager"], backup: true },
    defaults: { ingressTls: "acm", backup: true, storageClass: "watchpost-gp3" },
  },
};

/** The profile of a stack that does not set `watchpost:platform`: dev runs on Docker, every other stack on EKS. */
export function defaultProfile(stack: string): ProfileName {
  return stack === "dev" ? "docker" : "eks";
}
