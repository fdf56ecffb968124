import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { configReference, readmeReference } from "../infra/config/docs";
import { images } from "../components/versions";

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
});
