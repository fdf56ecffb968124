/**
 * How parts of a stack reach each other: the in-stack host names, spelled
 * once. On Docker a container's network alias; on Kubernetes a Service's DNS
 * name, including the headless Services the prometheus-operator creates for
 * its Alertmanager and Prometheus StatefulSets.
 */
import type { Platform } from "./vocabulary";

/** Headless Services the prometheus-operator creates for every Alertmanager and Prometheus it runs. */
export const operatedServices = {
  alertmanager: "alertmanager-operated",
  prometheus: "prometheus-operated",
} as const;

/** In-stack address of a component: a network alias on Docker, a Service DNS name on Kubernetes. */
export function stackHost(platform: Platform, name: string, namespace: string): string {
  return platform === "docker" ? name : `${name}.${namespace}.svc`;
}

/** `http://<service>.<namespace>.svc:<port>`: a Service's in-cluster URL. */
export function serviceUrl(service: string, namespace: string, port: number): string {
  return `http://${service}.${namespace}.svc:${port}`;
}
