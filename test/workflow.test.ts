/**
 * The pull-request workflow: actions pinned to commits, least privilege per job,
 * the Pulumi token from OIDC, fully qualified stack names, and the same Node.js
 * line, lint and typecheck the project asks for.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = resolve(__dirname, "..");
const source = readFileSync(resolve(root, ".github/workflows/pull-request.yml"), "utf8");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  permissions?: Record<string, string>;
  steps: Step[];
}
const workflow = parse(source) as { permissions?: unknown; jobs: Record<string, Job> };
const jobs = Object.entries(workflow.jobs);
const project = (parse(readFileSync(resolve(root, "Pulumi.yaml"), "utf8")) as { name: string }).name;
const uses = (job: Job) => job.steps.flatMap((s) => (s.uses ? [s.uses.split("@")[0]] : []));

describe("the pull-request workflow", () => {
  it("pins every action to a full commit SHA, with its release in a comment", () => {
    const lines = source.split("\n").filter((l) => /^\s*-?\s*uses:/.test(l));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line, line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/);
  });

  it("grants nothing by default and each job only what it uses; id-token only where OIDC is used", () => {
    expect(workflow.permissions).toEqual({});
    const oidcActions = ["pulumi/auth-actions", "aws-actions/configure-aws-credentials"];
    for (const [name, job] of jobs) {
      expect(job.permissions, name).toBeDefined();
      expect(job.permissions?.contents, name).toBe("read");
      const oidc = uses(job).some((u) => oidcActions.includes(u));
      expect(job.permissions?.["id-token"], name).toBe(oidc ? "write" : undefined);
      const comments = job.steps.some((s) => s.with?.["comment-on-pr"] === true);
      expect(job.permissions?.["pull-requests"], name).toBe(comments ? "write" : undefined);
      for (const value of Object.values(job.permissions ?? {})) expect(["read", "write"]).toContain(value);
    }
  });

  it("gets the Pulumi token through OIDC, never from a stored secret", () => {
    expect(source).not.toContain("PULUMI_ACCESS_TOKEN");
    for (const [name, job] of jobs) {
      const pulumi = job.steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
      if (pulumi < 0) continue;
      const auth = job.steps.findIndex((s) => s.uses?.startsWith("pulumi/auth-actions@"));
      expect(auth, name).toBeGreaterThanOrEqual(0);
      expect(auth, name).toBeLessThan(pulumi);
      expect(job.steps[auth].with).toEqual({ organization: "${{ vars.PULUMI_ORG }}", "requested-token-type": "urn:pulumi:token-type:access_token:organization" });
    }
  });

  it("names every stack fully: <organization>/<project>/<stack>", () => {
    const names = jobs.flatMap(([, job]) => job.steps.flatMap((s) => (s.with?.["stack-name"] ? [String(s.with["stack-name"])] : [])));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toBe(`\${{ vars.PULUMI_ORG }}/${project}/\${{ matrix.stack }}`);
  });

  it("runs on the Node.js line engines names, and runs the lint, the typecheck and .ci/run", () => {
    const engines = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")).engines.node as string;
    const major = /^>=(\d+)\./.exec(engines)?.[1];
    const versions = jobs.flatMap(([, job]) => job.steps.flatMap((s) => (s.uses?.startsWith("actions/setup-node@") ? [String(s.with?.["node-version"])] : [])));
    expect(versions.length).toBe(jobs.length);
    for (const v of versions) expect(v).toBe(major);
    const runs = jobs.flatMap(([, job]) => job.steps.flatMap((s) => (s.run ? [s.run] : [])));
    expect(runs).toContain("npm run lint");
    expect(runs).toContain("npm run typecheck");
    expect(runs.some((r) => r.includes("bash .ci/run"))).toBe(true);
    expect(readFileSync(resolve(root, ".ci/run"), "utf8")).toMatch(/^npm run typecheck$/m);
  });
});
