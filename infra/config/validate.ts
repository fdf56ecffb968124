/**
 * Turns raw `watchpost:*` values into a StackConfig, or throws a ConfigError
 * listing every problem at once — key path, offending value, what was expected.
 * Pure: no Pulumi, no I/O. Secret values never come here, only which are set.
 */
import type { z } from "zod";
import { durationSeconds, maskUrlCredentials, redactUrlCredentials, urlCarriesCredentials, urlCredentialsMessage } from "../../model/primitives";
import { editDistance } from "../../model/suggest";
import { customExpressionProblems } from "../../rules/custom";
import { knownThresholds } from "../../rules/thresholds";
import { type DirectoryReader, folderPermissionProblems, folderPermissionWarnings, readTeamDashboards } from "./dashboard-checks";
import { dockerExposureWarnings } from "./exposure";
import { elasticsearchLogging, loggingProblems, type RawLogging, wiredExporters } from "./logging-checks";
import { grafanaProblems, grafanaWarnings } from "./grafana-checks";
import { ConfigError, type ConfigProblem, keyPath } from "./problems";
import { profileChecks } from "./profile-checks";
import { stackChecks } from "./stack-checks";
import { defaultProfile, profiles } from "../profiles";
import { configuredExporters } from "../../components/exporters/index";
import { pagingProblems } from "./paging-checks";
import { environmentName, environmentSuggestion, instanceSecretOf, type SecretKey, type StackConfig, secretHint, secretKeys, stackSchema, teamSecretOf } from "./schema";

export interface RawStackConfig {
  /** Plain values by key without the `watchpost:` prefix. */
  values: Record<string, unknown>;
  /** Secret keys that are set, as secrets. */
  secrets: ReadonlySet<string>;
  /** Problems of the file itself found while reading it (its YAML, its shape, keys in other namespaces). */
  problems?: ConfigProblem[];
  /** The file could not be read as a whole: its values are not checked further. */
  unreadable?: boolean;
  /**
   * Reads the project's directories that keys name (`dashboards.folders[].path`), relative to the project.
   * @default none: a key naming a directory is a problem
   */
  readDirectory?: DirectoryReader;
}

export interface ParsedStack {
  config: StackConfig;
  warnings: string[];
}

export { ConfigError, type ConfigProblem, formatProblems, keyPath } from "./problems";

const ns = "watchpost";

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = root;
  for (const part of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part as string];
  }
  return cur;
}

function knownKeysAt(path: ReadonlyArray<PropertyKey>): string[] {
  // Walk the schema's shape along the path to list the keys that are allowed there.
  let schema: z.ZodType = stackSchema;
  for (const part of path) {
    let def: any = (schema as any)._zod.def;
    while (def.innerType) def = def.innerType._zod.def;
    if (def.type === "array") schema = def.element;
    else if (def.type === "object") schema = def.shape[part as string];
    else if (def.type === "record") schema = def.valueType;
    if (!schema) return [];
  }
  let def: any = (schema as any)._zod.def;
  while (def.innerType) def = def.innerType._zod.def;
  if (def.type === "object") return Object.keys(def.shape);
  if (def.type === "record" && def.keyType?._zod.def.entries) return Object.keys(def.keyType._zod.def.entries);
  return [];
}

function unknownKeyProblem(path: ReadonlyArray<PropertyKey>, key: string, raw: unknown): ConfigProblem {
  const known = knownKeysAt(path);
  const near = known
    .map((k) => ({ k, d: editDistance(k.toLowerCase(), key.toLowerCase()) }))
    .filter(({ d }) => d <= 3)
    .sort((a, b) => a.d - b.d)[0];
  const hint = near ? `did you mean '${near.k}'? ` : "";
  // `watchpost:prometheus.retention: 15d` is a key named "prometheus.retention", not a path.
  const dotted = key.split(".");
  if (dotted.length > 1 && known.includes(dotted[0])) {
    return {
      key: keyPath([...path, key]),
      value: valueAt(raw, [...path, key]),
      message: `unknown key; a dot does not nest keys in a stack file; write nested keys as YAML: ${keyPath([...path, dotted[0]])}: {${dotted.slice(1).join(".")}: …} (or run pulumi config set --path '${keyPath([...path, key])}' <value>)`,
    };
  }
  return {
    key: keyPath([...path, key]),
    value: valueAt(raw, [...path, key]),
    message: `unknown key; ${hint}expected one of: ${known.join(", ")}`,
  };
}

/** zod's type names as a YAML author sees the value. */
const yamlWords: Record<string, string> = { object: "a mapping", array: "a list", string: "a string", number: "a number", boolean: "true or false" };

/**
 * A value that fits neither side of a union: the issues of the side whose type it has (an object, or
 * a list of instances), at their own paths, rather than zod's bare "Invalid input" for the whole.
 */
function unionIssues(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union") return [issue];
    // A union with a message of its own says what it takes better than either side.
    if (issue.message !== "Invalid input") return [issue];
    const typed = issue.errors.filter((branch) => !branch.some((e) => e.code === "invalid_type" && e.path.length === 0));
    if (typed.length !== 1) return [issue];
    return unionIssues(typed[0].map((e) => ({ ...e, path: [...issue.path, ...e.path] })));
  });
}

function zodProblems(error: z.ZodError, raw: unknown): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of unionIssues(error.issues)) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push(unknownKeyProblem(issue.path, key, raw));
      continue;
    }
    if (issue.code === "invalid_key" && issue.path.length > 0) {
      const key = String(issue.path[issue.path.length - 1]);
      out.push(unknownKeyProblem(issue.path.slice(0, -1), key, raw));
      continue;
    }
    const found = valueAt(raw, issue.path);
    // A URL rejected for its credentials is shown without them.
    const value = issue.code === "custom" && issue.params?.redact === redactUrlCredentials ? maskUrlCredentials(found) : found;
    // zod's own wording ("Invalid input: expected object, received null") reads as the rest: what was expected.
    let message = issue.message
      .replace(/^Invalid (?:input|option): /, "")
      .replace(/^expected (object|array)\b/, (_, t: string) => `expected ${yamlWords[t]}`)
      .replace(/, received (\w+)$/, (_, t: string) => `, not ${yamlWords[t] ?? `a ${t}`}`);
    if (value === undefined && issue.code === "invalid_type") message = `is required; ${message}`;
    if (value === null && issue.code === "invalid_type") message = `is empty; ${message.replace(/, not (a )?null$/, "")}; remove the key or give it a value`;
    out.push({ key: keyPath(issue.path), value, message });
  }
  return out;
}

/**
 * Each exporter instance's credential: Postgres always needs one, Elasticsearch with a username. An
 * instance's key belongs to an instance of a list; the registry's key to the single-object form.
 */
function exporterSecretProblems(cfg: StackConfig, has: (k: SecretKey) => boolean): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const configured = configuredExporters(cfg.exporters);
  configured.forEach((exporter) => {
    const index = configured.filter((c) => c.id === exporter.id).indexOf(exporter);
    const at = (field: string) => keyPath(exporter.instance !== undefined ? ["exporters", exporter.id, index, field] : ["exporters", exporter.id, field]);
    const key = exporter.secretKey as SecretKey | undefined;
    if (key === undefined) return;
    const of = exporter.instance !== undefined ? `the ${exporter.id} instance ${exporter.instance}` : undefined;
    if (exporter.id === "postgres" && !has(key)) {
      const user = (exporter.config as { user: string }).user;
      problems.push({ key: at("user"), value: user, message: `${of ? `${of} needs` : "the Postgres exporter needs"} the secret ${ns}:${key}; ${secretHint(key)}` });
    }
    // With the Elasticsearch backend the exporter signs in with the cluster's own `elastic` password.
    const username = exporter.id === "elasticsearch" ? (exporter.config as { username?: string }).username : undefined;
    if (username && !elasticsearchLogging(cfg) && !has(key))
      problems.push({ key: at("username"), value: username, message: `${of ? `${of} needs` : "needs"} the secret ${ns}:${key}; ${secretHint(key)}` });
  });
  // An instance's secret names an instance of a list under its exporter, and a list's instances read only their own keys.
  const read = new Set(configured.flatMap((c) => (c.secretKey !== undefined ? [c.secretKey] : [])));
  for (const key of cfg.secrets) {
    if (read.has(key)) continue;
    const instance = instanceSecretOf(key);
    const listOwner = configured.find((c) => c.instance !== undefined && c.entry.secret?.key === key);
    if (instance) {
      const names = configured.filter((c) => c.entry.secret?.key === instance.base && c.instance !== undefined).map((c) => c.instance);
      problems.push({
        key: `${ns}:${key}`,
        message: `is the credential of an instance named ${instance.name}, but no list under ${ns}:exporters has one by that name (instances reading ${instance.base}<Name>: ${names.join(", ") || "none"}); rename the secret or the instance, or remove the secret`,
      });
    } else if (listOwner)
      problems.push({
        key: `${ns}:${key}`,
        message: `is the credential of exporters.${listOwner.id} as one object, but exporters.${listOwner.id} is a list of named instances; set each instance's own secret instead, such as ${listOwner.secretKey}, and remove this one`,
      });
  }
  return problems;
}

/**
 * SNS: a topic, and a way to sign. On eks the Alertmanager's own IAM role (IRSA) signs, so a key pair would be a
 * second way; elsewhere the key pair is the only one.
 */
function snsProblems(cfg: StackConfig, has: (k: SecretKey) => boolean): ConfigProblem[] {
  const sns = cfg.notifications.sns;
  if (!sns.enabled) return [];
  const problems: ConfigProblem[] = [];
  if (sns.topicArn === undefined)
    problems.push({
      key: keyPath(["notifications", "sns", "topicArn"]),
      message: "is required when notifications.sns.enabled is true; expected the ARN of the topic to publish to, such as arn:aws:sns:eu-west-1:123456789012:watchpost-alerts",
    });
  const keys = ["snsAccessKeyId", "snsSecretAccessKey"] as const;
  if (cfg.profile === "eks") {
    for (const key of keys.filter(has))
      problems.push({
        key: `${ns}:${key}`,
        message: `is set, but on eks the Alertmanager signs SNS requests with its own IAM role (IRSA), which the stack grants sns:Publish on notifications.sns.topicArn; remove it with: pulumi config rm ${ns}:${key}`,
      });
  } else {
    for (const key of keys.filter((k) => !has(k)))
      problems.push({
        key: keyPath(["notifications", "sns", "enabled"]),
        value: true,
        message: `SNS is enabled on the ${cfg.profile} platform, which signs with an access key pair, but the secret ${ns}:${key} is not set; ${secretHint(key)}`,
      });
  }
  return problems;
}

/** Every channel a route names must be enabled: a listed channel that is off would silently notify no one. */
function routeChannelProblems(cfg: StackConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const check = (path: PropertyKey[], channels: readonly string[] | undefined) =>
    channels?.forEach((c, i) => {
      const channel = (cfg.notifications as unknown as Record<string, { enabled?: boolean } | undefined>)[c];
      if (channel && !channel.enabled)
        problems.push({
          key: keyPath([...path, i]),
          value: c,
          message: `the ${c} channel is not enabled; expected an enabled channel: set ${ns}:notifications.${c}.enabled: true (and its settings and secret), or remove ${c} from this list`,
        });
    });
  for (const sev of ["critical", "warning", "info"] as const) check(["routing", "channels", sev], cfg.routing.channels[sev]);
  cfg.routing.routes.forEach((r, i) => {
    check(["routing", "routes", i, "channels"], r.channels);
    if (r.slackChannel !== undefined && !r.channels.includes("slack"))
      problems.push({
        key: keyPath(["routing", "routes", i, "slackChannel"]),
        value: r.slackChannel,
        message: "is set but slack is not in this route's channels; add slack to channels or remove slackChannel",
      });
    if (r.email !== undefined && !r.channels.includes("email"))
      problems.push({
        key: keyPath(["routing", "routes", i, "email"]),
        value: r.email,
        message: "is set but email is not in this route's channels; add email to channels or remove this list",
      });
  });
  const escalation = cfg.routing.escalation;
  escalation?.levels.forEach((level, i) => {
    const at = (field: string) => ["routing", "escalation", "levels", i, field];
    check(at("channels"), level.channels);
    if (level.slackChannel !== undefined && !level.channels.includes("slack"))
      problems.push({
        key: keyPath(at("slackChannel")),
        value: level.slackChannel,
        message: "is set but slack is not in this level's channels; add slack to channels or remove slackChannel",
      });
    if (level.email !== undefined && !level.channels.includes("email"))
      problems.push({ key: keyPath(at("email")), value: level.email, message: "is set but email is not in this level's channels; add email to channels or remove this list" });
    const before = i > 0 ? escalation.levels[i - 1].after : undefined;
    if (before !== undefined && durationSeconds(level.after) <= durationSeconds(before))
      problems.push({
        key: keyPath(at("after")),
        value: level.after,
        message: `expected a delay longer than the level before (levels[${i - 1}].after: ${before}); each delay counts from when the alert started firing, so list the levels from the shortest delay to the longest`,
      });
  });
  return problems;
}

/** Checks that span slices of the config; run only when the shape itself is valid. */
function crossChecks(
  cfg: StackConfig,
  has: (k: SecretKey) => boolean,
  raw: { tracing?: { otlpNamespaces?: unknown } } & Parameters<typeof profileChecks>[1] & RawLogging,
): { problems: ConfigProblem[]; warnings: string[] } {
  const problems: ConfigProblem[] = [
    ...profileChecks(cfg, raw),
    ...loggingProblems(cfg, raw),
    ...grafanaProblems(cfg, has),
    ...pagingProblems(cfg, has),
    ...folderPermissionProblems(cfg),
  ];
  const warnings: string[] = [];
  const need = (enabled: boolean, path: PropertyKey[], secret: SecretKey, what: string) => {
    if (enabled && !has(secret)) problems.push({ key: keyPath(path), value: true, message: `${what} but the secret ${ns}:${secret} is not set; ${secretHint(secret)}` });
  };
  const n = cfg.notifications;
  need(n.slack.enabled, ["notifications", "slack", "enabled"], "slackWebhookUrl", "Slack is enabled");
  need(n.opsgenie.enabled, ["notifications", "opsgenie", "enabled"], "opsgenieApiKey", "Opsgenie is enabled");
  need(n.msteams.enabled, ["notifications", "msteams", "enabled"], "msteamsWebhookUrl", "Microsoft Teams is enabled");
  need(n.webhook.enabled, ["notifications", "webhook", "enabled"], "webhookUrl", "the webhook is enabled");
  need(n.heartbeat.enabled, ["notifications", "heartbeat", "enabled"], "heartbeatUrl", "the heartbeat is enabled");
  if (n.history.enabled) {
    if (!cfg.logging.enabled || cfg.logging.backend !== "loki")
      problems.push({
        key: keyPath(["notifications", "history", "enabled"]),
        value: true,
        message: `the alert history is kept in Loki, but ${cfg.logging.enabled ? `logging.backend is ${cfg.logging.backend}` : "logging.enabled is false"}; set logging.enabled: true with logging.backend: loki, or remove notifications.history`,
      });
    const seconds = durationSeconds(n.history.retention);
    if (seconds % 86400 !== 0)
      problems.push({
        key: keyPath(["notifications", "history", "retention"]),
        value: n.history.retention,
        message: "expected whole days (Loki deletes the history a day at a time), such as 365d or 90d",
      });
  }
  problems.push(...snsProblems(cfg, has), ...routeChannelProblems(cfg));
  if (n.email.enabled) {
    for (const field of ["from", "smarthost"] as const)
      if (!n.email[field]) problems.push({ key: keyPath(["notifications", "email", field]), message: `is required when notifications.email.enabled is true` });
    if (n.email.to.length === 0) problems.push({ key: keyPath(["notifications", "email", "to"]), value: [], message: "expected at least one address when email is enabled" });
    if (n.email.username !== undefined && !has("smtpPassword"))
      problems.push({
        key: keyPath(["notifications", "email", "username"]),
        value: n.email.username,
        message: `SMTP auth needs the secret ${ns}:smtpPassword; ${secretHint("smtpPassword")}`,
      });
  }
  problems.push(...exporterSecretProblems(cfg, has));

  // Remote write: one credential per endpoint, each from its secret, never two kinds on one entry.
  const credentialOwner: Partial<Record<SecretKey, number>> = {};
  cfg.prometheus.remoteWrite.forEach((rw, i) => {
    const at = (...rest: PropertyKey[]) => keyPath(["prometheus", "remoteWrite", i, ...rest]);
    const kinds = [rw.basicAuth && "basicAuth", rw.bearerToken && "bearerToken", rw.sigv4Region && "sigv4Region"].filter(Boolean);
    if (kinds.length > 1)
      problems.push({
        key: at(rw.bearerToken ? "bearerToken" : "basicAuth"),
        value: rw.bearerToken ? true : rw.basicAuth,
        message: `sets ${kinds.join(" and ")}; Prometheus signs a request one way: one of basicAuth, bearerToken or sigv4Region per entry`,
      });
    const uses = (secret: SecretKey, field: PropertyKey[], value: unknown) => {
      if (!has(secret)) problems.push({ key: at(...field), value, message: `needs the secret ${ns}:${secret}; ${secretHint(secret)}` });
      const owner = credentialOwner[secret];
      if (owner !== undefined)
        problems.push({
          key: at(field[0]),
          value: value,
          message: `the secret ${ns}:${secret} already serves prometheus.remoteWrite[${owner}]; one endpoint per credential, so a password never reaches another endpoint`,
        });
      else credentialOwner[secret] = i;
    };
    if (rw.basicAuth) uses("remoteWritePassword", ["basicAuth", "username"], rw.basicAuth.username);
    if (rw.bearerToken) uses("remoteWriteBearerToken", ["bearerToken"], true);
  });

  // Any other cluster, without the AWS side: watchpost:platform kubernetes.
  const orGeneric = `; or, for a cluster that is not EKS (kind, GKE, AKS, on-premises), set ${ns}:platform: kubernetes`;
  if (cfg.profile === "eks" && !cfg.cluster.name && !cfg.cluster.create.enabled)
    problems.push({
      key: keyPath(["cluster", "name"]),
      message: has("kubeconfig")
        ? `is required even with a kubeconfig secret: the IAM roles for service accounts trust the cluster's OIDC provider, which is looked up by cluster name${orGeneric}`
        : `a kubernetes stack needs a cluster: on ${ns}:platform eks (the default for stacks other than dev) set ${ns}:cluster.name to an existing EKS cluster (optionally with ${secretHint("kubeconfig")}), or set cluster.create.enabled to true${orGeneric}`,
    });
  if (cfg.profile === "eks" && !cfg.cluster.region)
    problems.push({
      key: keyPath(["cluster", "region"]),
      message: `is required on kubernetes with the AWS side (${ns}:platform eks): the S3 buckets, IAM roles, backups and AMP workspace are created in this AWS region; expected a region such as eu-west-1${orGeneric}`,
    });
  if (cfg.cluster.create.enabled && cfg.cluster.create.publicAccessCidrs.length === 0)
    warnings.push(
      `${keyPath(["cluster", "create", "publicAccessCidrs"])} is empty: the new cluster's API endpoint is private, reachable from inside its VPC only; run pulumi up from there (a VPN, peering or a runner in the VPC), or list your addresses`,
    );
  if (cfg.cluster.create.enabled && has("kubeconfig"))
    problems.push({
      key: keyPath(["cluster", "create", "enabled"]),
      value: true,
      message: `creates a cluster, but the secret ${ns}:kubeconfig points at another one; remove one of them`,
    });
  const ing = cfg.ingress;
  if (ing.domain && cfg.platform === "docker")
    problems.push({
      key: keyPath(["ingress", "domain"]),
      value: ing.domain,
      message: "ingress is for the kubernetes platform; on docker the UIs are published on the bind address",
    });
  if (ing.domain && cfg.platform === "kubernetes") {
    if (ing.tls === "acm" && profiles[cfg.profile].aws && !ing.route53ZoneId)
      problems.push({
        key: keyPath(["ingress", "route53ZoneId"]),
        message: `is required with ingress.tls acm: the certificate for *.${ing.domain} is validated by DNS in this hosted zone`,
      });
    if (ing.tls === "cert-manager") {
      if (!ing.className)
        problems.push({
          key: keyPath(["ingress", "className"]),
          message:
            "is required with ingress.tls cert-manager: the IngressClass of your ingress controller (ingress-nginx is retired; use e.g. traefik or an Envoy-based controller)",
        });
      if (!ing.acmeEmail) problems.push({ key: keyPath(["ingress", "acmeEmail"]), message: "is required with ingress.tls cert-manager: the Let's Encrypt account email" });
      if (!ing.controllerNamespace)
        problems.push({
          key: keyPath(["ingress", "controllerNamespace"]),
          message:
            "is required with ingress.tls cert-manager: the namespace your ingress controller runs in, such as traefik; Grafana, oauth2-proxy and the HTTP-01 solver admit requests from its pods only",
        });
    }
    if (!ing.auth)
      problems.push({
        key: keyPath(["ingress", "auth"]),
        message: "is required when ingress.domain is set: Prometheus and Alertmanager are never exposed without sign-in; expected {issuerUrl, clientId, emailDomains}",
      });
    else if (!has("oidcClientSecret"))
      problems.push({
        key: keyPath(["ingress", "auth", "clientId"]),
        value: ing.auth.clientId,
        message: `needs the secret ${ns}:oidcClientSecret; ${secretHint("oidcClientSecret")}`,
      });
  }
  warnings.push(...dockerExposureWarnings(cfg), ...grafanaWarnings(cfg), ...folderPermissionWarnings(cfg));
  const auth = ing.auth;
  if (auth) {
    const google = /^https:\/\/accounts\.google\.com\/?$/.test(auth.issuerUrl) ? " (with Google: anyone with a Google account)" : "";
    if (auth.emailDomains.length === 0 && !auth.allowAnyAccountOfIssuer)
      problems.push({
        key: keyPath(["ingress", "auth", "emailDomains"]),
        value: [],
        message: `expected at least one email domain such as example.com: without one every account ${auth.issuerUrl} signs in could open Prometheus and Alertmanager${google}; list your domains, or set ${ns}:ingress.auth.allowAnyAccountOfIssuer to true if that is really meant`,
      });
    if (auth.emailDomains.length > 0 && auth.allowAnyAccountOfIssuer)
      problems.push({
        key: keyPath(["ingress", "auth", "allowAnyAccountOfIssuer"]),
        value: true,
        message: `contradicts ingress.auth.emailDomains ${JSON.stringify(auth.emailDomains)}; remove one of them`,
      });
    if (auth.emailDomains.length === 0 && auth.allowAnyAccountOfIssuer)
      warnings.push(`${keyPath(["ingress", "auth", "allowAnyAccountOfIssuer"])} is true: every account ${auth.issuerUrl} signs in can open Prometheus and Alertmanager${google}`);
  }
  if (cfg.platform === "kubernetes" && !ing.domain)
    warnings.push(`${keyPath(["ingress", "domain"])} is not set: no Ingress is created and the UIs are reachable only through kubectl port-forward`);
  if (cfg.platform === "docker" && raw.tracing?.otlpNamespaces !== undefined)
    problems.push({
      key: keyPath(["tracing", "otlpNamespaces"]),
      value: raw.tracing.otlpNamespaces,
      message: "is for the kubernetes platform (a network policy); on docker the OTLP ports are published on docker.bindAddress",
    });
  if (cfg.platform === "kubernetes" && cfg.tracing.enabled && cfg.tracing.otlpNamespaces.length === 0)
    warnings.push(`${keyPath(["tracing", "otlpNamespaces"])} is empty: no application can send traces to the collector; list the namespaces of the applications that send OTLP`);
  if (cfg.platform === "docker" && cfg.prometheus.amp.enabled)
    problems.push({
      key: keyPath(["prometheus", "amp", "enabled"]),
      value: true,
      message: `Amazon Managed Service for Prometheus needs the kubernetes platform with the AWS side (IRSA signs its requests); set ${ns}:platform: eks`,
    });

  const dupes = (names: string[], path: PropertyKey[], what: string) => {
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) problems.push({ key: keyPath([...path, i, "name"]), value: name, message: `duplicate ${what} name; each must be unique` });
    });
  };
  dupes(
    cfg.services.map((s) => s.name),
    ["services"],
    "service",
  );
  dupes(
    cfg.probes.map((p) => p.name),
    ["probes"],
    "probe",
  );
  dupes(
    cfg.routing.teams.map((t) => t.name),
    ["routing", "teams"],
    "team",
  );
  dupes(
    cfg.routing.routes.map((r) => r.name),
    ["routing", "routes"],
    "route",
  );
  dupes(
    cfg.alerts.custom.map((a) => a.name),
    ["alerts", "custom"],
    "alert",
  );
  dupes(
    cfg.routing.maintenanceWindows.map((w) => w.name),
    ["routing", "maintenanceWindows"],
    "maintenance window",
  );

  const teams = new Set(cfg.routing.teams.map((t) => t.name));
  const serviceNames = new Set(cfg.services.map((s) => s.name));
  cfg.services.forEach((svc, i) => {
    dupes(
      svc.slos.map((s) => s.name),
      ["services", i, "slos"],
      "SLO",
    );
    if (svc.team && !teams.has(svc.team))
      problems.push({
        key: keyPath(["services", i, "team"]),
        value: svc.team,
        message: `unknown team; declare it under routing.teams (known: ${[...teams].join(", ") || "none"})`,
      });
    if (cfg.platform === "docker" && svc.targets.length === 0)
      problems.push({ key: keyPath(["services", i, "targets"]), value: [], message: "expected at least one host:port target on the docker platform" });
    for (const slo of svc.slos)
      if (durationSeconds(slo.period) > durationSeconds(cfg.prometheus.retention))
        warnings.push(
          `${keyPath(["services", i, "slos"])}: SLO '${slo.name}' covers ${slo.period} but Prometheus keeps only ${cfg.prometheus.retention} (prometheus.retention); its whole-period error ratio will be computed over the shorter span`,
        );
  });
  cfg.probes.forEach((probe, i) => {
    if (probe.service && !serviceNames.has(probe.service))
      problems.push({
        key: keyPath(["probes", i, "service"]),
        value: probe.service,
        message: `unknown service; expected one of: ${[...serviceNames].join(", ") || "(no services declared)"}`,
      });
    if (probe.module === "http_2xx" && !/^https?:\/\//.test(probe.target))
      problems.push({ key: keyPath(["probes", i, "target"]), value: probe.target, message: "an http_2xx probe needs an http(s) URL" });
    if (urlCarriesCredentials(probe.target))
      problems.push({
        key: keyPath(["probes", i, "target"]),
        value: maskUrlCredentials(probe.target),
        message: urlCredentialsMessage("probe an endpoint that needs no credentials, such as a health check"),
      });
    if ((probe.module === "tcp_connect" || probe.module === "tls") && !/^[A-Za-z0-9.-]+:\d+$/.test(probe.target))
      problems.push({ key: keyPath(["probes", i, "target"]), value: probe.target, message: `a ${probe.module} probe needs host:port` });
    if (probe.module === "dns" && !/^(?=.{1,253}\.?$)([A-Za-z0-9_]([-A-Za-z0-9_]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?\.?$/.test(probe.target))
      problems.push({ key: keyPath(["probes", i, "target"]), value: probe.target, message: "a dns probe needs a DNS name to resolve, such as api.example.com" });
  });
  cfg.routing.maintenanceWindows.forEach((w, i) => {
    w.mutes.forEach((m, j) => {
      if (m.startsWith("team:") && !teams.has(m.slice(5)))
        problems.push({ key: keyPath(["routing", "maintenanceWindows", i, "mutes", j]), value: m, message: "names a team that is not declared under routing.teams" });
      const routes = cfg.routing.routes.map((r) => r.name);
      if (m.startsWith("route:") && !routes.includes(m.slice(6)))
        problems.push({
          key: keyPath(["routing", "maintenanceWindows", i, "mutes", j]),
          value: m,
          message: `names a route that is not declared under routing.routes (known: ${routes.join(", ") || "none"}); expected route:<name>`,
        });
    });
  });
  cfg.alerts.custom.forEach((alert, i) => {
    // Labels the rule sets itself, from fields of their own: one way to set each.
    const own: Record<string, string> = { severity: "severity", service: "service", alertname: "name" };
    for (const [label, value] of Object.entries(alert.labels)) {
      if (label in own)
        problems.push({
          key: keyPath(["alerts", "custom", i, "labels", label]),
          value,
          message: `the ${label} label comes from the alert's own field; set alerts.custom[${i}].${own[label]} instead`,
        });
      else if (label === "team" && !value.includes("{{") && !teams.has(value))
        problems.push({
          key: keyPath(["alerts", "custom", i, "labels", label]),
          value,
          message: `unknown team; declare it under routing.teams (known: ${[...teams].join(", ") || "none"})`,
        });
    }
    // Prometheus' own grammar and its UI's type checker, so a typo or a missing range fails here, with its key path.
    for (const message of customExpressionProblems(alert)) problems.push({ key: keyPath(["alerts", "custom", i, "expr"]), value: alert.expr, message });
  });
  const thresholds = knownThresholds();
  for (const [name, value] of Object.entries(cfg.alerts.thresholds)) {
    if (!(name in thresholds)) {
      problems.push({ key: keyPath(["alerts", "thresholds", name]), value, message: `unknown threshold; expected one of: ${Object.keys(thresholds).join(", ")}` });
    }
  }
  const stack = stackChecks(cfg);
  return { problems: [...problems, ...stack.problems], warnings: [...warnings, ...stack.warnings] };
}

/**
 * Parses and validates one stack's configuration.
 * @param stack the Pulumi stack name; `dev` defaults to Docker, anything else to Kubernetes.
 */
export function parseStackConfig(stack: string, raw: RawStackConfig): ParsedStack {
  const problems: ConfigProblem[] = [...(raw.problems ?? [])];
  if (raw.unreadable) throw new ConfigError(stack, problems);
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw.values)) {
    if (key in secretKeys || instanceSecretOf(key) || teamSecretOf(key)) {
      problems.push({ key: `${ns}:${key}`, message: `is a credential and is stored in plain text; remove it and ${secretHint(key as SecretKey)}` });
    } else values[key] = value;
  }
  const present = new Set<SecretKey>();
  for (const key of raw.secrets) {
    // An instance's key (`postgresPasswordOrders`) is checked against the instances once the config is parsed.
    if (key in secretKeys || instanceSecretOf(key) || teamSecretOf(key)) present.add(key as SecretKey);
    else problems.push({ key: `${ns}:${key}`, message: `unknown secret key; expected one of: ${Object.keys(secretKeys).join(", ")}` });
  }

  const result = stackSchema.safeParse(values);
  if (!result.success) {
    problems.push(...zodProblems(result.error, values));
    throw new ConfigError(stack, problems);
  }
  const parsed = result.data;
  if (parsed.environment === undefined && !environmentName.test(stack)) {
    const suggestion = environmentSuggestion(stack);
    problems.push({
      key: keyPath(["environment"]),
      message: `the stack name ${JSON.stringify(stack)} is used as the environment name, which must be lower-case letters, digits and dashes, starting with a letter (at most 63 characters); set watchpost:environment, such as ${suggestion}, or rename the stack`,
    });
  }
  const environment = parsed.environment ?? stack;
  const profile = profiles[parsed.platform ?? defaultProfile(stack)];
  const platform = profile.runtime;
  const onKube = platform === "kubernetes";
  const config: StackConfig = {
    ...parsed,
    stack,
    environment,
    profile: profile.name,
    platform,
    ingress: { ...parsed.ingress, tls: parsed.ingress.tls ?? profile.defaults.ingressTls },
    backup: { ...parsed.backup, enabled: parsed.backup.enabled ?? profile.defaults.backup },
    kubernetes: { ...parsed.kubernetes, storageClass: parsed.kubernetes.storageClass ?? profile.defaults.storageClass, apiServerCidrs: parsed.kubernetes.apiServerCidrs ?? [] },
    clusterLabel: parsed.clusterLabel ?? environment,
    prometheus: { ...parsed.prometheus, replicas: parsed.prometheus.replicas ?? (onKube ? 2 : 1) },
    alertmanager: { ...parsed.alertmanager, replicas: parsed.alertmanager.replicas ?? (onKube ? 3 : 1) },
    // The applications whose metrics the stack scrapes may send it traces; no other namespace.
    tracing: { ...parsed.tracing, otlpNamespaces: parsed.tracing.otlpNamespaces ?? [...new Set(parsed.services.map((s) => s.kubernetes?.namespace ?? "default"))].sort() },
    dashboards: { ...parsed.dashboards, files: [] },
    secrets: present,
  };
  config.exporters = wiredExporters(config);
  const cross = crossChecks(config, (k) => present.has(k), values as Parameters<typeof crossChecks>[2]);
  problems.push(...cross.problems);
  const dashboards = readTeamDashboards(config, raw.readDirectory);
  config.dashboards.files = dashboards.files;
  problems.push(...dashboards.problems);
  if (problems.length > 0) throw new ConfigError(stack, problems);
  return { config, warnings: cross.warnings };
}
