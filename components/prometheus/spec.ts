/**
 * The metrics side of a stack: Prometheus itself, the services and endpoints
 * it watches, and the exporters of backing services.
 */
import { z } from "zod";
import { sloSpec } from "../../rules/spec";
import { awsRegion } from "../production/spec";
import { serviceMetricsSpec } from "./metric-mapping";
import { grafanaDatabaseSpec, grafanaSsoSpec } from "../grafana/sso";
import { promDuration } from "../../model/durations";
import { defaults } from "../../model/vocabulary";
import {
  credentialFreeUrl,
  hostPort,
  httpUrl,
  kubernetesLabelKeyProblem,
  kubernetesNamespace,
  kubernetesLabelValueProblem,
  kubernetesPortName,
  resourceName,
  size,
} from "../../model/primitives";

export const prometheusSpec = z
  .strictObject({
    /** @default "15s" */
    scrapeInterval: promDuration({ zeroMeans: "Prometheus reads a scrape interval of 0 as its default, 1m" }).default("15s"),
    /** @default "15s" */
    evaluationInterval: promDuration({ zeroMeans: "Prometheus reads an evaluation interval of 0 as its default, 1m" }).default("15s"),
    /** `--storage.tsdb.retention.time`. @default "30d" */
    retention: promDuration({ zeroMeans: "a retention of 0 turns Prometheus' time-based retention off (data stays until the volume is 85% full)" }).default(defaults.retention),
    /** TSDB volume. @default computed from expectedActiveSeries (see README, "Sizing storage") */
    volumeSize: size.optional(),
    /** Active series the sizing assumes. @default 100000 */
    expectedActiveSeries: z.number().int().positive().default(100_000),
    /** @default 1 on Docker, 2 on Kubernetes */
    replicas: z.number().int({ error: "expected a whole number" }).min(1).max(4).optional(),
    /** Extra remote-write endpoints (Thanos, Mimir, another AMP workspace). */
    remoteWrite: z
      .array(
        z.strictObject({
          url: credentialFreeUrl(
            "set remoteWrite[].basicAuth.username with the secret watchpost:remoteWritePassword, or remoteWrite[].bearerToken: true with the secret watchpost:remoteWriteBearerToken",
          ),
          /** Sign requests with SigV4 in this AWS region (AMP). */
          sigv4Region: awsRegion.optional(),
          /** HTTP basic auth with this user; the password is the secret `remoteWritePassword`. */
          basicAuth: z.strictObject({ username: z.string().min(1) }).optional(),
          /** Send the secret `remoteWriteBearerToken` as a bearer token. @default false */
          bearerToken: z.boolean().default(false),
        }),
      )
      .default([]),
    /** Create an Amazon Managed Service for Prometheus workspace and remote-write to it (Kubernetes only). */
    amp: z.strictObject({ enabled: z.boolean().default(false) }).prefault({}),
  })
  .prefault({});
export type PrometheusSpec = z.infer<typeof prometheusSpec>;
/** One remote-write endpoint as the renderers take it. */
export interface RemoteWriteEntry {
  url: string;
  sigv4Region?: string;
  basicAuth?: { username: string };
  /** @default false */
  bearerToken?: boolean;
}

export const serviceSpec = z.strictObject({
  /** Becomes the `job` and `service` labels. */
  name: resourceName,
  /** Docker: static scrape targets. */
  targets: z.array(hostPort).default([]),
  /** Kubernetes: which Service (ServiceMonitor) or pods (PodMonitor) to scrape. */
  kubernetes: z
    .strictObject({
      namespace: kubernetesNamespace.default("default"),
      /** Labels of the Service, or of the pods with `discovery: pod`. @default {"app.kubernetes.io/name": <name>} */
      matchLabels: z
        .record(z.string(), z.string({ error: "expected a label value, as a string" }).describe("Kubernetes label value"))
        .superRefine((labels, ctx) => {
          for (const [key, value] of Object.entries(labels)) {
            const problem = kubernetesLabelKeyProblem(key) ?? kubernetesLabelValueProblem(value);
            if (problem) ctx.addIssue({ code: "custom", path: [key], message: problem });
          }
        })
        .describe("map of Kubernetes label keys (such as app.kubernetes.io/name) to label values")
        .optional(),
      /** Name of the Service port (or container port) that serves metrics. @default "metrics" */
      port: kubernetesPortName.default("metrics"),
      /** `service`: a ServiceMonitor; `pod`: a PodMonitor, for workloads without a Service. @default "service" */
      discovery: z.enum(["service", "pod"], { error: "expected service or pod" }).default("service"),
    })
    .optional(),
  /** @default "/metrics" */
  metricsPath: z.string().startsWith("/", { error: "expected a path starting with /" }).default("/metrics"),
  /** @default "http" */
  scheme: z.enum(["http", "https"]).default("http"),
  /** Owning team: alerts carry `team=<name>` and route to its channel. */
  team: resourceName.optional(),
  slos: z.array(sloSpec).default([]),
  /**
   * The service's own metric and label names, mapped at scrape time onto Watchpost's conventions
   * (README, "Mapping your metric names"), such as `names: {http_requests_total: app_http_requests_total}`
   * and `labels: {status_code: status}`. @default none: the service follows the conventions
   */
  metrics: serviceMetricsSpec.optional(),
});
export type ServiceSpec = z.infer<typeof serviceSpec>;

export const probeModules = ["http_2xx", "tcp_connect", "dns", "tls"] as const;
export const probeSpec = z.strictObject({
  name: resourceName,
  /** URL for http_2xx, host:port for tcp_connect and tls, a name to resolve for dns. */
  target: z
    .string({ error: "expected a probe target" })
    .min(1, { error: "expected a probe target" })
    .describe("http(s) URL for http_2xx, host:port for tcp_connect and tls, a DNS name for dns"),
  module: z.enum(probeModules, { error: `expected one of ${probeModules.join(", ")}` }).default("http_2xx"),
  /** The service this endpoint belongs to. */
  service: resourceName.optional(),
});
export type ProbeSpec = z.infer<typeof probeSpec>;

/** `watchpost:exporters`: from the exporter registry, one optional entry per exporter. */
export { exportersSpec, type ExportersSpec } from "../exporters/index";

export const grafanaSpec = z
  .strictObject({
    /** @default "admin" */
    adminUser: z.string().min(1, { error: "expected a login name such as admin" }).describe("Grafana login name, not empty").default("admin"),
    /** Public URL, used in alert links. @default the local or ingress URL */
    rootUrl: httpUrl.optional(),
    /** Sign-in with OpenID Connect at the issuer of `ingress.auth`, roles from the token's groups. @default none (the local admin only) */
    sso: grafanaSsoSpec.optional(),
    /**
     * An external PostgreSQL database instead of the SQLite file on Grafana's volume; on Kubernetes
     * Grafana then runs two replicas without a volume. Password: the secret `grafanaDatabasePassword`. @default none
     */
    database: grafanaDatabaseSpec.optional(),
  })
  .prefault({});
