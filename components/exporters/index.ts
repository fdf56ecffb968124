/**
 * The exporter registry: one entry per backing service Watchpost watches.
 * The config spec, the secret keys, the scrape targets, the placement on both
 * platforms, the network policies' egress, the alert rules and the dashboard
 * rows all derive from this table; an id in `model/vocabulary.ts` without an
 * entry here does not compile.
 */
import { z } from "zod";
import { type ExporterFlags, type ExporterId, exporterIds } from "../../model/vocabulary";
import { elasticsearch } from "./elasticsearch";
import { mysql } from "./mysql";
import { nginx } from "./nginx";
import { postgres } from "./postgres";
import { rabbitmq } from "./rabbitmq";
import { redis } from "./redis";
import type { Resources } from "../../model/primitives";
import type { ExporterEntry, ExporterProcess } from "./types";

export const exporters = { postgres, redis, rabbitmq, nginx, elasticsearch, mysql } as const satisfies Record<ExporterId, ExporterEntry>;

type Entries = typeof exporters;
type SpecOf<K extends ExporterId> = Entries[K]["spec"];

/** `watchpost:exporters`: each exporter's settings, all optional. */
export const exportersSpec = z
  .strictObject(Object.fromEntries(exporterIds.map((id) => [id, exporters[id].spec.optional()])) as { [K in ExporterId]: z.ZodOptional<SpecOf<K>> })
  .prefault({});
export type ExportersSpec = z.infer<typeof exportersSpec>;

/** Secret keys the exporters read, with what each holds. */
type SecretOf<E> = E extends { secret: { key: infer K extends string } } ? K : never;
export type ExporterSecretKey = { [K in ExporterId]: SecretOf<Entries[K]> }[ExporterId];
export const exporterSecretKeys = Object.fromEntries(
  exporterIds.flatMap((id) => {
    const entry: ExporterEntry = exporters[id];
    return entry.secret ? [[entry.secret.key, entry.secret.description]] : [];
  }),
) as Record<ExporterSecretKey, string>;
export type ExporterSecrets = Partial<Record<ExporterSecretKey, import("@pulumi/pulumi").Input<string>>>;

type ResourceNameOf<E> = E extends { process: { resourceName: infer R extends string } } ? R : never;
/** Keys under `watchpost:resources` of the exporters Watchpost runs. */
export type ExporterResourceName = { [K in ExporterId]: ResourceNameOf<Entries[K]> }[ExporterId];
/** Their default limits. */
export const exporterResources = Object.fromEntries(
  exporterIds.flatMap((id) => {
    const process = (exporters[id] as ExporterEntry).process;
    return process ? [[process.resourceName, process.resources]] : [];
  }),
) as Record<ExporterResourceName, Resources>;

/** One configured exporter: its id, entry and settings. */
export interface ConfiguredExporter {
  id: ExporterId;
  entry: ExporterEntry;
  config: unknown;
  process?: ExporterProcess<unknown>;
}

/** The exporters a stack configures, in registry order. */
export function configuredExporters(config: ExportersSpec): ConfiguredExporter[] {
  return exporterIds.flatMap((id) => {
    const value = config[id];
    if (value === undefined) return [];
    const entry: ExporterEntry = exporters[id];
    return [{ id, entry, config: value, process: entry.process as ExporterProcess<unknown> | undefined }];
  });
}

/** Which exporters a stack configures, for the rule and dashboard contexts. */
export function exporterFlags(config: ExportersSpec): ExporterFlags {
  return Object.fromEntries(exporterIds.map((id) => [id, config[id] !== undefined])) as Record<ExporterId, boolean>;
}

/** The secret value an exporter reads, if the stack sets it. */
export function exporterSecret(entry: ExporterEntry, secrets: ExporterSecrets): import("@pulumi/pulumi").Input<string> | undefined {
  return entry.secret ? secrets[entry.secret.key as ExporterSecretKey] : undefined;
}
