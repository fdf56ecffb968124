import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");

describe("the package, as another Pulumi project imports it", () => {
  // Inside the checkout (git-ignored) so the build resolves the project's node_modules like an installed package.
  mkdirSync(path.join(root, ".vitest-tmp"), { recursive: true });
  const out = mkdtempSync(path.join(root, ".vitest-tmp", "build-"));
  it("builds with type declarations", () => {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json"), "--outDir", out], { cwd: root, stdio: "pipe" });
    expect(existsSync(path.join(out, "index.js"))).toBe(true);
    expect(existsSync(path.join(out, "index.d.ts"))).toBe(true);
  }, 120_000);

  it("instantiates the components from the build output", () => {
    const stdout = execFileSync(process.execPath, [path.join(__dirname, "fixtures", "consumer.cjs"), path.join(out, "index.js")], { cwd: root, encoding: "utf8" });
    const result = JSON.parse(stdout);
    expect(result.registered).toEqual(
      expect.arrayContaining([
        "watchpost:logging:LoggingStack/logs",
        "watchpost:tracing:TracingStack/traces",
        "watchpost:alerting:AlertRouting/alerts",
        "docker:index/container:Container/logs-loki",
        "docker:index/container:Container/traces-jaeger",
        "docker:index/container:Container/alerts-alertmanager-0",
      ]),
    );
    expect(result.loki).toBe("http://loki:3100");
    expect(result.traces).toBe("http://jaeger:16686");
    expect(result.am).toEqual(["http://127.0.0.1:9093"]);
  }, 60_000);
});
