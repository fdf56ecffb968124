/**
 * The OpenTelemetry Collector, built with the collector builder (ocb) from exactly
 * the components Watchpost's collector config names (components/tracing/render.ts),
 * every module at the pinned release. A component the config gains without an
 * entry in `componentModules` fails the build with its name, rather than shipping
 * a collector that cannot load the config.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { renderOtelCollectorConfig } from "../../components/tracing/render";
import { buildModule } from "../../tools/build";
import { binaryPath, moduleDir, readStamp, writeStamp } from "../../tools/cache";
import type { ToolModule } from "../../tools/catalog";
import { collectorBuilderModule, collectorRelease } from "./catalog";

export type ComponentKind = "receivers" | "processors" | "exporters" | "extensions";

const core = "go.opentelemetry.io/collector";
const contrib = "github.com/open-telemetry/opentelemetry-collector-contrib";

/** Component type (the part of an id before "/") → the Go module that provides it. */
export const componentModules: Record<ComponentKind, Record<string, string>> = {
  receivers: { otlp: `${core}/receiver/otlpreceiver` },
  processors: { batch: `${core}/processor/batchprocessor`, memory_limiter: `${core}/processor/memorylimiterprocessor` },
  // The otlpexporter's type is `otlp_grpc` (since 0.144), with `otlp` kept as a deprecated alias.
  exporters: { otlp: `${core}/exporter/otlpexporter`, otlp_grpc: `${core}/exporter/otlpexporter` },
  extensions: { health_check: `${contrib}/extension/healthcheckextension` },
};

/** The cache entry of the built collector; its binary is named as in the contrib image. */
export const collectorModule: ToolModule = {
  id: "otelcol-contrib",
  module: "watchpost.local/otelcol-contrib",
  moduleVersion: collectorRelease,
  release: collectorRelease.replace(/^v/, ""),
  binaries: { "otelcol-contrib": "" },
  differs: "only the components Watchpost's collector config uses",
};

/** The Go modules of the components a collector config names, per kind, deduplicated. */
export function collectorComponents(configYaml: string): Record<ComponentKind, string[]> {
  const config = parse(configYaml) as Partial<Record<ComponentKind, Record<string, unknown>>>;
  const missing: string[] = [];
  const out = {} as Record<ComponentKind, string[]>;
  for (const kind of Object.keys(componentModules) as ComponentKind[]) {
    const types = Object.keys(config[kind] ?? {}).map((id) => id.split("/")[0]);
    const mods = types.map((t) => componentModules[kind][t] ?? (missing.push(`${kind}.${t}`), ""));
    out[kind] = [...new Set(mods.filter((m) => m))];
  }
  if (missing.length > 0) throw new Error(`e2e/images/collector.ts: no Go module for collector component(s) ${missing.join(", ")}; add each to componentModules`);
  return out;
}

/** The builder manifest for Watchpost's collector config; the memory limit does not change the components. */
export function collectorManifest(outputPath: string): string {
  const components = collectorComponents(renderOtelCollectorConfig("trace-store", 512));
  const gomods = (mods: string[]) => mods.map((m) => ({ gomod: `${m} ${collectorRelease}` }));
  return stringify({
    dist: {
      name: "otelcol-contrib",
      description: "OpenTelemetry Collector with the components Watchpost uses, built from source by Watchpost's e2e",
      output_path: outputPath,
      version: collectorModule.release,
    },
    receivers: gomods(components.receivers),
    processors: gomods(components.processors),
    exporters: gomods(components.exporters),
    extensions: gomods(components.extensions),
  });
}

export function collectorBinary(): string {
  return binaryPath(collectorModule, "otelcol-contrib");
}

/** Builds the collector unless the cache holds one built from the same manifest. */
export function buildCollector(log: (line: string) => void): { cached: boolean; seconds: number } {
  const dir = moduleDir(collectorModule);
  const manifestFile = join(dir, "manifest.yaml");
  const manifest = collectorManifest(join(dir, "src"));
  if (readStamp(collectorModule) && existsSync(manifestFile) && readFileSync(manifestFile, "utf8") === manifest) return { cached: true, seconds: 0 };

  const started = Date.now();
  const builder = buildModule(collectorBuilderModule, log);
  log(`building otelcol-contrib ${collectorModule.release} with the collector builder${builder.cached ? "" : ` (builder built in ${builder.seconds} s)`} …`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(manifestFile, manifest);
  const run = spawnSync(binaryPath(collectorBuilderModule, "builder"), ["--config", manifestFile], {
    cwd: dir,
    env: { ...process.env, CGO_ENABLED: "0", GOWORK: "off", GOFLAGS: "-mod=mod -buildvcs=false" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    const tail = `${run.stdout}\n${run.stderr}${run.error ? run.error.message : ""}`.trim().split("\n").slice(-25).join("\n");
    throw new Error(`building otelcol-contrib ${collectorModule.release} with the collector builder failed:\n${tail}`);
  }
  mkdirSync(join(dir, "bin"), { recursive: true });
  renameSync(join(dir, "src", "otelcol-contrib"), collectorBinary());
  const seconds = writeStamp(collectorModule, started, spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8" }).stdout.trim());
  log(`built ${collectorBinary()} in ${seconds} s`);
  return { cached: false, seconds };
}
