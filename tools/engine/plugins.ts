/**
 * The resource providers the program needs, by the plugin name and version each
 * npm SDK package declares (`"pulumi": { "name", "version" }` in its
 * package.json), and which of them `npm run tools` has built from source
 * (tools/engine/providers/).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { dockerProviderBinary, dockerProviderBuilt, dockerProviderVersions } from "./providers/docker";
import { randomProviderBinary, randomProviderVersions, readRandomProviderStamp } from "./providers/random";

const root = resolve(__dirname, "..", "..");

export interface ProviderPackage {
  /** npm package, "@pulumi/docker". */
  npm: string;
  /** Plugin name, "docker". */
  name: string;
  /** Plugin version without "v", "5.2.0". */
  version: string;
}

/** Every resource provider package among package.json's dependencies and devDependencies (where the project pins its own copies). */
export function providerPackages(): ProviderPackage[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const found: ProviderPackage[] = [];
  for (const npm of [...new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})])].sort()) {
    const manifest = join(root, "node_modules", npm, "package.json");
    if (!existsSync(manifest)) continue;
    const meta = JSON.parse(readFileSync(manifest, "utf8")) as { version: string; pulumi?: { resource?: boolean; name?: string; version?: string } };
    if (!meta.pulumi?.resource) continue;
    found.push({ npm, name: meta.pulumi.name ?? npm.replace(/^@pulumi\//, ""), version: (meta.pulumi.version ?? meta.version).replace(/^v/, "") });
  }
  return found;
}

/** The providers `npm run tools` builds from source, each by its own build module's checks and paths. */
export const sourceBuilds: Record<string, { release: string; built: () => boolean; binary: () => string }> = {
  docker: { release: dockerProviderVersions.sdk, built: dockerProviderBuilt, binary: dockerProviderBinary },
  random: { release: randomProviderVersions.release, built: () => readRandomProviderStamp() !== undefined, binary: randomProviderBinary },
};

export interface BuiltProvider extends ProviderPackage {
  binary: string;
}

/** The providers the program needs whose source build, at the version its npm package asks for, is complete. */
export function builtProviders(): BuiltProvider[] {
  return providerPackages().flatMap((p) => {
    const build = sourceBuilds[p.name];
    return build && build.release === p.version && build.built() ? [{ ...p, binary: build.binary() }] : [];
  });
}
