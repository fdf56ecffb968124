/**
 * Pulling every image through a registry mirror (a pull-through cache), on both
 * platforms. One form, for every image and every registry:
 *
 *   <registry>/<path>:<tag>  →  <mirror>/<registry>/<path>:<tag>
 *   docker.io/grafana/grafana:<tag>  →  mirror.example.com/docker.io/grafana/grafana:<tag>
 *
 * The upstream registry stays in the path because Watchpost pulls from several
 * (docker.io, quay.io, ghcr.io, registry.k8s.io, public.ecr.aws): a mirror that
 * drops it (`<mirror>/<path>`) cannot tell quay.io/prometheus/prometheus from a
 * Docker Hub account `prometheus`. The mirror serves one proxy per upstream,
 * named after the registry's host: a Harbor proxy-cache project `docker.io`, an
 * ECR pull-through cache rule with prefix `quay.io`, and so on. Docker Hub's
 * one-word official images get their implicit `library/`.
 */
import { z } from "zod";
import { type ImageName, type ImageParts, imageParts, images } from "../../model/versions";

const hostPattern = /^(localhost|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)(:\d{1,5})?$/;
const pathSegment = /^[a-z0-9]+([._-][a-z0-9]+)*$/;

/** Why a mirror reference is unusable, or undefined when it is fine. */
export function mirrorProblem(value: string): string | undefined {
  const example = "such as mirror.example.com, registry.internal:5000 or harbor.example.com/proxy";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return `expected a registry host, not a URL; drop the scheme (${value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")})`;
  if (value.endsWith("/")) return `expected no trailing slash (${value.replace(/\/+$/, "")})`;
  if (value !== value.toLowerCase()) return `expected lower case, as image references are (${value.toLowerCase()})`;
  const [host, ...path] = value.split("/");
  if (!hostPattern.test(host)) return `expected a registry host with an optional port and path, ${example}`;
  if (!host.includes(".") && !host.includes(":") && host !== "localhost")
    return `'${host}' has no dot or port, so Docker and Kubernetes would read it as a Docker Hub account, not a registry; use its full name or add the port (${host}.example.com, ${host}:5000)`;
  const bad = path.find((p) => !pathSegment.test(p));
  if (bad !== undefined) return `path segment '${bad}' is not valid in an image reference; expected lower-case letters, digits and . _ -, ${example}`;
  if (/[@:]/.test(path.join("/"))) return `expected no tag or digest, ${example}`;
  return undefined;
}

export const imagesSpec = z
  .strictObject({
    /**
     * Pull every image, on Docker and on Kubernetes (the charts' own images included), through this
     * registry mirror: `<registry>/<path>:<tag>` becomes `<registryMirror>/<registry>/<path>:<tag>`.
     * A host with an optional port and path, no scheme. @default none: images come from their registries
     */
    registryMirror: z
      .string({ error: "expected a registry host such as mirror.example.com" })
      .superRefine((value, ctx) => {
        const problem = mirrorProblem(value);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
  })
  .prefault({});
export type ImagesSpec = z.infer<typeof imagesSpec>;

/** `<mirror>/<registry>` for a chart value that takes the registry apart, or the registry itself. */
export function viaMirror(registry: string, mirror: string | undefined): string {
  return mirror ? `${mirror}/${registry}` : registry;
}

/** A chart's `repository` value that names its registry (`quay.io/x/y`) or, on Docker Hub, none (`x/y`), through the mirror. */
export function repositoryViaMirror(repository: string, mirror: string | undefined): string {
  if (!mirror) return repository;
  const first = repository.split("/")[0];
  const hasHost = first.includes(".") || first.includes(":") || first === "localhost";
  return hasHost ? `${mirror}/${repository}` : `${mirror}/docker.io/${repository.includes("/") ? repository : `library/${repository}`}`;
}

/**
 * A pinned image's parts as pulled: without a mirror, `imageParts`; with one, the mirror and the
 * upstream registry become the registry (`mirror.example.com/docker.io`), so charts that join
 * `registry/repository` and those that take `repository` whole both pull through the mirror.
 */
export function pulledImageParts(name: ImageName, mirror: string | undefined): ImageParts {
  const parts = imageParts(name);
  if (!mirror) return parts;
  const path = parts.registry === "docker.io" && !parts.path.includes("/") ? `library/${parts.path}` : parts.path;
  const registry = viaMirror(parts.registry, mirror);
  return { registry, path, repository: `${registry}/${path}`, tag: parts.tag };
}

/** A pinned image's full reference as pulled, such as `mirror.example.com/docker.io/grafana/grafana:<tag>`. */
export function pulledImage(name: ImageName, mirror: string | undefined): string {
  if (!mirror) return images[name];
  const parts = pulledImageParts(name, mirror);
  return `${parts.repository}:${parts.tag}`;
}

/**
 * A chart's own image (one Watchpost does not pin) pulled through the mirror: `{ image: { registry:
 * "<mirror>/<registry>" } }` under `key`, or nothing without a mirror. `registry` is the chart's
 * default for that image; a test checks it against the chart's values.yaml.
 */
export function chartImageViaMirror(registry: string, mirror: string | undefined, key = "image"): Record<string, unknown> {
  return mirror ? { [key]: { registry: viaMirror(registry, mirror) } } : {};
}
