/**
 * The dev stack with `logging.backend: elasticsearch` under Pulumi mocks (Docker): the
 * containers in place of Loki and Alloy, how each reads its password, what the setup
 * container applies, and Grafana's and the exporter's wiring to the cluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { dockerSecretFiles } from "../../components/logging/elk/index";
import { grafanaElasticsearchFiles } from "../../components/logging/elk/names";
import { setupDir } from "../../components/logging/elk/setup";
import { imageUsers, type ImageName, images } from "../../model/versions";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { parseStackConfig } from "../../infra/config/validate";
import { planStack } from "../../infra/plan";
import { outputValue, type Recorded, runStack } from "../../harness/pulumi-mocks";

type Run = Awaited<ReturnType<typeof runStack>>;
const generated = "generated-password-0123456789abcdef";
const alias = (c: Recorded): string => c.inputs.networksAdvanced[0].aliases[0];

function devValues(): Record<string, any> {
  const values = structuredClone(readStackFile(stackFilePath("dev")).values) as Record<string, any>;
  values.logging = { backend: "elasticsearch" };
  return values;
}

let run: Run;
const containers = () => run.byType("docker:index/container:Container");
const container = (name: string): Recorded => {
  const c = containers().find((x) => alias(x) === name);
  if (!c) throw new Error(`no container ${name}; have ${containers().map(alias).join(", ")}`);
  return c;
};
const uploads = (c: Recorded): Array<{ file: string; content: string; permissions?: string }> => c.inputs.uploads ?? [];
const upload = (c: Recorded, file: string) => {
  const u = uploads(c).find((x) => x.file === file);
  if (!u) throw new Error(`${alias(c)} has no upload ${file}`);
  return u;
};
const imageOf = (c: Recorded): ImageName => {
  const ref = run.one("docker:index/remoteImage:RemoteImage", `${c.name}-image`).inputs.name;
  return (Object.keys(images) as ImageName[]).find((n) => images[n] === ref) as ImageName;
};

describe("dev stack with the Elasticsearch logging backend (Docker, under mocks)", () => {
  beforeAll(async () => {
    run = await runStack("dev", { values: devValues(), secrets: new Set() }, () => "unused");
  });

  it("runs Elasticsearch, Kibana, Filebeat and the setup in place of Loki and Alloy, with the exporter watching the cluster", () => {
    const components = run.resources
      .filter((r) => r.type.startsWith("watchpost:"))
      .map((r) => `${r.type}/${r.name}`)
      .sort();
    expect(components).toEqual([
      "watchpost:alerting:AlertRouting/alerting",
      "watchpost:logging:ElasticLogging/elastic-logging",
      "watchpost:metrics:PrometheusStack/metrics",
      "watchpost:tracing:TracingStack/tracing",
    ]);
    expect(containers().map(alias).sort()).toEqual([
      "alertmanager-0",
      "blackbox-exporter",
      "cadvisor",
      "elasticsearch",
      "elasticsearch-exporter",
      "elk-setup",
      "filebeat",
      "grafana",
      "kibana",
      "node-exporter",
      "otel-collector",
      "prometheus",
      "tempo",
    ]);
    expect(imageOf(container("elasticsearch"))).toBe("elasticsearch");
    expect(imageOf(container("filebeat"))).toBe("filebeat");
    expect(container("elasticsearch-exporter").inputs.command[0]).toContain("--es.uri=http://elasticsearch:9200");
  });

  it("starts a single node with security on, its elastic password from a file and the heap from config", () => {
    const es = container("elasticsearch");
    expect(es.inputs.envs).toEqual(expect.arrayContaining(["discovery.type=single-node", "xpack.security.enabled=true", `ELASTIC_PASSWORD_FILE=${dockerSecretFiles.elastic}`]));
    expect(upload(es, "/usr/share/elasticsearch/config/jvm.options.d/heap.options").content).toBe("-Xms512m\n-Xmx512m\n");
    expect(upload(es, dockerSecretFiles.elastic)).toMatchObject({ content: generated, permissions: "0440" });
    expect(es.secretInputs).toContain("uploads");
  });

  it("gives no password to any container's environment or command, and uploads every file holding one as a secret readable by its process", () => {
    for (const c of containers()) {
      expect(JSON.stringify({ envs: c.inputs.envs, command: c.inputs.command, entrypoints: c.inputs.entrypoints })).not.toContain(generated);
      for (const u of uploads(c).filter((x) => String(x.content).includes(generated))) {
        expect({ container: alias(c), file: u.file, permissions: u.permissions }).toEqual({ container: alias(c), file: u.file, permissions: "0440" });
        expect(c.secretInputs).toContain("uploads");
        // Files are root:root 0440: the process reads them as root or in group 0.
        const [uid, gid] = String(c.inputs.user ?? `${imageUsers[imageOf(c)].uid}:${imageUsers[imageOf(c)].gid}`)
          .split(":")
          .map(Number);
        expect({ container: alias(c), readable: uid === 0 || gid === 0 }).toEqual({ container: alias(c), readable: true });
      }
    }
    const readers = containers()
      .filter((c) => uploads(c).some((u) => String(u.content).includes(generated)))
      .map(alias)
      .sort();
    expect(readers).toEqual(["elasticsearch", "elasticsearch-exporter", "elk-setup", "filebeat", "grafana", "kibana"]);
  });

  it("Kibana signs in as kibana_system and Filebeat as the shipper user, from secret config files", () => {
    const kibana = parse(upload(container("kibana"), "/usr/share/kibana/config/kibana.yml").content);
    expect(kibana["elasticsearch.username"]).toBe("kibana_system");
    expect(kibana["elasticsearch.hosts"]).toEqual(["http://elasticsearch:9200"]);
    const filebeat = container("filebeat");
    const config = parse(upload(filebeat, "/usr/share/filebeat/filebeat.yml").content);
    expect(config["output.elasticsearch"]).toMatchObject({ index: "app-logs-dev", username: "watchpost_filebeat" });
    // The engine's logs and socket, read-only; the registry on a volume.
    expect(filebeat.inputs.volumes).toEqual(
      expect.arrayContaining([
        { hostPath: "/var/lib/docker/containers", containerPath: "/var/lib/docker/containers", readOnly: true },
        { hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: true },
      ]),
    );
    expect(filebeat.inputs.user).toBe("0:0");
  });

  it("runs the setup once, to completion, with the bodies the plan renders", () => {
    const setup = container("elk-setup");
    expect(setup.inputs.restart).toBe("on-failure");
    expect(setup.inputs.mustRun).toBe(false);
    expect(setup.inputs.entrypoints).toEqual(["/bin/sh", `${setupDir}/setup.sh`]);
    const cfg = parseStackConfig("dev", { values: devValues(), secrets: new Set() }).config;
    const artifacts = planStack(cfg).artifacts;
    const bodies = Object.entries(artifacts).filter(([path]) => path.startsWith("elasticsearch/"));
    // Twelve request bodies and the script; no ECK resource on Docker.
    expect(bodies.length).toBe(13);
    // The files the script reads are the ones uploaded to it.
    const read = [...upload(setup, `${setupDir}/setup.sh`).content.matchAll(/cat '([^']+)'/g)].map((m) => m[1]);
    expect(read.sort()).toEqual(Object.values(dockerSecretFiles).sort());
    for (const file of read) expect(upload(setup, file).content).toBe(generated);
    for (const [path, body] of bodies) expect(upload(setup, `${setupDir}/${path.slice("elasticsearch/".length)}`).content).toBe(body);
    expect(Object.keys(artifacts).filter((p) => p.startsWith("loki/") || p.startsWith("alloy/"))).toEqual([]);
    expect(setup.inputs.envs).toEqual(["ES_URL=http://elasticsearch:9200", "KIBANA_URL=http://kibana:5601"]);
  });

  it("provisions Grafana's Elasticsearch datasource with its password from a secret file", () => {
    const grafana = container("grafana");
    const datasources = parse(upload(grafana, "/etc/grafana/provisioning/datasources/watchpost.yaml").content).datasources;
    const es = datasources.find((d: any) => d.type === "elasticsearch");
    expect(es).toMatchObject({ uid: "watchpost-elasticsearch", url: "http://elasticsearch:9200", basicAuth: true, basicAuthUser: "elastic" });
    expect(es.secureJsonData).toEqual({ basicAuthPassword: `$__file{${grafanaElasticsearchFiles.password}}` });
    expect(datasources.map((d: any) => d.type)).not.toContain("loki");
    expect(upload(grafana, grafanaElasticsearchFiles.password)).toMatchObject({ content: generated, permissions: "0440" });
  });

  it("keeps the dev stack's limits at 4.5 GiB (README: 2.8 GiB less Loki and Alloy, plus Elasticsearch, Kibana, Filebeat, the setup and the exporter), Elasticsearch's node holding twice its heap", () => {
    const totalMiB = containers().reduce((sum, c) => sum + c.inputs.memory, 0);
    expect(totalMiB).toBe(4608);
    expect(container("elasticsearch").inputs.memory).toBe(1024);
  });

  it("outputs Kibana's URL and the elastic password, as a secret", async () => {
    expect(await outputValue(run.outputs.kibanaUrl)).toBe("http://127.0.0.1:5601");
    expect(await outputValue(run.outputs.elasticPassword)).toBe(generated);
    expect(await pulumi.isSecret(run.outputs.elasticPassword as pulumi.Output<string>)).toBe(true);
    expect(run.outputs.lokiUrl).toBeUndefined();
  });
});
