/**
 * The platform side of a stack: the Docker network, or the EKS provider,
 * namespace and gp3 StorageClass.
 */
import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DockerTarget, KubernetesTarget } from "../components/platform/targets";
import type { StackConfig } from "./config/schema";

export function dockerTarget(cfg: StackConfig): DockerTarget {
  const prefix = `watchpost-${cfg.stack}`;
  const provider = cfg.docker.host ? new docker.Provider("docker", { host: cfg.docker.host }) : undefined;
  const network = new docker.Network("network", { name: prefix, driver: "bridge", attachable: true }, { provider });
  return { kind: "docker", network, bindAddress: cfg.docker.bindAddress, portOffset: cfg.docker.portOffset, prefix, provider };
}

/** kubeconfig for an EKS cluster by name, authenticating through `aws eks get-token`. */
export function eksKubeconfig(clusterName: string, region: string | undefined): pulumi.Output<string> {
  const cluster = aws.eks.getClusterOutput({ name: clusterName }, region ? { provider: new aws.Provider("eks-lookup", { region }) } : undefined);
  return pulumi.all([cluster.endpoint, cluster.certificateAuthorities]).apply(([endpoint, ca]) =>
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": ca[0].data } }],
      contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
      "current-context": clusterName,
      users: [
        {
          name: clusterName,
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "aws",
              args: ["eks", "get-token", "--cluster-name", clusterName, ...(region ? ["--region", region] : [])],
            },
          },
        },
      ],
    }),
  );
}

export function kubernetesTarget(cfg: StackConfig, kubeconfigSecret: pulumi.Output<string> | undefined): KubernetesTarget {
  const kubeconfig = kubeconfigSecret ?? eksKubeconfig(cfg.cluster.name as string, cfg.cluster.region);
  const provider = new k8s.Provider("eks", { kubeconfig: pulumi.secret(kubeconfig), enableServerSideApply: true });
  const podSecurity = (level: "restricted" | "privileged") => ({
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
  });
  // Every pod of the stack meets Pod Security "restricted", which the namespace enforces.
  const namespace = new k8s.core.v1.Namespace("namespace", { metadata: { name: cfg.kubernetes.namespace, labels: podSecurity("restricted") } }, { provider });
  // The one exception: the node exporter reads the host (hostNetwork, hostPID, the root filesystem
  // mounted read-only), which only "privileged" admits. It runs alone in this namespace.
  const agents = new k8s.core.v1.Namespace("agents-namespace", { metadata: { name: agentsNamespaceName(cfg), labels: podSecurity("privileged") } }, { provider });
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
        tagSpecification_1: "watchpost.io/backup=true",
      },
      allowVolumeExpansion: true,
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
    },
    { provider, retainOnDelete: true },
  );
  return {
    kind: "kubernetes",
    provider,
    namespace: namespace.metadata.name,
    namespaceName: cfg.kubernetes.namespace,
    storageClass: cfg.kubernetes.storageClass,
    agentsNamespace: agentsNamespaceName(cfg),
    dependsOn: [namespace, agents, storageClass],
  };
}

/** `<namespace>-agents`: where the node exporter runs (see kubernetesTarget). */
export function agentsNamespaceName(cfg: StackConfig): string {
  return `${cfg.kubernetes.namespace}-agents`;
}
