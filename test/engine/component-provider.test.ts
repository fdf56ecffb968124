/**
 * The component provider (provider/) as the engine sees it: `pulumi package
 * get-schema` runs it through the Node.js language host's RunPlugin, and the
 * schema the provider infers from its facades' Args interfaces is what
 * `pulumi package add` generates SDKs for Python, Go and YAML from.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtEngine, sdkVersion } from "../../tools/engine/pulumi";
import { inCI } from "../support/tools";

const root = resolve(__dirname, "..", "..");
const engine = builtEngine();
if (!engine && inCI) throw new Error("the Pulumi CLI and language host are not built; run: npm run tools (.ci/run does)");
const tmp = mkdtempSync(join(tmpdir(), "watchpost-provider-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Property {
  type?: string;
  $ref?: string;
  plain?: boolean;
  items?: Property;
  oneOf?: unknown;
}
interface ResourceSpec {
  isComponent?: boolean;
  inputProperties: Record<string, Property>;
  requiredInputs?: string[];
  properties: Record<string, Property>;
  required?: string[];
}
interface Schema {
  name: string;
  version: string;
  resources: Record<string, ResourceSpec>;
  types?: Record<string, unknown>;
}

/** Runs the CLI in the repository, as the README shows it, with its own home and no plugin downloads. */
function pulumi(args: string[]) {
  const env = {
    ...process.env,
    PATH: `${resolve(engine?.pulumi ?? "", "..")}:${process.env.PATH}`,
    PULUMI_HOME: join(tmp, ".pulumi"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  return spawnSync(engine?.pulumi ?? "pulumi", [...args, "--non-interactive"], { cwd: root, env, encoding: "utf8", timeout: 300_000 });
}

const placement = { networkName: "string", prefix: "string", bindAddress: "string", portOffset: "number", environment: "string" };

describe.skipIf(!engine)(`source-built Pulumi CLI ${sdkVersion()}, Watchpost's Node.js language host (not upstream's): pulumi package get-schema ./provider`, () => {
  let schema: Schema;
  beforeAll(() => {
    // The command as the README shows it.
    const run = pulumi(["package", "get-schema", "./provider"]);
    expect(run.status, run.stderr).toBe(0);
    schema = JSON.parse(run.stdout) as Schema;
  }, 300_000);

  it("names the package watchpost at Watchpost's version, with the four facades as components", () => {
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    expect(schema.name).toBe("watchpost");
    expect(schema.version).toBe(version);
    expect(Object.keys(schema.resources).sort()).toEqual(["watchpost:index:AlertRouting", "watchpost:index:LoggingStack", "watchpost:index:PrometheusStack", "watchpost:index:TracingStack"]);
    for (const [token, r] of Object.entries(schema.resources)) expect(r.isComponent, token).toBe(true);
  });

  it("gives every facade flat inputs: strings, numbers and booleans, no unions, objects or references", () => {
    expect(schema.types ?? {}).toEqual({});
    const inputs = Object.fromEntries(
      Object.entries(schema.resources).map(([token, r]) => [token, Object.fromEntries(Object.entries(r.inputProperties).map(([k, p]) => [k, p.type]))]),
    );
    expect(inputs).toEqual({
      "watchpost:index:PrometheusStack": {
        ...placement,
        retention: "string",
        scrapeInterval: "string",
        evaluationInterval: "string",
        grafanaAdminUser: "string",
        grafanaAdminPassword: "string",
        grafanaRootUrl: "string",
        logging: "boolean",
        tracingBackend: "string",
      },
      "watchpost:index:AlertRouting": { ...placement, replicas: "number", retention: "string" },
      "watchpost:index:LoggingStack": { ...placement, retention: "string", volumeSize: "string" },
      "watchpost:index:TracingStack": { ...placement, backend: "string", retention: "string", volumeSize: "string" },
    });
    for (const r of Object.values(schema.resources)) for (const p of Object.values(r.inputProperties)) expect(p.$ref ?? p.oneOf).toBeUndefined();
  });

  it("takes the network and the Grafana password as Inputs, the values files are planned from as plain values", () => {
    const inputsOf = (token: string) => Object.fromEntries(Object.entries(schema.resources[token].inputProperties).map(([k, p]) => [k, p.plain === true ? "plain" : "Input"]));
    expect(inputsOf("watchpost:index:PrometheusStack")).toMatchObject({ networkName: "Input", grafanaAdminPassword: "Input", retention: "plain", logging: "plain", portOffset: "plain" });
    for (const token of Object.keys(schema.resources)) {
      const inputOnly = Object.entries(inputsOf(token)).filter(([, kind]) => kind === "Input").map(([k]) => k);
      expect(inputOnly.sort(), token).toEqual(token.endsWith("PrometheusStack") ? ["grafanaAdminPassword", "networkName"] : ["networkName"]);
    }
  });

  it("requires only the network (and Grafana's password: there is no default one)", () => {
    const required = Object.fromEntries(Object.entries(schema.resources).map(([token, r]) => [token, [...(r.requiredInputs ?? [])].sort()]));
    expect(required).toEqual({
      "watchpost:index:PrometheusStack": ["grafanaAdminPassword", "networkName"],
      "watchpost:index:AlertRouting": ["networkName"],
      "watchpost:index:LoggingStack": ["networkName"],
      "watchpost:index:TracingStack": ["networkName"],
    });
  });

  it("outputs the URLs each component reports", () => {
    const outputs = Object.fromEntries(Object.entries(schema.resources).map(([token, r]) => [token, Object.keys(r.properties).sort()]));
    expect(outputs).toEqual({
      "watchpost:index:PrometheusStack": ["grafanaAdminUser", "grafanaUrl", "prometheusPublicUrl", "prometheusUrl"],
      "watchpost:index:AlertRouting": ["urls"],
      "watchpost:index:LoggingStack": ["lokiPublicUrl", "lokiUrl"],
      "watchpost:index:TracingStack": ["backend", "otlpGrpcEndpoint", "otlpHttpEndpoint", "publicUrl", "queryUrl"],
    });
  });
});
