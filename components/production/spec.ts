/**
 * The production slice of a stack: the EKS cluster to target (or create),
 * ingress with TLS and auth in front of the UIs, and backups. Which of them a
 * stack may use is its platform profile's call (infra/profiles.ts).
 */
import { z } from "zod";
import { email, httpUrl, kubernetesNamespace } from "../../model/primitives";

const dnsName = z
  .string({ error: "expected a DNS name such as monitoring.example.com" })
  .regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/, { error: "expected a lower-case DNS name such as monitoring.example.com" });

/** An email domain oauth2-proxy lets sign in; "*" (every account) is the explicit `allowAnyAccountOfIssuer` instead. */
const emailDomain = z
  .string({ error: "expected an email domain such as example.com" })
  .refine((v) => v !== "*", {
    error: '"*" would let every account of the issuer sign in; list your email domains, or set ingress.auth.allowAnyAccountOfIssuer: true to mean exactly that',
    abort: true,
  })
  .pipe(dnsName);

/** An address range allowed to reach a created cluster's public API endpoint; never the whole internet. */
const publicAccessCidr = z.cidrv4({ error: "expected an IPv4 CIDR such as 203.0.113.0/24" }).refine((v) => !v.endsWith("/0"), {
  error:
    "0.0.0.0/0 opens the cluster's API endpoint to the whole internet; list the addresses you run pulumi up and kubectl from, such as 203.0.113.0/24, or leave the list empty for a private endpoint",
});

export const awsRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: "expected an AWS region such as eu-west-1" });

export const clusterSpec = z
  .strictObject({
    /** Name of the EKS cluster; the kubeconfig is derived through AWS (`aws eks get-token`). */
    name: z.string().min(1).optional(),
    /** AWS region of the cluster, the buckets and the AMP workspace. */
    region: awsRegion.optional(),
    /** Create a small cluster (VPC, EKS, one managed node group) instead of targeting an existing one. */
    create: z
      .strictObject({
        /** @default false */
        enabled: z.boolean().default(false),
        /** @default "1.33" */
        kubernetesVersion: z
          .string()
          .regex(/^1\.\d+$/, { error: "expected a Kubernetes minor version such as 1.33" })
          .default("1.33"),
        /** @default "t3.large" */
        instanceType: z
          .string()
          .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: "expected an EC2 instance type such as t3.large" })
          .default("t3.large"),
        /** @default 3 */
        nodes: z.number().int().min(2, { error: "expected at least 2 nodes (Alertmanager and Prometheus replicas spread across them)" }).max(20).default(3),
        /** @default "10.40.0.0/16" */
        vpcCidr: z.cidrv4({ error: "expected an IPv4 CIDR such as 10.40.0.0/16" }).default("10.40.0.0/16"),
        /**
         * Addresses allowed to reach the cluster's API over the internet (where you run `pulumi up`
         * and kubectl). Empty: the endpoint is private, reachable from inside the VPC only. @default []
         */
        publicAccessCidrs: z.array(publicAccessCidr).default([]),
      })
      .prefault({}),
  })
  .prefault({});
export type ClusterSpec = z.infer<typeof clusterSpec>;

export const tlsModes = ["acm", "cert-manager"] as const;
export type TlsMode = (typeof tlsModes)[number];

export const ingressSpec = z
  .strictObject({
    /** Base DNS name. The UIs live at grafana.<domain>, prometheus.<domain>, alertmanager.<domain> and traces.<domain>. */
    domain: dnsName.optional(),
    /**
     * `acm`: AWS Load Balancer Controller with an ACM certificate (platform eks only); `cert-manager`: Let's Encrypt
     * through cert-manager. @default "acm" on eks, "cert-manager" on kubernetes
     */
    tls: z
      .enum(tlsModes, { error: "expected acm or cert-manager" })
      .describe("acm (platform eks only) or cert-manager; default: acm on eks, cert-manager on kubernetes")
      .optional(),
    /** Route 53 hosted zone that holds `domain`: ACM DNS validation records and the UI records go here. */
    route53ZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{4,32}$/, { error: "expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" })
      .optional(),
    /** cert-manager: the IngressClass of your ingress controller. @default "alb" with acm */
    className: z.string().min(1).optional(),
    /** cert-manager: the namespace your ingress controller runs in; only its pods may reach Grafana, oauth2-proxy and the HTTP-01 solver. */
    controllerNamespace: kubernetesNamespace.optional(),
    /** cert-manager: the Let's Encrypt account email. */
    acmeEmail: email.optional(),
    /** cert-manager: Let's Encrypt endpoint. @default "production" */
    acmeEnvironment: z.enum(["production", "staging"]).default("production"),
    /** Sign-in through oauth2-proxy in front of Prometheus and Alertmanager (and the trace UI). Client secret: secret `oidcClientSecret`. */
    auth: z
      .strictObject({
        /** OIDC issuer, such as https://accounts.google.com or your Okta/Entra/Keycloak issuer. */
        issuerUrl: httpUrl,
        clientId: z.string().min(1),
        /** Email domains allowed to sign in, such as example.com. Required unless `allowAnyAccountOfIssuer` is true. @default [] */
        emailDomains: z.array(emailDomain).default([]),
        /**
         * Let every account the issuer signs in open Prometheus and Alertmanager, whatever its email
         * domain. With a public issuer (Google, Microsoft personal accounts) that is anyone. @default false
         */
        allowAnyAccountOfIssuer: z.boolean().default(false),
      })
      .optional(),
  })
  .prefault({});
/** The ingress slice once the platform profile has chosen `tls` where it was not set. */
export type IngressSpec = z.infer<typeof ingressSpec> & { tls: TlsMode };

export const backupSpec = z
  .strictObject({
    /** AWS Backup of the EBS volumes and Prometheus TSDB snapshots to S3 (platform eks only). @default true on eks, false elsewhere */
    enabled: z.boolean().describe("true or false; platform eks only; default: true on eks, false elsewhere").optional(),
    /** Days EBS recovery points and S3 snapshots are kept. @default 30 */
    retentionDays: z.number().int().min(1).max(3650).default(30),
    /** AWS Backup schedule (UTC). @default "cron(0 3 * * ? *)" */
    schedule: z
      .string()
      .regex(/^cron\(.+\)$|^rate\(.+\)$/, { error: "expected an AWS schedule expression such as cron(0 3 * * ? *)" })
      .default("cron(0 3 * * ? *)"),
    /** Kubernetes CronJob schedule of the Prometheus TSDB snapshot upload (UTC). @default "30 2 * * *" */
    snapshotSchedule: z
      .string()
      .regex(/^(\S+\s+){4}\S+$/, { error: "expected a five-field cron schedule such as 30 2 * * *" })
      .default("30 2 * * *"),
  })
  .prefault({});
/** The backup slice once the platform profile has chosen `enabled` where it was not set. */
export type BackupSpec = z.infer<typeof backupSpec> & { enabled: boolean };
