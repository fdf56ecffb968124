import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Options every AWS create function takes: the regional provider and the parent, passed to each child. */
export interface AwsResourceOptions {
  /** Provider for the stack's region. @default the ambient aws provider (aws:region) */
  provider?: aws.Provider;
  parent?: pulumi.Resource;
}

/**
 * Resource options for a child: provider and parent, plus per-resource extras. The AWS side has
 * always been created at the root of the stack; given a parent (moved into a component), each
 * resource also answers to its root-level URN, so buckets, keys, the vault, the workspace and the
 * cluster are kept, not replaced.
 */
export function childOptions(opts: AwsResourceOptions, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  const aliases = opts.parent ? [{ parent: pulumi.rootStackResource }, ...(extra.aliases ?? [])] : extra.aliases;
  return { provider: opts.provider, parent: opts.parent, ...extra, ...(aliases ? { aliases } : {}) };
}

/** Invoke options for a data source lookup with the same provider. */
export function invokeOptions(opts: AwsResourceOptions): pulumi.InvokeOutputOptions {
  return { provider: opts.provider, parent: opts.parent };
}
