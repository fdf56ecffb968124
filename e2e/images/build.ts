/**
 * Builds the images of e2e/images/recipes.ts FROM scratch (nothing is pulled) out of
 * binaries built from source, tags each in the registry-mirror form Watchpost pulls
 * (`<registry>/quay.io/prometheus/prometheus:<tag>`, components/platform/mirror.ts) and
 * pushes it to the local registry. Every image Watchpost pins is in the result:
 * built, or not built with the reason.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pulledImage, pulledImageParts } from "../../components/platform/mirror";
import { type ImageName, images, imageUsers } from "../../model/versions";
import { buildModule } from "../../tools/build";
import { binaryPath } from "../../tools/cache";
import type { ToolModule } from "../../tools/catalog";
import { notBuilt } from "./catalog";
import { buildCollector, collectorComponents, collectorModule } from "./collector";
import { renderOtelCollectorConfig } from "../../components/tracing/render";
import { type ImageRecipe, recipes } from "./recipes";

export interface ImageBuildResult {
  name: ImageName;
  /** The reference pushed (or that would be): `<registry>/<upstream registry>/<path>:<tag>`. */
  ref: string;
  built: boolean;
  /** Why it was not built. */
  reason?: string;
  /** For a built image whose binary is not the pinned release (Jaeger): what it holds instead, and why. */
  note?: string;
  /** Wall time of this image: its binaries' build when not cached, `docker build` and `docker push`. */
  seconds: number;
}

export interface BuildImagesOptions {
  /** `host:port` of the registry to push to, such as startRegistry()'s `address`. */
  registry: string;
  /** The engine that builds and pushes, such as startDockerEngine()'s `host`. */
  dockerHost: string;
  /** Progress lines. @default nothing */
  log?: (line: string) => void;
  /** Build only these (the others are reported as not built, "not asked for"). @default every recipe */
  only?: ImageName[];
}

export const imageDescription = "built from source by Watchpost's e2e, not the upstream image";

/** What an image was built from, for its label: module@version, or the collector's component modules. */
export function builtFrom(recipe: ImageRecipe): string {
  if (recipe.module === collectorModule) {
    const c = collectorComponents(renderOtelCollectorConfig("trace-store", 512));
    return [...c.receivers, ...c.processors, ...c.exporters, ...c.extensions].map((m) => `${m}@${collectorModule.moduleVersion}`).join(",");
  }
  return `${recipe.module.module}@${recipe.module.moduleVersion}`;
}

const passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n";
const group = "root:x:0:\nnogroup:x:65534:\n";

function ensureBinaries(recipe: ImageRecipe, log: (line: string) => void): void {
  if (recipe.module === collectorModule) buildCollector(log);
  else buildModule(recipe.module, log);
}

const moduleDirs = new Map<string, string>();
function moduleSourceDir(mod: ToolModule): string {
  const key = `${mod.module}@${mod.moduleVersion}`;
  const known = moduleDirs.get(key);
  if (known) return known;
  const r = spawnSync("go", ["mod", "download", "-json", key], { encoding: "utf8", env: { ...process.env, GOFLAGS: "-mod=mod" }, cwd: tmpdir() });
  const dir = r.status === 0 ? (JSON.parse(r.stdout) as { Dir?: string }).Dir : undefined;
  if (!dir) throw new Error(`go mod download ${key} failed: ${r.stderr || r.error?.message}`);
  moduleDirs.set(key, dir);
  return dir;
}

/** A hard link when the cache and the temp dir share a file system (the binaries are large), else a copy. */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

function busyboxApplets(): string[] {
  const r = spawnSync("/usr/bin/busybox", ["--list"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error("no /usr/bin/busybox: install Debian's busybox-static");
  return r.stdout.split("\n").filter((a) => a && a !== "busybox");
}

/** Writes the build context (root/ for root's files, user/ for the user's) and returns the Dockerfile. */
export function stageContext(recipe: ImageRecipe, ctx: string): string {
  const { uid, gid } = imageUsers[recipe.image];
  const userDirs = recipe.userDirs ?? [];
  // user/<i>/<name> is copied into the parent of user dir i, so the dir itself keeps its mode.
  const underUserDir = (path: string) => userDirs.findIndex((d) => path === d.path || path.startsWith(`${d.path}/`));
  const place = (path: string) => {
    const i = underUserDir(path);
    return i < 0 ? join(ctx, "root", path) : join(ctx, "user", String(i), path.slice(dirname(userDirs[i].path).length));
  };
  const put = (path: string, write: (dest: string) => void, mode: number) => {
    const dest = place(path);
    mkdirSync(dirname(dest), { recursive: true });
    write(dest);
    chmodSync(dest, mode);
  };
  mkdirSync(join(ctx, "root"), { recursive: true });
  for (const d of userDirs) {
    mkdirSync(place(d.path), { recursive: true });
    chmodSync(place(d.path), d.mode ?? 0o755);
  }
  for (const f of recipe.files) {
    const from = f.from;
    if ("binary" in from) put(f.path, (d) => linkOrCopy(binaryPath(recipe.module, from.binary), d), f.mode ?? 0o755);
    else if ("moduleFile" in from) put(f.path, (d) => copyFileSync(join(moduleSourceDir(recipe.module), from.moduleFile), d), f.mode ?? 0o644);
    else if ("host" in from) put(f.path, (d) => copyFileSync(from.host, d), f.mode ?? 0o644);
    else put(f.path, (d) => writeFileSync(d, from.content), f.mode ?? 0o644);
  }
  if (recipe.busybox) {
    put("/bin/busybox", (d) => copyFileSync("/usr/bin/busybox", d), 0o755);
    for (const applet of busyboxApplets()) symlinkSync("busybox", join(ctx, "root", "bin", applet));
    mkdirSync(join(ctx, "root", "tmp"), { recursive: true });
    chmodSync(join(ctx, "root", "tmp"), 0o1777);
  }
  if (recipe.passwd) {
    put("/etc/passwd", (d) => writeFileSync(d, passwd), 0o644);
    put("/etc/group", (d) => writeFileSync(d, group), 0o644);
  }
  if (recipe.caCertificates) put("/etc/ssl/certs/ca-certificates.crt", (d) => copyFileSync("/etc/ssl/certs/ca-certificates.crt", d), 0o644);
  if (recipe.tzdata) {
    mkdirSync(join(ctx, "root", "usr", "share"), { recursive: true });
    cpSync("/usr/share/zoneinfo", join(ctx, "root", "usr", "share", "zoneinfo"), { recursive: true, verbatimSymlinks: true });
  }
  return renderDockerfile(recipe, `${uid}:${gid}`);
}

const json = (v: unknown) => JSON.stringify(v);

export function renderDockerfile(recipe: ImageRecipe, owner: string): string {
  const labels = {
    "org.opencontainers.image.description": imageDescription,
    "org.opencontainers.image.version": recipe.module.release,
    "dev.watchpost.e2e.built-from": builtFrom(recipe),
    "dev.watchpost.e2e.follows": recipe.upstream,
  };
  return [
    "FROM scratch",
    "COPY root/ /",
    ...(recipe.userDirs ?? []).map((d, i) => `COPY --chown=${owner} user/${i}/ ${dirname(d.path)}`),
    `LABEL ${Object.entries(labels)
      .map(([k, v]) => `${k}=${json(v)}`)
      .join(" \\\n      ")}`,
    ...Object.entries(recipe.env ?? {}).map(([k, v]) => `ENV ${k}=${json(v)}`),
    ...(recipe.workdir ? [`WORKDIR ${recipe.workdir}`] : []),
    ...(recipe.user ? [`USER ${recipe.user}`] : []),
    ...(recipe.expose.length > 0 ? [`EXPOSE ${recipe.expose.join(" ")}`] : []),
    ...(recipe.volumes?.length ? [`VOLUME ${json(recipe.volumes)}`] : []),
    `ENTRYPOINT ${json(recipe.entrypoint)}`,
    ...(recipe.cmd ? [`CMD ${json(recipe.cmd)}`] : []),
    "",
  ].join("\n");
}

function docker(host: string, args: string[], timeoutMs = 600_000): string {
  const r = spawnSync("docker", ["-H", host, ...args], {
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    // The classic builder: FROM scratch needs nothing pulled, and BuildKit would pull its frontend.
    env: { ...process.env, DOCKER_BUILDKIT: "0" },
  });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ""}\n${r.stderr ?? ""}${r.error ? r.error.message : ""}`.trim().split("\n").slice(-15).join("\n");
    throw new Error(`docker ${args.slice(0, 2).join(" ")} failed: ${tail}`);
  }
  return r.stdout;
}

/** Builds one recipe's image and pushes it; throws with the failing step. */
export function buildImage(recipe: ImageRecipe, opts: BuildImagesOptions): string {
  const log = opts.log ?? (() => {});
  const ref = pulledImage(recipe.image, opts.registry);
  ensureBinaries(recipe, log);
  const ctx = mkdtempSync(join(tmpdir(), "watchpost-image-"));
  try {
    writeFileSync(join(ctx, "Dockerfile"), stageContext(recipe, ctx));
    docker(opts.dockerHost, ["build", "--quiet", "--tag", ref, ctx]);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
  docker(opts.dockerHost, ["push", ref]);
  log(`pushed ${ref}`);
  return ref;
}

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

export async function buildImages(opts: BuildImagesOptions): Promise<ImageBuildResult[]> {
  const log = opts.log ?? (() => {});
  const results: ImageBuildResult[] = [];
  for (const name of Object.keys(images) as ImageName[]) {
    const ref = pulledImage(name, opts.registry);
    const recipe = recipes.find((r) => r.image === name);
    const skip = name in notBuilt ? notBuilt[name as keyof typeof notBuilt] : undefined;
    if (skip) results.push({ name, ref, built: false, reason: skip, seconds: 0 });
    else if (!recipe) results.push({ name, ref, built: false, reason: "not built: no recipe (not part of the dev stack the e2e deploys)", seconds: 0 });
    else if (opts.only && !opts.only.includes(name)) results.push({ name, ref, built: false, reason: "not asked for", seconds: 0 });
    else if (!opts.only && recipe.onRequest) results.push({ name, ref, built: false, reason: `built on request only: ${recipe.onRequest}`, seconds: 0 });
    else {
      const started = Date.now();
      log(`${name}: building ${ref} …`);
      try {
        buildImage(recipe, opts);
        const pinned = pulledImageParts(name, undefined).tag.replace(/^v/, "");
        const note = recipe.module.release === pinned ? undefined : (recipe.module.differs ?? `holds ${recipe.module.release}, not ${pinned}`);
        results.push({ name, ref, built: true, seconds: seconds(started), ...(note ? { note } : {}) });
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        log(`${name}: not built: ${reason}`);
        results.push({ name, ref, built: false, reason: `build failed: ${reason}`, seconds: seconds(started) });
      }
    }
    // Let timers (a caller's progress output, a test's watchdog) run between the synchronous builds.
    await new Promise((r) => setImmediate(r));
  }
  return results;
}
