/**
 * The upstream tools Watchpost's tests, drill and bench run, each built from its
 * Go module at the version `model/versions.ts` pins for the image we deploy.
 * The version is read from the image tag, never typed twice.
 */
import { images } from "../model/versions";

export type ToolName = "prometheus" | "promtool" | "alertmanager" | "amtool" | "nodeExporter" | "blackboxExporter";

/** One Go module at one version and the binaries built from it. */
export interface ToolModule {
  /** Cache and log name, e.g. "prometheus". */
  id: string;
  /** Go module path. */
  module: string;
  /** The module version we build (the Go module's own numbering). */
  moduleVersion: string;
  /** The release the binaries report with `--version` (the image tag without its "v"). */
  release: string;
  /** Binary file name → package path inside the module. */
  binaries: Record<string, string>;
  /**
   * Files the module zip lacks but a `//go:embed` pattern needs, supplied through
   * `go build -overlay` (path inside the module → file content). Used for web UI
   * bundles that upstream builds with npm before release: the tests use the APIs.
   */
  embedPlaceholders?: Record<string, string>;
  /** Why the build differs from upstream's release build, for test names and the README. */
  differs?: string;
  /**
   * `-X` variables (`package.variable` → value) beside Prometheus's, for modules that do not
   * report their release through prometheus/common/version (distribution, the collector).
   */
  versionVariables?: Record<string, string>;
}

function tagOf(image: string): string {
  return image.slice(image.lastIndexOf(":") + 1);
}

function release(image: string): string {
  return tagOf(image).replace(/^v/, "");
}

/** Prometheus 3.x is published as Go module v0.3XX.Y (3.14.0 → v0.314.0). */
export function prometheusModuleVersion(tag: string): string {
  const m = /^v?3\.(\d+)\.(\d+)$/.exec(tag);
  if (!m) throw new Error(`model/versions.ts images.prometheus: tag "${tag}" is not a 3.x release; extend prometheusModuleVersion for it`);
  return `v0.3${m[1].padStart(2, "0")}.${m[2]}`;
}

const placeholderUi = "<!doctype html><title>Watchpost build</title><p>This binary was built from the Go module without its web UI; use the HTTP API.</p>\n";

export const toolModules: readonly ToolModule[] = [
  {
    id: "prometheus",
    module: "github.com/prometheus/prometheus",
    moduleVersion: prometheusModuleVersion(tagOf(images.prometheus)),
    release: release(images.prometheus),
    binaries: { prometheus: "cmd/prometheus", promtool: "cmd/promtool" },
    differs: "built without the web UI assets (no builtinassets tag)",
  },
  {
    id: "alertmanager",
    module: "github.com/prometheus/alertmanager",
    moduleVersion: tagOf(images.alertmanager),
    release: release(images.alertmanager),
    binaries: { alertmanager: "cmd/alertmanager", amtool: "cmd/amtool" },
    embedPlaceholders: { "ui/app/dist/index.html": placeholderUi },
    differs: "built with a placeholder page instead of the web UI bundle the module zip lacks",
  },
  {
    id: "node_exporter",
    module: "github.com/prometheus/node_exporter",
    moduleVersion: tagOf(images.nodeExporter),
    release: release(images.nodeExporter),
    binaries: { node_exporter: "" },
  },
  {
    id: "blackbox_exporter",
    module: "github.com/prometheus/blackbox_exporter",
    moduleVersion: tagOf(images.blackboxExporter),
    release: release(images.blackboxExporter),
    binaries: { blackbox_exporter: "" },
  },
];

/** Each tool the code asks for → the module that builds it and its binary name. */
export const tools: Record<ToolName, { module: string; binary: string }> = {
  prometheus: { module: "prometheus", binary: "prometheus" },
  promtool: { module: "prometheus", binary: "promtool" },
  alertmanager: { module: "alertmanager", binary: "alertmanager" },
  amtool: { module: "alertmanager", binary: "amtool" },
  nodeExporter: { module: "node_exporter", binary: "node_exporter" },
  blackboxExporter: { module: "blackbox_exporter", binary: "blackbox_exporter" },
};

export function moduleOf(name: ToolName): ToolModule {
  const found = toolModules.find((m) => m.id === tools[name].module);
  if (!found) throw new Error(`tools/catalog.ts: no module "${tools[name].module}" for tool ${name}`);
  return found;
}

export function isToolName(value: string): value is ToolName {
  return Object.hasOwn(tools, value);
}
