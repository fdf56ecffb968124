/** MySQL and MariaDB through mysqld_exporter, which reads its connection from a my.cnf. */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { mysqlRow } from "../../dashboards/exporters/mysql";
import { port } from "../../model/primitives";
import { mysqlPack } from "../../rules/packs/mysql";
import type { DockerPlacement, ExporterEntry, KubernetesPlacement } from "./types";

const spec = z.strictObject({
  host: z.string().min(1, { error: "expected a host name or IP address" }).describe("host name or IP address"),
  port: port.default(3306),
  user: z
    .string()
    .min(1, { error: "expected a user name" })
    .regex(/^[^\s\n=]+$/, { error: "expected a MySQL user name without spaces or =" })
    .describe("user name (grant it PROCESS, REPLICATION CLIENT and SELECT); its password is the secret mysqlPassword"),
});
type MysqlConfig = z.output<typeof spec>;

/** The connection as mysqld_exporter reads it (`--config.my-cnf`): the password never reaches a flag or the environment. */
function myCnf(c: MysqlConfig, password: pulumi.Input<string> | undefined): pulumi.Output<string> {
  const lines = ["[client]", `user=${c.user}`, `host=${c.host}`, `port=${c.port}`];
  return pulumi.output(password).apply((p) => [...lines, ...(p !== undefined ? [`password=${p}`] : []), ""].join("\n"));
}

const cnfDir = "/run/secrets/mysql";
const cnfFile = `${cnfDir}/password`;

export const mysql = {
  /** Password: secret `mysqlPassword`. */
  spec,
  secret: { key: "mysqlPassword", description: "password of exporters.mysql.user" },
  process: {
    name: "mysql-exporter",
    port: 9104,
    image: "mysqldExporter",
    resourceName: "mysqlExporter",
    resources: { memory: "64Mi", cpu: "0.1" },
    egressPorts: (c) => [c.port],
    docker: (c, secret): DockerPlacement => ({
      command: [`--config.my-cnf=${cnfFile}`],
      secretFiles: { [cnfFile]: myCnf(c, secret) },
    }),
    // No chart of ours to pin: Watchpost's own Deployment, as the image's user (nobody), the my.cnf
    // mounted from the credentials Secret.
    kubernetes: ({ config }): KubernetesPlacement => ({
      kind: "deployment",
      uid: 65534,
      args: [`--config.my-cnf=${cnfFile}`],
      credentialsDir: cnfDir,
      credentialsContent: (secret) => myCnf(config, secret),
    }),
  },
  rulePack: mysqlPack,
  databaseRow: mysqlRow,
} as const satisfies ExporterEntry<typeof spec, "mysqlPassword">;
