/**
 * watchpost:platform as a profile: what each one defaults, and the keys of the
 * other profiles it refuses, each with the key, the value, what was expected
 * and the fix, all together and before any resource exists (parseStackConfig
 * is pure).
 */
import { describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig, type RawStackConfig } from "../../infra/config/validate";
import { profiles } from "../../infra/profiles";

const services = [{ name: "api", slos: [{ name: "availability", type: "availability", objective: 99.9 }] }];
const kubernetes = (values: Record<string, unknown> = {}, secrets: string[] = []): RawStackConfig => ({
  values: { platform: "kubernetes", kubernetes: { apiServerCidrs: ["172.18.0.0/16"] }, services, ...values },
  secrets: new Set(secrets),
});
const eks = (values: Record<string, unknown> = {}): RawStackConfig => ({
  values: { platform: "eks", cluster: { name: "prod-eks", region: "eu-west-1" }, services, ...values },
  secrets: new Set(),
});

function problems(stack: string, raw: RawStackConfig): string[] {
  try {
    parseStackConfig(stack, raw);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message.split("\n").slice(1);
  }
}

const toEks = "or set watchpost:platform: eks to deploy to an EKS cluster with its AWS side";

describe("the profiles", () => {
  it("eks is the AWS side on kubernetes; kubernetes has none and keeps backups off; docker runs no cluster addon", () => {
    expect(profiles.eks).toMatchObject({ runtime: "kubernetes", aws: true, addons: { networkPolicies: true, ingressTls: ["acm", "cert-manager"], backup: true } });
    expect(profiles.kubernetes).toMatchObject({ runtime: "kubernetes", aws: false, addons: { networkPolicies: true, ingressTls: ["cert-manager"], backup: false } });
    expect(profiles.docker).toMatchObject({ runtime: "docker", aws: false, addons: { networkPolicies: false, ingressTls: [], backup: false } });
  });

  it("defaults dev to docker and every other stack to eks, today's kubernetes behaviour", () => {
    expect(parseStackConfig("dev", { values: { services: [{ name: "api", targets: ["api:8080"] }] }, secrets: new Set() }).config.profile).toBe("docker");
    const { config } = parseStackConfig("prod", { values: { cluster: { name: "prod-eks", region: "eu-west-1" }, services }, secrets: new Set() });
    expect(config).toMatchObject({ profile: "eks", platform: "kubernetes", ingress: { tls: "acm" }, backup: { enabled: true }, kubernetes: { storageClass: "watchpost-gp3" } });
  });

  it("kubernetes: cert-manager TLS, no backups, the cluster's default StorageClass, the current context, on the kubernetes runtime", () => {
    const { config } = parseStackConfig("kind", kubernetes());
    expect(config).toMatchObject({
      profile: "kubernetes",
      platform: "kubernetes",
      ingress: { tls: "cert-manager" },
      backup: { enabled: false },
      kubernetes: { apiServerCidrs: ["172.18.0.0/16"] },
    });
    expect(config.kubernetes.storageClass).toBeUndefined();
    expect(config.kubernetes.context).toBeUndefined();
    expect(config.prometheus.replicas).toBe(2);
    expect(config.alertmanager.replicas).toBe(3);
  });

  it("kubernetes: takes a storage class, a context and backups explicitly off", () => {
    const { config } = parseStackConfig(
      "kind",
      kubernetes({ kubernetes: { storageClass: "standard", context: "kind-watchpost", apiServerCidrs: ["172.18.0.0/16"] }, backup: { enabled: false } }),
    );
    expect(config.kubernetes).toMatchObject({ storageClass: "standard", context: "kind-watchpost" });
    expect(config.backup.enabled).toBe(false);
  });

  it("names eks among the platforms when the value is unknown", () => {
    expect(problems("prod", { values: { platform: "gke" }, secrets: new Set() })).toEqual([
      '  - watchpost:platform: got "gke"; expected docker or kubernetes (any cluster) or eks (kubernetes plus the AWS side)',
    ]);
  });
});

describe("kubernetes refuses the keys of the AWS side", () => {
  it.each([
    [
      "an EKS cluster name",
      { cluster: { name: "prod-eks" } },
      `  - watchpost:cluster.name: got "prod-eks"; names an EKS cluster, whose kubeconfig and OIDC provider come through AWS, which needs the AWS side; on watchpost:platform kubernetes the cluster is the one of the secret watchpost:kubeconfig, or the ambient context (kubernetes.context picks one); remove it; ${toEks}`,
    ],
    [
      "an AWS region",
      { cluster: { region: "eu-west-1" } },
      `  - watchpost:cluster.region: got "eu-west-1"; is the AWS region of the EKS cluster, the buckets and the AMP workspace, which needs the AWS side; on watchpost:platform kubernetes the kubernetes platform creates no AWS resource; remove it; ${toEks}`,
    ],
    [
      "a created cluster",
      { cluster: { create: { enabled: true } } },
      `  - watchpost:cluster.create: got {"enabled":true}; creates an EKS cluster (VPC, EKS, a node group), which needs the AWS side; on watchpost:platform kubernetes the kubernetes platform deploys to an existing cluster; remove it; ${toEks}`,
    ],
    [
      "ACM TLS",
      { ingress: { tls: "acm" } },
      `  - watchpost:ingress.tls: got "acm"; takes an ACM certificate and the AWS Load Balancer Controller, which needs the AWS side; on watchpost:platform kubernetes expected cert-manager (the default on kubernetes); set ingress.tls: cert-manager; ${toEks}`,
    ],
    [
      "a Route 53 zone",
      { ingress: { route53ZoneId: "Z0123456789ABC" } },
      `  - watchpost:ingress.route53ZoneId: got "Z0123456789ABC"; is the Route 53 zone of the ACM certificate's validation records, which needs the AWS side; on watchpost:platform kubernetes with cert-manager point the DNS names at your ingress controller yourself; remove it; ${toEks}`,
    ],
    [
      "AWS backups",
      { backup: { enabled: true } },
      `  - watchpost:backup.enabled: got true; keeps EBS backups in AWS Backup and Prometheus snapshots in S3, which needs the AWS side; on watchpost:platform kubernetes expected false (the default on kubernetes): back up the volumes with your cluster's own tooling; ${toEks}`,
    ],
    [
      "a snapshot schedule",
      { backup: { snapshotSchedule: "0 4 * * *" } },
      `  - watchpost:backup.snapshotSchedule: got "0 4 * * *"; schedules the backups to AWS Backup and S3, which needs the AWS side; on watchpost:platform kubernetes the kubernetes platform makes no backups; remove it; ${toEks}`,
    ],
    [
      "AMP remote write",
      { prometheus: { amp: { enabled: true } } },
      `  - watchpost:prometheus.amp.enabled: got true; writes to Amazon Managed Service for Prometheus, signed through IRSA, which needs the AWS side; on watchpost:platform kubernetes expected false; write to another store with prometheus.remoteWrite; ${toEks}`,
    ],
  ])("%s", (_, values, expected) => {
    expect(problems("kind", kubernetes(values))).toEqual([expected]);
  });

  it("reports every EKS-only key of a stack at once", () => {
    const found = problems(
      "kind",
      kubernetes({ cluster: { name: "prod-eks", region: "eu-west-1" }, ingress: { tls: "acm", route53ZoneId: "Z0123456789ABC" }, backup: { enabled: true } }),
    );
    expect(found.map((line) => line.split(":").slice(0, 2).join(":"))).toEqual([
      "  - watchpost:cluster.name",
      "  - watchpost:cluster.region",
      "  - watchpost:ingress.tls",
      "  - watchpost:ingress.route53ZoneId",
      "  - watchpost:backup.enabled",
    ]);
  });

  it("takes what needs no AWS: backups written off, cert-manager TLS, amp off", () => {
    expect(problems("kind", kubernetes({ backup: { enabled: false }, ingress: { tls: "cert-manager" }, prometheus: { amp: { enabled: false } } }))).toEqual([]);
  });

  it("needs the API server's addresses for its network policies", () => {
    expect(problems("kind", { values: { platform: "kubernetes", services }, secrets: new Set() })).toEqual([
      "  - watchpost:kubernetes.apiServerCidrs: is required on the kubernetes platform: the network policies admit the API server's calls to the Prometheus operator's admission webhook from these addresses only; expected a list of IPv4 CIDRs, such as [172.18.0.0/16] on kind (docker network inspect kind), the control-plane range on GKE, or your nodes' network on-premises",
    ]);
    expect(problems("kind", kubernetes({ kubernetes: { apiServerCidrs: ["172.18.0.7"] } }))).toEqual([
      '  - watchpost:kubernetes.apiServerCidrs[0]: got "172.18.0.7"; expected an IPv4 CIDR such as 172.18.0.0/16',
    ]);
  });

  it("does not hold volumes to gp3's 16Ti limit: the cluster's classes have their own", () => {
    expect(problems("kind", kubernetes({ prometheus: { volumeSize: "20Ti" } }))).toEqual([]);
    expect(problems("prod", eks({ prometheus: { volumeSize: "20Ti" } }))).toEqual([
      '  - watchpost:prometheus.volumeSize: got "20Ti"; is beyond the largest gp3 volume, 16Ti; expected at most 16Ti',
    ]);
  });
});

describe("eks refuses the keys of a generic cluster", () => {
  it("kubernetes.context and kubernetes.apiServerCidrs, naming what eks uses instead", () => {
    expect(problems("prod", eks({ kubernetes: { context: "kind-watchpost", apiServerCidrs: ["10.0.0.0/16"] } }))).toEqual([
      '  - watchpost:kubernetes.context: got "kind-watchpost"; is for watchpost:platform kubernetes; on eks the kubeconfig is derived from cluster.name, or given by the secret watchpost:kubeconfig; remove it',
      '  - watchpost:kubernetes.apiServerCidrs: got ["10.0.0.0/16"]; is for watchpost:platform kubernetes; on eks the API server calls from the cluster VPC\'s CIDR, which the stack finds itself; remove it',
    ]);
  });

  it("points a stack without an EKS cluster at the kubernetes platform", () => {
    const found = problems("prod", { values: { services }, secrets: new Set() });
    expect(found[0]).toContain("watchpost:cluster.name: a kubernetes stack needs a cluster");
    expect(found[0]).toContain("or, for a cluster that is not EKS (kind, GKE, AKS, on-premises), set watchpost:platform: kubernetes");
  });
});
