/**
 * Small helpers for writing PromQL in packs, so selectors and numbers are
 * spelled one way everywhere.
 */

import type { ExporterId } from "../model/vocabulary";
import type { RuleContext } from "./types";

/**
 * Grouping labels for an exporter's aggregations: `base`, then, for an exporter configured as a list
 * of named instances, `instance_name` and the instances' own labels, so each alert keeps the
 * instance it is about and the labels (such as team) that route it.
 */
export function grouping(ctx: Pick<RuleContext, "exporterInstances">, id: ExporterId, ...base: string[]): string {
  return [...base, ...(ctx.exporterInstances?.[id] ?? [])].join(", ");
}

/** How an alert names the target it is about: its address, and for an instance of a list its name first. */
export function instanceText(ctx: Pick<RuleContext, "exporterInstances">, id: ExporterId): string {
  return ctx.exporterInstances?.[id] ? "{{ $labels.instance_name }} ({{ $labels.instance }})" : "{{ $labels.instance }}";
}

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
