/** PostgreSQL through postgres_exporter. */
import { z } from "zod";
import { postgresRow } from "../../dashboards/exporters/postgres";
import { port } from "../../model/primitives";
import { postgresPack } from "../../rules/packs/postgres";
import { pulledImageParts } from "../platform/mirror";
import type { DockerPlacement, ExporterEntry, KubernetesPlacement } from "./types";

const spec = z.strictObject({
  host: z.string().min(1, { error: "expected a host name or IP address" }).describe("host name or IP address"),
  port: port.default(5432),
  database: z.string().min(1, { error: "expected a database name" }).describe("database name").default("postgres"),
  user: z.string().min(1, { error: "expected a user name" }).describe("user name; its password is the secret postgresPassword"),
  sslMode: z.enum(["disable", "require", "verify-full"]).default("require"),
});

const passwordFile = "/run/secrets/postgres-password";

export const postgres = {
  /** Password: secret `postgresPassword`. */
  spec,
  secret: { key: "postgresPassword", description: "password of exporters.postgres.user" },
  process: {
    name: "postgres-exporter",
    port: 9187,
    image: "postgresExporter",
    resourceName: "postgresExporter",
    resources: { memory: "64Mi", cpu: "0.1" },
    egressPorts: (c) => [c.port],
    docker: (c, secret): DockerPlacement => ({
      envs: {
        DATA_SOURCE_URI: `${c.host}:${c.port}/${c.database}?sslmode=${c.sslMode}`,
        DATA_SOURCE_USER: c.user,
        DATA_SOURCE_PASS_FILE: passwordFile,
      },
      secretFiles: secret ? { [passwordFile]: secret } : {},
    }),
    kubernetes: ({ config: c, credentials, registryMirror, resources, labels }): KubernetesPlacement => {
      const image = pulledImageParts("postgresExporter", registryMirror);
      return {
        kind: "chart",
        chart: "postgresExporter",
        values: {
          config: {
            datasource: {
              host: c.host,
              port: String(c.port),
              user: c.user,
              database: c.database,
              sslmode: c.sslMode,
              passwordSecret: { name: credentials.name, key: credentials.key },
            },
          },
          podLabels: labels,
          // The pinned image rather than the chart's appVersion, so both platforms run one release.
          image: { registry: image.registry, repository: image.path, tag: image.tag },
          resources,
        },
      };
    },
  },
  rulePack: postgresPack,
  databaseRow: postgresRow,
} as const satisfies ExporterEntry<typeof spec, "postgresPassword">;
