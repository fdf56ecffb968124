/**
 * Amazon Managed Service for Prometheus: one workspace per stack, written to
 * by the in-cluster Prometheus with SigV4 through its IRSA role.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { type AwsResourceOptions, childOptions } from "./options";
import type { Tags } from "./plan";

export interface AmpWorkspace {
  workspace: aws.amp.Workspace;
  arn: pulumi.Output<string>;
  /** `<prometheusEndpoint>api/v1/remote_write`; the endpoint already ends in a slash. */
  remoteWriteUrl: pulumi.Output<string>;
  region: string;
}

export function ampWorkspaceAlias(environment: string): string {
  return `watchpost-${environment}`;
}

/** The remote-write URL of a workspace's Prometheus endpoint (which ends in `/`). */
export function remoteWriteUrl(prometheusEndpoint: string): string {
  return `${prometheusEndpoint.replace(/\/?$/, "/")}api/v1/remote_write`;
}

export function createAmpWorkspace(environment: string, region: string, tags: Tags, opts: AwsResourceOptions): AmpWorkspace {
  // Holds the metrics history: protected from accidental deletion.
  const workspace = new aws.amp.Workspace("amp", { alias: ampWorkspaceAlias(environment), tags }, childOptions(opts, { protect: true }));
  return { workspace, arn: workspace.arn, remoteWriteUrl: workspace.prometheusEndpoint.apply(remoteWriteUrl), region };
}
