/**
 * The configuration reference in README.md, generated from the schema so it
 * cannot drift: `npm run docs:config` rewrites it, and a test fails when the
 * README's copy differs from what the schema says. Each key's line says what
 * is accepted: the schema's own description of the value where it has one,
 * else the words its checks use when they refuse a value, else its type and
 * bounds.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { exporterSecretKeys } from "../../components/exporters/index";
import { secretKeys, stackSchema } from "./schema";

const begin = "<!-- config-reference:begin -->";
const end = "<!-- config-reference:end -->";

interface Row {
  key: string;
  accepted: string;
  default: string;
}

const cell = (text: string) => text.replaceAll("|", "\\|");

function range(s: any): string {
  if (s.maximum === Number.MAX_SAFE_INTEGER) s = { ...s, maximum: undefined };
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? `above ${s.exclusiveMinimum}` : undefined);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? `below ${s.exclusiveMaximum}` : undefined);
  if (typeof min === "number" && typeof max === "number") return ` from ${min} to ${max}`;
  const parts = [typeof min === "number" ? `${min} or more` : min, typeof max === "number" ? `at most ${max}` : max].filter(Boolean);
  return parts.length > 0 ? `, ${parts.join(", ")}` : "";
}

/** What a value may be, in words. */
function acceptedOf(s: any): string {
  if (s.description) return s.description;
  if (s.enum) return `one of ${s.enum.map((v: unknown) => `\`${String(v)}\``).join(", ")}`;
  if (s.const !== undefined) return `\`${String(s.const)}\``;
  if (s.anyOf) return s.anyOf.map(acceptedOf).join(", or ");
  if (s.type === "boolean") return "true or false";
  if (s.type === "integer") return `whole number${range(s)}`;
  if (s.type === "number") return `number${range(s)}`;
  if (s.type === "array") return `list of: ${acceptedOf(s.items ?? {})}${s.minItems ? ` (at least ${s.minItems})` : ""}`;
  if (s.type === "object" && s.additionalProperties && !s.properties) {
    const keys = s.propertyNames?.enum ? ` keyed by ${s.propertyNames.enum.map((v: unknown) => `\`${String(v)}\``).join(", ")}` : "";
    return `map${keys} of: ${acceptedOf(s.additionalProperties)}`;
  }
  if (s.type === "object" && s.properties)
    return `mapping of ${Object.entries<any>(s.properties)
      .map(([k, v]) => `${k} (${acceptedOf(v)})`)
      .join(" and ")}`;
  if (s.format === "ipv4") return "IPv4 address";
  if (s.type === "string") return s.minLength ? "text, not empty" : "text";
  return "any value";
}

/** The words a schema's checks use when they refuse a value ("expected a DNS name such as …"), for schemas without a description. */
function checkWords(schema: any): string | undefined {
  // Numbers and lists read better from their bounds and their items.
  if (["number", "int", "array"].includes(schema._zod.def.type)) return undefined;
  for (const check of [schema, ...(schema._zod.def.checks ?? [])]) {
    const error = check._zod.def.error;
    const message = typeof error === "function" ? error({ input: undefined }) : error;
    const words = typeof message === "string" ? /(?:^|; )expected (.+)$/.exec(message)?.[1] : undefined;
    if (words) return words;
  }
  return undefined;
}

function walk(schema: any, prefix: string, rows: Row[]) {
  for (const [key, prop] of Object.entries<any>(schema.properties ?? {})) {
    const name = prefix ? `${prefix}.${key}` : `watchpost:${key}`;
    const def = prop.default === undefined ? "" : `\`${JSON.stringify(prop.default)}\``;
    // An exporter: one mapping, or a list of the same mappings with a name and labels each.
    const single = prop.anyOf?.find((b: any) => b.type === "object" && b.properties);
    const list = prop.anyOf?.find((b: any) => b.type === "array" && b.items?.properties);
    if (prop.anyOf?.length === 2 && single && list) {
      rows.push({ key: name, accepted: "mapping of the keys below (one instance), or a list of such mappings, each with name and labels (named instances)", default: "" });
      walk(single, name, rows);
      const own = Object.fromEntries(Object.entries<any>(list.items.properties).filter(([k]) => !(k in single.properties)));
      walk({ properties: own }, `${name}[]`, rows);
    } else if (prop.type === "object" && prop.properties) {
      rows.push({ key: name, accepted: "mapping of the keys below", default: "" });
      walk(prop, name, rows);
    } else if (prop.type === "array" && prop.items?.properties) {
      rows.push({ key: name, accepted: `list of mappings of the keys below${prop.minItems ? ` (at least ${prop.minItems})` : ""}`, default: def });
      walk(prop.items, `${name}[]`, rows);
    } else {
      rows.push({ key: name, accepted: acceptedOf(prop), default: def });
    }
  }
}

export function configReference(): string {
  const json = z.toJSONSchema(stackSchema, {
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      const json = ctx.jsonSchema as { description?: string };
      if (json.description === undefined) {
        const words = checkWords(ctx.zodSchema);
        if (words) json.description = words;
      }
    },
  });
  const rows: Row[] = [];
  walk(json, "", rows);
  const table = ["| key | accepted | default |", "| --- | --- | --- |", ...rows.map((r) => `| \`${r.key}\` | ${cell(r.accepted)} | ${r.default} |`)];
  const secrets = [
    "| secret (`pulumi config set --secret`) | what |",
    "| --- | --- |",
    ...Object.entries(secretKeys).map(([k, v]) => `| \`watchpost:${k}\` | ${v} |`),
    `| \`watchpost:<key><Name>\` | with an exporter configured as a list, each instance's own credential: one of ${Object.keys(exporterSecretKeys).join(", ")}, then the instance name in PascalCase (postgresPasswordOrdersEu for orders-eu) |`,
    "| `watchpost:pagerdutyRoutingKey<Team>` | the PagerDuty Events v2 routing key of a team's own service (`routing.teams[].pagerduty` without `managed`): the team name in PascalCase (pagerdutyRoutingKeyPayments for payments) |",
  ];
  return [begin, ...table, "", ...secrets, end].join("\n");
}

export function readmeReference(readme: string): string | undefined {
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  return from === -1 || to === -1 ? undefined : readme.slice(from, to + end.length);
}

if (require.main === module && process.argv.includes("--write")) {
  const file = path.resolve(__dirname, "../../README.md");
  const readme = readFileSync(file, "utf8");
  const current = readmeReference(readme);
  if (!current) throw new Error(`README.md has no ${begin} … ${end} block`);
  writeFileSync(file, readme.replace(current, configReference()));
  process.stdout.write("README.md configuration reference updated\n");
}
