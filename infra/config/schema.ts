/**
 * The one schema for every `watchpost:*` key. Each component owns the zod spec
 * of its own slice; this file composes them, applies environment defaults and
 * the checks that span slices (a channel needs its secret, prod needs a cluster).
 */
import { z } from "zod";
import { alertmanagerSpec, notificationsSpec, routingSpec } from "../../components/alerting/spec";
import type { FolderFiles } from "../../components/grafana/dashboards";
import { dashboardsSpec } from "../../components/grafana/spec";
import { loggingSpec } from "../../components/logging/spec";
import { type ExporterSecretKey, exporterSecretKeys } from "../../components/exporters/index";
import { imagesSpec } from "../../components/platform/mirror";
import { defaultResources, type ResourceName } from "../../components/platform/targets";
import { exportersSpec, grafanaSpec, probeSpec, prometheusSpec, serviceSpec } from "../../components/prometheus/spec";
import { type BackupSpec, backupSpec, clusterSpec, type IngressSpec, ingressSpec } from "../../components/production/spec";
import { kubernetesNamespace, kubernetesSubdomainName, parseNamedKey, resources } from "../../model/primitives";
import { teamRoutingKeyBase } from "../../model/routing";
import { tracingSpec } from "../../components/tracing/spec";
import { type ProfileName, profileNames } from "../profiles";
import { alertsSpec } from "../../rules/spec";
import type { Platform } from "../../model/vocabulary";

/**
 * Docker's rule for container, volume and network names (its RestrictedNamePattern): a letter or
 * digit, then letters, digits, `_`, `.` or `-`. Compose names its networks `<project>_<network>`.
 */
const dockerNetworkName = z.string({ error: "expected the name of an existing Docker network, such as myapp_default" }).regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/, {
  error:
    "expected the name of an existing Docker network, such as myapp_default: a letter or digit, then letters, digits, _, . or - (at least 2 characters); list them with docker network ls",
});

/** Credentials: each one is a Pulumi secret, set with `pulumi config set --secret watchpost:<key> …`. */
export const secretKeys = {
  slackWebhookUrl: "Slack incoming-webhook URL",
  pagerdutyRoutingKey: "PagerDuty Events v2 routing key",
  opsgenieApiKey: "Opsgenie API key (of an API integration)",
  msteamsWebhookUrl: "Microsoft Teams Workflows (Power Automate) webhook URL",
  smtpPassword: "SMTP password for notifications.email.username",
  webhookUrl: "URL of the generic webhook receiver",
  heartbeatUrl: "URL the Watchdog heartbeat is sent to (dead-man's switch)",
  snsAccessKeyId: "AWS access key id that may sns:Publish to notifications.sns.topicArn (docker and kubernetes platforms; eks uses the Alertmanager's IAM role)",
  snsSecretAccessKey: "AWS secret access key of snsAccessKeyId",
  /** Each exporter's credential, from its registry entry. */
  ...exporterSecretKeys,
  remoteWritePassword: "password of the prometheus.remoteWrite[] entry with basicAuth",
  remoteWriteBearerToken: "bearer token of the prometheus.remoteWrite[] entry with bearerToken: true",
  kubeconfig:
    "kubeconfig of the target cluster; on kubernetes the cluster to deploy to (without it: the ambient context), on eks used instead of the one derived from cluster.name (which is still required: IRSA trusts its OIDC provider)",
  oidcClientSecret: "OIDC client secret of ingress.auth.clientId (oauth2-proxy in front of Prometheus and Alertmanager)",
  grafanaOidcClientSecret: "OIDC client secret of grafana.sso.clientId (Grafana's own sign-in)",
  grafanaDatabasePassword: "password of grafana.database.user (Grafana's external PostgreSQL database)",
} as const;
/**
 * The credential of one instance of an exporter configured as a list: the registry's key and the
 * instance name in PascalCase, `postgresPasswordOrdersEu` for `orders-eu`. A Pulumi config key is
 * `<namespace>:<name>` with no nesting (a dot would read as a path, which `pulumi config set --path`
 * turns into an object), so the instance is part of the name itself.
 */
export type InstanceSecretKey = `${ExporterSecretKey}${Capitalize<string>}`;
/** A team's own PagerDuty routing key (`routing.teams[].pagerduty` without `managed`): `pagerdutyRoutingKeyPayments` for payments. */
export type TeamSecretKey = `pagerdutyRoutingKey${Capitalize<string>}`;
export type SecretKey = keyof typeof secretKeys | InstanceSecretKey | TeamSecretKey;

/** The team a team routing key secret stands for, if the key has that form. */
export function teamSecretOf(key: string): { team: string } | undefined {
  if (key in secretKeys) return undefined;
  const parsed = parseNamedKey(key, [teamRoutingKeyBase]);
  return parsed === undefined ? undefined : { team: parsed.name };
}

/** The exporter key and instance name an instance secret key stands for, if the key has that form. */
export function instanceSecretOf(key: string): { base: ExporterSecretKey; name: string } | undefined {
  if (key in secretKeys) return undefined;
  return parseNamedKey(key, Object.keys(exporterSecretKeys)) as { base: ExporterSecretKey; name: string } | undefined;
}

/** What a secret key holds, for messages and the secrets manifest. */
export function secretDescription(key: SecretKey): string {
  const instance = instanceSecretOf(key);
  if (instance) return `${exporterSecretKeys[instance.base]}, of the instance named ${instance.name}`;
  const team = teamSecretOf(key);
  if (team) return `PagerDuty Events v2 routing key of the team ${team.team}'s own service (routing.teams[].pagerduty)`;
  return secretKeys[key as keyof typeof secretKeys];
}

/** How to set a secret, for messages that ask for one. */
export function secretHint(key: SecretKey): string {
  return `set it with: pulumi config set --secret watchpost:${key} <${secretDescription(key)}>`;
}

/** Containers whose memory and CPU limits may be overridden under `resources`: every one with a default. */
export const resourceTargets = Object.keys(defaultResources) as [ResourceName, ...ResourceName[]];
export type ResourceTarget = (typeof resourceTargets)[number];

/** What an environment name (and a stack name used as one) must be: it labels every series and names AWS resources. */
export const environmentName = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The nearest valid environment name, for messages. */
export function environmentSuggestion(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^[^a-z]+|-+$/g, "")
      .slice(0, 63) || "prod"
  );
}

export const stackSchema = z.strictObject({
  /** Name used in the `environment` external label. @default the stack name */
  environment: z
    .string({ error: "expected an environment name such as prod" })
    .superRefine((name, ctx) => {
      if (environmentName.test(name)) return;
      const fixed = environmentSuggestion(name);
      ctx.addIssue({
        code: "custom",
        message: `expected a lower-case name of letters, digits and dashes such as prod, starting with a letter (at most 63 characters)${fixed !== name ? `; write ${fixed}` : ""}`,
      });
    })
    .describe("environment name: lower-case letters, digits and dashes, starting with a letter, at most 63 characters")
    .optional(),
  /**
   * Where the stack runs, as a profile (infra/profiles.ts): `docker`; `kubernetes`, any conformant cluster
   * with no AWS resource; `eks`, the kubernetes profile plus the AWS side. @default "docker" for the dev stack, "eks" otherwise
   */
  platform: z
    .enum(profileNames, { error: "expected docker or kubernetes (any cluster) or eks (kubernetes plus the AWS side)" })
    .describe("docker, kubernetes (any cluster, no AWS resource) or eks (kubernetes plus the AWS side); default: docker for the dev stack, eks otherwise")
    .optional(),
  /** Value of the `cluster` external label. @default "<environment>" */
  clusterLabel: z.string().min(1, { error: "expected a cluster name such as eu-prod" }).describe("text, not empty: the cluster label of every series").optional(),
  docker: z
    .strictObject({
      /** Address published ports bind to. @default "127.0.0.1" */
      bindAddress: z.ipv4({ error: "expected an IPv4 address such as 127.0.0.1" }).default("127.0.0.1"),
      /** Port offset added to every published port, to run two stacks side by side. @default 0 */
      portOffset: z
        .number({ error: "expected a whole number such as 1000" })
        .int({ error: "expected a whole number such as 1000" })
        .min(0, { error: "expected 0 or more: the offset is added to every published port" })
        .describe("whole number, 0 or more; every published port plus the offset must stay within 65535")
        .default(0),
      /** Docker engine to talk to. @default the local engine */
      host: z
        .string({ error: "expected a Docker engine address such as unix:///var/run/docker.sock" })
        .regex(/^(unix|tcp|ssh|npipe|https?):\/\/\S+$/, { error: "expected a Docker engine address such as unix:///var/run/docker.sock, tcp://10.0.0.5:2376 or ssh://user@host" })
        .describe("Docker engine address: unix://, tcp://, ssh:// or npipe://, such as unix:///var/run/docker.sock")
        .optional(),
      /**
       * Existing networks, such as an app's compose network, that the containers reaching configured
       * endpoints (Prometheus, the blackbox and other exporters, Alertmanager) join besides
       * the stack's own network, so targets such as `api:8080` resolve. Joined by name: Watchpost neither
       * creates nor deletes them, and `pulumi preview` fails when one does not exist. Docker platform only.
       * @default []
       */
      networks: z.array(dockerNetworkName).describe("list of names of existing Docker networks (docker network ls), such as myapp_default; docker platform only").default([]),
    })
    .prefault({}),
  /** Where images are pulled from, on both platforms. */
  images: imagesSpec,
  kubernetes: z
    .strictObject({
      /**
       * Changing it after the first deploy is refused: the namespace is protected, because deleting it
       * deletes every PVC of the stack (README, "Renaming the namespace or the stack"). @default "monitoring"
       */
      namespace: kubernetesNamespace.default("monitoring"),
      /**
       * StorageClass of every volume: on eks the gp3 class the stack creates under this name, on kubernetes an
       * existing class of the cluster. @default "watchpost-gp3" on eks, the cluster's default class on kubernetes
       */
      storageClass: kubernetesSubdomainName
        .describe("Kubernetes name of a StorageClass; default: watchpost-gp3 (created) on eks, the cluster's default class on kubernetes")
        .optional(),
      /** kubernetes platform: the kubeconfig context to deploy to. @default the current context */
      context: z
        .string({ error: "expected the name of a kubeconfig context such as kind-watchpost" })
        .min(1, { error: "expected the name of a kubeconfig context such as kind-watchpost" })
        .describe("name of a context of the kubeconfig (kubectl config get-contexts); kubernetes platform only; default: the current context")
        .optional(),
      /**
       * kubernetes platform: the addresses the cluster's API server calls admission webhooks from (the Prometheus
       * operator's), admitted by a NetworkPolicy. On eks this is the cluster VPC's CIDR, found by the stack. @default []
       */
      apiServerCidrs: z
        .array(z.cidrv4({ error: "expected an IPv4 CIDR such as 172.18.0.0/16" }))
        .describe("list of IPv4 CIDRs, such as 172.18.0.0/16 (kind: the kind Docker network); kubernetes platform only")
        .optional(),
    })
    .prefault({}),
  /** The EKS cluster (prod): an existing one by `name` (kubeconfig derived through AWS, or the secret `kubeconfig`), or one made with `create.enabled`. */
  cluster: clusterSpec,
  /** Ingress with TLS in front of Grafana, Prometheus, Alertmanager and the trace UI (Kubernetes). */
  ingress: ingressSpec,
  /** EBS backups and Prometheus snapshots (Kubernetes). */
  backup: backupSpec,
  prometheus: prometheusSpec,
  alertmanager: alertmanagerSpec,
  grafana: grafanaSpec,
  /** The teams' own dashboards, a Grafana folder each: exported JSON from a directory, simple ones declared here. */
  dashboards: dashboardsSpec,
  logging: loggingSpec,
  tracing: tracingSpec,
  services: z.array(serviceSpec).default([]),
  probes: z.array(probeSpec).default([]),
  exporters: exportersSpec,
  alerts: alertsSpec.prefault({}),
  notifications: notificationsSpec,
  routing: routingSpec,
  /** Per-container limit overrides, such as `prometheus: {memory: 1Gi, cpu: "1"}`. */
  resources: z.partialRecord(z.enum(resourceTargets), resources).default({}),
});

/** Prefix of the dev stack's container and volume names, and the name of its own Docker network. */
export function dockerStackPrefix(stack: string): string {
  return `watchpost-${stack}`;
}

/** `<namespace>-agents`: the privileged namespace of the node agents (the node exporter; Filebeat with the Elasticsearch logs backend). */
export function agentsNamespaceFor(namespace: string): string {
  return `${namespace}-agents`;
}

export type StackInput = z.input<typeof stackSchema>;
type Parsed = z.output<typeof stackSchema>;

export interface StackConfig
  extends Omit<Parsed, "environment" | "platform" | "clusterLabel" | "prometheus" | "alertmanager" | "tracing" | "ingress" | "backup" | "kubernetes" | "dashboards"> {
  stack: string;
  environment: string;
  /** The value of `watchpost:platform`: the profile the stack is composed on (infra/profiles.ts). */
  profile: ProfileName;
  /** Where the components run: eks runs on kubernetes. */
  platform: Platform;
  clusterLabel: string;
  prometheus: Parsed["prometheus"] & { replicas: number };
  alertmanager: Parsed["alertmanager"] & { replicas: number };
  tracing: Parsed["tracing"] & { otlpNamespaces: string[] };
  ingress: IngressSpec;
  backup: BackupSpec;
  /** `storageClass` undefined: the cluster's default StorageClass. */
  kubernetes: Parsed["kubernetes"] & { apiServerCidrs: string[] };
  /** `files`: each folder's exported JSON as read from its `path` at validation, by folder index (`undefined` without a path). */
  dashboards: Parsed["dashboards"] & { files: Array<FolderFiles | undefined> };
  /** Which secret keys are set (their values never enter StackConfig). */
  secrets: ReadonlySet<SecretKey>;
}
