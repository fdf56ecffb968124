import { z } from "zod";
import { promDuration } from "../shared/durations";
import { size } from "../shared/primitives";

export const tracingSpec = z
  .strictObject({
    /** @default true */
    enabled: z.boolean().default(true),
    /** Trace store behind the OpenTelemetry Collector. @default "tempo" */
    backend: z.enum(["tempo", "jaeger"], { error: "expected tempo or jaeger" }).default("tempo"),
    /** @default "72h" */
    retention: promDuration({ zeroMeans: "a retention of 0 keeps no traces" }).default("72h"),
    /** @default "10Gi" */
    volumeSize: size.default("10Gi"),
  })
  .prefault({});
export type TracingSpec = z.infer<typeof tracingSpec>;
