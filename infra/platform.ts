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
  const namespace = new k8s.core.v1.Namespace(
    "namespace",
    {
      metadata: {
        name: cfg.kubernetes.namespace,
        // Pod Security "restricted" is enforced; the node exporter is the documented exception (see README).
        labels: { "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/audit": "restricted" },
      },
    },
    { provider },
  );
  const storageClass = new k8s.storage.v1.StorageClass(
    "gp3",
    {
      metadata: { name: cfg.kubernetes.storageClass },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true", fsType: "ext4" },
      allowVolumeExpansion: true,
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
    },
    { provider },
  );
  return {
    kind: "kubernetes",
    provider,
    namespace: namespace.metadata.name,
    namespaceName: cfg.kubernetes.namespace,
    storageClass: cfg.kubernetes.storageClass,
    dependsOn: [namespace, storageClass],
  };
}
