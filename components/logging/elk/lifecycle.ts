/**
 * The index lifecycle (ILM) policy every log stream uses, from `logging.elasticsearch.lifecycle`:
 * rollover in hot, read-only and merged in warm, lowest priority in cold, then deleted.
 */
import type { estypes } from "@elastic/elasticsearch";
import type { LifecycleSpec } from "../spec";
import { elkObjectNames } from "./names";

/** Hours of an ILM age such as 7d or 36h (validated values only). */
export function ageHours(age: string): number {
  const n = Number(age.slice(0, -1));
  return age.endsWith("d") ? n * 24 : n;
}

/**
 * A backing index rolls over daily, or sooner when the hot phase is shorter than a day, so that
 * whole indices age through the phases close to the configured ages; and at 10gb per primary
 * shard, Elastic's guidance for log indices.
 */
export function rolloverAge(lifecycle: LifecycleSpec): string {
  return ageHours(lifecycle.hot) < 24 ? lifecycle.hot : "1d";
}

export function renderIlmPolicy(lifecycle: LifecycleSpec) {
  return {
    name: elkObjectNames.policy,
    policy: {
      _meta: { managed_by: "watchpost", description: "Log retention from logging.elasticsearch.lifecycle" },
      phases: {
        hot: { min_age: "0ms", actions: { rollover: { max_age: rolloverAge(lifecycle), max_primary_shard_size: "10gb" }, set_priority: { priority: 100 } } },
        warm: { min_age: lifecycle.hot, actions: { readonly: {}, forcemerge: { max_num_segments: 1 }, set_priority: { priority: 50 } } },
        cold: { min_age: lifecycle.warm, actions: { set_priority: { priority: 0 } } },
        delete: { min_age: lifecycle.cold, actions: { delete: {} } },
      },
    },
  } satisfies estypes.IlmPutLifecycleRequest;
}
