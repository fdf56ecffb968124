/** Redis through redis_exporter. */
import { z } from "zod";
import { redisRow } from "../../dashboards/exporters/redis";
import { hostPort } from "../../model/primitives";
import { redisPack } from "../../rules/packs/redis";
import { pulledImageParts } from "../platform/mirror";
import { restrictedContainerAs, restrictedPod } from "../platform/security";
import type { DockerPlacement, ExporterEntry, KubernetesPlacement } from "./types";

const spec = z.strictObject({ address: hostPort });

const passwordFile = "/run/secrets/redis-password";
/** The redis_exporter image's own user. */
const uid = 59000;

export const redis = {
  /** Password, if any: secret `redisPassword`. */
  spec,
  secret: { key: "redisPassword", description: "Redis password (optional)" },
  process: {
    name: "redis-exporter",
    port: 9121,
    image: "redisExporter",
    resourceName: "redisExporter",
    resources: { memory: "64Mi", cpu: "0.1" },
    egressPorts: (c) => [Number(c.address.slice(c.address.lastIndexOf(":") + 1))],
    docker: (c, secret): DockerPlacement => ({
      envs: { REDIS_ADDR: `redis://${c.address}`, ...(secret ? { REDIS_PASSWORD_FILE: passwordFile } : {}) },
      secretFiles: secret ? { [passwordFile]: secret } : {},
    }),
    kubernetes: ({ config: c, secret, credentials, registryMirror, resources, labels }): KubernetesPlacement => ({
      kind: "chart",
      chart: "redisExporter",
      values: {
        redisAddress: `redis://${c.address}`,
        customLabels: labels,
        // The chart takes the repository whole (registry included); the pinned image, not the chart's appVersion.
        image: { repository: pulledImageParts("redisExporter", registryMirror).repository, tag: pulledImageParts("redisExporter", registryMirror).tag },
        ...(secret ? { auth: { enabled: true, secret: { name: credentials.name, key: credentials.key } } } : {}),
        resources,
        podSecurityContext: restrictedPod(uid),
        securityContext: restrictedContainerAs(uid),
      },
    }),
  },
  rulePack: redisPack,
  databaseRow: redisRow,
} as const satisfies ExporterEntry<typeof spec, "redisPassword">;
