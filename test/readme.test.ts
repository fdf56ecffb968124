import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { images } from "../model/versions";
import { configReference, readmeReference } from "../infra/config/docs";
import { readStackFile } from "../infra/config/load";
import { parseStackConfig } from "../infra/config/validate";
import { ruleContext } from "../infra/plan";
import { alertNames } from "../components/catalogue";

const readme = readFileSync(path.resolve(__dirname, "../README.md"), "utf8");

describe("README", () => {
  it("carries the configuration reference the schema generates (run `npm run docs:config` after changing it)", () => {
    expect(readmeReference(readme)).toBe(configReference());
  });

  it("says, for every key, what it accepts", () => {
    const rows = (readmeReference(readme) ?? "").split("\n").filter((line) => line.startsWith("| `watchpost:"));
    expect(rows.length).toBeGreaterThan(150);
    for (const row of rows) {
      const accepted = row.split(" | ")[1];
      expect(accepted, row).not.toMatch(/^(|text|any value|string|object)$/);
    }
  });

  it("names the two set-up commands and the test command", () => {
    expect(readme).toContain("npm ci\nnpm run up -- --stack dev");
    expect(readme).toContain("npm run synth -- --stack dev --out out/dev");
    expect(readme).toContain("```sh\nnpm test\n```");
  });

  it("is the only place besides versions.ts that could name an image tag, and names none", () => {
    for (const ref of Object.values(images)) expect(readme).not.toContain(ref);
  });

  it("has a 'Tuning built-in alerts' example stack the validator accepts, and whose overrides show in the rules", () => {
    const section = readme.split("### Tuning built-in alerts")[1] ?? "";
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toContain("watchpost:alerts:");
    const dir = mkdtempSync(path.join(tmpdir(), "watchpost-readme-"));
    try {
      const file = path.join(dir, "Pulumi.staging.yaml");
      writeFileSync(file, example as string);
      const raw = readStackFile(file);
      expect(raw.problems ?? []).toEqual([]);
      const { config } = parseStackConfig("staging", raw);
      expect(config.alerts.overrides.HighErrorRate).toEqual({ for: "2m", severity: "warning", labels: { tier: "gold" } });
      expect(alertNames(ruleContext(config, "http://localhost:3000"))).not.toContain("HostClockSkew");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
