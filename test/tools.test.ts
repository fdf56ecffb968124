/**
 * The tools the suite runs are the releases Watchpost deploys: each built
 * binary reports the version `model/versions.ts` pins for its image, the
 * README's `npm run tools` commands work as written, and a build that cannot
 * work says which module and why.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { images } from "../model/versions";
import { ToolBuildError, buildModule, versionLdflags, wrapperEdits } from "../tools/build";
import { type ToolName, moduleOf, prometheusModuleVersion, toolModules, tools } from "../tools/catalog";
import { readRandomProviderStamp } from "../tools/engine/providers/random";
import { built, tool } from "./support/tools";

const root = resolve(__dirname, "..");
const npm = (args: string[]) => spawnSync("npm", ["run", "-s", "tools", "--", ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });

describe("the tool catalogue reads its versions from model/versions.ts", () => {
  it("maps each image tag to its Go module version (Prometheus 3.x is module v0.3xx)", () => {
    expect(prometheusModuleVersion("v3.14.0")).toBe("v0.314.0");
    expect(prometheusModuleVersion("v3.2.1")).toBe("v0.302.1");
    expect(() => prometheusModuleVersion("v2.53.0")).toThrow(/not a 3.x release/);
    const tags: Record<ToolName, string> = {
      prometheus: images.prometheus,
      promtool: images.prometheus,
      alertmanager: images.alertmanager,
      amtool: images.alertmanager,
      nodeExporter: images.nodeExporter,
      blackboxExporter: images.blackboxExporter,
    };
    for (const [name, image] of Object.entries(tags)) expect(`v${moduleOf(name as ToolName).release}`).toBe(image.slice(image.lastIndexOf(":") + 1));
  });

  it("repeats upstream's replace and exclude directives in the wrapper, and refuses a local-path replace", () => {
    const mod = toolModules[0];
    expect(
      wrapperEdits(mod, {
        Replace: [{ Old: { Path: "cloud.google.com/go" }, New: { Path: "cloud.google.com/go", Version: "v0.123.0" } }],
        Exclude: [{ Path: "github.com/linode/linodego", Version: "v1.0.0" }],
      }),
    ).toEqual(["-replace=cloud.google.com/go=cloud.google.com/go@v0.123.0", "-exclude=github.com/linode/linodego@v1.0.0"]);
    expect(() => wrapperEdits(mod, { Replace: [{ Old: { Path: "example.com/x" }, New: { Path: "./x" } }] })).toThrow(/local path \.\/x/);
  });

  it("stamps the release into the binary the way upstream's release tooling does", () => {
    const release = images.alertmanager.slice(images.alertmanager.lastIndexOf(":v") + 2);
    expect(release).toMatch(/^\d+\.\d+\.\d+$/);
    expect(versionLdflags(moduleOf("alertmanager"))).toContain(`-X github.com/prometheus/common/version.Version=${release}`);
  });
});

describe("a build that cannot work names the module and the reason", () => {
  const dir = mkdtempSync(join(tmpdir(), "watchpost-tools-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("fails on a version the module proxy does not have", () => {
    const previous = process.env.WATCHPOST_TOOLS_DIR;
    process.env.WATCHPOST_TOOLS_DIR = dir;
    try {
      const bogus = { ...moduleOf("nodeExporter"), moduleVersion: "v0.0.0-does-not-exist" };
      let error: unknown;
      try {
        buildModule(bogus, () => undefined);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ToolBuildError);
      expect(String((error as Error).message)).toMatch(/^building github\.com\/prometheus\/node_exporter@v0\.0\.0-does-not-exist failed at download/);
    } finally {
      if (previous === undefined) delete process.env.WATCHPOST_TOOLS_DIR;
      else process.env.WATCHPOST_TOOLS_DIR = previous;
    }
  });
});

describe("the built tools", () => {
  const names = Object.keys(tools) as ToolName[];
  const missing = names.filter((n) => !tool(n));

  it.skipIf(missing.length > 0).each(names)("%s reports the release versions.ts pins", (name) => {
    const out = execFileSync(tool(name) as string, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const { release } = moduleOf(name);
    expect(out.split("\n")[0]).toMatch(new RegExp(`version ${release.replaceAll(".", "\\.")} `));
  });

  it.skipIf(missing.length > 0)(`npm run tools -- --path promtool prints the built binary (${built("promtool")})`, () => {
    const r = npm(["--path", "promtool"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(tool("promtool"));
  });

  // npm run tools also builds pulumi-resource-random (test/engine/random-provider.test.ts checks it).
  it.skipIf(missing.length > 0 || !readRandomProviderStamp())("npm run tools -- --list lists every tool as built, and a second npm run tools builds nothing", () => {
    const list = npm(["--list"]);
    expect(list.status).toBe(0);
    for (const name of names) expect(list.stdout).toContain(`${tools[name].binary}\t${moduleOf(name).release}\t`);
    expect(list.stdout).not.toContain("not built");
    const again = npm([]);
    expect(again.status).toBe(0);
    expect(again.stderr).not.toContain("building ");
    for (const mod of toolModules) expect(again.stderr).toContain(`${mod.id} ${mod.release}: cached`);
  });

  it("rejects an unknown tool or option with the usage", () => {
    const r = npm(["--path", "grafana"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--path needs a tool name, got "grafana"');
    expect(r.stderr).toContain("tools: prometheus, promtool, alertmanager, amtool, nodeExporter, blackboxExporter");
  });
});
