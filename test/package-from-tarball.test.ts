/**
 * The package as another Pulumi project gets it: `npm pack` (which builds dist/ on
 * prepack), the tarball installed into a separate project with its own node_modules
 * (outside this checkout, so nothing resolves from ours), then a program there
 * imports the components by the package's name and runs them under Pulumi mocks.
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const work = mkdtempSync(path.join(tmpdir(), "watchpost-consumer-"));
const consumer = path.join(work, "consumer");
// Asynchronous, so the test worker stays responsive while npm builds and installs.
const run = async (file: string, args: string[], cwd: string) => (await promisify(execFile)(file, args, { cwd, encoding: "utf8", maxBuffer: 64 * 2 ** 20 })).stdout;
const npm = (args: string[], cwd: string) => run("npm", [...args, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], cwd);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the package from its tarball, installed into a separate project", () => {
  let tarball = "";

  it("packs with the built entry point, its type declarations and the exports map", async () => {
    await npm(["pack", "--pack-destination", work], root);
    tarball = path.join(work, readdirSync(work).find((f) => f.endsWith(".tgz")) as string);
    const files = (await run("tar", ["-tzf", tarball], work)).split("\n");
    expect(files).toContain("package/dist/index.js");
    expect(files).toContain("package/dist/index.d.ts");
    expect(files.filter((f) => /^package\/(infra|test|tools|e2e|drill|bench)\//.test(f))).toEqual([]);
    expect(manifest.exports["."]).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" });
    // The components on optional peers have entry points of their own, so the main one needs neither peer.
    for (const entry of ["pagerduty", "grafana-access"]) {
      expect(files).toContain(`package/dist/components/${entry}/index.js`);
      expect(files).toContain(`package/dist/components/${entry}/index.d.ts`);
    }
  }, 180_000);

  it("installs into a project of its own, with one copy of the Pulumi SDK", async () => {
    // The consumer brings the Pulumi SDKs (peer dependencies), at the versions this project tests with.
    const peers = Object.fromEntries(Object.keys(manifest.peerDependencies).map((name) => [name, manifest.devDependencies[name]]));
    mkdirSync(consumer);
    writeFileSync(
      path.join(consumer, "package.json"),
      JSON.stringify({ name: "consumer", private: true, dependencies: { ...peers, "@watchpost/platform": `file:${tarball}` } }, null, 2),
    );
    await npm(["install"], consumer);
    expect(existsSync(path.join(consumer, "node_modules", "@watchpost", "platform", "dist", "index.js"))).toBe(true);
    const copies = (await npm(["ls", "@pulumi/pulumi", "--all", "--parseable"], consumer)).trim().split("\n");
    expect(copies).toEqual([path.join(consumer, "node_modules", "@pulumi", "pulumi")]);
  }, 300_000);

  it("instantiates the components, imported by the package's name, under Pulumi mocks", async () => {
    copyFileSync(path.join(__dirname, "fixtures", "consumer.cjs"), path.join(consumer, "index.cjs"));
    const result = JSON.parse(await run(process.execPath, ["index.cjs"], consumer));
    expect(result.version).toBe(manifest.version);
    expect(result.registered).toEqual(
      expect.arrayContaining([
        "watchpost:logging:LoggingStack/logs",
        "watchpost:tracing:TracingStack/traces",
        "watchpost:alerting:AlertRouting/alerts",
        "docker:index/container:Container/logs-loki",
        "docker:index/container:Container/traces-jaeger",
        "docker:index/container:Container/alerts-alertmanager-0",
        "watchpost:pagerduty:PagerDutyEscalation/paging",
        "pagerduty:index/service:Service/paging-payments-service",
        "watchpost:grafana:GrafanaAccess/access",
        "grafana:oss/folderPermission:FolderPermission/access-folder-payments",
      ]),
    );
    expect(result.loki).toBe("http://loki:3100");
    expect(result.traces).toBe("http://jaeger:16686");
    expect(result.am).toEqual(["http://127.0.0.1:9093"]);
    // The package uses the project's engine SDK, so its resources register with the project's runtime.
    expect(result.sdk.fromPackage).toBe(result.sdk.project);
    expect(result.sdk.project.startsWith(path.join(consumer, "node_modules"))).toBe(true);
    // Only the exports map's entries are importable.
    expect(result.deepImport).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
  }, 60_000);
});
