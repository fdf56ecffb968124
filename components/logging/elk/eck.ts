/**
 * The ECK custom resources of the Elasticsearch backend on Kubernetes, as plain objects:
 * one Elasticsearch node, Kibana, and Filebeat as a DaemonSet. The operator makes the TLS
 * certificates, the `elastic` user's password (Secret `<name>-es-elastic-user`) and Kibana's
 * own credentials; Watchpost only reads them by Secret name.
 *
 * Pod Security: Elasticsearch and Kibana meet "restricted" in the stack's namespace
 * (`node.store.allow_mmap: false`, so the operator adds no privileged sysctl init container).
 * Filebeat reads the node's pod logs from hostPath mounts as root, which only "privileged"
 * admits: it runs in the agents namespace beside the node exporter (README, Pod Security).
 */
import { restrictedContainer, restrictedPod } from "../../platform/security";
import type { Resources } from "../../../model/primitives";
import { images } from "../../../model/versions";
import { elkClusterName } from "./names";
import { filebeatKubernetesConfig } from "./shipper";

/** The Elastic Stack version of the pinned images (Elasticsearch, Kibana and Filebeat share it). */
export const elasticStackVersion = images.elasticsearch.split(":").pop() as string;

/** The uid and gid Elasticsearch and Kibana run as: their images' own user (versions.ts). */
const elasticUid = 1000;

/** Secret (Kubernetes) holding the shipper user's password, in the agents namespace for Filebeat and in the stack's namespace for the setup Job. */
export const shipperSecretName = "watchpost-filebeat-user";
/** ServiceAccount Filebeat reads pod metadata with. */
export const filebeatServiceAccount = "watchpost-filebeat";

/** `-Xms` and `-Xmx` in whole MiB, from a size such as 512Mi or 1Gi. */
export function heapOptions(heapBytes: number): string {
  const mib = Math.floor(heapBytes / 2 ** 20);
  return `-Xms${mib}m -Xmx${mib}m`;
}

export interface EckInput {
  namespace: string;
  agentsNamespace: string;
  environment: string;
  /** @default the cluster's default class */
  storageClass?: string;
  volumeSize: string;
  heapBytes: number;
  images: { elasticsearch: string; kibana: string; filebeat: string };
  resources: { elasticsearch: Resources; kibana: Resources; filebeat: Resources };
}

const kube = (r: Resources) => ({ limits: r, requests: { memory: r.memory, cpu: r.cpu } });

export function renderElasticsearchResource(input: EckInput) {
  return {
    apiVersion: "elasticsearch.k8s.elastic.co/v1",
    kind: "Elasticsearch",
    metadata: { name: elkClusterName, namespace: input.namespace },
    spec: {
      version: elasticStackVersion,
      image: input.images.elasticsearch,
      // Claims are kept when the resource is deleted: logs outlive a redeploy (the StorageClass retains volumes too).
      volumeClaimDeletePolicy: "DeleteOnScaledownOnly",
      nodeSets: [
        {
          name: "default",
          count: 1,
          config: { "node.store.allow_mmap": false },
          podTemplate: {
            spec: {
              securityContext: restrictedPod(elasticUid),
              containers: [
                {
                  name: "elasticsearch",
                  env: [{ name: "ES_JAVA_OPTS", value: heapOptions(input.heapBytes) }],
                  resources: kube(input.resources.elasticsearch),
                  securityContext: restrictedContainer,
                },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: "elasticsearch-data" },
              spec: {
                accessModes: ["ReadWriteOnce"],
                ...(input.storageClass ? { storageClassName: input.storageClass } : {}),
                resources: { requests: { storage: input.volumeSize } },
              },
            },
          ],
        },
      ],
    },
  };
}

export function renderKibanaResource(input: EckInput) {
  return {
    apiVersion: "kibana.k8s.elastic.co/v1",
    kind: "Kibana",
    metadata: { name: elkClusterName, namespace: input.namespace },
    spec: {
      version: elasticStackVersion,
      image: input.images.kibana,
      count: 1,
      elasticsearchRef: { name: elkClusterName },
      config: { "telemetry.optIn": false, "telemetry.allowChangingOptInStatus": false },
      podTemplate: {
        spec: {
          securityContext: restrictedPod(elasticUid),
          containers: [{ name: "kibana", resources: kube(input.resources.kibana), securityContext: restrictedContainer }],
        },
      },
    },
  };
}

/**
 * Filebeat as a DaemonSet in the agents namespace. `elasticsearchRef` points across namespaces
 * to the cluster: the operator fills in the hosts and copies the CA next to Filebeat.
 */
export function renderBeatResource(input: EckInput) {
  return {
    apiVersion: "beat.k8s.elastic.co/v1beta1",
    kind: "Beat",
    metadata: { name: elkClusterName, namespace: input.agentsNamespace },
    spec: {
      type: "filebeat",
      version: elasticStackVersion,
      image: input.images.filebeat,
      elasticsearchRef: { name: elkClusterName, namespace: input.namespace },
      config: filebeatKubernetesConfig(input.environment),
      daemonSet: {
        podTemplate: {
          spec: {
            serviceAccountName: filebeatServiceAccount,
            automountServiceAccountToken: true,
            // Pod log files are root's (0640 or 0600 root:root): Filebeat reads them as root,
            // with no capability and no privilege escalation, from read-only hostPath mounts.
            securityContext: { runAsUser: 0, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "filebeat",
                env: [
                  { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
                  { name: "FILEBEAT_PASSWORD", valueFrom: { secretKeyRef: { name: shipperSecretName, key: "password" } } },
                ],
                resources: kube(input.resources.filebeat),
                securityContext: { runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
                volumeMounts: [
                  { name: "varlogcontainers", mountPath: "/var/log/containers", readOnly: true },
                  { name: "varlogpods", mountPath: "/var/log/pods", readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: "varlogcontainers", hostPath: { path: "/var/log/containers" } },
              { name: "varlogpods", hostPath: { path: "/var/log/pods" } },
            ],
          },
        },
      },
    },
  };
}

/** The three resources, as the plan hands them to the component and synth writes them. */
export interface EckResources {
  elasticsearch: ReturnType<typeof renderElasticsearchResource>;
  kibana: ReturnType<typeof renderKibanaResource>;
  filebeat: ReturnType<typeof renderBeatResource>;
}

export function renderEckResources(input: EckInput): EckResources {
  return { elasticsearch: renderElasticsearchResource(input), kibana: renderKibanaResource(input), filebeat: renderBeatResource(input) };
}
