/**
 * Reading raw `watchpost:*` values: from a Pulumi.<stack>.yaml file (synth,
 * tests) or from the running Pulumi program's configuration. A file that is
 * not YAML, not a mapping, or holds keys in an unknown namespace is reported
 * here as problems of the file, named by file and line, never thrown.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { isMap, parseDocument, type YAMLError } from "yaml";
import { editDistance } from "../../model/suggest";
import type { DirectoryReader } from "./dashboard-checks";
import type { ConfigProblem, RawStackConfig } from "./validate";

const ns = "watchpost";
const prefix = `${ns}:`;

/** Namespaces of the providers and of Pulumi itself that a stack file may also set. */
export const otherNamespaces = ["aws", "docker", "kubernetes", "pulumi", "random"] as const;

/** Top-level keys of a Pulumi stack file besides `config`. */
const stackFileKeys = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

const example = "config:\n  watchpost:platform: docker";

/** `watchpost:<name>` for our keys, or the problem with a key in another namespace (or none). */
export function namespaceProblem(key: string, value: unknown): ConfigProblem | undefined {
  const colon = key.indexOf(":");
  if (colon === -1) return { key, value, message: `has no namespace; config keys are <namespace>:<key>; did you mean ${prefix}${key}?` };
  const space = key.slice(0, colon);
  if (space === ns || (otherNamespaces as readonly string[]).includes(space)) return undefined;
  const rest = key.slice(colon + 1);
  const near = editDistance(space.toLowerCase(), ns) <= 3;
  return {
    key,
    value,
    message: near
      ? `unknown namespace '${space}'; did you mean ${prefix}${rest}?`
      : `unknown namespace '${space}'; expected ${prefix} or a provider's namespace (${otherNamespaces.join(", ")}); Watchpost's own settings are ${prefix}<key>`,
  };
}

function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "empty";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}

/** Where a parse error is, as `file:line:column`, and the fix for its kind. */
function yamlProblem(shown: string, text: string, error: YAMLError): ConfigProblem {
  let at = error.linePos?.[0];
  // A quoted value may span lines, so YAML notices a missing quote only at the end; point at where it opened.
  const quote = error.code === "MISSING_CHAR" ? /closing (["'])/.exec(error.message)?.[1] : undefined;
  if (quote && at) {
    const lines = text.split("\n");
    for (let i = Math.min(at.line, lines.length) - 1; i >= 0; i--) {
      if (lines[i].split(quote).length % 2 === 0) {
        at = { line: i + 1, col: lines[i].indexOf(quote) + 1 };
        break;
      }
    }
  }
  const where = at ? `${shown}:${at.line}:${at.col}` : shown;
  const what = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  const line = at ? text.split("\n")[at.line - 1] : undefined;
  const near = line !== undefined && line.trim() !== "" ? ` (line ${at?.line}: ${JSON.stringify(line)})` : "";
  const fixes: Partial<Record<YAMLError["code"], string>> = {
    BAD_INDENT: "fix the indentation: the keys of one mapping start in the same column",
    TAB_AS_INDENT: "indent with spaces; YAML does not take tabs",
    DUPLICATE_KEY: "each key may appear once in a mapping; keep one of them",
    MISSING_CHAR: "close the quote or bracket opened there",
    MULTILINE_IMPLICIT_KEY: "a key must fit on one line; quote values that contain ': '",
    BLOCK_AS_IMPLICIT_KEY: "a key must fit on one line; quote values that contain ': '",
    UNEXPECTED_TOKEN: "quote values that start with a special character ([, {, *, &, !, |, >, %, @ or `)",
  };
  return { key: where, message: `YAML syntax error: ${what}${near}; ${fixes[error.code] ?? "see the YAML at that line"}` };
}

function display(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
}

function stacksBeside(file: string): string {
  const dir = path.dirname(file);
  const names = existsSync(dir) ? readdirSync(dir).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []) : [];
  return names.length > 0 ? names.join(", ") : "none";
}

const unreadable = (problem: ConfigProblem): RawStackConfig => ({ values: {}, secrets: new Set(), problems: [problem], unreadable: true });

/** Reads a stack file. Encrypted (`secure:`) values count as set secrets; their values are never read. */
export function readStackFile(file: string): RawStackConfig {
  const shown = display(file);
  if (!existsSync(file))
    return unreadable({
      key: shown,
      message: `no such stack file; expected Pulumi.<stack>.yaml beside Pulumi.yaml (stacks there: ${stacksBeside(file)}), or name the file with --file`,
    });
  const text = readFileSync(file, "utf8");
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) return { values: {}, secrets: new Set(), problems: doc.errors.map((e) => yamlProblem(shown, text, e)), unreadable: true };

  const root: unknown = doc.toJS();
  if (root === null || root === undefined)
    return unreadable({
      key: shown,
      message: `is empty; expected a mapping with a config: section of ${prefix}<key> settings, such as ${JSON.stringify(example)}; for a stack with every default write config: {}`,
    });
  if (!isMap(doc.contents) || typeof root !== "object" || Array.isArray(root))
    return unreadable({
      key: shown,
      value: root,
      message: `the file is ${shapeOf(root)}; expected a mapping with a config: section of ${prefix}<key> settings, such as ${JSON.stringify(example)}`,
    });

  const problems: ConfigProblem[] = [];
  const top = root as Record<string, unknown>;
  for (const [key, value] of Object.entries(top))
    if (!stackFileKeys.includes(key))
      problems.push({
        key: `${shown}: ${key}`,
        value,
        message: "unknown top-level key of a stack file; settings go under config:, so add a config: line above it and indent it by two spaces",
      });
  if (!("config" in top)) {
    problems.push({ key: shown, message: `has no config: section; expected ${prefix}<key> settings under config:, such as ${JSON.stringify(example)}` });
    return { values: {}, secrets: new Set(), problems, unreadable: true };
  }
  const config = top.config ?? {};
  if (typeof config !== "object" || Array.isArray(config)) {
    problems.push({
      key: `${shown}: config`,
      value: config,
      message: `is ${shapeOf(config)}; expected a mapping of <namespace>:<key> settings, such as ${JSON.stringify(example)}`,
    });
    return { values: {}, secrets: new Set(), problems, unreadable: true };
  }

  const values: Record<string, unknown> = {};
  const secrets = new Set<string>();
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    const problem = namespaceProblem(key, value);
    if (problem) problems.push(problem);
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    if (value !== null && typeof value === "object" && "secure" in (value as object)) secrets.add(name);
    else values[name] = value;
  }
  return { values, secrets, problems, readDirectory: projectDirectoryReader(path.dirname(file)) };
}

/** Reads the `*.json` files of a directory under `root` (the project: where Pulumi.yaml and the stack files are). */
export function projectDirectoryReader(root: string): DirectoryReader {
  return (dir) => {
    const full = path.resolve(root, dir);
    if (!existsSync(full)) return { problem: `no such directory (looked in ${full}); paths are relative to the project, where Pulumi.yaml is` };
    if (!statSync(full).isDirectory()) return { problem: `is a file (${full}); expected a directory of exported dashboard JSON files` };
    const names = readdirSync(full)
      .filter((f) => f.endsWith(".json"))
      .sort();
    if (names.length === 0) return { problem: `holds no *.json files (looked in ${full}); export dashboards from Grafana (Export → Save to file) into it` };
    return { files: Object.fromEntries(names.map((f) => [f, readFileSync(path.join(full, f), "utf8")])) };
  };
}

export function stackFilePath(stack: string, root = path.resolve(__dirname, "../..")): string {
  return path.join(root, `Pulumi.${stack}.yaml`);
}

/**
 * Reads the configuration handed to a Pulumi program. Values are JSON where
 * Pulumi stored an object; secret keys are reported by name only.
 */
export function readPulumiConfig(all: Record<string, string>, isSecret: (key: string) => boolean, projectRoot?: string): RawStackConfig {
  const values: Record<string, unknown> = {};
  const secrets = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const [key, raw] of Object.entries(all)) {
    const problem = namespaceProblem(key, isSecret(key) ? undefined : raw);
    if (problem) problems.push(problem);
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
  return { values, secrets, problems, ...(projectRoot !== undefined ? { readDirectory: projectDirectoryReader(projectRoot) } : {}) };
}
