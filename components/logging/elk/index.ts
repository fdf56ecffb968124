/**
 * ElasticLogging: the Elasticsearch backend of LoggingStack's role. On Docker a single-node
 * Elasticsearch with security on, Kibana, Filebeat reading the engine's container logs and a
 * one-shot setup container; on Kubernetes the ECK operator with Elasticsearch, Kibana and
 * Filebeat as its custom resources and a setup Job. The objects the setup applies (ILM policy,
 * templates, pipeline, role, data views) are rendered by the pure modules beside this one.
 */
import { basename, dirname } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ports } from "../../../model/conventions";
import { dockerService, publishedUrl } from "../../platform/docker";
import { helmRelease } from "../../platform/helm";
import { pulledImage, viaMirror } from "../../platform/mirror";
import { restrictedContainer, restrictedPod } from "../../platform/security";
import { type DockerTarget, type KubernetesTarget, kubeResources, type PlatformTarget, type ResourceOverrides, resourcesFor } from "../../platform/targets";
import { sizeBytes } from "../../../model/primitives";
import { charts } from "../../../model/versions";
import type { ElasticsearchSpec } from "../spec";
import { type EckResources, filebeatServiceAccount, heapOptions, shipperSecretName } from "./eck";
import { eckSecrets, elasticsearchUrl, elkPodLabels, kibanaUrl, setupSecretFiles } from "./names";
import { type SetupRequest, elkSetupFiles, setupDir } from "./setup";
import { renderFilebeatDockerConfig, renderKibanaDockerConfig } from "./shipper";

export interface ElasticLoggingArgs {
  target: PlatformTarget;
  /** Names the log streams (`app-logs-<environment>`). */
  environment: string;
  /** `logging.elasticsearch`: the heap of the Docker node (on Kubernetes the plan has sized `eck` from it already). */
  spec: ElasticsearchSpec;
  /** The requests the setup step sends (`elkSetupRequests`). */
  setupRequests: SetupRequest[];
  /** The setup script of the target's platform (`elkSetupScript`). */
  setupScript: string;
  /** Kubernetes: the ECK resources (`renderEckResources`). Required there. */
  eck?: EckResources;
  resources?: ResourceOverrides;
}

/** Where the Docker containers read their passwords (the setup's files, which the others share). */
export const dockerSecretFiles = setupSecretFiles.docker;

/** The one-shot setup's limits: a shell and curl. */
const setupResources = { memory: "128Mi", cpu: "0.2" };

export class ElasticLogging extends pulumi.ComponentResource {
  /** In-stack Elasticsearch URL (Grafana datasource, exporter). */
  readonly elasticsearchUrl: pulumi.Output<string>;
  /** Kibana for a person: the published port on Docker, the operator's Service on Kubernetes. */
  readonly kibanaPublicUrl: pulumi.Output<string>;
  /** Docker: the generated `elastic` password (secret). On Kubernetes the operator makes it, in Secret `eckSecrets.elasticUser`. */
  readonly elasticPassword?: pulumi.Output<string>;

  constructor(name: string, args: ElasticLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("watchpost:logging:ElasticLogging", name, {}, opts);
    const password = (role: string) => new random.RandomPassword(`${name}-${role}-password`, { length: 32, special: false }, { parent: this });
    const shipper = password("shipper");
    if (args.target.kind === "docker") {
      const elastic = password("elastic");
      this.createDocker(name, args, args.target, elastic.result, password("kibana-system").result, shipper.result);
      this.elasticPassword = pulumi.secret(elastic.result);
      this.elasticsearchUrl = pulumi.output(elasticsearchUrl("docker", ""));
      this.kibanaPublicUrl = pulumi.output(publishedUrl(args.target, ports.kibana));
    } else {
      this.createKubernetes(name, args, args.target, shipper.result);
      this.elasticsearchUrl = pulumi.output(elasticsearchUrl("kubernetes", args.target.namespaceName));
      this.kibanaPublicUrl = pulumi.output(kibanaUrl("kubernetes", args.target.namespaceName));
    }
    this.registerOutputs({ elasticsearchUrl: this.elasticsearchUrl, kibanaPublicUrl: this.kibanaPublicUrl });
  }

  private createDocker(
    name: string,
    args: ElasticLoggingArgs,
    target: DockerTarget,
    elastic: pulumi.Output<string>,
    kibanaSystem: pulumi.Output<string>,
    shipper: pulumi.Output<string>,
  ) {
    const r = (role: "elasticsearch" | "kibana" | "filebeat") => resourcesFor(role, args.resources);
    dockerService(this, `${name}-elasticsearch`, target, {
      alias: "elasticsearch",
      image: "elasticsearch",
      envs: {
        "cluster.name": "watchpost",
        "discovery.type": "single-node",
        "xpack.security.enabled": "true",
        // One node on the stack's own network: TLS is left to Kubernetes, where the operator makes it.
        "xpack.security.http.ssl.enabled": "false",
        "xpack.security.transport.ssl.enabled": "false",
        // No vm.max_map_count change on the host: Elasticsearch reads its files without mmap.
        "node.store.allow_mmap": "false",
        // The image's entrypoint sets the bootstrap password of `elastic` from this file.
        ELASTIC_PASSWORD_FILE: dockerSecretFiles.elastic,
      },
      files: { "/usr/share/elasticsearch/config/jvm.options.d/heap.options": `${heapOptions(sizeBytes(args.spec.heapSize)).split(" ").join("\n")}\n` },
      secretFiles: { [dockerSecretFiles.elastic]: elastic },
      ports: [{ internal: ports.elasticsearch, external: ports.elasticsearch }],
      dataPath: "/usr/share/elasticsearch/data",
      // Any HTTP answer (401 without credentials) means the node is up.
      healthcheck: ["curl", "-s", "-o", "/dev/null", `http://localhost:${ports.elasticsearch}/`],
      resources: r("elasticsearch"),
    });
    const kibanaPublic = publishedUrl(target, ports.kibana);
    dockerService(this, `${name}-kibana`, target, {
      alias: "kibana",
      image: "kibana",
      // kibana.yml holds kibana_system's password, so the whole file is a secret upload.
      secretFiles: { "/usr/share/kibana/config/kibana.yml": kibanaSystem.apply((pw) => renderKibanaDockerConfig(pw, kibanaPublic)) },
      ports: [{ internal: ports.kibana, external: ports.kibana }],
      healthcheck: ["curl", "-s", "-o", "/dev/null", `http://localhost:${ports.kibana}/api/status`],
      resources: r("kibana"),
    });
    dockerService(this, `${name}-filebeat`, target, {
      alias: "filebeat",
      image: "filebeat",
      // The engine's container log files are root's (0640 root:root): Filebeat reads them as root.
      user: "0:0",
      secretFiles: { "/usr/share/filebeat/filebeat.yml": shipper.apply((pw) => renderFilebeatDockerConfig(args.environment, pw)) },
      // Read-only; the socket is root on the host (README, "What the dev stack can do to its host"), for container names and labels.
      hostMounts: [
        { hostPath: "/var/lib/docker/containers", containerPath: "/var/lib/docker/containers" },
        { hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" },
      ],
      dataPath: "/usr/share/filebeat/data",
      resources: r("filebeat"),
    });
    // Waits for Elasticsearch and Kibana itself; a changed body replaces the container, which runs again.
    dockerService(this, `${name}-setup`, target, {
      alias: "elk-setup",
      image: "elasticsearch",
      entrypoint: ["/bin/sh", `${setupDir}/setup.sh`],
      envs: { ES_URL: elasticsearchUrl("docker", ""), KIBANA_URL: kibanaUrl("docker", "") },
      files: {
        ...Object.fromEntries(Object.entries(elkSetupFiles(args.setupRequests)).map(([file, body]) => [`${setupDir}/${file}`, body])),
        [`${setupDir}/setup.sh`]: args.setupScript,
      },
      secretFiles: { [dockerSecretFiles.elastic]: elastic, [dockerSecretFiles.kibanaSystem]: kibanaSystem, [dockerSecretFiles.shipper]: shipper },
      oneShot: true,
      resources: setupResources,
    });
  }

  private createKubernetes(name: string, args: ElasticLoggingArgs, target: KubernetesTarget, shipper: pulumi.Output<string>) {
    const opts = { parent: this, dependsOn: target.dependsOn };
    const agents = target.agentsNamespace ?? target.namespaceName;
    // The CRDs first, from their own pinned chart (the operator chart's dependency), on their own:
    // installed by the operator chart in the same step as the resources that use them, they fail on
    // a fresh cluster (as the prometheus-operator's do).
    const crds = helmRelease(`${name}-eck-crds`, "eck-operator-crds", charts.eckOperatorCrds, target, {}, opts);
    const operator = helmRelease(
      `${name}-eck-operator`,
      "eck-operator",
      charts.eckOperator,
      target,
      eckOperatorValues(target.registryMirror),
      { ...opts, dependsOn: [...(target.dependsOn ?? []), crds] },
      { skipCrds: true },
    );
    const eck = args.eck;
    if (!eck) throw new pulumi.InputPropertyError({ propertyPath: "eck", reason: "eck: the ECK resources (renderEckResources) are required on Kubernetes" });
    const crOpts = { ...opts, dependsOn: [...(target.dependsOn ?? []), crds, operator] };
    const cr = (role: string, body: { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: unknown }) =>
      new k8s.apiextensions.CustomResource(`${name}-${role}`, body as k8s.apiextensions.CustomResourceArgs, crOpts);
    const es = cr("elasticsearch", eck.elasticsearch);
    const kibana = cr("kibana", eck.kibana);

    // The shipper's password, for Filebeat (agents namespace) and for the setup Job that creates its user.
    const shipperSecret = (role: string, namespace: string) =>
      new k8s.core.v1.Secret(`${name}-${role}`, { metadata: { namespace, name: shipperSecretName }, type: "Opaque", stringData: { password: pulumi.secret(shipper) } }, opts);
    shipperSecret("shipper-password", target.namespaceName);
    shipperSecret("shipper-password-agents", agents);

    // Filebeat reads pod and namespace metadata (add_kubernetes_metadata).
    new k8s.core.v1.ServiceAccount(`${name}-filebeat`, { metadata: { namespace: agents, name: filebeatServiceAccount } }, opts);
    const role = new k8s.rbac.v1.ClusterRole(
      `${name}-filebeat`,
      {
        metadata: { name: `${filebeatServiceAccount}-${target.namespaceName}` },
        rules: [{ apiGroups: [""], resources: ["pods", "namespaces", "nodes"], verbs: ["get", "list", "watch"] }],
      },
      opts,
    );
    new k8s.rbac.v1.ClusterRoleBinding(
      `${name}-filebeat`,
      {
        metadata: { name: `${filebeatServiceAccount}-${target.namespaceName}` },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
        subjects: [{ kind: "ServiceAccount", name: filebeatServiceAccount, namespace: agents }],
      },
      opts,
    );
    cr("filebeat", eck.filebeat);

    const files = new k8s.core.v1.ConfigMap(
      `${name}-setup`,
      {
        metadata: { namespace: target.namespace, labels: elkPodLabels.setup },
        data: {
          ...elkSetupFiles(args.setupRequests),
          "setup.sh": args.setupScript,
        },
      },
      opts,
    );
    new k8s.batch.v1.Job(
      `${name}-setup`,
      {
        // Named by Pulumi: a changed ConfigMap (auto-named too) replaces the Job, which runs again.
        metadata: { namespace: target.namespace, labels: elkPodLabels.setup },
        spec: {
          backoffLimit: 4,
          template: {
            metadata: { labels: elkPodLabels.setup },
            spec: {
              restartPolicy: "OnFailure",
              securityContext: restrictedPod(1000),
              containers: [
                {
                  name: "setup",
                  image: eck.elasticsearch.spec.image,
                  command: ["/bin/sh", `${setupDir}/setup.sh`],
                  env: [
                    { name: "ES_URL", value: elasticsearchUrl("kubernetes", target.namespaceName) },
                    { name: "KIBANA_URL", value: kibanaUrl("kubernetes", target.namespaceName) },
                  ],
                  resources: kubeResources(setupResources),
                  securityContext: restrictedContainer,
                  volumeMounts: [
                    { name: "setup", mountPath: setupDir, readOnly: true },
                    { name: "elastic-user", mountPath: dirname(setupSecretFiles.kubernetes.elastic), readOnly: true },
                    { name: "shipper-user", mountPath: dirname(setupSecretFiles.kubernetes.shipper), readOnly: true },
                    { name: "ca", mountPath: dirname(setupSecretFiles.kubernetes.ca), readOnly: true },
                    { name: "tmp", mountPath: "/tmp" },
                  ],
                },
              ],
              volumes: [
                { name: "setup", configMap: { name: files.metadata.name } },
                {
                  name: "elastic-user",
                  secret: {
                    secretName: eckSecrets.elasticUser,
                    items: [{ key: eckSecrets.elasticUserKey, path: basename(setupSecretFiles.kubernetes.elastic) }],
                    defaultMode: 0o440,
                  },
                },
                {
                  name: "shipper-user",
                  secret: { secretName: shipperSecretName, items: [{ key: "password", path: basename(setupSecretFiles.kubernetes.shipper) }], defaultMode: 0o440 },
                },
                { name: "ca", secret: { secretName: eckSecrets.httpCa, items: [{ key: "ca.crt", path: basename(setupSecretFiles.kubernetes.ca) }] } },
                { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
              ],
            },
          },
        },
      },
      // Elasticsearch and Kibana take minutes to come up on a first deploy; the script waits up to 10 minutes for each.
      { ...opts, dependsOn: [es, kibana], customTimeouts: { create: "25m", update: "25m" } },
    );
  }
}

/**
 * ECK operator chart values: no CRDs (applied before), the pinned operator image, Pod Security "restricted" (the chart's
 * defaults lack only the seccomp profile), no telemetry, no ServiceMonitor (its metrics are off).
 */
export function eckOperatorValues(registryMirror: string | undefined): Record<string, unknown> {
  const image = pulledImage("eckOperator", registryMirror);
  const at = image.lastIndexOf(":");
  return {
    // Installed from the eck-operator-crds release before the chart.
    installCRDs: false,
    image: { repository: image.slice(0, at), tag: image.slice(at + 1) },
    podSecurityContext: restrictedPod(65532),
    securityContext: restrictedContainer,
    resources: kubeResources({ memory: "512Mi", cpu: "0.5" }),
    telemetry: { disabled: true },
    serviceMonitor: { enabled: false },
    // Where the operator pulls Elastic's images from when a resource names no image (ours all do).
    ...(registryMirror ? { config: { containerRegistry: viaMirror("docker.elastic.co", registryMirror) } } : {}),
  };
}
