/**
 * The configuration reference in README.md, generated from the schema so it
 * cannot drift: `npm run docs:config` rewrites it, and a test fails when the
 * README's copy differs from what the schema says.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { secretKeys, stackSchema } from "./schema";

const begin = "<!-- config-reference:begin -->";
const end = "<!-- config-reference:end -->";

interface Row {
  key: string;
  type: string;
  default: string;
}

function typeOf(s: any): string {
  if (s.enum) return s.enum.map((v: unknown) => `\`${String(v)}\``).join(" \\| ");
  if (s.anyOf) return s.anyOf.map(typeOf).join(" \\| ");
  if (s.type === "array") return `list of ${typeOf(s.items ?? {})}`;
  if (s.type === "object" && s.additionalProperties && !s.properties) return `map of ${typeOf(s.additionalProperties)}`;
  if (s.type === "integer") return "integer";
  return s.type ?? "any";
}

function walk(schema: any, prefix: string, rows: Row[]) {
  for (const [key, prop] of Object.entries<any>(schema.properties ?? {})) {
    const name = prefix ? `${prefix}.${key}` : `watchpost:${key}`;
    const def = prop.default === undefined ? "" : `\`${JSON.stringify(prop.default)}\``;
    if (prop.type === "object" && prop.properties) {
      rows.push({ key: name, type: "object", default: "" });
      walk(prop, name, rows);
    } else if (prop.type === "array" && prop.items?.properties) {
      rows.push({ key: name, type: "list of objects", default: def });
      walk(prop.items, `${name}[]`, rows);
    } else {
      rows.push({ key: name, type: typeOf(prop), default: def });
    }
  }
}

export function configReference(): string {
  const json = z.toJSONSchema(stackSchema, { io: "input", unrepresentable: "any" });
  const rows: Row[] = [];
  walk(json, "", rows);
  const table = ["| key | type | default |", "| --- | --- | --- |", ...rows.map((r) => `| \`${r.key}\` | ${r.type} | ${r.default} |`)];
  const secrets = ["| secret (`pulumi config set --secret`) | what |", "| --- | --- |", ...Object.entries(secretKeys).map(([k, v]) => `| \`watchpost:${k}\` | ${v} |`)];
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
