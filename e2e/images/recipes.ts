/**
 * What each image built from source holds, as data: the upstream Dockerfile it
 * follows, the files it copies, its user, entrypoint, cmd, workdir, ports, volumes
 * and env. e2e/images/build.ts turns a recipe into a `FROM scratch` Dockerfile.
 *
 * Only what Watchpost relies on is reproduced: the binary path and default
 * arguments, the user (model/versions.ts `imageUsers`, checked by a test),
 * a writable data volume, and busybox where Watchpost's health checks run
 * `wget` (components/prometheus/docker.ts, components/alerting/index.ts).
 */
import { configPaths, ports } from "../../model/conventions";
import { type ImageName, imageParts, imageUsers } from "../../model/versions";
import { type ToolModule, toolModules } from "../../tools/catalog";
import { jaegerModule } from "./catalog";
import { collectorModule } from "./collector";

/** Where a file of the image comes from. */
export type FileSource =
  /** A binary the module's build put in the tools cache. */
  | { binary: string }
  /** A file of the module's source zip (default configs upstream copies from its repository). */
  | { moduleFile: string }
  /** A file of the machine that builds (CA certificates, time zones). */
  | { host: string }
  /** Literal content. */
  | { content: string };

export interface ImageFile {
  /** Absolute path in the image. */
  path: string;
  from: FileSource;
  /** @default 0o755 for binaries, 0o644 otherwise */
  mode?: number;
}

export interface ImageRecipe {
  image: ImageName;
  /** The module the binaries and module files come from. */
  module: ToolModule;
  /** The upstream Dockerfile this recipe follows. */
  upstream: string;
  files: ImageFile[];
  /**
   * Directories owned by the image's user (numeric uid:gid from `imageUsers`), such as the data
   * volume; files whose path lies under one are owned by the user too. @default []
   */
  userDirs?: Array<{ path: string; mode?: number }>;
  /** /bin/busybox and a link per applet in /bin, as in upstream's busybox or alpine base. */
  busybox: boolean;
  /** /etc/passwd and /etc/group with root and nobody/nogroup (65534), as in busybox. */
  passwd: boolean;
  /** /etc/ssl/certs/ca-certificates.crt from this machine (remote write, receivers, probes over TLS). */
  caCertificates: boolean;
  /** /usr/share/zoneinfo from this machine. */
  tzdata: boolean;
  /** The Dockerfile's USER, as upstream writes it; undefined: root. */
  user?: string;
  entrypoint: string[];
  cmd?: string[];
  workdir?: string;
  expose: number[];
  volumes?: string[];
  env?: Record<string, string>;
  /** Arguments that make the binary print its version, and what the output must contain. */
  version: { args: string[]; expect: string };
  /** How this image differs from upstream's, beyond the build of the binary itself. */
  differs: string[];
  /**
   * Built only when asked for by name (`--only`), not by default nor in CI: why. For an image
   * the default dev stack does not run whose build costs CI more than it tells.
   */
  onRequest?: string;
}

const mod = (id: string): ToolModule => {
  const found = toolModules.find((m) => m.id === id);
  if (!found) throw new Error(`e2e/images/recipes.ts: no tools module "${id}" in tools/catalog.ts`);
  return found;
};

const _certs: ImageFile = { path: "/etc/ssl/certs/ca-certificates.crt", from: { host: "/etc/ssl/certs/ca-certificates.crt" } };

/** quay.io/prometheus/busybox: busybox, passwd/group with nobody, CA certificates. */
const prometheusBase = { busybox: true, passwd: true, caCertificates: true } as const;
const noConsoles = "no console templates or libraries (Prometheus 3 dropped them from the image too)";
const noLicenses = "no LICENSE/NOTICE/npm_licenses files at /";

export const recipes: readonly ImageRecipe[] = [
  {
    image: "prometheus",
    module: mod("prometheus"),
    upstream: "prometheus/prometheus Dockerfile",
    ...prometheusBase,
    tzdata: false,
    files: [
      { path: "/bin/prometheus", from: { binary: "prometheus" } },
      { path: "/bin/promtool", from: { binary: "promtool" } },
      { path: `${configPaths.prometheusDir}/prometheus.yml`, from: { moduleFile: "documentation/examples/prometheus.yml" } },
    ],
    userDirs: [{ path: configPaths.prometheusDir }, { path: "/prometheus", mode: 0o775 }],
    user: "nobody",
    entrypoint: ["/bin/prometheus"],
    cmd: [`--config.file=${configPaths.prometheusDir}/prometheus.yml`, "--storage.tsdb.path=/prometheus"],
    workdir: "/prometheus",
    expose: [ports.prometheus],
    volumes: ["/prometheus"],
    version: { args: ["--version"], expect: `prometheus, version ${mod("prometheus").release}` },
    differs: [noConsoles, noLicenses],
  },
  {
    image: "alertmanager",
    module: mod("alertmanager"),
    upstream: "prometheus/alertmanager Dockerfile",
    ...prometheusBase,
    // time_intervals with a `location` (components/alerting/maintenance.ts) load zoneinfo from the system.
    tzdata: true,
    files: [
      { path: "/bin/alertmanager", from: { binary: "alertmanager" } },
      { path: "/bin/amtool", from: { binary: "amtool" } },
      { path: `${configPaths.alertmanagerDir}/alertmanager.yml`, from: { moduleFile: "examples/ha/alertmanager.yml" } },
    ],
    userDirs: [{ path: configPaths.alertmanagerDir }, { path: "/alertmanager" }],
    user: "nobody",
    entrypoint: ["/bin/alertmanager"],
    cmd: [`--config.file=${configPaths.alertmanagerDir}/alertmanager.yml`, "--storage.path=/alertmanager"],
    workdir: "/alertmanager",
    expose: [ports.alertmanager],
    volumes: ["/alertmanager"],
    version: { args: ["--version"], expect: `alertmanager, version ${mod("alertmanager").release}` },
    differs: ["carries /usr/share/zoneinfo from the build machine so time_intervals' `location` resolves", noLicenses],
  },
  {
    image: "nodeExporter",
    module: mod("node_exporter"),
    upstream: "prometheus/node_exporter Dockerfile (busybox:glibc base)",
    ...prometheusBase,
    tzdata: false,
    files: [{ path: "/bin/node_exporter", from: { binary: "node_exporter" } }],
    user: "nobody",
    entrypoint: ["/bin/node_exporter"],
    expose: [ports.nodeExporter],
    version: { args: ["--version"], expect: `node_exporter, version ${mod("node_exporter").release}` },
    differs: ["static busybox instead of busybox:glibc (the binary is static, CGO_ENABLED=0)"],
  },
  {
    image: "blackboxExporter",
    module: mod("blackbox_exporter"),
    upstream: "prometheus/blackbox_exporter Dockerfile",
    ...prometheusBase,
    tzdata: false,
    files: [
      { path: "/bin/blackbox_exporter", from: { binary: "blackbox_exporter" } },
      { path: "/etc/blackbox_exporter/config.yml", from: { moduleFile: "blackbox.yml" } },
    ],
    entrypoint: ["/bin/blackbox_exporter"],
    cmd: [`--config.file=${configPaths.blackboxConfig}`],
    expose: [ports.blackboxExporter],
    version: { args: ["--version"], expect: `blackbox_exporter, version ${mod("blackbox_exporter").release}` },
    differs: [],
  },
  {
    image: "otelCollector",
    module: collectorModule,
    upstream: "opentelemetry-collector-releases distributions/otelcol-contrib/Dockerfile (scratch)",
    busybox: false,
    passwd: false,
    caCertificates: true,
    tzdata: false,
    files: [{ path: "/otelcol-contrib", from: { binary: "otelcol-contrib" } }],
    user: `${imageUsers.otelCollector.uid}:${imageUsers.otelCollector.gid}`,
    entrypoint: ["/otelcol-contrib"],
    cmd: ["--config", configPaths.otelConfig],
    expose: [ports.otlpGrpc, ports.otlpHttp, 55679],
    version: { args: ["--version"], expect: `otelcol-contrib version ${collectorModule.release}` },
    differs: [
      "only the components Watchpost's collector config uses (e2e/images/collector.ts), not the whole contrib distribution",
      `no default ${configPaths.otelConfig}: Watchpost uploads its own`,
    ],
  },
  {
    image: "jaeger",
    module: jaegerModule,
    onRequest: `the default dev stack traces to Tempo (tracing.backend: tempo), and the module the proxy serves is Jaeger ${jaegerModule.release}, not the pinned ${imageParts("jaeger").tag}, at about 12 minutes of a cold CI run; npm run e2e:images -- --registry <host:port> --only jaeger builds it`,
    upstream: "jaegertracing/jaeger cmd/jaeger/Dockerfile (alpine base)",
    busybox: true,
    passwd: true,
    caCertificates: true,
    tzdata: false,
    files: [
      { path: "/cmd/jaeger/jaeger-linux", from: { binary: "jaeger" } },
      { path: "/cmd/jaeger/sampling-strategies.json", from: { moduleFile: "cmd/jaeger/sampling-strategies.json" } },
    ],
    user: String(imageUsers.jaeger.uid),
    entrypoint: ["/cmd/jaeger/jaeger-linux"],
    expose: [5778, 5779, ports.otlpGrpc, ports.otlpHttp, 14268, 14250, 9411, ports.jaegerUi, 13132, 13133],
    volumes: ["/tmp"],
    env: { JAEGER_LISTEN_HOST: "0.0.0.0" },
    version: { args: ["version"], expect: `"gitVersion":"v${jaegerModule.release}"` },
    differs: ["static busybox, passwd/group and CA certificates instead of the alpine base image"],
  },
];
