/**
 * The component provider (provider/) as the engine sees it: `pulumi package
 * get-schema` runs it through the Node.js language host's RunPlugin, and the
 * schema the provider infers from its facades' Args interfaces is what
 * `pulumi package add` generates SDKs from; into a Python project, through
 * Watchpost's Python language host, which installs the SDK with pip (from PyPI:
 * the `pulumi` wheel and its dependencies) and runs the Python program that uses
 * it, whose component reaches the provider (a preview whose inputs are refused:
 * a valid one needs a Docker engine, for the network lookup).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
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
  secret?: boolean;
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

const python = spawnSync("python3", ["--version"], { encoding: "utf8" }).status === 0;
if (!python && inCI) throw new Error("python3 is not installed; the component provider's Python test needs it (with venv and pip)");

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI (in the repository, as the README shows it, unless told), with its own home and
 * no plugin downloads; asynchronously, so a long `package add` does not block the test worker.
 */
function pulumi(args: string[], cwd = root): Promise<Run> {
  const env = {
    ...process.env,
    PATH: `${resolve(engine?.pulumi ?? "", "..")}:${process.env.PATH}`,
    PULUMI_HOME: join(tmp, ".pulumi"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_BACKEND_URL: `file://${join(tmp, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "provider-test-passphrase",
  };
  mkdirSync(join(tmp, "state"), { recursive: true });
  return new Promise((done, fail) => {
    const child = spawn(engine?.pulumi ?? "pulumi", [...args, "--non-interactive"], { cwd, env, timeout: 600_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", fail);
    child.on("close", (status) => done({ status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

const placement = { networkName: "string", prefix: "string", bindAddress: "string", portOffset: "number", environment: "string" };

describe.skipIf(!engine)(`source-built Pulumi CLI ${sdkVersion()}, Watchpost's Node.js language host (not upstream's): pulumi package get-schema ./provider`, () => {
  let schema: Schema;
  beforeAll(async () => {
    // The command as the README shows it.
    const run = await pulumi(["package", "get-schema", "./provider"]);
    expect(run.status, run.stderr).toBe(0);
    schema = JSON.parse(run.stdout) as Schema;
  }, 300_000);

  it("names the package watchpost at Watchpost's version, with the four facades as components", () => {
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    expect(schema.name).toBe("watchpost");
    expect(schema.version).toBe(version);
    expect(Object.keys(schema.resources).sort()).toEqual([
      "watchpost:index:AlertRouting",
      "watchpost:index:LoggingStack",
      "watchpost:index:PrometheusStack",
      "watchpost:index:TracingStack",
    ]);
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

  it("takes the network and the Grafana password as Inputs, and the settings rendered files are planned from as plain values", () => {
    const inputsOf = (token: string) => Object.fromEntries(Object.entries(schema.resources[token].inputProperties).map(([k, p]) => [k, p.plain === true ? "plain" : "Input"]));
    expect(inputsOf("watchpost:index:PrometheusStack")).toMatchObject({
      networkName: "Input",
      grafanaAdminPassword: "Input",
      retention: "plain",
      logging: "plain",
      portOffset: "plain",
    });
    for (const token of Object.keys(schema.resources)) {
      const inputOnly = Object.entries(inputsOf(token))
        .filter(([, kind]) => kind === "Input")
        .map(([k]) => k);
      expect(inputOnly.sort(), token).toEqual(token.endsWith("PrometheusStack") ? ["grafanaAdminPassword", "networkName"] : ["networkName"]);
    }
  });

  it("marks Grafana's password, and nothing else, secret, so every generated SDK wraps it as a secret", () => {
    const secrets = Object.entries(schema.resources).flatMap(([token, r]) =>
      Object.entries(r.inputProperties)
        .filter(([, p]) => p.secret)
        .map(([k]) => `${token}.${k}`),
    );
    expect(secrets).toEqual(["watchpost:index:PrometheusStack.grafanaAdminPassword"]);
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

describe.skipIf(!engine || !python)(`source-built Pulumi CLI ${sdkVersion()}, Watchpost's Python language host (not upstream's): pulumi package add into a Python project`, () => {
  const project = join(tmp, "consumer");
  let add: Run;
  beforeAll(async () => {
    // The Python project sits beside a checkout of Watchpost, as the README shows it.
    symlinkSync(root, join(tmp, "watchpost"));
    mkdirSync(project);
    writeFileSync(join(project, "Pulumi.yaml"), "name: consumer\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n");
    writeFileSync(join(project, "requirements.txt"), `pulumi==${sdkVersion()}\n`);
    add = await pulumi(["package", "add", "../watchpost/provider"], project);
  }, 600_000);

  it("generates the SDK, records the package in Pulumi.yaml and links the SDK in requirements.txt", () => {
    expect(add.status, add.stdout + add.stderr).toBe(0);
    expect(add.stderr).toContain("Added package watchpost");
    expect(add.stdout).toContain("import pulumi_watchpost as watchpost");
    expect(readFileSync(join(project, "Pulumi.yaml"), "utf8")).toMatch(/\npackages:\n {2}watchpost: \.\.\/watchpost\/provider\n/);
    expect(readFileSync(join(project, "requirements.txt"), "utf8")).toBe(`pulumi==${sdkVersion()}\n./sdks/watchpost\n`);
  });

  it("installs it into the project's virtualenv, with the four components, their flat, snake_case arguments and the password wrapped as a secret", () => {
    const check = [
      "import importlib.metadata, inspect, json, pathlib, pulumi_watchpost as w",
      "args = lambda c: list(inspect.signature(c.__init__).parameters)[1:]",
      "plugin = json.loads((pathlib.Path(w.__file__).parent / 'pulumi-plugin.json').read_text())",
      "source = inspect.getsource(w.prometheus_stack)",
      "print(json.dumps({'pulumi': importlib.metadata.version('pulumi'), 'plugin': [plugin['name'], plugin['version']],",
      "  'secretPassword': 'pulumi.Output.secret(grafana_admin_password)' in source,",
      "  'prometheus': args(w.PrometheusStackArgs), 'alerting': args(w.AlertRoutingArgs), 'logging': args(w.LoggingStackArgs), 'tracing': args(w.TracingStackArgs)}))",
    ].join("\n");
    const run = spawnSync(join(project, "venv", "bin", "python"), ["-c", check], { cwd: project, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    const placementArgs = ["bind_address", "environment", "port_offset", "prefix"];
    expect(JSON.parse(run.stdout)).toEqual({
      pulumi: sdkVersion(),
      plugin: ["watchpost", version],
      secretPassword: true,
      prometheus: [
        "grafana_admin_password",
        "network_name",
        "bind_address",
        "environment",
        "evaluation_interval",
        "grafana_admin_user",
        "grafana_root_url",
        "logging",
        "port_offset",
        "prefix",
        "retention",
        "scrape_interval",
        "tracing_backend",
      ],
      alerting: ["network_name", ...placementArgs, "replicas", "retention"],
      logging: ["network_name", ...placementArgs, "retention", "volume_size"],
      tracing: ["network_name", "backend", ...placementArgs, "retention", "volume_size"],
    });
  });

  it("runs a Python program whose component the provider refuses, naming each input, its value and the fix", async () => {
    writeFileSync(
      join(project, "__main__.py"),
      [
        "import pulumi",
        "import pulumi_watchpost as watchpost",
        "",
        'metrics = watchpost.PrometheusStack("metrics", network_name="shop_monitoring",',
        '    grafana_admin_password="unused-4e0b", retention="30 days", port_offset=-1)',
        'pulumi.export("grafana", metrics.grafana_url)',
        "",
      ].join("\n"),
    );
    expect((await pulumi(["stack", "init", "dev"], project)).status).toBe(0);
    const preview = await pulumi(["preview"], project);
    const text = preview.stdout + preview.stderr;
    expect(preview.status, text).not.toBe(0);
    expect(text).toContain("watchpost:index:PrometheusStack resource 'metrics' has a problem: PrometheusStack \"metrics\": invalid inputs:");
    expect(text).toContain("- portOffset: got -1; expected 0 or more: the offset is added to every published port");
    expect(text).toContain('- retention: got "30 days"; expected a duration such as 30s, 5m, 1h or 30d');
    expect(text).not.toContain("Traceback");
    expect(text).not.toContain("unused-4e0b");
  }, 300_000);
});
