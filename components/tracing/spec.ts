import { z } from "zod";
import { tracingBackends } from "../../model/vocabulary";
import { promDuration } from "../../model/durations";
import { kubernetesNamespace, size } from "../../model/primitives";

export const tracingSpec = z
  .strictObject({
    /** @default true */
    enabled: z.boolean().default(true),
    /** Trace store behind the OpenTelemetry Collector. @default "tempo" */
    backend: z.enum(tracingBackends, { error: `expected ${tracingBackends.join(" or ")}` }).default("tempo"),
    /** @default "72h" */
    retention: promDuration({ zeroMeans: "a retention of 0 keeps no traces" }).default("72h"),
    /** @default "10Gi" */
    volumeSize: size.default("10Gi"),
    /**
     * Kubernetes: namespaces whose pods may send OTLP to the collector (its receivers take no
     * credentials, so the network policy admits these namespaces only).
     * @default the namespaces of services[].kubernetes
     */
    otlpNamespaces: z.array(kubernetesNamespace).optional(),
  })
  .prefault({});
export type TracingSpec = z.infer<typeof tracingSpec>;
