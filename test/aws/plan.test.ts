import { describe, expect, it } from "vitest";
import { backupRule } from "../../infra/aws/backup";
import { certificateNames, wantsAcmCertificate } from "../../infra/aws/certificate";
import { renderKubeconfig, stripScheme } from "../../infra/aws/cluster";
import { awsTags, bucketNamePrefix, bucketPlans, clusterName, retentionDays, subnetCidrs } from "../../infra/aws/plan";
import { lifecycleRules } from "../../infra/aws/storage";
import { remoteWriteUrl } from "../../infra/aws/amp";
import { prodConfig } from "./harness";

describe("retention in days", () => {
  it.each([
    ["168h", 7],
    ["169h", 8],
    ["72h", 3],
    ["25h", 2],
    ["30d", 30],
    ["2w", 14],
    ["1h", 1],
    ["90m", 1],
  ])("%s → %i days, rounding up", (duration, days) => {
    expect(retentionDays(duration)).toBe(days);
  });
});

describe("bucket plans", () => {
  it("derive each bucket's expiry from its own retention key", () => {
    const cfg = prodConfig((v) => {
      v.logging = { retention: "168h" };
      v.tracing = { retention: "49h" };
      v.backup = { retentionDays: 30 };
    });
    const plans = Object.fromEntries(bucketPlans(cfg).map((p) => [p.role, p]));
    expect(Object.keys(plans)).toEqual(["loki", "tempo", "backups"]);
    // Loki and Tempo compact away expired data themselves; the lifecycle runs one day later as the backstop.
    expect(plans.loki.expirationDays).toBe(7 + 1);
    expect(plans.tempo.expirationDays).toBe(3 + 1);
    expect(plans.backups.expirationDays).toBe(30);
    for (const p of Object.values(plans)) {
      expect(p.noncurrentDays).toBe(7);
      expect(p.abortIncompleteUploadDays).toBe(1);
    }
  });

  it("skip Loki with logging off, Tempo with the jaeger backend, backups when disabled", () => {
    const cfg = prodConfig((v) => {
      v.logging = { enabled: false };
      v.tracing = { backend: "jaeger" };
      v.backup = { enabled: false };
    });
    expect(bucketPlans(cfg)).toEqual([]);
  });

  it("turn a plan into one lifecycle rule: expiry, noncurrent expiry, abandoned uploads", () => {
    const [loki] = bucketPlans(prodConfig());
    expect(lifecycleRules(loki)).toEqual([
      {
        id: "expire-with-retention",
        status: "Enabled",
        filter: {},
        expiration: { days: 8 },
        noncurrentVersionExpiration: { noncurrentDays: 7 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      },
    ]);
  });

  it("name prefixes fit S3's 37-character prefix limit and stay lower-case", () => {
    expect(bucketNamePrefix("prod", "loki")).toBe("watchpost-prod-loki-");
    const long = bucketNamePrefix("Very_Long-Stack-Name-For-A-Customer-Environment", "backups");
    expect(long.length).toBeLessThanOrEqual(37);
    expect(long).toMatch(/^[a-z0-9-]+-backups-$/);
  });
});

describe("names and tags", () => {
  it("tags every resource with stack, environment and managed-by", () => {
    expect(awsTags(prodConfig())).toEqual({ "watchpost.io/stack": "prod", "watchpost.io/environment": "prod", "managed-by": "pulumi" });
  });

  it("a created cluster is named after cluster.name, else watchpost-<stack>", () => {
    expect(clusterName(prodConfig())).toBe("watchpost-prod");
    expect(clusterName(prodConfig((v) => (v.cluster = { region: "eu-west-1", create: { enabled: true } })))).toBe("watchpost-prod");
  });

  it("AMP remote write URL appends api/v1/remote_write to the workspace endpoint", () => {
    expect(remoteWriteUrl("https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/")).toBe(
      "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write",
    );
  });

  it("the certificate covers the wildcard and the apex, only with tls acm and a domain", () => {
    expect(certificateNames("monitoring.example.com")).toEqual({ domainName: "*.monitoring.example.com", subjectAlternativeNames: ["monitoring.example.com"] });
    expect(wantsAcmCertificate({ domain: "monitoring.example.com", tls: "acm" })).toBe(true);
    expect(wantsAcmCertificate({ domain: "monitoring.example.com", tls: "cert-manager" })).toBe(false);
    expect(wantsAcmCertificate({ domain: undefined, tls: "acm" })).toBe(false);
  });

  it("the backup rule keeps recovery points for backup.retentionDays on backup.schedule", () => {
    expect(backupRule({ schedule: "cron(0 3 * * ? *)", retentionDays: 30 })).toEqual({ ruleName: "daily", schedule: "cron(0 3 * * ? *)", lifecycle: { deleteAfter: 30 } });
  });
});

describe("cluster planning", () => {
  it("splits the VPC into small public and large private subnets per zone, without overlap", () => {
    expect(subnetCidrs("10.40.0.0/16", 2)).toEqual({ public: ["10.40.0.0/20", "10.40.16.0/20"], private: ["10.40.64.0/18", "10.40.128.0/18"] });
    expect(subnetCidrs("172.16.0.0/20", 2)).toEqual({ public: ["172.16.0.0/24", "172.16.1.0/24"], private: ["172.16.4.0/22", "172.16.8.0/22"] });
  });

  it("refuses a VPC too small to split, naming the key", () => {
    expect(() => subnetCidrs("10.0.0.0/26", 2)).toThrow(/watchpost:cluster\.create\.vpcCidr: got "10\.0\.0\.0\/26"/);
  });

  it("the kubeconfig authenticates with aws eks get-token for the cluster and region, with no credential in it", () => {
    const kc = JSON.parse(renderKubeconfig("watchpost-prod", "https://x.eks.amazonaws.com", "Y2E=", "eu-west-1"));
    expect(kc.clusters[0].cluster).toEqual({ server: "https://x.eks.amazonaws.com", "certificate-authority-data": "Y2E=" });
    expect(kc.users[0].user).toEqual({
      exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", "watchpost-prod", "--region", "eu-west-1"] },
    });
    expect(stripScheme("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC")).toBe("oidc.eks.eu-west-1.amazonaws.com/id/ABC");
  });
});
