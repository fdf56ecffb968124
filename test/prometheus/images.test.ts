import { describe, expect, it } from "vitest";
import { imageParts, images } from "../../model/versions";
import { runStack } from "../../harness/pulumi-mocks";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { prodSecrets } from "../../harness/stacks";

describe("image references split for charts", () => {
  it("puts Docker Hub images on docker.io and keeps other registries' hosts", () => {
    expect(imageParts("prometheus")).toEqual({ repository: "prom/prometheus", registry: "docker.io", path: "prom/prometheus", tag: images.prometheus.split(":")[1] });
    expect(imageParts("oauth2Proxy")).toMatchObject({ registry: "quay.io", path: "oauth2-proxy/oauth2-proxy" });
    expect(imageParts("awsCli")).toMatchObject({ registry: "public.ecr.aws", path: "aws-cli/aws-cli" });
  });

  it("gives the prod charts and the Alertmanager CR the pinned images at registries that serve them", async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const run = await runStack("prod", { values: raw.values, secrets: new Set(prodSecrets) }, (k) => `SECRET-${k}`);
    const release = (name: string) => run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === name)!.inputs.values;
    const prom = release("watchpost-kps").prometheus.prometheusSpec.image;
    expect(`${prom.registry}/${prom.repository}:${prom.tag}`).toBe(`docker.io/${images.prometheus}`);
    const bb = release("blackbox-exporter").image;
    expect(`${bb.registry}/${bb.repository}:${bb.tag}`).toBe(`docker.io/${images.blackboxExporter}`);
    const am = run.resources.find((r) => r.inputs.kind === "Alertmanager")!;
    expect(am.inputs.spec.image).toBe(`docker.io/${images.alertmanager}`);
  });
});
