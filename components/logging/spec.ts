import { z } from "zod";
import { promDuration } from "../../model/durations";
import { size } from "../../model/primitives";

/**
 * An ILM phase's age: whole days or hours, the units Elasticsearch's `min_age` and
 * `max_age` take and the ones a retention plan is written in.
 */
const indexAge = z
  .string({ error: "expected an age such as 7d or 36h" })
  .regex(/^[1-9]\d*[dh]$/, { error: "expected an age in whole days or hours above 0, such as 7d or 36h" })
  .describe("age in whole days or hours above 0, such as 7d or 36h");

/**
 * Index lifecycle: how long data stays in each phase, each age counted from the rollover of
 * its backing index. Data moves to warm at `hot`, to cold at `warm`, and is deleted at `cold`.
 */
export const lifecycleSpec = z
  .strictObject({
    /** Age at which data leaves the hot phase (rollover and writes happen there). @default "7d" */
    hot: indexAge.default("7d"),
    /** Age at which data leaves the warm phase (read-only, merged to one segment). @default "30d" */
    warm: indexAge.default("30d"),
    /** Age at which data leaves the cold phase and is deleted. @default "90d" */
    cold: indexAge.default("90d"),
  })
  .prefault({});
export type LifecycleSpec = z.infer<typeof lifecycleSpec>;

/** Field names removed from every log line before it is indexed. */
export const defaultScrubFields = [
  "password",
  "passwd",
  "secret",
  "token",
  "access_token",
  "refresh_token",
  "apiKey",
  "api_key",
  "authorization",
  "cookie",
  "headers.authorization",
  "headers.cookie",
];

export const elasticsearchSpec = z
  .strictObject({
    /** Size of the Elasticsearch node's PVC (Kubernetes; on Docker its named volume takes what the disk has). @default "30Gi" */
    volumeSize: size.default("30Gi"),
    /** JVM heap of the Elasticsearch node (`-Xms` = `-Xmx`); its memory limit must leave room for as much again off-heap. @default "512Mi" */
    heapSize: size.default("512Mi"),
    lifecycle: lifecycleSpec,
    /**
     * Fields removed by the ingest pipeline before a line is indexed: names at the top of the
     * parsed JSON line, or dotted paths into it (`headers.authorization`). @default password, passwd, secret, token, access_token, refresh_token, apiKey, api_key, authorization, cookie, headers.authorization, headers.cookie
     */
    scrubFields: z
      .array(
        z
          .string({ error: "expected a field name such as password" })
          .regex(/^[A-Za-z_@][A-Za-z0-9_@-]*(\.[A-Za-z_@][A-Za-z0-9_@-]*)*$/, { error: "expected a field name or a dotted path such as password or headers.authorization" })
          .describe("field name or dotted path, such as password or headers.authorization"),
      )
      .default(defaultScrubFields),
  })
  .prefault({});
export type ElasticsearchSpec = z.infer<typeof elasticsearchSpec>;

export const loggingSpec = z
  .strictObject({
    /** @default true */
    enabled: z.boolean().default(true),
    /**
     * `loki`: Loki with Grafana Alloy shipping container or pod logs. `elasticsearch`: Elasticsearch,
     * Kibana and Filebeat (the ECK operator on Kubernetes), set up by `logging.elasticsearch`. @default "loki"
     */
    backend: z.enum(["loki", "elasticsearch"], { error: "expected loki or elasticsearch" }).default("loki"),
    /** Loki's retention_period: the compactor deletes whole days of logs. With elasticsearch, `logging.elasticsearch.lifecycle` sets retention. @default "168h" */
    retention: promDuration({
      zeroMeans: "Loki keeps logs forever with a retention of 0",
      min: { value: "24h", why: "Loki's compactor applies retention per daily index table; its minimum retention is 24h" },
    }).default("168h"),
    /** Loki's volume. @default "10Gi" */
    volumeSize: size.default("10Gi"),
    /** The Elasticsearch backend (`backend: elasticsearch`). */
    elasticsearch: elasticsearchSpec,
  })
  .prefault({});
export type LoggingSpec = z.infer<typeof loggingSpec>;
