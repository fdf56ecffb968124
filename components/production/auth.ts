/**
 * oauth2-proxy in front of the UIs that have no sign-in of their own
 * (Prometheus, Alertmanager, the Jaeger UI). One small Deployment per UI,
 * because oauth2-proxy routes by path, not by host; all of them share one
 * client and one cookie secret, and the cookie is scoped to the parent domain,
 * so signing in once covers every UI.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { kubeResources } from "../platform/targets";
import type { KubernetesTarget } from "../platform/targets";
import { restrictedContainer, restrictedPod } from "../platform/security";
import type { Resources } from "../../model/primitives";
import { pulledImage } from "../platform/mirror";

/** oauth2-proxy's listen port. */
export const oauth2ProxyPort = 4180;
/** Label value every oauth2-proxy pod carries (`app.kubernetes.io/name`); network policies select on it. */
export const oauth2ProxyName = "oauth2-proxy";
/** distroless/static:nonroot, the base of the oauth2-proxy image. */
const nonrootUid = 65532;
/**
 * Prometheus' TSDB admin API (`delete_series`, `clean_tombstones`, `snapshot`). It is on whenever
 * the snapshot backup runs; only the backup CronJob may call it, never a signed-in user.
 */
export const prometheusAdminApiPath = "/api/v1/admin/";

export interface OidcSettings {
  issuerUrl: string;
  clientId: string;
  /** Email domains allowed to sign in. Empty is refused unless `allowAnyAccountOfIssuer` says so. */
  emailDomains: string[];
  /** Every account the issuer signs in gets in, whatever its domain. @default false */
  allowAnyAccountOfIssuer?: boolean;
  /** The OIDC client secret, a Pulumi secret. */
  clientSecret: pulumi.Input<string>;
}

export interface ProtectedUpstream {
  /** Short name: prometheus, alertmanager, traces. */
  role: string;
  /** Public host name, such as prometheus.monitoring.example.com. */
  host: string;
  /** In-cluster URL of the UI, such as http://watchpost-kps-prometheus.monitoring.svc:9090/. */
  upstream: string;
  /** Path prefixes (ending in `/`) the proxy answers itself with 404, never forwarding them. @default [] */
  blockedPaths?: string[];
}

/**
 * oauth2-proxy routes by path, longest prefix first, on the cleaned and decoded path. Its flags
 * cannot give a static response on a path other than `/` (`static://` is root-only), but a
 * `file://` upstream can sit on any prefix: pointed at a directory that does not exist, it answers
 * 404 to every method and nothing under the prefix reaches the UI.
 */
function blockedPathUpstream(path: string): string {
  if (!path.startsWith("/") || !path.endsWith("/"))
    throw new pulumi.InputPropertyError({
      propertyPath: "blockedPaths",
      reason: `${JSON.stringify(path)} must start and end with / (a path without the trailing slash is matched exactly, not as a prefix)`,
    });
  return `file:///${path.slice(1, -1).replace(/\//g, "-")}-is-not-served#${path}`;
}

/** Arguments of oauth2-proxy, without the two secrets (read from the environment). Pure, so tests can read it. */
export function oauth2ProxyArgs(oidc: Omit<OidcSettings, "clientSecret">, domain: string, up: ProtectedUpstream): string[] {
  if (oidc.emailDomains.length === 0 && oidc.allowAnyAccountOfIssuer !== true)
    throw new pulumi.InputPropertyError({
      propertyPath: "emailDomains",
      reason: `is empty, which would let every account of ${oidc.issuerUrl} sign in; list the allowed email domains, or set allowAnyAccountOfIssuer to true if that is meant`,
    });
  const domains = oidc.allowAnyAccountOfIssuer === true ? ["*"] : oidc.emailDomains;
  return [
    "--provider=oidc",
    `--oidc-issuer-url=${oidc.issuerUrl}`,
    `--client-id=${oidc.clientId}`,
    `--redirect-url=https://${up.host}/oauth2/callback`,
    ...domains.map((d) => `--email-domain=${d}`),
    `--upstream=${up.upstream}`,
    ...(up.blockedPaths ?? []).map((path) => `--upstream=${blockedPathUpstream(path)}`),
    `--http-address=0.0.0.0:${oauth2ProxyPort}`,
    // Behind the ALB or ingress controller: trust X-Forwarded-* for the scheme and client address.
    "--reverse-proxy=true",
    "--cookie-secure=true",
    "--cookie-samesite=lax",
    `--cookie-domain=.${domain}`,
    `--whitelist-domain=.${domain}`,
    "--cookie-name=_watchpost_auth",
    "--skip-provider-button=true",
    "--code-challenge-method=S256",
    "--silence-ping-logging=true",
  ];
}

/** The Secret with the client and cookie secrets, and one Deployment + Service per protected UI. */
export function createOAuth2Proxies(
  _parent: pulumi.Resource,
  name: string,
  target: KubernetesTarget,
  oidc: OidcSettings,
  cookieSecret: pulumi.Input<string>,
  domain: string,
  upstreams: ProtectedUpstream[],
  resources: Resources,
  opts: pulumi.CustomResourceOptions,
): Record<string, k8s.core.v1.Service> {
  const secret = new k8s.core.v1.Secret(
    `${name}-oauth2-proxy`,
    {
      metadata: { namespace: target.namespace, name: oauth2ProxySecretName, labels: { "app.kubernetes.io/name": oauth2ProxyName } },
      type: "Opaque",
      stringData: { "client-secret": pulumi.secret(oidc.clientSecret), "cookie-secret": pulumi.secret(cookieSecret) },
    },
    opts,
  );
  const services: Record<string, k8s.core.v1.Service> = {};
  for (const { role, deployment, service } of oauth2ProxyObjects({ namespace: target.namespaceName, oidc, domain, upstreams, resources, registryMirror: target.registryMirror })) {
    const appName = deployment.metadata.name;
    new k8s.apps.v1.Deployment(
      `${name}-${appName}`,
      { metadata: { ...deployment.metadata, namespace: target.namespace }, spec: deployment.spec },
      { ...opts, dependsOn: [...((opts.dependsOn as pulumi.Resource[]) ?? []), secret] },
    );
    services[role] = new k8s.core.v1.Service(`${name}-${appName}`, { metadata: { ...service.metadata, namespace: target.namespace }, spec: service.spec }, opts);
  }
  return services;
}

/** The Secret holding the OIDC client secret and the cookie secret; the proxies read it by name. */
export const oauth2ProxySecretName = "watchpost-oauth2-proxy";

export interface OAuth2ProxyPlanInput {
  namespace: string;
  oidc: Omit<OidcSettings, "clientSecret">;
  domain: string;
  upstreams: ProtectedUpstream[];
  resources: Resources;
  /** @default none */
  registryMirror?: string;
}

/** One Deployment and Service per protected UI, as data; the secrets only by Secret name. */
export function oauth2ProxyObjects(input: OAuth2ProxyPlanInput) {
  const fromSecret = (env: string, key: string) => ({ name: env, valueFrom: { secretKeyRef: { name: oauth2ProxySecretName, key } } });
  return input.upstreams.map((up) => {
    const appName = `oauth2-proxy-${up.role}`;
    const labels = { "app.kubernetes.io/name": oauth2ProxyName, "app.kubernetes.io/instance": appName, "app.kubernetes.io/part-of": "watchpost" };
    const probe = { httpGet: { path: "/ping", port: "http" }, periodSeconds: 10 };
    return {
      role: up.role,
      deployment: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { namespace: input.namespace, name: appName, labels },
        spec: {
          // Sessions live in the encrypted cookie, so replicas need no shared store.
          replicas: 2,
          selector: { matchLabels: { "app.kubernetes.io/instance": appName } },
          template: {
            metadata: { labels },
            spec: {
              automountServiceAccountToken: false,
              securityContext: restrictedPod(nonrootUid),
              containers: [
                {
                  name: "oauth2-proxy",
                  image: pulledImage("oauth2Proxy", input.registryMirror),
                  args: oauth2ProxyArgs(input.oidc, input.domain, up),
                  env: [fromSecret("OAUTH2_PROXY_CLIENT_SECRET", "client-secret"), fromSecret("OAUTH2_PROXY_COOKIE_SECRET", "cookie-secret")],
                  ports: [{ name: "http", containerPort: oauth2ProxyPort, protocol: "TCP" }],
                  readinessProbe: probe,
                  livenessProbe: probe,
                  resources: kubeResources(input.resources),
                  securityContext: restrictedContainer,
                },
              ],
            },
          },
        },
      },
      service: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { namespace: input.namespace, name: appName, labels },
        spec: { selector: { "app.kubernetes.io/instance": appName }, ports: [{ name: "http", port: oauth2ProxyPort, targetPort: "http", protocol: "TCP" }] },
      },
    };
  });
}
