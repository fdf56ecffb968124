/**
 * The platform side of a stack, one function per profile (infra/profiles.ts):
 * the Docker network; any Kubernetes cluster and its namespaces; or the EKS
 * cluster, its AWS resources, the namespaces and the gp3 StorageClass.
 */
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DockerTarget, KubernetesTarget } from "../components/platform/targets";
import type { AwsWiring } from "../components/production/wiring";
import { awsProvider, backupSelectionTag, createAwsResources, eksCluster } from "./aws/index";
import { agentsNamespaceFor, dockerStackPrefix, type StackConfig } from "./config/schema";

export interface DockerPlatform {
  target: DockerTarget;
  /** The engine at `docker.host`; undefined for the local engine (the default provider). Handed to each component in its resource options. */
  provider?: docker.Provider;
}

export function dockerPlatform(cfg: StackConfig): DockerPlatform {
  const prefix = dockerStackPrefix(cfg.stack);
  const provider = cfg.docker.host ? new docker.Provider("docker", { host: cfg.docker.host }) : undefined;
  const network = new docker.Network("network", { name: prefix, driver: "bridge", attachable: true }, { provider });
  // Looked up rather than named directly: the lookup runs during `pulumi preview` and fails there,
  // naming the network, when it does not exist, where a bare name would fail only at container creation.
  const joinedNetworks = cfg.docker.networks.map((name) => docker.getNetworkOutput({ name }, { provider }).name);
  const target: DockerTarget = {
    kind: "docker",
    network,
    joinedNetworks,
    bindAddress: cfg.docker.bindAddress,
    portOffset: cfg.docker.portOffset,
    prefix,
    registryMirror: cfg.images.registryMirror,
  };
  return { target, provider };
}

export interface KubernetesPlatform {
  target: KubernetesTarget;
  /** The cluster's provider, handed to each component in its resource options. */
  provider: k8s.Provider;
  /** Bucket names, role ARNs, the AMP URL and the certificate ARN, for stack outputs (empty with a given wiring or without the AWS side). None is secret. */
  awsOutputs: Record<string, pulumi.Output<string>>;
}

/**
 * Any conformant cluster (the kubernetes profile): the one of the kubeconfig
 * secret, or without it the ambient one (`KUBECONFIG` or ~/.kube/config, at
 * `kubernetes.context` or the current context), and its namespaces. Volumes
 * use `kubernetes.storageClass` or the cluster's default class. No AWS resource.
 */
export function kubernetesPlatform(cfg: StackConfig, kubeconfigSecret: pulumi.Output<string> | undefined): KubernetesPlatform {
  const provider = new k8s.Provider("kubernetes", {
    ...(kubeconfigSecret ? { kubeconfig: pulumi.secret(kubeconfigSecret) } : {}),
    ...(cfg.kubernetes.context ? { context: cfg.kubernetes.context } : {}),
    enableServerSideApply: true,
  });
  const namespaces = stackNamespaces(cfg, provider);
  const target: KubernetesTarget = {
    kind: "kubernetes",
    namespace: namespaces.namespace.metadata.name,
    namespaceName: cfg.kubernetes.namespace,
    storageClass: cfg.kubernetes.storageClass,
    agentsNamespace: agentsNamespaceName(cfg),
    dependsOn: [namespaces.namespace, namespaces.agents],
    registryMirror: cfg.images.registryMirror,
  };
  return { target, provider, awsOutputs: {} };
}

/**
 * The EKS side (the eks profile): the cluster (existing or created), the AWS
 * resources the components use (buckets, IRSA roles, AMP, backups,
 * certificate), then the namespaces and the StorageClass inside the cluster.
 */
export function eksPlatform(cfg: StackConfig, kubeconfigSecret: pulumi.Output<string> | undefined, givenWiring?: AwsWiring): KubernetesPlatform {
  const awsOpts = { provider: awsProvider(cfg) };
  const cluster = eksCluster(cfg, kubeconfigSecret, awsOpts);
  // Wiring made elsewhere replaces the buckets, roles and certificate this stack would create.
  const { wiring, outputs } = givenWiring ? { wiring: givenWiring, outputs: {} } : createAwsResources(cfg, cluster, awsOpts);
  const provider = new k8s.Provider("eks", { kubeconfig: pulumi.secret(cluster.kubeconfig), enableServerSideApply: true }, { dependsOn: cluster.ready });
  const { namespace, agents } = stackNamespaces(cfg, provider);
  // Reclaim policy Retain: deleting a PVC (or the whole stack) never deletes the EBS volume holding
  // Prometheus, Alertmanager, Grafana or Loki data; released volumes are reclaimed by hand. The class
  // itself is left in the cluster on `pulumi destroy` (retainOnDelete) so retained volumes keep it.
  const storageClass = new k8s.storage.v1.StorageClass(
    "gp3",
    {
      metadata: { name: cfg.kubernetes.storageClass },
      provisioner: "ebs.csi.aws.com",
      parameters: {
        type: "gp3",
        encrypted: "true",
        fsType: "ext4",
        // Picked up by the AWS Backup plan's tag selection (Grafana's database and every other volume).
        tagSpecification_1: `${backupSelectionTag.key}=${backupSelectionTag.value}`,
      },
      allowVolumeExpansion: true,
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
    },
    { provider, retainOnDelete: true },
  );
  const target: KubernetesTarget = {
    kind: "kubernetes",
    namespace: namespace.metadata.name,
    namespaceName: cfg.kubernetes.namespace,
    storageClass: cfg.kubernetes.storageClass,
    agentsNamespace: agentsNamespaceName(cfg),
    dependsOn: [namespace, agents, storageClass],
    aws: wiring,
    registryMirror: cfg.images.registryMirror,
  };
  return { target, provider, awsOutputs: outputs };
}

/**
 * The stack's namespaces, on every cluster: the monitoring namespace (Pod Security
 * "restricted") and the agents' namespace (see agentsNamespaceName).
 */
function stackNamespaces(cfg: StackConfig, provider: k8s.Provider): { namespace: k8s.core.v1.Namespace; agents: k8s.core.v1.Namespace } {
  const podSecurity = (level: "restricted" | "privileged") => ({
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
  });
  // Every pod of the stack meets Pod Security "restricted", which the namespace enforces.
  // Deleting a namespace deletes every PVC in it, so Pulumi never does: `pulumi destroy` and a changed
  // kubernetes.namespace (which would replace it) stop here instead (README, "Renaming the namespace or the stack").
  const namespace = new k8s.core.v1.Namespace(
    "namespace",
    { metadata: { name: cfg.kubernetes.namespace, labels: podSecurity("restricted") } },
    { provider, protect: true, retainOnDelete: true },
  );
  // The one exception: the node exporter reads the host (hostNetwork, hostPID, the root filesystem
  // mounted read-only), which only "privileged" admits. It runs alone in this namespace.
  const agents = new k8s.core.v1.Namespace("agents-namespace", { metadata: { name: agentsNamespaceName(cfg), labels: podSecurity("privileged") } }, { provider });
  return { namespace, agents };
}

/** `<namespace>-agents`: where the node exporter runs (see kubernetesTarget). */
export function agentsNamespaceName(cfg: StackConfig): string {
  return agentsNamespaceFor(cfg.kubernetes.namespace);
}
