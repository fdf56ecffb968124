/**
 * Reading raw `watchpost:*` values: from a Pulumi.<stack>.yaml file (synth,
 * tests) or from the running Pulumi program's configuration.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { RawStackConfig } from "./validate";

const prefix = "watchpost:";

/** Reads a stack file. Encrypted (`secure:`) values count as set secrets; their values are never read. */
export function readStackFile(file: string): RawStackConfig {
  const doc = parse(readFileSync(file, "utf8")) ?? {};
  const config: Record<string, unknown> = doc.config ?? {};
  const values: Record<string, unknown> = {};
  const secrets = new Set<string>();
  for (const [key, value] of Object.entries(config)) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    if (value !== null && typeof value === "object" && "secure" in (value as object)) secrets.add(name);
    else values[name] = value;
  }
  return { values, secrets };
}

export function stackFilePath(stack: string, root = path.resolve(__dirname, "../..")): string {
  return path.join(root, `Pulumi.${stack}.yaml`);
}

/**
 * Reads the configuration handed to a Pulumi program. Values are JSON where
 * Pulumi stored an object; secret keys are reported by name only.
 */
export function readPulumiConfig(all: Record<string, string>, isSecret: (key: string) => boolean): RawStackConfig {
  const values: Record<string, unknown> = {};
  const secrets = new Set<string>();
  for (const [key, raw] of Object.entries(all)) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    if (isSecret(key)) {
      secrets.add(name);
      continue;
    }
    try {
      values[name] = JSON.parse(raw);
    } catch {
      values[name] = raw;
    }
  }
  return { values, secrets };
}
