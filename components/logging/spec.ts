import { z } from "zod";
import { promDuration } from "../../model/durations";
import { size } from "../../model/primitives";

export const loggingSpec = z
  .strictObject({
    /** @default true */
    enabled: z.boolean().default(true),
    /** Loki with Grafana Alloy shipping container or pod logs. */
    backend: z.enum(["loki"], { error: "expected loki" }).default("loki"),
    /** Loki's retention_period: the compactor deletes whole days of logs. @default "168h" */
    retention: promDuration({
      zeroMeans: "Loki keeps logs forever with a retention of 0",
      min: { value: "24h", why: "Loki's compactor applies retention per daily index table; its minimum retention is 24h" },
    }).default("168h"),
    /** @default "10Gi" */
    volumeSize: size.default("10Gi"),
  })
  .prefault({});
export type LoggingSpec = z.infer<typeof loggingSpec>;
