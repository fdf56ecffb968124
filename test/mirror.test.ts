/**
 * `watchpost:images.registryMirror`: the rewrite, its validation, and every image
 * the Docker stack pulls and every image reference Watchpost writes into a
 * Kubernetes object itself (the charts' images: test/charts/mirror.test.ts).
 */
import { describe, expect, it } from "vitest";
import { pulledImage, pulledImageParts, repositoryViaMirror } from "../components/platform/mirror";
import { type ImageName, imageParts, images } from "../model/versions";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { ConfigError, parseStackConfig } from "../infra/config/validate";
import { runStack } from "../harness/pulumi-mocks";
import { prodSecrets } from "../harness/stacks";

const mirror = "mirror.example.com:5000/proxy";

describe("the mirror form <mirror>/<registry>/<path>:<tag>", () => {
  it("keeps the upstream registry in the path, Docker Hub's included", () => {
    expect(pulledImage("grafana", mirror)).toBe(`mirror.example.com:5000/proxy/docker.io/grafana/grafana:${images.grafana.split(":")[1]}`);
    expect(pulledImage("prometheus", mirror)).toBe(`mirror.example.com:5000/proxy/${images.prometheus}`);
    expect(pulledImage("cadvisor", mirror)).toBe(`mirror.example.com:5000/proxy/${images.cadvisor}`);
    expect(pulledImage("oauth2Proxy", mirror)).toBe(`mirror.example.com:5000/proxy/${images.oauth2Proxy}`);
    expect(pulledImage("awsCli", mirror)).toBe(`mirror.example.com:5000/proxy/${images.awsCli}`);
    expect(pulledImageParts("loki", mirror)).toEqual({
      registry: "mirror.example.com:5000/proxy/docker.io",
      path: "grafana/loki",
      repository: "mirror.example.com:5000/proxy/docker.io/grafana/loki",
      tag: imageParts("loki").tag,
    });
  });

  it("adds Docker Hub's implicit library/ and leaves every reference alone without a mirror", () => {
    expect(repositoryViaMirror("busybox", "m.example.com")).toBe("m.example.com/docker.io/library/busybox");
    expect(repositoryViaMirror("oliver006/redis_exporter", "m.example.com")).toBe("m.example.com/docker.io/oliver006/redis_exporter");
    expect(repositoryViaMirror("quay.io/prometheuscommunity/elasticsearch-exporter", "m.example.com")).toBe("m.example.com/quay.io/prometheuscommunity/elasticsearch-exporter");
    for (const name of Object.keys(images) as ImageName[]) {
      expect(pulledImage(name, undefined)).toBe(images[name]);
      expect(pulledImageParts(name, undefined)).toEqual(imageParts(name));
    }
  });
});

describe("watchpost:images.registryMirror validation", () => {
  const problems = (registryMirror: unknown): string[] => {
    try {
      parseStackConfig("dev", { values: { images: { registryMirror } }, secrets: new Set() });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).message.split("\n").slice(1);
    }
    return [];
  };

  it("accepts a host, a host with a port, a path prefix, localhost and an ECR registry", () => {
    for (const ok of [
      "mirror.example.com",
      "registry.internal:5000",
      "harbor.example.com/proxy",
      "localhost:5000",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
      "10.0.0.5:5000/cache",
    ])
      expect({ ok, problems: problems(ok) }).toEqual({ ok, problems: [] });
  });

  it.each([
    ["https://mirror.example.com", 'got "https://mirror.example.com"; expected a registry host, not a URL; drop the scheme (mirror.example.com)'],
    ["mirror.example.com/", 'got "mirror.example.com/"; expected no trailing slash (mirror.example.com)'],
    ["Mirror.Example.com", 'got "Mirror.Example.com"; expected lower case, as image references are (mirror.example.com)'],
    [
      "mirror",
      `got "mirror"; 'mirror' has no dot or port, so Docker and Kubernetes would read it as a Docker Hub account, not a registry; use its full name or add the port (mirror.example.com, mirror:5000)`,
    ],
    ["mirror.example.com/Proxy_", `got "mirror.example.com/Proxy_"; expected lower case, as image references are (mirror.example.com/proxy_)`],
    [
      "mirror.example.com/proxy_/x",
      `got "mirror.example.com/proxy_/x"; path segment 'proxy_' is not valid in an image reference; expected lower-case letters, digits and . _ -, such as mirror.example.com, registry.internal:5000 or harbor.example.com/proxy`,
    ],
    [
      "mirror example",
      `got "mirror example"; expected a registry host with an optional port and path, such as mirror.example.com, registry.internal:5000 or harbor.example.com/proxy`,
    ],
  ])("rejects %s with the key path, the value, what was expected and the fix", (value, message) => {
    expect(problems(value)).toEqual([`  - watchpost:images.registryMirror: ${message}`]);
  });

  it("rejects a non-string and an unknown key beside it", () => {
    expect(problems(5)[0]).toBe("  - watchpost:images.registryMirror: got 5; expected a registry host such as mirror.example.com");
    try {
      parseStackConfig("dev", { values: { images: { registryMirorr: "m.example.com" } }, secrets: new Set() });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect((error as ConfigError).message).toContain("watchpost:images.registryMirorr: got \"m.example.com\"; unknown key; did you mean 'registryMirror'?");
    }
  });
});

describe("Docker: every image pulled through the mirror", () => {
  it("names each pinned image as <mirror>/<registry>/<path>:<tag>", async () => {
    const raw = readStackFile(stackFilePath("dev"));
    const values = {
      ...raw.values,
      images: { registryMirror: mirror },
      exporters: { nginx: { statusUrl: "http://web.internal/stub_status" }, redis: { address: "redis.internal:6379" } },
    };
    const run = await runStack("dev", { values, secrets: raw.secrets }, () => "x");
    const pulled = run.byType("docker:index/remoteImage:RemoteImage").map((i) => i.inputs.name as string);
    expect(pulled.length).toBe(run.byType("docker:index/container:Container").length);
    const expected = new Set(
      (Object.keys(images) as ImageName[]).map((n) => {
        const p = imageParts(n);
        return `${mirror}/${p.registry}/${p.path}:${p.tag}`;
      }),
    );
    for (const ref of pulled) expect({ ref, known: expected.has(ref) }).toEqual({ ref, known: true });
    expect(pulled).toContain(`${mirror}/${images.prometheus}`);
    expect(pulled).toContain(`${mirror}/docker.io/${images.grafana}`);
    expect(pulled).toContain(`${mirror}/${images.cadvisor}`);
  });
});

describe("Kubernetes: every image Watchpost writes into an object itself pulls through the mirror", () => {
  it("Alertmanager CR, oauth2-proxy, the NGINX exporter and the backup CronJob", async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const values = { ...raw.values, images: { registryMirror: mirror }, exporters: { nginx: { statusUrl: "http://web.internal/stub_status" } } };
    const run = await runStack("prod", { values, secrets: new Set(prodSecrets) }, () => "x");
    const refs: string[] = [];
    const collect = (v: unknown, key = ""): void => {
      if (Array.isArray(v)) for (const x of v) collect(x, key);
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) collect(x, k);
      else if (key === "image" && typeof v === "string") refs.push(v);
    };
    for (const r of run.resources) if (r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release") collect(r.inputs);
    const alertmanager = pulledImageParts("alertmanager", mirror);
    expect(refs.sort()).toEqual(
      [
        `${alertmanager.registry}/${alertmanager.path}:${alertmanager.tag}`,
        pulledImage("oauth2Proxy", mirror),
        pulledImage("oauth2Proxy", mirror),
        pulledImage("nginxExporter", mirror),
        pulledImage("curl", mirror),
        pulledImage("awsCli", mirror),
      ].sort(),
    );
    for (const ref of refs) expect(ref.startsWith(`${mirror}/`)).toBe(true);
  });
});
