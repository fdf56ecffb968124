/**
 * Runs the Pulumi program under mocks: every resource the stack registers is
 * recorded with its inputs, so tests can assert exact types, names and wiring.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AwsWiring } from "../components/production/wiring";
import type { RawStackConfig } from "../infra/config/validate";
import { deployStack } from "../infra/stack";
import { awsMockCall, awsMockState } from "./aws-mocks";

export interface Recorded {
  type: string;
  name: string;
  /** Inputs with secret wrappers removed. */
  inputs: Record<string, any>;
  /** Top-level input names that reached the engine as secrets. */
  secretInputs: string[];
  /** Dotted paths of inputs that reached the engine as secrets, at any depth. */
  secretPaths: string[];
  custom: boolean;
  /** Options as the engine received them (read off the register request; the mock API hides them). */
  protect: boolean;
  retainOnDelete: boolean;
  /** URNs or alias specs the resource answers to besides its own URN. */
  aliases: Array<Record<string, unknown> | string>;
  /** URNs of the resources this one waits for (dependsOn and the inputs' resources). */
  dependencies: string[];
}

const secretSig = "4dabf18193072939515e22adb298388d";
const secretValueSig = "1b47061264138c4ac30d75fd1eb44270";

function unwrap(value: any): any {
  if (Array.isArray(value)) return value.map(unwrap);
  if (value && typeof value === "object") {
    if (value[secretSig] === secretValueSig) return unwrap(value.value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
  }
  return value;
}

function isWrappedSecret(value: any): boolean {
  return !!value && typeof value === "object" && value[secretSig] === secretValueSig;
}

/** Dotted paths of every secret-wrapped value inside an input tree. */
function secretPaths(value: any, path = ""): string[] {
  if (isWrappedSecret(value)) return [path];
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => secretPaths(v, path ? `${path}.${k}` : k));
  return [];
}

export function outputValue<T>(o: pulumi.Output<T> | undefined): Promise<T | undefined> {
  if (o === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

export interface RunOptions {
  /** AWS wiring handed to the components instead of what the mocked AWS side creates. */
  aws?: AwsWiring;
}

export async function runStack(stack: string, raw: RawStackConfig, secretValue: (key: string) => string, options: RunOptions = {}) {
  const resources: Recorded[] = [];
  /** Every invoke (data source lookup) the program made, with its arguments. */
  const calls: Array<{ token: string; inputs: Record<string, any> }> = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const secretInputs = Object.entries(args.inputs ?? {})
          .filter(([, v]) => isWrappedSecret(v))
          .map(([k]) => k);
        resources.push({
          type: args.type,
          name: args.name,
          inputs: unwrap(args.inputs),
          secretInputs,
          secretPaths: secretPaths(args.inputs),
          custom: args.custom ?? true,
          protect: false,
          retainOnDelete: false,
          aliases: [],
          dependencies: [],
        });
        const state =
          args.type === "random:index/randomPassword:RandomPassword"
            ? { ...args.inputs, result: "generated-password-0123456789abcdef" }
            : args.type === "pagerduty:index/serviceIntegration:ServiceIntegration"
              ? { ...args.inputs, integrationKey: `INTEGRATION-KEY-OF-${args.name}` }
              : awsMockState(args.type, args.name, args.inputs);
        return { id: `${args.name}-id`, state };
      },
      call: (args) => {
        calls.push({ token: args.token, inputs: args.inputs });
        return awsMockCall(args.token, args.inputs) ?? args.inputs;
      },
    },
    "watchpost",
    stack,
    false,
  );
  const options_: Map<string, Pick<Recorded, "protect" | "retainOnDelete" | "aliases" | "dependencies">> = new Map();
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    const aliases = [...(req.getAliasesList?.() ?? []).map((a: any) => (typeof a === "string" ? a : (a.toObject?.() ?? a))), ...(req.getAliasurnsList?.() ?? [])];
    options_.set(`${req.getType()}::${req.getName()}`, {
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      aliases,
      dependencies: req.getDependenciesList?.() ?? [],
    });
    return register(req, callback);
  };
  const outputs = deployStack(stack, raw, (key) => pulumi.secret(secretValue(key)), { aws: options.aws });
  // Let every registration settle before the test reads `resources`.
  await outputValue(pulumi.all(Object.values(outputs).filter((o): o is pulumi.Output<unknown> => pulumi.Output.isInstance(o))));
  await new Promise((r) => setTimeout(r, 50));
  for (const r of resources) Object.assign(r, options_.get(`${r.type}::${r.name}`) ?? {});
  return { outputs, resources, calls, ...lookups(resources) };
}

/** Finding recorded resources: all of a type, or exactly one by type and name (failing with what there is). */
export function lookups<R extends { type: string; name: string }>(resources: R[]) {
  const byType = (type: string) => resources.filter((r) => r.type === type);
  const one = (type: string, name: string) => {
    const found = resources.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`no ${type} named ${name}; have: ${resources.map((r) => `${r.type}/${r.name}`).join(", ")}`);
    return found;
  };
  return { byType, one };
}
