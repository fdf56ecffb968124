/**
 * Synth time and the Pulumi program's run time under mocks, for dev and prod,
 * and the dev stack's total container memory limits as the program under
 * mocks declares them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { synth } from "../infra/synth";
// The mock harness the stack tests use; imported, not copied.
import { runStack } from "../harness/pulumi-mocks";
import { prodSecrets } from "../harness/stacks";

/**
 * The secrets prod needs set before it validates (its enabled channels and OIDC), as a user
 * has them after `pulumi config set --secret`; marked set with a placeholder, never a value.
 */

export interface StackFiles {
  dev: string;
  prod: string;
  cleanup(): void;
}

/** Stack files as synth reads them: dev as committed, prod with its secrets marked set. */
export function stackFiles(): StackFiles {
  const dir = mkdtempSync(path.join(tmpdir(), "watchpost-bench-stacks-"));
  const doc = parse(readFileSync(stackFilePath("prod"), "utf8"));
  for (const key of prodSecrets) doc.config[`watchpost:${key}`] = { secure: "v1:placeholder-not-a-secret" };
  const prod = path.join(dir, "Pulumi.prod.yaml");
  writeFileSync(prod, stringify(doc));
  return { dev: stackFilePath("dev"), prod, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function timed(fn: () => unknown | Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** `synth()` as `npm run synth` calls it (parse, plan, write every file), `runs` times; the first run is cold. */
export async function synthTimes(stack: "dev" | "prod", file: string, runs: number): Promise<number[]> {
  const out = mkdtempSync(path.join(tmpdir(), `watchpost-bench-synth-${stack}-`));
  try {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await timed(() => synth(stack, out, file)));
    return times;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export interface MockRun {
  times: number[];
  resources: number;
  /** Docker containers and their memory limits in MiB (dev). */
  containers: Array<{ name: string; memoryMiB: number }>;
}

/** The whole Pulumi program (deployStack) under pulumi.runtime.setMocks, `runs` times; the first run is cold. */
export async function programUnderMocks(stack: "dev" | "prod", file: string, runs: number): Promise<MockRun> {
  const raw = readStackFile(file);
  const times: number[] = [];
  let last: Awaited<ReturnType<typeof runStack>> | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await runStack(stack, raw, (key) => `placeholder-${key}`);
    times.push(performance.now() - t0);
  }
  const containers = (last?.byType("docker:index/container:Container") ?? []).map((c) => ({
    name: String(c.inputs.networksAdvanced?.[0]?.aliases?.[0] ?? c.name),
    memoryMiB: Number(c.inputs.memory),
  }));
  return { times, resources: last?.resources.length ?? 0, containers };
}
