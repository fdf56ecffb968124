/**
 * One instance of each component per target. Pulumi names of children derive from
 * the component's name (`${name}-<role>`), so two instances never collide in the
 * stack. The names on the platform — container and volume names, network aliases,
 * published ports, Helm releases and Kubernetes objects — are fixed per target
 * instead, because the rendered configurations find services by them
 * (`http://loki:3100`, `loki.<namespace>.svc`). Two instances of a component
 * therefore each take a target of their own: on Docker their own prefix, network
 * and portOffset; on Kubernetes their own namespace. A second instance on the same
 * target fails here, before it creates anything, naming the first and the fix,
 * instead of at `pulumi up` with the platform's conflict.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformTarget } from "./targets";

/** Per Docker network or Kubernetes target: the component that runs there, by class. */
const running = new WeakMap<object, Map<string, string>>();

const fix = {
  docker: "give each instance a DockerTarget of its own (its own prefix, network and portOffset)",
  kubernetes: "give each instance a KubernetesTarget of its own namespace",
};

/** Records that component `name` of class `component` runs on `target`; throws an InputPropertyError on `target` if another does. */
export function claimTarget(target: PlatformTarget, component: string, name: string): void {
  // Docker names live on one network (aliases) and one engine (containers, volumes, ports); the network stands for both.
  const space: object = target.kind === "docker" ? target.network : target;
  const components = running.get(space) ?? new Map<string, string>();
  running.set(space, components);
  const first = components.get(component);
  if (first !== undefined) {
    const where = target.kind === "docker" ? `the Docker target with prefix '${target.prefix}'` : `the Kubernetes namespace '${target.namespaceName}'`;
    throw new pulumi.InputPropertyError({
      propertyPath: "target",
      reason: `${component} '${first}' already runs on ${where}, and '${name}' would take the same container, volume, Helm release and object names; ${fix[target.kind]}`,
    });
  }
  components.set(component, name);
}
