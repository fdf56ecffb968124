/** LoggingStack for programs in other languages: Loki and Grafana Alloy shipping container logs, on the Docker engine. */
import * as pulumi from "@pulumi/pulumi";
import { LoggingStack as Stack } from "../components/logging/index";
import { type DockerPlacement, dockerPlacement, packageName, placementInputs, planFromInputs } from "./placement";

export interface LoggingStackArgs extends DockerPlacement {
  /** Loki's retention, whole days (watchpost:logging.retention). @default "168h" */
  retention?: string;
  /** @default "10Gi" */
  volumeSize?: string;
}

/** Loki and Alloy, configured by Watchpost, on the Docker engine. */
export class LoggingStack extends pulumi.ComponentResource {
  /** In-stack Loki URL (Grafana datasource, Alloy). */
  readonly lokiUrl: pulumi.Output<string>;
  /** Loki's published URL, for a person or a script on the host. */
  readonly lokiPublicUrl: pulumi.Output<string>;

  constructor(name: string, args: LoggingStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Inputs are checked before anything registers, this component included.
    const plan = planFromInputs("LoggingStack", name, [
      ...placementInputs(args),
      { input: "retention", path: ["logging", "retention"], value: args.retention },
      { input: "volumeSize", path: ["logging", "volumeSize"], value: args.volumeSize },
    ]);
    super(`${packageName}:index:LoggingStack`, name, {}, opts);
    if (plan.logging?.backend !== "loki") throw new Error(`LoggingStack "${name}": the plan has no Loki logging; this is a bug in provider/logging.ts`);
    const stack = new Stack(
      name,
      {
        target: dockerPlacement(this, name, args, plan),
        lokiConfig: plan.logging.lokiConfig,
        alloyConfig: plan.logging.alloyConfig,
        retention: plan.config.logging.retention,
        volumeSize: plan.config.logging.volumeSize,
        resources: plan.config.resources,
      },
      { parent: this },
    );
    this.lokiUrl = stack.lokiUrl;
    this.lokiPublicUrl = stack.lokiPublicUrl;
    this.registerOutputs({ lokiUrl: this.lokiUrl, lokiPublicUrl: this.lokiPublicUrl });
  }
}
