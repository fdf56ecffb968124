/**
 * One container on the stack network: pinned image, configs uploaded where the
 * image reads them, ports on the bind address, a named volume, a health check
 * and memory/CPU limits.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { cpuCores, type Resources, sizeBytes } from "../../model/primitives";
import { type ImageName, imageUsers } from "../../model/versions";
import { pulledImage } from "./mirror";
import type { DockerTarget } from "./targets";

export interface DockerServiceSpec {
  /** Network alias; other containers reach it by this name. */
  alias: string;
  image: ImageName;
  /** Replaces the image's entrypoint (a shell wrapper that reads a secret file into the environment). */
  entrypoint?: string[];
  command?: string[];
  user?: string;
  envs?: Record<string, string>;
  /** Files to place in the container: path -> content. */
  files?: Record<string, pulumi.Input<string>>;
  /**
   * Files holding credentials: uploaded as secrets, mode 0440 root:root, and the container
   * runs as its image's user in group 0 so that its process, and nothing else, reads them
   * (see `secretReaderUser`).
   */
  secretFiles?: Record<string, pulumi.Input<string>>;
  /** container port -> published host port (before the target's offset). */
  ports?: Array<{ internal: number; external: number }>;
  /** Named volume mounted at this path. */
  dataPath?: string;
  /** Host paths mounted read-only (node exporter, cAdvisor, the log shipper). */
  hostMounts?: Array<{ hostPath: string; containerPath: string }>;
  /**
   * Connects to endpoints the user configures (scrape and probe targets, exporters' services,
   * notification receivers), which may be services on the Docker host or on an app's own network:
   * map `host.docker.internal` to the host gateway (see `hostGateway`) and join the target's
   * `joinedNetworks`. @default false
   */
  reachesHost?: boolean;
  /** Command run by the health check (the image must contain it). Omitted for images without a shell. */
  healthcheck?: string[];
  resources: Resources;
  privileged?: boolean;
  labels?: Record<string, string>;
  /**
   * A step that runs once to completion (a setup container): restarted only on failure, and
   * not expected to keep running after `pulumi up`. @default false
   */
  oneShot?: boolean;
}

export interface DockerService {
  container: docker.Container;
  image: docker.RemoteImage;
  volume?: docker.Volume;
}

/**
 * `host.docker.internal` for a container: Docker Desktop resolves the name by itself, a Linux
 * engine only with this mapping (`--add-host host.docker.internal:host-gateway`, Docker 20.10+),
 * so targets such as the dev stack's `host.docker.internal:8080` reach a service on the host.
 */
export const hostGateway = { host: "host.docker.internal", ip: "host-gateway" } as const;

/** Mode of every secret file: read for its owner (root) and group (root), nothing for others. */
export const secretFileMode = "0440";

/**
 * The `user` a container runs as when it reads secret files. The provider writes uploads
 * into the container as root:root (its upload archive carries uid and gid 0), so with mode
 * 0440 only uid 0 and group 0 can read them: a process running as `nobody` (65534:65534,
 * as Alertmanager and the Prometheus project's exporters do) gets "Permission denied". So a non-root
 * image runs as its own uid with group 0 as its primary group — what Grafana's image does
 * by itself (472:0) — and a root image needs nothing. Group 0 is no privilege (it grants
 * nothing root's uid would), other containers never see the file, and no other user in the
 * container can read it. Chowning each upload to the image's uid instead would need the
 * provider's upload `owner`/`group`, which resolve names on the machine running Pulumi
 * rather than in the image; running as `uid:0` uses only the container's own user setting.
 */
export function secretReaderUser(image: ImageName): string | undefined {
  const { uid } = imageUsers[image];
  return uid === 0 ? undefined : `${uid}:0`;
}

/** The container's `user`: as given, or the image's uid in group 0 when it reads secret files. */
export function containerUser(name: string, spec: DockerServiceSpec): string | undefined {
  if (Object.keys(spec.secretFiles ?? {}).length === 0) return spec.user;
  if (spec.user === undefined) return secretReaderUser(spec.image);
  const [uid, gid] = spec.user.split(":");
  if (uid !== "0" && gid !== "0")
    throw new pulumi.InputPropertyError({
      propertyPath: `${name}.user`,
      reason: `'${spec.user}' cannot read the container's secret files (mode ${secretFileMode}, root:root); run it in group 0 ('${uid}:0') or leave 'user' unset`,
    });
  return spec.user;
}

/**
 * `cpus` as the provider reads it back from the engine (NanoCPUs as a decimal: "1.0", "0.25"),
 * so the state matches the program: "1" against "1.0" replaced Prometheus on every real `up`.
 */
export function dockerCpus(cores: number): string {
  return Number.isInteger(cores) ? cores.toFixed(1) : String(Number(cores.toFixed(9)));
}

function memoryMb(resources: Resources): number {
  return Math.round(sizeBytes(resources.memory) / 2 ** 20);
}

export function dockerService(parent: pulumi.Resource, name: string, target: DockerTarget, spec: DockerServiceSpec): DockerService {
  const user = containerUser(name, spec);
  // The Docker provider comes from the parent component's resource options.
  const opts: pulumi.CustomResourceOptions = { parent };
  const image = new docker.RemoteImage(`${name}-image`, { name: pulledImage(spec.image, target.registryMirror), keepLocally: true }, opts);
  const volume = spec.dataPath ? new docker.Volume(`${name}-data`, { name: `${target.prefix}-${spec.alias}-data` }, { ...opts, retainOnDelete: true }) : undefined;
  const uploads: docker.types.input.ContainerUpload[] = [
    ...Object.entries(spec.files ?? {}).map(([file, content]) => ({ file, content })),
    ...Object.entries(spec.secretFiles ?? {}).map(([file, content]) => ({ file, content: pulumi.secret(content), permissions: secretFileMode })),
  ];
  const volumes: docker.types.input.ContainerVolume[] = [
    ...(volume && spec.dataPath ? [{ volumeName: volume.name, containerPath: spec.dataPath }] : []),
    ...(spec.hostMounts ?? []).map((m) => ({ hostPath: m.hostPath, containerPath: m.containerPath, readOnly: true })),
  ];
  const container = new docker.Container(
    `${name}`,
    {
      name: `${target.prefix}-${spec.alias}`,
      image: image.imageId,
      entrypoints: spec.entrypoint,
      command: spec.command,
      user,
      envs: Object.entries(spec.envs ?? {}).map(([k, v]) => `${k}=${v}`),
      uploads,
      volumes,
      ports: (spec.ports ?? []).map((p) => ({ internal: p.internal, external: p.external + target.portOffset, ip: target.bindAddress })),
      networksAdvanced: containerNetworks(target, spec),
      hosts: spec.reachesHost ? [hostGateway] : undefined,
      healthcheck: spec.healthcheck ? { tests: ["CMD", ...spec.healthcheck], interval: "15s", timeout: "5s", retries: 5, startPeriod: "30s" } : undefined,
      memory: memoryMb(spec.resources),
      // Docker fills in a swap limit of twice `memory` when none is given, and the provider then
      // sees a change on every preview; equal to `memory` it is set, and means no swap.
      memorySwap: memoryMb(spec.resources),
      cpus: dockerCpus(cpuCores(spec.resources.cpu)),
      restart: spec.oneShot ? "on-failure" : "unless-stopped",
      ...(spec.oneShot ? { mustRun: false, maxRetryCount: 5 } : {}),
      privileged: spec.privileged,
      labels: Object.entries({ "watchpost.service": spec.alias, ...(spec.labels ?? {}) }).map(([label, value]) => ({ label, value })),
      logDriver: "json-file",
      logOpts: { "max-size": "10m", "max-file": "3" },
    },
    { ...opts, dependsOn: [target.network] },
  );
  return { container, image, volume };
}

/**
 * The stack's own network first, where the container has its alias; then, for a container that
 * reaches configured endpoints, the existing networks it joins. No alias there: the app's own
 * services may be called `prometheus` or `loki`, and an alias would answer for them too.
 */
export function containerNetworks(target: DockerTarget, spec: Pick<DockerServiceSpec, "alias" | "reachesHost">): docker.types.input.ContainerNetworksAdvanced[] {
  const joined = spec.reachesHost ? (target.joinedNetworks ?? []) : [];
  return [{ name: target.network.name, aliases: [spec.alias] }, ...joined.map((name) => ({ name }))];
}

/** Host-side URL of a published port. */
export function publishedUrl(target: DockerTarget, port: number, path = ""): string {
  const host = target.bindAddress === "0.0.0.0" ? "localhost" : target.bindAddress;
  return `http://${host}:${port + target.portOffset}${path}`;
}
