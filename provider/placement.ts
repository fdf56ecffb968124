/**
 * What the four facades share: their inputs become `watchpost:*` configuration
 * checked by the same schema as a stack's config (infra/config), and planned by
 * the same pure planner (infra/plan); their containers go on the Docker engine,
 * on a network the caller names.
 *
 * Inputs that shape rendered files (durations, counts, addresses) are plain
 * values: the files are planned, and checked, before any resource exists. Inputs
 * that only reach resources (the network, passwords) are Inputs, so a program
 * can pass another resource's output.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { DockerTarget } from "../components/platform/targets";
import { keyPath } from "../infra/config/problems";
import { dockerStackPrefix } from "../infra/config/schema";
import { ConfigError, parseStackConfig } from "../infra/config/validate";
import { planStack, type StackPlan } from "../infra/plan";

/** The package name of the component provider: resource types read `watchpost:index:<Class>`. */
export const packageName = "watchpost";

/** Where a facade's containers run: the local (or DOCKER_HOST) Docker engine. */
export interface DockerPlacement {
  /**
   * Name of the Docker network every container joins and finds the others on (aliases such as
   * `prometheus`, `loki`). It must exist, or be created by the same program: it is looked up.
   */
  networkName: pulumi.Input<string>;
  /** Prefix of container and volume names, so two stacks can share an engine. @default "watchpost-<stack>" */
  prefix?: string;
  /** Address published ports bind to (watchpost:docker.bindAddress). @default "127.0.0.1" */
  bindAddress?: string;
  /** Added to every published port (watchpost:docker.portOffset). @default 0 */
  portOffset?: number;
  /** Value of the `environment` label of every series (watchpost:environment). @default the stack name */
  environment?: string;
}

/** One facade input and the `watchpost:*` key path it sets. */
export interface ConfigInput {
  input: string;
  path: string[];
  value: unknown;
}

/** The configuration keys every facade sets from DockerPlacement. */
export function placementInputs(args: DockerPlacement): ConfigInput[] {
  return [
    { input: "bindAddress", path: ["docker", "bindAddress"], value: args.bindAddress },
    { input: "portOffset", path: ["docker", "portOffset"], value: args.portOffset },
    { input: "environment", path: ["environment"], value: args.environment },
  ];
}

/** Sets `value` at `path` in `values`, creating the objects on the way. */
function setPath(values: Record<string, unknown>, path: string[], value: unknown): void {
  let node = values;
  for (const part of path.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/**
 * The stack plan for a facade's inputs (undefined ones keep the schema's defaults), on the
 * Docker platform. Bad inputs are reported all at once, each by its input name, before any
 * resource exists: `PrometheusStack "metrics": retention: got "30 days"; expected …`.
 */
export function planFromInputs(type: string, name: string, inputs: ConfigInput[], stack = pulumi.getStack()): StackPlan {
  const values: Record<string, unknown> = { platform: "docker" };
  for (const { path, value } of inputs) if (value !== undefined) setPath(values, path, value);
  try {
    return planStack(parseStackConfig(stack, { values, secrets: new Set() }).config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const inputFor = new Map(inputs.map((i) => [keyPath(i.path), i.input]));
    const errors = error.problems.map((p) => {
      const input = [...inputFor].find(([key]) => p.key === key || p.key.startsWith(`${key}.`) || p.key.startsWith(`${key}[`));
      const shown = p.value === undefined ? "" : `got ${JSON.stringify(p.value)}; `;
      return { propertyPath: input ? input[1] + p.key.slice(input[0].length) : p.key, reason: `${shown}${p.message}` };
    });
    const lines = errors.map((e) => `  - ${e.propertyPath}: ${e.reason}`);
    throw new pulumi.InputPropertiesError({ message: `${type} "${name}": invalid inputs:\n${lines.join("\n")}`, errors });
  }
}

/** The Docker target for a facade: the named network, looked up as a child of the facade. */
export function dockerPlacement(parent: pulumi.ComponentResource, name: string, args: DockerPlacement, plan: StackPlan): DockerTarget {
  const found = docker.getNetworkOutput({ name: args.networkName }, { parent });
  const network = docker.Network.get(`${name}-network`, found.id, undefined, { parent });
  return {
    kind: "docker",
    network,
    bindAddress: plan.config.docker.bindAddress,
    portOffset: plan.config.docker.portOffset,
    prefix: args.prefix ?? dockerStackPrefix(plan.config.stack),
    registryMirror: plan.config.images.registryMirror,
  };
}
