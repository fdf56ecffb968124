/**
 * Imports run downward only. Each top-level folder may import the folders
 * listed for it, and nothing above: the shared vocabulary (`model/`) imports
 * nothing of ours, `rules/` and `dashboards/` sit on it, the components on
 * them, the Pulumi program on the components, and the harness, drill, e2e,
 * bench and tests on top. A new import that runs up fails here with the file,
 * the line and the folder it reached.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const below: Record<string, readonly string[]> = {
  model: [],
  rules: ["model"],
  dashboards: ["model", "rules"],
  components: ["model", "rules", "dashboards"],
  tools: ["model"],
  infra: ["model", "rules", "dashboards", "components", "tools"],
  /** The component provider that serves the components to Python, Go and YAML programs. */
  provider: ["model", "rules", "dashboards", "components", "tools", "infra"],
  harness: ["model", "rules", "dashboards", "components", "tools", "infra"],
  drill: ["model", "rules", "dashboards", "components", "tools", "infra", "harness"],
  e2e: ["model", "rules", "dashboards", "components", "tools", "infra", "harness", "drill"],
  bench: ["model", "rules", "dashboards", "components", "tools", "infra", "harness", "drill", "e2e"],
};

const root = path.resolve(__dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return f === "node_modules" ? [] : sources(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

interface UpwardImport {
  file: string;
  line: number;
  specifier: string;
  reaches: string;
}

/** Every relative import in `text` (static, type-only, dynamic and `import("…")` types) that leaves `folder` for one not below it. */
function upwardImports(file: string, text: string, folder: string): UpwardImport[] {
  const allowed = new Set([folder, ...(below[folder] ?? [])]);
  const found: UpwardImport[] = [];
  const lines = text.split("\n");
  lines.forEach((content, i) => {
    for (const m of content.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = path.relative(root, path.resolve(path.dirname(file), m[1]));
      const top = target.split(path.sep)[0];
      if (top.startsWith("..") || allowed.has(top)) continue;
      found.push({ file: path.relative(root, file), line: i + 1, specifier: m[1], reaches: top });
    }
  });
  return found;
}

describe("imports run downward only", () => {
  for (const folder of Object.keys(below)) {
    it(`${folder}/ imports only ${below[folder].length ? below[folder].join(", ") : "nothing of ours"}`, () => {
      const upward = sources(path.join(root, folder)).flatMap((f) => upwardImports(f, readFileSync(f, "utf8"), folder));
      expect(upward.map((u) => `${u.file}:${u.line} imports ${u.specifier} (${u.reaches}/)`)).toEqual([]);
    });
  }

  it("the package's entry (index.ts at the root) exports model, rules, dashboards and components only", () => {
    const file = path.join(root, "index.ts");
    const reached = [...readFileSync(file, "utf8").matchAll(/from\s+["']\.\/([^/"']+)/g)].map((m) => m[1]);
    expect(reached.filter((top) => !below.components.includes(top) && top !== "components")).toEqual([]);
    expect(new Set(reached)).toEqual(new Set(["model", "rules", "dashboards", "components"]));
  });

  it("the check sees an upward import of each kind", () => {
    const file = path.join(root, "rules", "example.ts");
    const text = [
      'import { ports } from "../model/conventions";',
      'import { images } from "../components/prometheus/spec";',
      'import type { StackConfig } from "../infra/config/schema";',
      'type T = import("../dashboards/base").Dashboard;',
      'const lazy = await import("../drill/run");',
    ].join("\n");
    expect(upwardImports(file, text, "rules").map((u) => [u.line, u.reaches])).toEqual([
      [2, "components"],
      [3, "infra"],
      [4, "dashboards"],
      [5, "drill"],
    ]);
  });

  it("the shared vocabulary is the bottom layer: model/ imports only packages", () => {
    for (const f of sources(path.join(root, "model"))) {
      const relative = [...readFileSync(f, "utf8").matchAll(/["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
      const outside = relative.filter((s) => !path.resolve(path.dirname(f), s).startsWith(path.join(root, "model")));
      expect(outside, path.relative(root, f)).toEqual([]);
    }
  });
});
