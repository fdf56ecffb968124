import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** Options every AWS create function takes: the regional provider and the parent, passed to each child. */
export interface AwsResourceOptions {
  /** Provider for the stack's region. @default the ambient aws provider (aws:region) */
  provider?: aws.Provider;
  parent?: pulumi.Resource;
}

/** Resource options for a child: provider and parent, plus per-resource extras. */
export function childOptions(opts: AwsResourceOptions, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  return { provider: opts.provider, parent: opts.parent, ...extra };
}

/** Invoke options for a data source lookup with the same provider. */
export function invokeOptions(opts: AwsResourceOptions): pulumi.InvokeOutputOptions {
  return { provider: opts.provider, parent: opts.parent };
}
