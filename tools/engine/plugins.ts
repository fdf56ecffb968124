/**
 * The resource providers the program needs, by the plugin name and version each
 * npm SDK package declares (`"pulumi": { "name", "version" }` in its
 * package.json), and where `npm run tools` puts a provider built from source:
 *
 *   <tools cache>/pulumi-resource-<name>/<version>/bin/pulumi-resource-<name>
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { cacheRoot } from "../cache";

const root = resolve(__dirname, "..", "..");

export interface ProviderPackage {
  /** npm package, "@pulumi/docker". */
  npm: string;
  /** Plugin name, "docker". */
  name: string;
  /** Plugin version without "v", "5.2.0". */
  version: string;
}

/** Every resource provider package among package.json's dependencies. */
export function providerPackages(): ProviderPackage[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const found: ProviderPackage[] = [];
  for (const npm of Object.keys(pkg.dependencies).sort()) {
    const manifest = join(root, "node_modules", npm, "package.json");
    if (!existsSync(manifest)) continue;
    const meta = JSON.parse(readFileSync(manifest, "utf8")) as { version: string; pulumi?: { resource?: boolean; name?: string; version?: string } };
    if (!meta.pulumi?.resource) continue;
    found.push({ npm, name: meta.pulumi.name ?? npm.replace(/^@pulumi\//, ""), version: (meta.pulumi.version ?? meta.version).replace(/^v/, "") });
  }
  return found;
}

export function providerDir(name: string, version: string): string {
  return join(cacheRoot(), `pulumi-resource-${name}`, version);
}

export function providerBinary(name: string, version: string): string {
  return join(providerDir(name, version), "bin", `pulumi-resource-${name}`);
}

export interface BuiltProvider extends ProviderPackage {
  binary: string;
}

/** The providers whose source build is complete in the tools cache. */
export function builtProviders(): BuiltProvider[] {
  return providerPackages()
    .map((p) => ({ ...p, binary: providerBinary(p.name, p.version) }))
    .filter((p) => existsSync(p.binary) && existsSync(join(providerDir(p.name, p.version), "built.json")));
}
