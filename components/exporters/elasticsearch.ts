/** Elasticsearch through elasticsearch_exporter. */
import { z } from "zod";
import { elasticsearchRow } from "../../dashboards/exporters/elasticsearch";
import { credentialFreeUrl } from "../../model/primitives";
import { elasticsearchPack } from "../../rules/packs/elasticsearch";
import { eckSecrets } from "../logging/elk/names";
import { pulledImageParts } from "../platform/mirror";
import type { DockerPlacement, ExporterEntry, KubernetesPlacement } from "./types";

const spec = z.strictObject({
  url: credentialFreeUrl("set exporters.elasticsearch.username and the secret watchpost:elasticsearchPassword"),
  username: z.string().min(1, { error: "expected a user name" }).describe("user name; its password is the secret elasticsearchPassword").optional(),
});

const passwordFile = "/run/secrets/elasticsearch-password";

function urlPort(url: string): number {
  const u = new URL(url);
  return u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80;
}

/** One shell word, single-quoted. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export const elasticsearch = {
  /** Password, if any: secret `elasticsearchPassword`. */
  spec,
  secret: { key: "elasticsearchPassword", description: "password of exporters.elasticsearch.username" },
  process: {
    name: "elasticsearch-exporter",
    port: 9114,
    image: "elasticsearchExporter",
    resourceName: "elasticsearchExporter",
    resources: { memory: "64Mi", cpu: "0.1" },
    egressPorts: (c) => [urlPort(c.url)],
    docker: (c, secret): DockerPlacement => {
      const flags = [`--es.uri=${c.url}`, "--es.all", "--es.indices"];
      // The exporter reads its password only from ES_PASSWORD. Container environments are kept in
      // Pulumi state and shown by `docker inspect`, so the password is uploaded as a secret file and
      // the image's busybox shell exports it just before exec'ing the exporter.
      return {
        ...(secret !== undefined
          ? { entrypoint: ["/bin/sh", "-c"], command: [`ES_PASSWORD="$(cat ${passwordFile})" exec /bin/elasticsearch_exporter ${flags.map(shellQuote).join(" ")}`] }
          : { command: flags }),
        envs: c.username ? { ES_USERNAME: c.username } : {},
        secretFiles: secret !== undefined ? { [passwordFile]: secret } : {},
      };
    },
    kubernetes: ({ config: c, secret, credentials, registryMirror, resources, labels, logsCluster }): KubernetesPlacement => ({
      kind: "chart",
      chart: "elasticsearchExporter",
      // The logging cluster (ECK): its `elastic` password and HTTPS CA from the operator's Secrets.
      noCredentialsSecret: logsCluster,
      values: {
        es: {
          uri: c.url,
          all: true,
          indices: true,
          ...(logsCluster ? { ssl: { enabled: true, useExistingSecrets: true, ca: { path: "/ssl/ca.crt" }, client: { enabled: false } } } : {}),
        },
        ...(logsCluster ? { secretMounts: [{ name: "elasticsearch-ca", secretName: eckSecrets.httpCa, path: "/ssl" }] } : {}),
        podLabels: labels,
        // The chart's repository includes its registry; the pinned image, not the chart's appVersion.
        image: { repository: pulledImageParts("elasticsearchExporter", registryMirror).repository, tag: pulledImageParts("elasticsearchExporter", registryMirror).tag },
        // The exporter reads ES_USERNAME and ES_PASSWORD; the password comes from the Secret, never from values.
        env: c.username ? { ES_USERNAME: c.username } : {},
        extraEnvSecrets: logsCluster
          ? { ES_PASSWORD: { secret: eckSecrets.elasticUser, key: eckSecrets.elasticUserKey } }
          : secret
            ? { ES_PASSWORD: { secret: credentials.name, key: credentials.key } }
            : {},
        resources,
      },
    }),
  },
  rulePack: elasticsearchPack,
  databaseRow: elasticsearchRow,
} as const satisfies ExporterEntry<typeof spec, "elasticsearchPassword">;
