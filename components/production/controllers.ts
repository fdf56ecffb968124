/**
 * The cluster-wide controllers the Ingresses need: the AWS Load Balancer
 * Controller (tls: acm) or cert-manager with a Let's Encrypt ClusterIssuer
 * (tls: cert-manager). Values are pure functions; every key exists in the
 * chart's own values.yaml.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { serviceAccounts } from "../../model/conventions";
import { helmRelease } from "../platform/helm";
import { restrictedContainer, restrictedPod } from "../platform/security";
import { kubeResources, type KubernetesTarget } from "../platform/targets";
import { charts } from "../../model/versions";
import { repositoryViaMirror, viaMirror } from "../platform/mirror";

/** Namespaces of the cluster-wide controllers. IRSA trust policies name the Load Balancer Controller's. */
export const controllerNamespaces = {
  /** Where AWS installs it in its own guides; its IRSA role trusts `system:serviceaccount:kube-system:aws-load-balancer-controller`. */
  loadBalancerController: "kube-system",
  certManager: "cert-manager",
} as const;

export interface LoadBalancerControllerInput {
  clusterName: pulumi.Input<string>;
  region?: string;
  vpcId?: pulumi.Input<string>;
  /** IRSA role; without it the controller falls back to the node role, which then needs the controller's IAM policy. */
  roleArn?: pulumi.Input<string>;
}

export function loadBalancerControllerValues(input: LoadBalancerControllerInput, registryMirror?: string): Record<string, unknown> {
  return {
    // The chart's repository includes its registry.
    ...(registryMirror ? { image: { repository: repositoryViaMirror("public.ecr.aws/eks/aws-load-balancer-controller", registryMirror) } } : {}),
    clusterName: input.clusterName,
    ...(input.region ? { region: input.region } : {}),
    ...(input.vpcId ? { vpcId: input.vpcId } : {}),
    serviceAccount: {
      create: true,
      name: serviceAccounts.loadBalancerController,
      annotations: input.roleArn ? { "eks.amazonaws.com/role-arn": input.roleArn } : {},
    },
    ingressClass: "alb",
    createIngressClassResource: true,
    // Watchpost uses none of these; its IAM policy (infra/aws) grants no WAF or Shield calls.
    enableShield: false,
    enableWaf: false,
    enableWafv2: false,
    podSecurityContext: restrictedPod(65534),
    securityContext: restrictedContainer,
    resources: kubeResources({ memory: "256Mi", cpu: "0.2" }),
  };
}

const certManagerContainer = (memory: string) => ({
  resources: kubeResources({ memory, cpu: "0.1" }),
  securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
  containerSecurityContext: restrictedContainer,
});

export function certManagerValues(registryMirror?: string): Record<string, unknown> {
  return {
    // The registry of every cert-manager image (controller, webhook, cainjector, ACME solver, startup check).
    ...(registryMirror ? { imageRegistry: viaMirror("quay.io", registryMirror) } : {}),
    // The chart installs and upgrades its CRDs (and keeps them on uninstall: crds.keep defaults to true).
    crds: { enabled: true },
    ...certManagerContainer("256Mi"),
    webhook: certManagerContainer("128Mi"),
    cainjector: certManagerContainer("256Mi"),
    startupapicheck: certManagerContainer("64Mi"),
  };
}

/** A Let's Encrypt ClusterIssuer answering HTTP-01 challenges through the given IngressClass. */
export function letsEncryptIssuer(name: string, email: string, environment: "production" | "staging", ingressClassName: string): Record<string, unknown> {
  const server = environment === "production" ? "https://acme-v02.api.letsencrypt.org/directory" : "https://acme-staging-v02.api.letsencrypt.org/directory";
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name },
    spec: {
      acme: {
        server,
        email,
        privateKeySecretRef: { name: `${name}-account-key` },
        solvers: [{ http01: { ingress: { ingressClassName } } }],
      },
    },
  };
}

export function installLoadBalancerController(name: string, target: KubernetesTarget, input: LoadBalancerControllerInput, opts: pulumi.CustomResourceOptions) {
  // The chart's crds/ (TargetGroupBinding, IngressClassParams) are applied by Helm on the first
  // install only and never upgraded: after a chart bump, apply the new CRDs first (see README).
  return helmRelease(
    `${name}-aws-load-balancer-controller`,
    "aws-load-balancer-controller",
    charts.awsLoadBalancerController,
    target,
    loadBalancerControllerValues(input, target.registryMirror),
    opts,
    {
      namespace: controllerNamespaces.loadBalancerController,
      atomic: true,
    },
  );
}

export function installCertManager(
  name: string,
  target: KubernetesTarget,
  issuer: { name: string; email: string; environment: "production" | "staging"; ingressClassName: string },
  opts: pulumi.CustomResourceOptions,
) {
  const namespace = new k8s.core.v1.Namespace(
    `${name}-cert-manager-namespace`,
    { metadata: { name: controllerNamespaces.certManager, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
    opts,
  );
  const release = helmRelease(
    `${name}-cert-manager`,
    "cert-manager",
    charts.certManager,
    target,
    certManagerValues(target.registryMirror),
    { ...opts, dependsOn: [namespace] },
    {
      namespace: controllerNamespaces.certManager,
      atomic: true,
    },
  );
  const clusterIssuer = new k8s.apiextensions.CustomResource(
    `${name}-cluster-issuer`,
    letsEncryptIssuer(issuer.name, issuer.email, issuer.environment, issuer.ingressClassName) as k8s.apiextensions.CustomResourceArgs,
    { ...opts, dependsOn: [release] },
  );
  return { release, clusterIssuer };
}
