/**
 * The repository's stack files as tests use them. Pulumi.prod.yaml keeps no
 * secure values in the repo; `prodSecrets` are the ones `pulumi config set
 * --secret` adds before a deploy (its enabled channels and the ingress sign-in).
 */
import { type ExporterSecretKey, exporterSecretKeys } from "../components/exporters/index";

export const prodSecrets = ["slackWebhookUrl", "pagerdutyRoutingKey", "smtpPassword", "heartbeatUrl", "oidcClientSecret"] as const;

/** The credentials of the backing-service exporters, for variants that configure every exporter. */
export const exporterSecrets = Object.keys(exporterSecretKeys) as ExporterSecretKey[];
