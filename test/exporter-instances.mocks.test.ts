/**
 * Exporters as lists of named instances on Docker, under Pulumi mocks: one
 * container per instance, named and aliased `<process>-<instance>`, each with
 * its own instance's credential as a secret upload and its own connection.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { type Recorded, runStack } from "../harness/pulumi-mocks";

const alias = (c: Recorded): string => c.inputs.networksAdvanced[0].aliases[0];
const uploads = (c: Recorded): Array<{ file: string; content: string }> =>
  (c.inputs.uploads ?? []).map((u: { file: string; content: string }) => ({ file: u.file, content: u.content }));

describe("Docker: one exporter container per named instance, each with its own credential", () => {
  let containers: Recorded[] = [];
  beforeAll(async () => {
    const raw = readStackFile(stackFilePath("dev"));
    const values = {
      ...raw.values,
      exporters: {
        postgres: [
          { name: "orders", host: "orders-db.internal", user: "monitor", labels: { team: "payments" } },
          { name: "billing-eu", host: "billing-db.internal", user: "monitor", sslMode: "disable" },
        ],
        redis: [
          { name: "cache", address: "cache.internal:6379" },
          { name: "sessions", address: "sessions.internal:6379" },
        ],
      },
    };
    const secrets = new Set([...raw.secrets, "postgresPasswordOrders", "postgresPasswordBillingEu", "redisPasswordSessions"]);
    const run = await runStack("dev", { values, secrets }, (key) => `SECRET-VALUE-OF-${key}`);
    containers = run.byType("docker:index/container:Container").filter((c) => /-exporter-/.test(alias(c)));
  });

  it("names and aliases each container <process>-<instance>", () => {
    // Registration order follows the image pulls, so sorted.
    expect(containers.map((c) => [c.name, alias(c)]).sort()).toEqual([
      ["metrics-postgres-exporter-billing-eu", "postgres-exporter-billing-eu"],
      ["metrics-postgres-exporter-orders", "postgres-exporter-orders"],
      ["metrics-redis-exporter-cache", "redis-exporter-cache"],
      ["metrics-redis-exporter-sessions", "redis-exporter-sessions"],
    ]);
  });

  it("uploads each instance's own secret, as a secret, and connects to its own server", () => {
    const byAlias = Object.fromEntries(containers.map((c) => [alias(c), c]));
    expect(uploads(byAlias["postgres-exporter-orders"])).toEqual([{ file: "/run/secrets/postgres-password", content: "SECRET-VALUE-OF-postgresPasswordOrders" }]);
    expect(uploads(byAlias["postgres-exporter-billing-eu"])).toEqual([{ file: "/run/secrets/postgres-password", content: "SECRET-VALUE-OF-postgresPasswordBillingEu" }]);
    expect(byAlias["postgres-exporter-billing-eu"].inputs.envs).toContain("DATA_SOURCE_URI=billing-db.internal:5432/postgres?sslmode=disable");
    // Redis without a password for the cache: no upload, no password file.
    expect(uploads(byAlias["redis-exporter-cache"])).toEqual([]);
    expect(byAlias["redis-exporter-cache"].inputs.envs).toEqual(["REDIS_ADDR=redis://cache.internal:6379"]);
    expect(uploads(byAlias["redis-exporter-sessions"])).toEqual([{ file: "/run/secrets/redis-password", content: "SECRET-VALUE-OF-redisPasswordSessions" }]);
    for (const c of containers) if (uploads(c).length > 0) expect(c.secretInputs, alias(c)).toContain("uploads");
  });
});
