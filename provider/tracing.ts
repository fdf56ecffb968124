/** TracingStack for programs in other languages: the OpenTelemetry Collector and Tempo or Jaeger, on the Docker engine. */
import * as pulumi from "@pulumi/pulumi";
import { TracingStack as Stack } from "../components/tracing/index";
import { type DockerPlacement, dockerPlacement, packageName, placementInputs, planFromInputs } from "./placement";

export interface TracingStackArgs extends DockerPlacement {
  /** Trace store: "tempo" or "jaeger" (watchpost:tracing.backend). @default "tempo" */
  backend?: string;
  /** @default "72h" */
  retention?: string;
  /** @default "10Gi" */
  volumeSize?: string;
}

/** The OpenTelemetry Collector and a trace store, configured by Watchpost, on the Docker engine. */
export class TracingStack extends pulumi.ComponentResource {
  /** The trace store in use: "tempo" or "jaeger". */
  readonly backend: pulumi.Output<string>;
  /** In-stack URL of the trace store's query API (Grafana datasource). */
  readonly queryUrl: pulumi.Output<string>;
  /** Trace UI or API for a person. */
  readonly publicUrl: pulumi.Output<string>;
  /** Where applications send OTLP over gRPC. */
  readonly otlpGrpcEndpoint: pulumi.Output<string>;
  /** Where applications send OTLP over HTTP. */
  readonly otlpHttpEndpoint: pulumi.Output<string>;

  constructor(name: string, args: TracingStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Inputs are checked before anything registers, this component included.
    const plan = planFromInputs("TracingStack", name, [
      ...placementInputs(args),
      { input: "backend", path: ["tracing", "backend"], value: args.backend },
      { input: "retention", path: ["tracing", "retention"], value: args.retention },
      { input: "volumeSize", path: ["tracing", "volumeSize"], value: args.volumeSize },
    ]);
    super(`${packageName}:index:TracingStack`, name, {}, opts);
    if (!plan.tracing) throw new Error(`TracingStack "${name}": the plan has no tracing; this is a bug in provider/tracing.ts`);
    const stack = new Stack(
      name,
      {
        target: dockerPlacement(this, name, args, plan),
        backend: plan.tracing.backend,
        collectorConfig: plan.tracing.collectorConfig,
        storeConfig: plan.tracing.storeConfig,
        volumeSize: plan.config.tracing.volumeSize,
        resources: plan.config.resources,
      },
      { parent: this },
    );
    this.backend = pulumi.output(stack.backend);
    this.queryUrl = stack.queryUrl;
    this.publicUrl = stack.publicUrl;
    this.otlpGrpcEndpoint = stack.otlpGrpcEndpoint;
    this.otlpHttpEndpoint = stack.otlpHttpEndpoint;
    this.registerOutputs({
      backend: this.backend,
      queryUrl: this.queryUrl,
      publicUrl: this.publicUrl,
      otlpGrpcEndpoint: this.otlpGrpcEndpoint,
      otlpHttpEndpoint: this.otlpHttpEndpoint,
    });
  }
}
