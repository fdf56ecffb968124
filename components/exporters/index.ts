/**
 * The exporter registry: one entry per backing service Watchpost watches.
 * The config spec, the secret keys, the scrape targets, the placement on both
 * platforms, the network policies' egress, the alert rules and the dashboard
 * rows all derive from this table; an id in `model/vocabulary.ts` without an
 * entry here does not compile.
 */
import { z } from "zod";
import { labels } from "../../model/conventions";
import { type ExporterFlags, type ExporterId, type ExporterInstanceLabels, exporterIds } from "../../model/vocabulary";
import { elasticsearch } from "./elasticsearch";
import { mysql } from "./mysql";
import { nginx } from "./nginx";
import { postgres } from "./postgres";
import { rabbitmq } from "./rabbitmq";
import { redis } from "./redis";
import type { Resources } from "../../model/primitives";
import { type InstanceFields, instanceSecretKey, instancesOf, instanceTargetLabels, singleOrInstances } from "./instances";
import type { ExporterEntry, ExporterProcess } from "./types";

export const exporters = { postgres, redis, rabbitmq, nginx, elasticsearch, mysql } as const satisfies Record<ExporterId, ExporterEntry>;

type Entries = typeof exporters;
type SpecOf<K extends ExporterId> = ReturnType<typeof singleOrInstances<Entries[K]["spec"]>>;

/** `watchpost:exporters`: each exporter's settings, all optional; each one object, or a list of named instances. */
export const exportersSpec = z
  .strictObject(
    Object.fromEntries(exporterIds.map((id) => [id, singleOrInstances(exporters[id].spec as z.ZodObject).optional()])) as unknown as {
      [K in ExporterId]: z.ZodOptional<SpecOf<K>>;
    },
  )
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
/** Credential values by secret key: the registry's keys, and the per-instance keys of list-form exporters (`postgresPasswordOrders`). */
export type ExporterSecrets = Readonly<Record<string, import("@pulumi/pulumi").Input<string> | undefined>>;

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

/**
 * One configured exporter instance: its id, entry and settings. An exporter configured as one object
 * is one instance with no name; each instance of a list runs its own process, `<process name>-<instance name>`.
 */
export interface ConfiguredExporter {
  id: ExporterId;
  entry: ExporterEntry;
  /** The instance's settings, without its `name` and `labels`. */
  config: unknown;
  process?: ExporterProcess<unknown>;
  /** The instance's name (list form). */
  instance?: string;
  /** Labels its scrape target carries: `instance_name` and its own labels (list form); none otherwise. */
  targetLabels: Record<string, string>;
  /** The secret key of its credential: the registry's key, or `<key><Name>` for an instance of a list. */
  secretKey?: string;
}

/** The exporter instances a stack configures, in registry order, then list order. */
export function configuredExporters(config: ExportersSpec): ConfiguredExporter[] {
  return exporterIds.flatMap((id) => {
    const value = config[id] as object | Array<object & InstanceFields> | undefined;
    if (value === undefined) return [];
    const entry: ExporterEntry = exporters[id];
    const process = entry.process as ExporterProcess<unknown> | undefined;
    return instancesOf(value).map((instance): ConfiguredExporter => {
      const named = instance.name;
      return {
        id,
        entry,
        config: instance.config,
        process: process && named !== undefined ? { ...process, name: `${process.name}-${named}` } : process,
        ...(named !== undefined ? { instance: named } : {}),
        targetLabels: instanceTargetLabels(instance),
        ...(entry.secret ? { secretKey: named !== undefined ? instanceSecretKey(entry.secret.key, named) : entry.secret.key } : {}),
      };
    });
  });
}

/** Which exporters a stack configures, for the rule and dashboard contexts. */
export function exporterFlags(config: ExportersSpec): ExporterFlags {
  return Object.fromEntries(exporterIds.map((id) => [id, config[id] !== undefined])) as Record<ExporterId, boolean>;
}

/** The labels of list-form exporters' series: `instance_name`, then every label name their instances set, sorted. */
export function exporterInstanceLabels(config: ExportersSpec): ExporterInstanceLabels {
  return Object.fromEntries(
    exporterIds.flatMap((id) => {
      const value = config[id];
      if (!Array.isArray(value)) return [];
      const own = [...new Set(value.flatMap((instance: InstanceFields) => Object.keys(instance.labels)))].sort();
      return [[id, [labels.instanceName, ...own]]];
    }),
  );
}

/** The secret keys the configured exporter instances read, in order: the per-instance keys of list-form exporters. */
export function configuredSecretKeys(config: ExportersSpec): string[] {
  return configuredExporters(config).flatMap((c) => (c.secretKey !== undefined ? [c.secretKey] : []));
}

/** The secret value an exporter instance reads, if the stack sets it. */
export function exporterSecret(exporter: Pick<ConfiguredExporter, "secretKey">, secrets: ExporterSecrets): import("@pulumi/pulumi").Input<string> | undefined {
  return exporter.secretKey !== undefined ? secrets[exporter.secretKey] : undefined;
}
