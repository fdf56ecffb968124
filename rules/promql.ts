/**
 * Small helpers for writing PromQL in packs, so selectors and numbers are
 * spelled one way everywhere.
 */

/** A regex alternation of literal names; config names are [a-z0-9-] so need no escaping. */
export function anyOf(names: readonly string[]): string {
  return names.join("|");
}

/**
 * A number as PromQL reads it, without float noise: 1 - 0.999 is
 * 0.0010000000000000009 in binary floating point, and should read 0.001.
 */
export function num(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** Renders `{a="x",b=~"y"}` from matcher strings, skipping empty ones. */
export function selector(...matchers: Array<string | undefined | false>): string {
  const kept = matchers.filter((m): m is string => typeof m === "string" && m !== "");
  return `{${kept.join(",")}}`;
}
