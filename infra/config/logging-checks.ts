/**
 * Checks of `logging` that the schema alone cannot make: settings of one backend given with
 * the other, the lifecycle's phases in order, the heap within the node's memory limit, and the
 * Elasticsearch exporter, which the Elasticsearch backend wires to its own cluster.
 * Pure: run by validate.ts once the shape of the configuration is valid.
 */
import { ageHours } from "../../components/logging/elk/lifecycle";
import { elasticsearchUrl, elasticUser } from "../../components/logging/elk/names";
import { resourcesFor } from "../../components/platform/targets";
import type { ExportersSpec } from "../../components/prometheus/spec";
import { sizeBytes } from "../../model/primitives";
import { type ConfigProblem, keyPath } from "./problems";
import type { StackConfig } from "./schema";

/** The raw `logging` and `exporters` values, to tell a key given from a default. */
export interface RawLogging {
  logging?: { retention?: unknown; volumeSize?: unknown; elasticsearch?: unknown };
  exporters?: { elasticsearch?: unknown };
}

/** The Elasticsearch backend is deployed. */
export function elasticsearchLogging(cfg: Pick<StackConfig, "logging">): boolean {
  return cfg.logging.enabled && cfg.logging.backend === "elasticsearch";
}

/**
 * `exporters.elasticsearch` as the stack deploys it: with the Elasticsearch backend, the exporter
 * watches that cluster as `elastic` (its password from the cluster's own secret, not from
 * `elasticsearchPassword`); otherwise as configured.
 */
export function wiredExporters(cfg: Pick<StackConfig, "logging" | "exporters" | "platform" | "kubernetes">): ExportersSpec {
  if (!elasticsearchLogging(cfg)) return cfg.exporters;
  return { ...cfg.exporters, elasticsearch: { url: elasticsearchUrl(cfg.platform, cfg.kubernetes.namespace), username: elasticUser } };
}

export function loggingProblems(cfg: StackConfig, raw: RawLogging): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const log = cfg.logging;
  const at = (...path: PropertyKey[]) => keyPath(["logging", ...path]);
  if (!log.enabled) return problems;
  if (log.backend === "loki") {
    if (raw.logging?.elasticsearch !== undefined)
      problems.push({
        key: at("elasticsearch"),
        value: raw.logging.elasticsearch,
        message: "sets up the elasticsearch backend, but logging.backend is loki; set logging.backend to elasticsearch, or remove logging.elasticsearch",
      });
    return problems;
  }
  for (const key of ["retention", "volumeSize"] as const)
    if (raw.logging?.[key] !== undefined)
      problems.push({
        key: at(key),
        value: raw.logging[key],
        message: `is Loki's; with logging.backend elasticsearch set ${key === "retention" ? "logging.elasticsearch.lifecycle (hot, warm, cold: the age at which data leaves each phase)" : "logging.elasticsearch.volumeSize"} instead`,
      });
  if (raw.exporters?.elasticsearch !== undefined)
    problems.push({
      key: keyPath(["exporters", "elasticsearch"]),
      value: raw.exporters.elasticsearch,
      message:
        "is wired to the logging cluster automatically with logging.backend elasticsearch, and the stack runs one Elasticsearch exporter; remove exporters.elasticsearch (and the secret elasticsearchPassword)",
    });
  const es = log.elasticsearch;
  const phases = [
    ["hot", es.lifecycle.hot],
    ["warm", es.lifecycle.warm],
    ["cold", es.lifecycle.cold],
  ] as const;
  for (let i = 1; i < phases.length; i++) {
    const [name, age] = phases[i];
    const [before, beforeAge] = phases[i - 1];
    if (ageHours(age) <= ageHours(beforeAge))
      problems.push({
        key: at("elasticsearch", "lifecycle", name),
        value: age,
        message: `must be later than lifecycle.${before} (${beforeAge}): each age is when data leaves that phase, counted from rollover; expected more than ${beforeAge}`,
      });
  }
  const limit = resourcesFor("elasticsearch", cfg.resources).memory;
  if (sizeBytes(es.heapSize) < 256 * 2 ** 20)
    problems.push({
      key: at("elasticsearch", "heapSize"),
      value: es.heapSize,
      message: "is below 256Mi, too small for an Elasticsearch node; expected 256Mi or more, such as 512Mi",
    });
  else if (sizeBytes(es.heapSize) * 2 > sizeBytes(limit))
    problems.push({
      key: at("elasticsearch", "heapSize"),
      value: es.heapSize,
      message: `is more than half the node's memory limit (${limit}); Elasticsearch needs as much again off-heap; expected at most half, or raise resources.elasticsearch.memory`,
    });
  es.scrubFields.forEach((field, i) => {
    if (es.scrubFields.indexOf(field) !== i)
      problems.push({
        key: at("elasticsearch", "scrubFields", i),
        value: field,
        message: `is listed already as scrubFields[${es.scrubFields.indexOf(field)}]; list each field once`,
      });
  });
  if (cfg.platform === "kubernetes" && sizeBytes(es.volumeSize) > 16 * 2 ** 40)
    problems.push({ key: at("elasticsearch", "volumeSize"), value: es.volumeSize, message: "is beyond the largest gp3 volume, 16Ti; expected at most 16Ti" });
  return problems;
}
