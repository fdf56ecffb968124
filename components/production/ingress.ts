/**
 * PublicAccess: HTTPS for the UIs under `ingress.domain`. Grafana keeps its own
 * sign-in; Prometheus, Alertmanager and the Jaeger UI sit behind oauth2-proxy
 * (OIDC), so their Ingresses point at the proxy, never at the UI.
 *
 * `tls: acm`: the AWS Load Balancer Controller, one internet-facing ALB for all
 * hosts (`group.name`), the ACM certificate, TLS 1.2+ and HTTP→HTTPS redirect on
 * the ALB. `tls: cert-manager`: your ingress controller (`className`), certificates
 * from Let's Encrypt through a ClusterIssuer; the controller redirects HTTP.
 *
 * Traces: Tempo has no UI of its own, so with Tempo the trace UI is Grafana
 * Explore (no `traces.` host); with Jaeger, `traces.<domain>` serves the Jaeger UI
 * behind oauth2-proxy.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { datasourceUids, hostFor, type ingressHosts, ports } from "../../model/conventions";
import type { KubernetesTarget } from "../platform/targets";
import type { Resources } from "../../model/primitives";
import { createOAuth2Proxies, type OidcSettings, oauth2ProxyObjects, oauth2ProxyPort, prometheusAdminApiPath, type ProtectedUpstream } from "./auth";
import { installCertManager, installLoadBalancerController } from "./controllers";
import type { IngressSpec } from "./spec";
import type { TracingBackend } from "../../model/vocabulary";
import { operatedServices } from "../../model/addresses";

export interface UiBackend {
  /** Service name in the monitoring namespace. */
  service: string;
  port: number;
}

export interface PublicAccessArgs {
  target: KubernetesTarget;
  /** The validated `ingress` slice; `domain` and `auth` must be set. */
  ingress: IngressSpec;
  /** OIDC client secret (`oidcClientSecret`), a Pulumi secret. */
  oidcClientSecret: pulumi.Input<string>;
  /** Name of the EKS cluster, for the Load Balancer Controller when `target.aws` is absent. */
  clusterName?: pulumi.Input<string>;
  grafana: UiBackend;
  prometheus: UiBackend;
  alertmanager: UiBackend;
  /** The trace store; `jaeger` gets a `traces.` host behind oauth2-proxy, `tempo` is browsed in Grafana Explore. */
  traces?: { backend: TracingBackend; ui?: UiBackend };
  /** ALB scheme (tls: acm). @default "internet-facing" */
  scheme?: "internet-facing" | "internal";
  /** Install the AWS Load Balancer Controller (tls: acm); false when the cluster already runs one. @default true */
  installLoadBalancerController?: boolean;
  /** oauth2-proxy container limits. @default {memory: "64Mi", cpu: "0.1"} */
  proxyResources?: Resources;
}

/** oauth2-proxy's limits unless `proxyResources` says otherwise. */
const defaultProxyResources: Resources = { memory: "64Mi", cpu: "0.1" };

/** TLS 1.2 and 1.3 only (AWS's recommended policy). */
export const albSslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Annotations of every ALB Ingress: one shared ALB, HTTPS only for users (HTTP redirects), IP targets. */
export function albAnnotations(opts: { groupName: string; scheme: string; certificateArn?: pulumi.Input<string>; healthcheckPath: string }): Record<string, pulumi.Input<string>> {
  return {
    "alb.ingress.kubernetes.io/scheme": opts.scheme,
    "alb.ingress.kubernetes.io/target-type": "ip",
    "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
    "alb.ingress.kubernetes.io/ssl-redirect": "443",
    "alb.ingress.kubernetes.io/ssl-policy": albSslPolicy,
    "alb.ingress.kubernetes.io/group.name": opts.groupName,
    "alb.ingress.kubernetes.io/healthcheck-path": opts.healthcheckPath,
    // Without an ARN the controller discovers the ACM certificate from the Ingress' TLS hosts.
    ...(opts.certificateArn ? { "alb.ingress.kubernetes.io/certificate-arn": opts.certificateArn } : {}),
  };
}

export class PublicAccess extends pulumi.ComponentResource {
  /** https:// URL of each UI. */
  readonly urls: { grafana: string; prometheus: string; alertmanager: string; traces?: string };

  constructor(name: string, args: PublicAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("watchpost:production:PublicAccess", name, {}, opts);
    const { ingress, target } = args;
    const domain = ingress.domain;
    if (!domain) throw new pulumi.InputPropertyError({ propertyPath: "ingress.domain", reason: "is required: the UIs are served at <ui>.<domain>" });
    if (!ingress.auth) throw new pulumi.InputPropertyError({ propertyPath: "ingress.auth", reason: "is required: Prometheus and Alertmanager are never exposed without sign-in" });
    const aws = target.aws;
    const clusterName = aws?.clusterName ?? args.clusterName;
    if (ingress.tls === "acm" && args.installLoadBalancerController !== false && clusterName === undefined)
      throw new pulumi.InputPropertyError({
        propertyPath: "clusterName",
        reason: "the AWS Load Balancer Controller needs the EKS cluster name (target.aws.clusterName or clusterName)",
      });
    if (ingress.tls === "cert-manager" && (!ingress.className || !ingress.acmeEmail))
      throw new pulumi.InputPropertyError({ propertyPath: "ingress.className", reason: "tls cert-manager needs ingress.className and ingress.acmeEmail" });

    const childOpts: pulumi.CustomResourceOptions = { parent: this, dependsOn: target.dependsOn };
    const controllers: pulumi.Resource[] = [];
    const issuerName = `watchpost-letsencrypt-${ingress.acmeEnvironment}`;
    if (ingress.tls === "acm" && args.installLoadBalancerController !== false) {
      if (!aws?.loadBalancerControllerRoleArn)
        pulumi.log.warn("target.aws.loadBalancerControllerRoleArn is not set: the AWS Load Balancer Controller runs without IRSA and needs its IAM policy on the node role", this);
      controllers.push(
        installLoadBalancerController(
          name,
          target,
          { clusterName: clusterName as pulumi.Input<string>, region: aws?.region, vpcId: aws?.vpcId, roleArn: aws?.loadBalancerControllerRoleArn },
          childOpts,
        ),
      );
    } else if (ingress.tls === "cert-manager") {
      const cm = installCertManager(
        name,
        target,
        { name: issuerName, email: ingress.acmeEmail as string, environment: ingress.acmeEnvironment, ingressClassName: ingress.className as string },
        childOpts,
      );
      controllers.push(cm.clusterIssuer);
    }

    const cookieSecret = new random.RandomPassword(`${name}-oauth2-proxy-cookie-secret`, { length: 32, special: false }, { parent: this });
    const planned = publicAccessPlan({
      namespace: target.namespaceName,
      ingress,
      grafana: args.grafana,
      prometheus: args.prometheus,
      alertmanager: args.alertmanager,
      traces: args.traces,
      scheme: args.scheme,
      certificateArn: aws?.certificateArn,
    });
    const { protectedUis, jaeger } = planned;
    const host = (role: keyof typeof ingressHosts) => hostFor(role, domain);
    const oidc: OidcSettings = { ...ingress.auth, clientSecret: args.oidcClientSecret };
    createOAuth2Proxies(this, name, target, oidc, cookieSecret.result, domain, protectedUis, args.proxyResources ?? defaultProxyResources, childOpts);

    const afterControllers = { ...childOpts, dependsOn: [...(target.dependsOn ?? []), ...controllers] };
    for (const { role, object } of planned.ingresses) {
      new k8s.networking.v1.Ingress(`${name}-${role}`, { metadata: { ...object.metadata, namespace: target.namespace }, spec: object.spec }, afterControllers);
    }

    this.urls = {
      grafana: `https://${host("grafana")}`,
      prometheus: `https://${host("prometheus")}`,
      alertmanager: `https://${host("alertmanager")}`,
      traces: jaeger
        ? `https://${host("traces")}`
        : args.traces
          ? `https://${host("grafana")}/explore?left=${encodeURIComponent(JSON.stringify({ datasource: datasourceUids.tempo }))}`
          : undefined,
    };
    this.registerOutputs({ urls: this.urls });
  }
}

export interface PublicAccessPlanInput extends Pick<PublicAccessArgs, "grafana" | "prometheus" | "alertmanager" | "traces" | "scheme" | "proxyResources"> {
  namespace: string;
  /** @default none */
  registryMirror?: string;
  /** The validated `ingress` slice, `domain` set. */
  ingress: IngressSpec;
  /** ACM certificate (tls: acm): a plain ARN in synth, the AWS side's Output at deploy. */
  certificateArn?: pulumi.Input<string>;
}

/** Which UIs sit behind oauth2-proxy, and the Ingress of each host, as data: synth writes them, PublicAccess creates them. */
export function publicAccessPlan(input: PublicAccessPlanInput) {
  const { ingress } = input;
  const domain = ingress.domain as string;
  const issuerName = `watchpost-letsencrypt-${ingress.acmeEnvironment}`;
  const host = (role: keyof typeof ingressHosts) => hostFor(role, domain);
  const svcUrl = (b: UiBackend) => `http://${b.service}.${input.namespace}.svc:${b.port}/`;
  const jaeger = input.traces?.backend === "jaeger" ? (input.traces.ui ?? { service: "jaeger", port: ports.jaegerUi }) : undefined;
  const protectedUis: ProtectedUpstream[] = [
    // The TSDB admin API is on for the snapshot backup; a signed-in user never reaches it.
    { role: "prometheus", host: host("prometheus"), upstream: svcUrl(input.prometheus), blockedPaths: [prometheusAdminApiPath] },
    { role: "alertmanager", host: host("alertmanager"), upstream: svcUrl(input.alertmanager) },
    ...(jaeger ? [{ role: "traces", host: host("traces"), upstream: svcUrl(jaeger) }] : []),
  ];
  const routes: Array<{ role: string; host: string; backend: UiBackend; healthcheckPath: string }> = [
    { role: "grafana", host: host("grafana"), backend: input.grafana, healthcheckPath: "/api/health" },
    ...protectedUis.map((ui) => ({ role: ui.role, host: ui.host, backend: { service: `oauth2-proxy-${ui.role}`, port: oauth2ProxyPort }, healthcheckPath: "/ping" })),
  ];
  const ingresses = routes.map((route) => ({
    role: route.role,
    object: {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: {
        namespace: input.namespace,
        name: `watchpost-${route.role}`,
        annotations:
          ingress.tls === "acm"
            ? albAnnotations({
                groupName: `watchpost-${input.namespace}`,
                scheme: input.scheme ?? "internet-facing",
                certificateArn: input.certificateArn,
                healthcheckPath: route.healthcheckPath,
              })
            : { "cert-manager.io/cluster-issuer": issuerName },
      },
      spec: ingressSpecFor(ingress.tls === "acm" ? "alb" : (ingress.className as string), route.host, route.backend, ingress.tls === "cert-manager"),
    },
  }));
  const proxies = ingress.auth
    ? oauth2ProxyObjects({
        namespace: input.namespace,
        oidc: ingress.auth,
        domain,
        upstreams: protectedUis,
        resources: input.proxyResources ?? defaultProxyResources,
        registryMirror: input.registryMirror,
      })
    : [];
  return { issuerName, protectedUis, jaeger, ingresses, proxies };
}

/** One host, everything under / to one Service; TLS for the host (a Secret per host with cert-manager). */
export function ingressSpecFor(className: string, host: string, backend: UiBackend, withSecret: boolean): Record<string, unknown> {
  return {
    ingressClassName: className,
    tls: [{ hosts: [host], ...(withSecret ? { secretName: `${host.replace(/\./g, "-")}-tls` } : {}) }],
    rules: [
      {
        host,
        http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: backend.service, port: { number: backend.port } } } }] },
      },
    ],
  };
}

/** Backends of the UIs as Watchpost deploys them on Kubernetes. */
export function defaultUiBackends(kpsRelease: string): Pick<PublicAccessArgs, "grafana" | "prometheus" | "alertmanager"> {
  return {
    grafana: { service: `${kpsRelease}-grafana`, port: 80 },
    prometheus: { service: `${kpsRelease}-prometheus`, port: ports.prometheus },
    alertmanager: { service: operatedServices.alertmanager, port: ports.alertmanager },
  };
}
