/**
 * `exporters.<id>` as a list of named instances: one good stack, then one
 * mutation per check, each refused with its key path, the value, what was
 * expected and the fix.
 */
import { describe, expect, it } from "vitest";
import { instanceSecretKey, parseInstanceSecretKey } from "../../components/exporters/instances";
import { ConfigError, parseStackConfig, type RawStackConfig } from "../../infra/config/validate";

const instances = () => [
  { name: "orders", host: "orders-db.internal", user: "monitor", labels: { team: "payments" } },
  { name: "billing-eu", host: "billing-db.internal", user: "monitor" },
];
const stack = (postgres: unknown, secrets: string[] = ["postgresPasswordOrders", "postgresPasswordBillingEu"]): RawStackConfig => ({
  values: { exporters: { postgres } },
  secrets: new Set(secrets),
});

function problems(raw: RawStackConfig): string[] {
  try {
    parseStackConfig("dev", raw);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.key} = ${JSON.stringify(p.value)}: ${p.message}`);
  }
}

describe("per-instance secret keys", () => {
  it("are the exporter's key and the name in PascalCase, and map back to exactly that name", () => {
    expect(instanceSecretKey("postgresPassword", "orders")).toBe("postgresPasswordOrders");
    expect(instanceSecretKey("postgresPassword", "orders-eu2")).toBe("postgresPasswordOrdersEu2");
    for (const name of ["orders", "orders-eu2", "a-b1", "ab1", "a-bc", "ab-c"])
      expect(parseInstanceSecretKey(instanceSecretKey("redisPassword", name), ["postgresPassword", "redisPassword"])).toEqual({ base: "redisPassword", name });
    expect(parseInstanceSecretKey("redisPassword", ["redisPassword"])).toBeUndefined();
  });
});

describe("exporters.postgres as a list of named instances", () => {
  it("accepts named instances, each with its own secret", () => {
    expect(problems(stack(instances()))).toEqual([]);
    const { config } = parseStackConfig("dev", stack(instances()));
    expect(config.secrets.has("postgresPasswordBillingEu")).toBe(true);
  });

  it("keeps accepting the single object with postgresPassword", () => {
    expect(problems(stack({ host: "db", user: "monitor" }, ["postgresPassword"]))).toEqual([]);
  });

  it.each<[string, (list: Array<Record<string, unknown>>) => void, string[], string[]?]>([
    [
      "a name that is not DNS-label safe",
      (l) => (l[1].name = "Billing_EU"),
      [
        'watchpost:exporters.postgres[1].name = "Billing_EU": expected lower-case letters and digits, each dash-separated part starting with a letter, such as orders or orders-eu: it names containers, Services and the secret key',
      ],
    ],
    [
      "a part starting with a digit (its secret key would not map back)",
      (l) => (l[1].name = "billing-2"),
      [
        'watchpost:exporters.postgres[1].name = "billing-2": expected lower-case letters and digits, each dash-separated part starting with a letter, such as orders or orders-eu: it names containers, Services and the secret key',
      ],
    ],
    [
      "a name used twice",
      (l) => (l[1].name = "orders"),
      ['watchpost:exporters.postgres[1].name = "orders": is the name of instance [0] already; expected a name of its own, such as orders-2'],
      ["postgresPasswordOrders"],
    ],
    [
      "a reserved label",
      (l) => (l[0].labels = { instance_name: "x" }),
      ['watchpost:exporters.postgres[0].labels.instance_name = "x": "instance_name" is set by the stack on every exporter target; expected another label name, such as team'],
    ],
    ["a field of the exporter wrong in one instance", (l) => (l[1].port = "x"), ['watchpost:exporters.postgres[1].port = "x": expected a port number from 1 to 65535']],
    [
      "an instance without its secret",
      () => {},
      [
        'watchpost:exporters.postgres[1].user = "monitor": the postgres instance billing-eu needs the secret watchpost:postgresPasswordBillingEu; set it with: pulumi config set --secret watchpost:postgresPasswordBillingEu <password of exporters.postgres.user, of the instance named billing-eu>',
      ],
      ["postgresPasswordOrders"],
    ],
    [
      "a secret for an instance that does not exist",
      () => {},
      [
        "watchpost:postgresPasswordShipping = undefined: is the credential of an instance named shipping, but no list under watchpost:exporters has one by that name (instances reading postgresPassword<Name>: orders, billing-eu); rename the secret or the instance, or remove the secret",
      ],
      ["postgresPasswordOrders", "postgresPasswordBillingEu", "postgresPasswordShipping"],
    ],
    [
      "the single-object secret beside a list",
      () => {},
      [
        "watchpost:postgresPassword = undefined: is the credential of exporters.postgres as one object, but exporters.postgres is a list of named instances; set each instance's own secret instead, such as postgresPasswordOrders, and remove this one",
      ],
      ["postgresPasswordOrders", "postgresPasswordBillingEu", "postgresPassword"],
    ],
  ])("refuses %s", (_, mutate, expected, secrets) => {
    const list = instances() as Array<Record<string, unknown>>;
    mutate(list);
    expect(problems(stack(list, secrets))).toEqual(expected);
  });

  it("names the field of the single object, as before the list form, when that is wrong", () => {
    expect(problems(stack({ host: "db", user: "monitor", port: "x" }, ["postgresPassword"]))).toEqual([
      'watchpost:exporters.postgres.port = "x": expected a port number from 1 to 65535',
    ]);
  });

  it("refuses an empty list", () => {
    expect(problems(stack([]))).toEqual(["watchpost:exporters.postgres = []: expected at least one instance; remove the key to watch none"]);
  });
});
