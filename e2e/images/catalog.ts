/**
 * Go modules the end-to-end images need beyond the test tools (tools/catalog.ts):
 * the local registry, the collector builder and Jaeger, each built with
 * `buildModule` into the same cache. Versions come from model/versions.ts
 * where Watchpost pins an image; what cannot be built says why, once, here.
 */
import type { ToolModule } from "../../tools/catalog";
import { imageParts } from "../../model/versions";

const release = (tag: string) => tag.replace(/^v/, "");

/** The newest distribution release the module proxy serves (v3.0.0, v3.1.1, v3.1.2 on 2026-11-28). */
const distributionVersion = "v3.1.2";

/** The local registry the e2e pushes its images to and the dev stack pulls them from, as a mirror. */
export const registryModule: ToolModule = {
  id: "distribution",
  module: "github.com/distribution/distribution/v3",
  moduleVersion: distributionVersion,
  release: release(distributionVersion),
  binaries: { registry: "cmd/registry" },
  versionVariables: { "github.com/distribution/distribution/v3/version.version": distributionVersion },
};

/**
 * The collector release Watchpost pins: the contrib image's tag, which is also the
 * collector core's v0.x release; the builder is taken at that release too, so every
 * collector module is at one release.
 */
export const collectorRelease = `v${imageParts("otelCollector").tag.replace(/^v/, "")}`;

export const collectorBuilderModule: ToolModule = {
  id: "otelcol-builder",
  module: "go.opentelemetry.io/collector/cmd/builder",
  moduleVersion: collectorRelease,
  release: release(collectorRelease),
  binaries: { builder: "" },
};

/**
 * Jaeger v2 releases are tagged twice (v1.N / v2.M) and the Go module, without a /v2
 * suffix, only takes the v1 tag. The proxy serves up to v1.76.0 (= Jaeger v2.13.0, per its
 * CHANGELOG); v1.82.0 (= v2.19.0) and v2.19.0 were refused (403) when this was last checked.
 */
const jaegerModuleVersion = "v1.76.0";
const jaegerRelease = "2.13.0";

export const jaegerModule: ToolModule = {
  id: "jaeger",
  module: "github.com/jaegertracing/jaeger",
  moduleVersion: jaegerModuleVersion,
  release: jaegerRelease,
  binaries: { jaeger: "cmd/jaeger" },
  versionVariables: {
    "github.com/jaegertracing/jaeger/internal/version.latestVersion": `v${jaegerRelease}`,
    "github.com/jaegertracing/jaeger/internal/version.commitSHA": `module-proxy-${jaegerModuleVersion}`,
  },
  differs: `Jaeger ${jaegerRelease} (module ${jaegerModuleVersion}), not the pinned ${imageParts("jaeger").tag}: the module proxy serves no newer version; built without the UI bundle (placeholder page)`,
};

/** Why an image Watchpost pins is not built from source; the builder reports these as they are. */
export const notBuilt = {
  grafana: "not built: AGPL modules (github.com/grafana/grafana is not to be used)",
  loki: "not built: AGPL modules (github.com/grafana/loki/v3 is not to be used)",
  tempo: "not built: AGPL modules (github.com/grafana/tempo is not to be used)",
  alloy: "not built: AGPL modules (github.com/grafana/alloy is not to be used)",
  cadvisor: `not built: cAdvisor's main package lives in the separate module github.com/google/cadvisor/cmd, which the module proxy does not serve (404 for @v/list and for v${imageParts("cadvisor").tag}), and the github.com/google/cadvisor module zip leaves cmd/ out`,
} as const;
