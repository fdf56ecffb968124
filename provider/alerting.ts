/**
 * AlertRouting for programs in other languages: Alertmanager with Watchpost's
 * routes, inhibitions and templates, on the Docker engine. Notification
 * channels need secrets set as stack config; through this facade alerts are
 * seen in Alertmanager and Grafana.
 */
import * as pulumi from "@pulumi/pulumi";
import { AlertRouting as Routing } from "../components/alerting/index";
import { type DockerPlacement, dockerPlacement, packageName, placementInputs, planFromInputs } from "./placement";

export interface AlertRoutingArgs extends DockerPlacement {
  /** Alertmanager instances, clustered. @default 1 */
  replicas?: number;
  /** Notification log and silence retention (watchpost:alertmanager.retention). @default "120h" */
  retention?: string;
}

/** Alertmanager, configured by Watchpost, on the Docker engine. */
export class AlertRouting extends pulumi.ComponentResource {
  /** Each Alertmanager's published URL. */
  readonly urls: pulumi.Output<string[]>;

  constructor(name: string, args: AlertRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
    // Inputs are checked before anything registers, this component included.
    const plan = planFromInputs("AlertRouting", name, [
      ...placementInputs(args),
      { input: "replicas", path: ["alertmanager", "replicas"], value: args.replicas },
      { input: "retention", path: ["alertmanager", "retention"], value: args.retention },
    ]);
    super(`${packageName}:index:AlertRouting`, name, {}, opts);
    const routing = new Routing(
      name,
      {
        target: dockerPlacement(this, name, args, plan),
        files: plan.alertmanager.files,
        secretFiles: plan.alertmanager.secretFiles,
        secretValues: {},
        replicas: plan.config.alertmanager.replicas,
        retention: plan.config.alertmanager.retention,
        resources: plan.config.resources,
      },
      { parent: this },
    );
    this.urls = routing.urls;
    this.registerOutputs({ urls: this.urls });
  }
}
