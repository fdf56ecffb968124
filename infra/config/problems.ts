/**
 * A configuration problem and how a list of them reads: key path, offending
 * value, what is wrong, what was expected and the fix, all of them at once.
 */

export interface ConfigProblem {
  /** Full key path, such as `watchpost:prometheus.retention`. */
  key: string;
  /** What was found; `undefined` where the key is missing. */
  value?: unknown;
  message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: ConfigProblem[],
  ) {
    super(formatProblems(stack, problems));
    this.name = "ConfigError";
  }
}

const ns = "watchpost";

export function keyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = `${ns}:`;
  path.forEach((part, i) => {
    if (typeof part === "number") out += `[${part}]`;
    else out += i === 0 ? String(part) : `.${String(part)}`;
  });
  return out;
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatProblems(stack: string, problems: ConfigProblem[]): string {
  const lines = problems.map((p) => ("value" in p && p.value !== undefined ? `  - ${p.key}: got ${show(p.value)}; ${p.message}` : `  - ${p.key}: ${p.message}`));
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return `Invalid configuration for stack "${stack}" (${count}):\n${lines.join("\n")}`;
}
