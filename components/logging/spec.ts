import { z } from "zod";
import { duration, size } from "../shared/primitives";

export const loggingSpec = z
  .strictObject({
    /** @default true */
    enabled: z.boolean().default(true),
    /** Loki with Grafana Alloy shipping container or pod logs. */
    backend: z.enum(["loki"], { error: "expected loki" }).default("loki"),
    /** @default "168h" */
    retention: duration.default("168h"),
    /** @default "10Gi" */
    volumeSize: size.default("10Gi"),
  })
  .prefault({});
export type LoggingSpec = z.infer<typeof loggingSpec>;
