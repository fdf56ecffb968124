import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { images } from "../components/versions";
import { configReference, readmeReference } from "../infra/config/docs";
import { readStackFile } from "../infra/config/load";
import { parseStackConfig } from "../infra/config/validate";
import { planStack, ruleContext } from "../infra/plan";
import { alertNames } from "../rules";

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

  it("has a 'Logs: Loki or Elasticsearch' example stack the validator accepts, whose settings reach the rendered objects", () => {
    const section = readme.split("## Logs: Loki or Elasticsearch")[1] ?? "";
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toContain("backend: elasticsearch");
    const dir = mkdtempSync(path.join(tmpdir(), "watchpost-readme-"));
    try {
      const file = path.join(dir, "Pulumi.staging.yaml");
      writeFileSync(file, example as string);
      const raw = readStackFile(file);
      expect(raw.problems ?? []).toEqual([]);
      const { config } = parseStackConfig("staging", raw);
      expect(config.logging.backend).toBe("elasticsearch");
      const files = planStack(config).artifacts;
      expect(JSON.parse(files["elasticsearch/ilm-policy.json"]).policy.phases.delete.min_age).toBe("90d");
      const scrub = JSON.parse(files["elasticsearch/pipeline.json"]).processors.find((p: any) => p.remove?.tag === "scrub");
      expect(scrub.remove.field).toContain("card_number");
      expect(config.exporters.elasticsearch?.url).toBe("http://elasticsearch:9200");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
