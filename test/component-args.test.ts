/**
 * Each component's arguments live in its `args.ts` with their defaults: every field says
 * its `@default` or that it is `Required`, and no file of a component imports the
 * component's own index (the type-only loop docker.ts → index.ts → docker.ts is gone).
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = path.join(__dirname, "..");
const components = ["prometheus", "alerting", "logging", "tracing"];

/** Every property of the exported `*Args` interfaces (nested object types too) whose doc says neither `@default` nor `Required`. */
function undocumentedFields(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const missing: string[] = [];
  const visit = (members: ts.NodeArray<ts.TypeElement>, prefix: string) => {
    for (const member of members) {
      if (!ts.isPropertySignature(member) || !member.name) continue;
      const name = `${prefix}${member.name.getText(source)}`;
      const doc = ts
        .getJSDocCommentsAndTags(member)
        .map((d) => d.getText(source))
        .join("\n");
      if (!/@default\b|\bRequired\b/.test(doc)) missing.push(name);
      if (member.type && ts.isTypeLiteralNode(member.type)) visit(member.type.members, `${name}.`);
    }
  };
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text.endsWith("Args")) visit(node.members, `${node.name.text}.`);
  });
  return missing;
}

describe("component arguments: one place, every field's default written down", () => {
  for (const component of components) {
    it(`${component}: args.ts declares the Args and a defaults object; every field has @default or Required`, () => {
      const file = path.join(root, "components", component, "args.ts");
      const text = readFileSync(file, "utf8");
      expect(text).toMatch(/export interface \w+Args \{/);
      expect(text).toMatch(/export const \w+Defaults = \{/);
      expect(undocumentedFields(file, text)).toEqual([]);
    });

    it(`${component}: index.ts declares no Args of its own and no file of the folder imports ./index`, () => {
      const dir = path.join(root, "components", component);
      expect(readFileSync(path.join(dir, "index.ts"), "utf8")).not.toMatch(/export interface \w+Args\b/);
      const importers = readdirSync(dir)
        .filter((f) => f.endsWith(".ts") && f !== "index.ts")
        .filter((f) => /from "\.\/index(\.js)?"/.test(readFileSync(path.join(dir, f), "utf8")));
      expect(importers).toEqual([]);
    });
  }

  it("the check finds a field without a default or Required", () => {
    const text =
      "export interface FooArgs {\n  /** Documented. @default 1 */\n  a?: number;\n  /** Nothing said. */\n  b?: string;\n  c: {\n    /** Required. */\n    d: string;\n    e: number;\n  };\n}\n";
    expect(undocumentedFields("foo.ts", text)).toEqual(["FooArgs.b", "FooArgs.c", "FooArgs.c.e"]);
  });
});
