import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulledImageParts } from "../../components/platform/mirror";
import { imageUsers } from "../../model/versions";
import { type DockerEngine, startDockerEngine } from "../../e2e/docker-engine";
import { type ImageBuildResult, buildImages, builtFrom, imageDescription } from "../../e2e/images/build";
import { notBuilt } from "../../e2e/images/catalog";
import { collectorModule } from "../../e2e/images/collector";
import { type ImageRecipe, recipes } from "../../e2e/images/recipes";
import { type LocalRegistry, startRegistry } from "../../e2e/registry";
import { binariesMissing, engineMissing, ready, registryMissing } from "../support/e2e";

const engineReady = ready(engineMissing(), registryMissing());
// Images built on request only (Jaeger) are not part of the suite: see their recipe's onRequest.
const buildable = recipes.filter((r) => !r.onRequest && engineReady && ready(binariesMissing(r.module === collectorModule ? collectorModule : r.module)));

let engine: DockerEngine | undefined;
let registry: LocalRegistry | undefined;
let results: ImageBuildResult[] = [];

const docker = (...args: string[]) => {
  const r = spawnSync("docker", ["-H", engine?.host ?? "", ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}`.trim() };
};
const resultOf = (recipe: ImageRecipe) => results.find((r) => r.name === recipe.image) as ImageBuildResult;

/** `id` inside the image as its own user: with the image's busybox, or the host's mounted in for images without one. */
function idInside(recipe: ImageRecipe, flag: "-u" | "-g"): string {
  const ref = resultOf(recipe).ref;
  const run = recipe.busybox
    ? docker("run", "--rm", "--entrypoint", "/bin/busybox", ref, "id", flag)
    : docker("run", "--rm", "-v", "/usr/bin/busybox:/watchpost/busybox:ro", "--entrypoint", "/watchpost/busybox", ref, "id", flag);
  return run.out;
}

describe.skipIf(buildable.length === 0)("e2e images built from source, not the registry's image", () => {
  beforeAll(async () => {
    engine = await startDockerEngine();
    registry = await startRegistry();
    results = await buildImages({ registry: registry.address, dockerHost: engine.host, only: buildable.map((r) => r.image) });
  }, 600_000);

  afterAll(async () => {
    await registry?.stop();
    await engine?.stop();
  }, 60_000);

  it("the local registry serves each pushed image: removed from the engine, it pulls back", async () => {
    const first = resultOf(buildable[0]);
    expect(first.built, first.reason).toBe(true);
    const parts = pulledImageParts(buildable[0].image, registry?.address);
    // In the registry the repository keeps its upstream registry: quay.io/prometheus/prometheus.
    const repository = parts.repository.slice(`${registry?.address}/`.length);
    const manifest = await fetch(`http://${registry?.address}/v2/${repository}/manifests/${parts.tag}`, {
      headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" },
    });
    expect(manifest.status).toBe(200);
    expect(docker("rmi", first.ref).status).toBe(0);
    const pull = docker("pull", first.ref);
    expect(pull.status, pull.out).toBe(0);
  });

  for (const recipe of buildable) {
    const { uid, gid } = imageUsers[recipe.image];
    it(`${recipe.image} ${recipe.module.release} built from source, not the registry's image: runs as ${uid}:${gid}, prints its version, says what it is`, () => {
      const result = resultOf(recipe);
      expect(result.built, result.reason).toBe(true);
      expect(idInside(recipe, "-u")).toBe(String(uid));
      expect(idInside(recipe, "-g")).toBe(String(gid));
      const version = docker("run", "--rm", result.ref, ...recipe.version.args);
      expect(version.out).toContain(recipe.version.expect);
      const labels = JSON.parse(docker("image", "inspect", "--format", "{{json .Config.Labels}}", result.ref).out) as Record<string, string>;
      expect(labels["org.opencontainers.image.description"]).toBe(imageDescription);
      expect(labels["dev.watchpost.e2e.built-from"]).toBe(builtFrom(recipe));
    });
  }

  // Watchpost's Docker health checks run `wget -q --spider` in these images (components/prometheus/docker.ts,
  // components/alerting/index.ts); the default command must also start as the image's user (data volume writable).
  const healthPaths: Partial<Record<ImageRecipe["image"], string>> = {
    prometheus: "/-/healthy",
    alertmanager: "/-/healthy",
    nodeExporter: "/metrics",
    blackboxExporter: "/-/healthy",
  };
  for (const recipe of buildable.filter((r) => healthPaths[r.image])) {
    it(`${recipe.image} built from source, not the registry's image: starts with its default command and answers Watchpost's wget health check`, async () => {
      const name = `e2e-health-${recipe.image.toLowerCase()}`;
      const started = docker("run", "-d", "--name", name, resultOf(recipe).ref);
      expect(started.status, started.out).toBe(0);
      try {
        const url = `http://127.0.0.1:${recipe.expose[0]}${healthPaths[recipe.image]}`;
        let check = docker("exec", name, "wget", "-q", "--spider", url);
        for (let i = 0; i < 40 && check.status !== 0; i++) {
          await new Promise((r) => setTimeout(r, 250));
          check = docker("exec", name, "wget", "-q", "--spider", url);
        }
        expect(check.status, `${check.out}\n${docker("logs", name).out}`).toBe(0);
      } finally {
        docker("rm", "-f", "-v", name);
      }
    });
  }

  it("reports the AGPL images and cAdvisor as not built, with the reason", () => {
    for (const [name, reason] of Object.entries(notBuilt)) {
      expect(results.find((r) => r.name === name)).toMatchObject({ built: false, reason });
    }
  });
});
