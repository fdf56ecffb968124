/**
 * Runs the AWS side of a prod stack under Pulumi mocks. Records every
 * resource with its inputs and the options that reached the engine
 * (`protect`, `retainOnDelete`, parent, provider): the mock API hides
 * options, so the harness wraps the mock monitor's `registerResource` and
 * reads them off the request the SDK sends, exactly what the engine would get.
 */
import * as pulumi from "@pulumi/pulumi";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import type { StackConfig } from "../../infra/config/schema";
import { parseStackConfig } from "../../infra/config/validate";
import { awsProvider, createAwsResources, eksCluster } from "../../infra/aws/index";
import { awsMockCall, awsMockState } from "../../harness/aws-mocks";
import { lookups } from "../../harness/pulumi-mocks";
import { prodSecrets } from "../../harness/stacks";

export { issuer, oidcProviderArn } from "../../harness/aws-mocks";

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, any>;
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  /** Alias specs the resource answers to besides its own URN (parentUrn / noParent, name, type). */
  aliases: Array<Record<string, unknown>>;
  parent: string;
  provider: string;
}

/** The prod stack's config with its channel secrets marked set, optionally changed. */
export function prodConfig(change: (values: Record<string, any>) => void = () => {}, extraSecrets: string[] = []): StackConfig {
  const raw = readStackFile(stackFilePath("prod"));
  const values = structuredClone(raw.values) as Record<string, any>;
  change(values);
  return parseStackConfig("prod", { values, secrets: new Set([...prodSecrets, ...extraSecrets]) }).config;
}

function outputValue<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

/** @param parentName wrap the AWS side in a component of this name (as a refactor into a component would). */
export async function runAws(cfg: StackConfig, parentName?: string) {
  const resources: Recorded[] = [];
  const calls: Array<{ token: string; inputs: Record<string, any> }> = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: awsMockState(args.type, args.name, args.inputs) }),
      call: (args) => {
        calls.push({ token: args.token, inputs: args.inputs });
        const answer = awsMockCall(args.token, args.inputs);
        if (!answer) throw new Error(`unexpected call ${args.token}`);
        return answer;
      },
    },
    "watchpost",
    cfg.stack,
    false,
  );
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    resources.push({
      type: req.getType(),
      name: req.getName(),
      inputs: pulumi.runtime.deserializeProperties(req.getObject()),
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      ignoreChanges: req.getIgnorechangesList() ?? [],
      aliases: (req.getAliasesList() ?? []).map((a: any) => a.toObject()),
      parent: req.getParent(),
      provider: req.getProvider(),
    });
    return register(req, callback);
  };

  const provider = awsProvider(cfg);
  const parent = parentName ? new pulumi.ComponentResource("watchpost:test:AwsSide", parentName) : undefined;
  const cluster = eksCluster(cfg, undefined, { provider, parent });
  const result = createAwsResources(cfg, cluster, { provider, parent });
  const outputs = await outputValue(pulumi.all(result.outputs));
  const settled = await outputValue(
    pulumi.all({ kubeconfig: cluster.kubeconfig, name: cluster.name, oidcIssuer: cluster.oidcIssuer, oidcProviderArn: cluster.oidcProviderArn, vpcId: cluster.vpcId }),
  );
  await new Promise((r) => setTimeout(r, 50));

  return { resources, calls, ...lookups(resources), outputs, cluster: settled, wiring: result.wiring };
}
