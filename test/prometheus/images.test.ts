import { describe, expect, it } from "vitest";
import { imageParts, images } from "../../model/versions";
import { runStack } from "../../harness/pulumi-mocks";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { exporterSecrets, prodSecrets } from "../../harness/stacks";

describe("image references split for charts", () => {
  it("puts Docker Hub images on docker.io and keeps other registries' hosts", () => {
    expect(imageParts("grafana")).toEqual({ repository: "grafana/grafana", registry: "docker.io", path: "grafana/grafana", tag: images.grafana.split(":")[1] });
    expect(imageParts("prometheus")).toEqual({
      repository: "quay.io/prometheus/prometheus",
      registry: "quay.io",
      path: "prometheus/prometheus",
      tag: images.prometheus.split(":")[1],
    });
    expect(imageParts("oauth2Proxy")).toMatchObject({ registry: "quay.io", path: "oauth2-proxy/oauth2-proxy" });
    expect(imageParts("awsCli")).toMatchObject({ registry: "public.ecr.aws", path: "aws-cli/aws-cli" });
  });

  it("gives the prod charts and the Alertmanager CR the pinned images at registries that serve them", async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const run = await runStack("prod", { values: raw.values, secrets: new Set(prodSecrets) }, (k) => `SECRET-${k}`);
    const release = (name: string) => run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === name)!.inputs.values;
    const prom = release("watchpost-kps").prometheus.prometheusSpec.image;
    expect(`${prom.registry}/${prom.repository}:${prom.tag}`).toBe(images.prometheus);
    const bb = release("blackbox-exporter").image;
    expect(`${bb.registry}/${bb.repository}:${bb.tag}`).toBe(images.blackboxExporter);
    const am = run.resources.find((r) => r.inputs.kind === "Alertmanager")!;
    expect(am.inputs.spec.image).toBe(images.alertmanager);
  });

  it("gives the exporter charts the pinned images, not their charts' appVersions, so both platforms run one release", async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const exporters = {
      postgres: { host: "db.internal", user: "monitor" },
      redis: { address: "redis.internal:6379" },
      elasticsearch: { url: "http://es.internal:9200", username: "monitor" },
    };
    const run = await runStack("prod", { values: { ...raw.values, exporters }, secrets: new Set([...prodSecrets, ...exporterSecrets]) }, (k) => `SECRET-${k}`);
    const image = (name: string) => run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === name)!.inputs.values.image;
    const pg = image("postgres-exporter");
    expect(`${pg.registry}/${pg.repository}:${pg.tag}`).toBe(images.postgresExporter);
    const redis = image("redis-exporter");
    expect(`${redis.repository}:${redis.tag}`).toBe(images.redisExporter);
    const es = image("elasticsearch-exporter");
    expect(`${es.repository}:${es.tag}`).toBe(images.elasticsearchExporter);
  });

  it("pulls the Prometheus project's images from Quay, which does not rate-limit anonymous pulls as Docker Hub does", () => {
    for (const name of ["prometheus", "alertmanager", "nodeExporter", "blackboxExporter"] as const)
      expect(imageParts(name).repository).toBe(`quay.io/prometheus/${imageParts(name).path.split("/")[1]}`);
    for (const name of ["postgresExporter", "elasticsearchExporter"] as const)
      expect(`${imageParts(name).registry}/${imageParts(name).path.split("/")[0]}`).toBe("quay.io/prometheuscommunity");
    expect(imageParts("oauth2Proxy").registry).toBe("quay.io");
  });
});
