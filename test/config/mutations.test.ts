/**
 * No stack trace for a user's mistake, whatever it is: the repository's stack
 * files with values swapped at random for values of the wrong type, range or
 * form must be synthesized or refused with a ConfigError, never crash. Seeded,
 * so a failure replays (MUTATIONS and MUTATION_SEED run more or other ones);
 * before the bad-input fixes, the default run found three crashes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { stackFilePath } from "../../infra/config/load";
import { ConfigError } from "../../infra/config/validate";
import { synth } from "../../infra/synth";
import { prodSecrets } from "../../harness/stacks";
import { customAlert } from "./bad-stacks";

const work = mkdtempSync(path.join(tmpdir(), "watchpost-mutations-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const oddStrings = ["", "x", "a b", "0s", "5d", "{{", "}}", "24:30", "-1", "Europe/Berlinn", "https://grafana.example.com/{{ .x", "rate(x)", "sum(rate(x[5m])) # per second"];
const oddValues: unknown[] = [null, 0, -1, 1.5, 65536, 1e21, true, [], [1], {}, { a: 1 }, ...oddStrings];

/** The repository's file, with the settings it leaves at their defaults written out, so they get mutated too. */
function base(stack: "dev" | "prod") {
  const doc = parse(readFileSync(stackFilePath(stack), "utf8"));
  if (stack === "prod") for (const key of prodSecrets) doc.config[`watchpost:${key}`] = { secure: "v1:AAAAencrypted" };
  const c = doc.config;
  c["watchpost:grafana"] = { rootUrl: "https://grafana.example.com" };
  c["watchpost:alertmanager"] = { retention: "120h" };
  c["watchpost:alerts"].custom = [customAlert({ labels: { team: "platform" }, description: "{{ $value | humanize }} per second" })];
  c["watchpost:routing"].groupBy = ["alertname", "service"];
  c["watchpost:routing"].maintenanceWindows = [
    { name: "weekly", intervals: [{ weekdays: ["sunday"], times: [{ start: "02:00", end: "04:00" }], months: ["january"], location: "Europe/Berlin" }], mutes: ["warning"] },
  ];
  if (stack === "dev") c["watchpost:docker"] = { portOffset: 0, networks: ["shop_default"] };
  return doc;
}

/** Paths to the scalar values of a document. */
function leaves(value: unknown, at: PropertyKey[] = [], out: PropertyKey[][] = []): PropertyKey[][] {
  if (value !== null && typeof value === "object") for (const key of Object.keys(value)) leaves((value as any)[key], [...at, Array.isArray(value) ? Number(key) : key], out);
  else out.push(at);
  return out;
}

describe("a stack file with values of the wrong kind", () => {
  it("is synthesized or refused with the list of problems, never a crash (1000 seeded mutations)", () => {
    // mulberry32: small, seeded, exact in 32-bit integer arithmetic.
    let seed = Number(process.env.MUTATION_SEED ?? 20261128);
    const next = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const crashes: string[] = [];
    for (let n = 0; n < Number(process.env.MUTATIONS ?? 1000); n++) {
      const stack = next(2) === 0 ? "dev" : "prod";
      const doc = base(stack);
      const targets = leaves(doc.config);
      for (let edits = 1 + next(2); edits > 0; edits--) {
        const at = targets[next(targets.length)];
        const parent = at.slice(0, -1).reduce<any>((v, k) => v?.[k as string], doc.config);
        if (parent === null || typeof parent !== "object") continue;
        // A careless author mostly writes a wrong string where a string goes, sometimes a value of the wrong type.
        const key = at[at.length - 1] as string;
        const pool = typeof parent[key] === "string" && next(4) > 0 ? oddStrings : oddValues;
        parent[key] = structuredClone(pool[next(pool.length)]);
      }
      const file = path.join(work, `Pulumi.${stack}.yaml`);
      writeFileSync(file, stringify(doc));
      try {
        synth(stack, path.join(work, "out"), file);
      } catch (error) {
        if (!(error instanceof ConfigError)) crashes.push(`${(error as Error).name}: ${(error as Error).message.split("\n")[0]}\n${stringify(doc.config)}`);
      }
    }
    expect(crashes).toEqual([]);
    // A bound against a hang, not a speed goal: on a busy 2-core machine the 1000 parses take minutes.
  }, 900_000);
});
