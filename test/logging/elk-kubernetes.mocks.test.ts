/**
 * The prod stack with `logging.backend: elasticsearch` under Pulumi mocks (EKS): the ECK
 * operator chart, the Elasticsearch, Kibana and Beat resources and their inputs, the shipper's
 * Secrets, the setup Job, and Grafana's and the exporter's use of the operator's Secrets.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { shipperSecretName } from "../../components/logging/elk/eck";
import { eckSecrets, grafanaElasticsearchFiles } from "../../components/logging/elk/names";
import { charts, images } from "../../model/versions";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { type Recorded, runStack } from "../../harness/pulumi-mocks";
import { prodSecrets } from "../../harness/stacks";

const secretValue = (key: string) => `SECRET-VALUE-OF-${key}`;
const generated = "generated-password-0123456789abcdef";
let run: Awaited<ReturnType<typeof runStack>>;
const releases = () => run.byType("kubernetes:helm.sh/v3:Release");
const release = (name: string): Recorded => {
  const r = releases().find((x) => x.inputs.name === name);
  if (!r)
    throw new Error(
      `no release ${name}; have ${releases()
        .map((x) => x.inputs.name)
        .join(", ")}`,
    );
  return r;
};
const custom = (kind: string): Recorded => {
  const found = run.resources.filter((r) => r.inputs.kind === kind && r.inputs.apiVersion?.includes("k8s.elastic.co"));
  expect(found).toHaveLength(1);
  return found[0];
};

describe("prod stack with the Elasticsearch logging backend (EKS, under mocks)", () => {
  beforeAll(async () => {
    const values = structuredClone(readStackFile(stackFilePath("prod")).values) as Record<string, any>;
    values.logging = { backend: "elasticsearch", elasticsearch: { volumeSize: "200Gi", heapSize: "1Gi", lifecycle: { hot: "3d", warm: "14d", cold: "60d" } } };
    values.resources = { elasticsearch: { memory: "3Gi", cpu: "2" } };
    run = await runStack("prod", { values, secrets: new Set(prodSecrets) }, secretValue);
  });

  it("installs the ECK operator chart at its pinned version, with its pinned image and restricted pods, in place of Loki and Alloy", () => {
    const names = releases().map((r) => r.inputs.name);
    expect(names).toContain("eck-operator");
    expect(names).not.toContain("loki");
    expect(names).not.toContain("alloy");
    const eck = release("eck-operator");
    expect(eck.inputs.chart).toBe(charts.eckOperator.chart);
    expect(eck.inputs.version).toBe(charts.eckOperator.version);
    expect(eck.inputs.repositoryOpts.repo).toBe(charts.eckOperator.repo);
    expect(`${eck.inputs.values.image.repository}:${eck.inputs.values.image.tag}`).toBe(images.eckOperator);
    expect(eck.inputs.values.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(eck.inputs.values.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    // Its CRDs are applied on their own first, at the chart's version.
    const crds = release("eck-operator-crds");
    expect([crds.inputs.chart, crds.inputs.version, crds.inputs.repositoryOpts.repo]).toEqual([charts.eckOperatorCrds.chart, charts.eckOperator.version, charts.eckOperator.repo]);
    expect(crds.inputs.values).toEqual({});
    expect([eck.inputs.skipCrds, eck.inputs.values.installCRDs]).toEqual([true, false]);
  });

  it("creates Elasticsearch with its volume from logging.elasticsearch.volumeSize on the stack's StorageClass, and its heap from heapSize", () => {
    const es = custom("Elasticsearch");
    expect(es.inputs.apiVersion).toBe("elasticsearch.k8s.elastic.co/v1");
    expect(es.inputs.metadata).toEqual({ name: "watchpost", namespace: "monitoring" });
    expect(es.inputs.spec.image).toBe(images.elasticsearch);
    const nodeSet = es.inputs.spec.nodeSets[0];
    expect(nodeSet.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("200Gi");
    expect(nodeSet.volumeClaimTemplates[0].spec.storageClassName).toBe("watchpost-gp3");
    expect(nodeSet.podTemplate.spec.containers[0].env).toEqual([{ name: "ES_JAVA_OPTS", value: "-Xms1024m -Xmx1024m" }]);
    expect(nodeSet.podTemplate.spec.containers[0].resources.limits).toEqual({ memory: "3Gi", cpu: "2" });
  });

  it("creates Kibana on the cluster, and Filebeat in the agents namespace pointing across to it", () => {
    const kibana = custom("Kibana");
    expect(kibana.inputs.apiVersion).toBe("kibana.k8s.elastic.co/v1");
    expect(kibana.inputs.spec.elasticsearchRef).toEqual({ name: "watchpost" });
    expect(kibana.inputs.spec.image).toBe(images.kibana);
    const beat = custom("Beat");
    expect(beat.inputs.apiVersion).toBe("beat.k8s.elastic.co/v1beta1");
    expect(beat.inputs.metadata.namespace).toBe("monitoring-agents");
    expect(beat.inputs.spec.type).toBe("filebeat");
    expect(beat.inputs.spec.elasticsearchRef).toEqual({ name: "watchpost", namespace: "monitoring" });
    expect(beat.inputs.spec.config["output.elasticsearch"]).toEqual({ index: "app-logs-prod", username: "watchpost_filebeat", password: "${FILEBEAT_PASSWORD}" });
    const env = beat.inputs.spec.daemonSet.podTemplate.spec.containers[0].env;
    expect(env).toContainEqual({ name: "FILEBEAT_PASSWORD", valueFrom: { secretKeyRef: { name: shipperSecretName, key: "password" } } });
    // The agents namespace admits Filebeat's hostPath mounts; the stack's own stays restricted.
    const agents = run.byType("kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === "monitoring-agents");
    expect(agents?.inputs.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
  });

  it("keeps the shipper's generated password in Secrets only, as a secret, in both namespaces", () => {
    const secrets = run.byType("kubernetes:core/v1:Secret").filter((s) => s.inputs.metadata.name === shipperSecretName);
    expect(secrets.map((s) => s.inputs.metadata.namespace).sort()).toEqual(["monitoring", "monitoring-agents"]);
    for (const s of secrets) {
      expect(s.inputs.stringData).toEqual({ password: generated });
      expect(s.secretPaths.some((p) => p.startsWith("stringData"))).toBe(true);
    }
    // Nowhere else: no custom resource, Job or ConfigMap carries it.
    for (const r of run.resources.filter((x) => x.type !== "kubernetes:core/v1:Secret" && x.type !== "random:index/randomPassword:RandomPassword"))
      expect({ resource: `${r.type}/${r.name}`, leaks: JSON.stringify(r.inputs).includes(generated) }).toEqual({ resource: `${r.type}/${r.name}`, leaks: false });
  });

  it("runs the setup as a restricted Job that reads the operator's elastic password and CA from their Secrets", () => {
    const job = run.one("kubernetes:batch/v1:Job", "elastic-logging-setup");
    const pod = job.inputs.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(pod.containers[0].image).toBe(images.elasticsearch);
    expect(pod.containers[0].env).toEqual([
      { name: "ES_URL", value: "https://watchpost-es-http.monitoring.svc:9200" },
      { name: "KIBANA_URL", value: "https://watchpost-kb-http.monitoring.svc:5601" },
    ]);
    const secretVolumes = pod.volumes
      .filter((v: any) => v.secret)
      .map((v: any) => v.secret.secretName)
      .sort();
    expect(secretVolumes).toEqual([shipperSecretName, eckSecrets.httpCa, eckSecrets.elasticUser].sort());
    const files = run.one("kubernetes:core/v1:ConfigMap", "elastic-logging-setup").inputs.data;
    expect(JSON.parse(files["ilm-policy.json"]).policy.phases.delete.min_age).toBe("60d");
    expect(files["setup.sh"]).toContain("--cacert '/etc/elasticsearch-ca/ca.crt'");
    // Every file the script reads is where the Job mounts it: a mount's directory plus a Secret item's path.
    const mounted = pod.containers[0].volumeMounts.flatMap((m: any) => {
      const volume = pod.volumes.find((v: any) => v.name === m.name);
      return (volume.secret?.items ?? []).map((item: any) => `${m.mountPath}/${item.path}`);
    });
    const read = [...files["setup.sh"].matchAll(/cat '([^']+)'/g)].map((m) => m[1]);
    expect(read.sort()).toEqual(["/etc/elastic-user/password", "/etc/shipper-user/password"]);
    for (const file of [...read, "/etc/elasticsearch-ca/ca.crt"]) expect(mounted).toContain(file);
  });

  it("mounts the operator's Secrets into Grafana for the Elasticsearch datasource, which verifies the operator's CA", () => {
    const grafana = release("watchpost-kps").inputs.values.grafana;
    expect(grafana.extraSecretMounts.map((m: any) => [m.secretName, m.mountPath])).toEqual([
      [eckSecrets.elasticUser, grafanaElasticsearchFiles.passwordDir],
      [eckSecrets.httpCa, grafanaElasticsearchFiles.caDir],
    ]);
    const es = grafana.additionalDataSources.find((d: any) => d.type === "elasticsearch");
    expect(es.url).toBe("https://watchpost-es-http.monitoring.svc:9200");
    expect(es.jsonData.tlsAuthWithCACert).toBe(true);
    expect(es.secureJsonData).toEqual({ basicAuthPassword: `$__file{${grafanaElasticsearchFiles.password}}`, tlsCACert: `$__file{${grafanaElasticsearchFiles.ca}}` });
  });

  it("wires the Elasticsearch exporter to the cluster with the operator's Secrets, and makes no credentials Secret of its own", () => {
    const exporter = release("elasticsearch-exporter").inputs.values;
    expect(exporter.es.uri).toBe("https://watchpost-es-http.monitoring.svc:9200");
    expect(exporter.es.ssl).toMatchObject({ enabled: true, useExistingSecrets: true, ca: { path: "/ssl/ca.crt" } });
    expect(exporter.secretMounts).toEqual([{ name: "elasticsearch-ca", secretName: eckSecrets.httpCa, path: "/ssl" }]);
    expect(exporter.extraEnvSecrets).toEqual({ ES_PASSWORD: { secret: eckSecrets.elasticUser, key: "elastic" } });
    expect(exporter.env).toEqual({ ES_USERNAME: "elastic" });
    expect(run.byType("kubernetes:core/v1:Secret").map((s) => s.inputs.metadata.name)).not.toContain("elasticsearch-exporter-credentials");
    // Its alerts come with it.
    const rules = run.resources.filter((r) => r.inputs.kind === "PrometheusRule").map((r) => JSON.stringify(r.inputs.spec));
    expect(rules.some((r) => r.includes('job=\\"elasticsearch\\"') || r.includes("elasticsearch_"))).toBe(true);
  });

  it("admits the backend's flows through the namespace's NetworkPolicies", () => {
    const policies = run.byType("kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => p.inputs.metadata.name);
    expect(policies).toEqual(expect.arrayContaining(["watchpost-elastic-operator", "watchpost-elasticsearch", "watchpost-kibana", "watchpost-elk-setup"]));
    expect(policies).not.toContain("watchpost-loki");
    const es = run.byType("kubernetes:networking.k8s.io/v1:NetworkPolicy").find((p) => p.inputs.metadata.name === "watchpost-elasticsearch");
    const from = es?.inputs.spec.ingress[0].from;
    expect(from).toContainEqual({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring-agents" } },
      podSelector: { matchLabels: { "beat.k8s.elastic.co/name": "watchpost" } },
    });
  });
});
