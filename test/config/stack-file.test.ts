import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";
import { readPulumiConfig, readStackFile } from "../../infra/config/load";
import { ConfigError, parseStackConfig } from "../../infra/config/validate";
import { withoutTraceForConfigErrors } from "../../infra/stack";

const work = mkdtempSync(path.join(tmpdir(), "watchpost-stack-file-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("reading a stack", () => {
  it("names a stack file that does not exist, and the stacks beside it", () => {
    const message = messageOf(() => parseStackConfig("nosuch", readStackFile(path.join(__dirname, "../../Pulumi.nosuch.yaml"))));
    expect(message).toContain("Pulumi.nosuch.yaml: no such stack file; expected Pulumi.<stack>.yaml beside Pulumi.yaml (stacks there: dev, prod)");
  });

  it("checks the namespaces of the configuration a Pulumi program is handed, as of a stack file", () => {
    const raw = readPulumiConfig({ "aws:region": "eu-west-1", "watchpost:platform": "docker", "watchpots:logging": '{"enabled":false}', "pulumi:tags": "{}" }, () => false);
    expect(raw.values).toEqual({ platform: "docker" });
    const message = messageOf(() => parseStackConfig("dev", raw));
    expect(message).toContain(`watchpots:logging: got "{\\"enabled\\":false}"; unknown namespace 'watchpots'; did you mean watchpost:logging?`);
    expect(message).toMatch(/\(1 problem\)/);
  });

  it("never shows a secret's value when its namespace is wrong", () => {
    const raw = readPulumiConfig({ "watchpot:slackWebhookUrl": "https://hooks.example.com/secret" }, () => true);
    const message = messageOf(() => parseStackConfig("dev", raw));
    expect(message).toContain("watchpot:slackWebhookUrl: unknown namespace 'watchpot'");
    expect(message).not.toContain("hooks.example.com");
  });
});

describe("the Pulumi program", () => {
  it("ends with the problems as a RunError, which Pulumi prints without a stack trace", () => {
    const invalid = () => parseStackConfig("dev", { values: { prometheus: { retention: "1 month" } }, secrets: new Set() });
    let thrown: unknown;
    try {
      withoutTraceForConfigErrors(invalid);
    } catch (error) {
      thrown = error;
    }
    expect(pulumi.RunError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toContain('watchpost:prometheus.retention: got "1 month"; expected a duration');
  });

  it("lets every other error through unchanged", () => {
    const bug = new TypeError("a bug");
    expect(() =>
      withoutTraceForConfigErrors(() => {
        throw bug;
      }),
    ).toThrow(bug);
  });
});
