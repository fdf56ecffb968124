/**
 * The Docker resource plugin Watchpost's dev stack runs is built by
 * tools/engine/providers/docker.ts from the upstream Terraform provider through
 * pulumi-terraform-bridge, not Pulumi's release binary. These tests hold it to the
 * @pulumi/docker SDK in node_modules: every token and input property Watchpost
 * sends must be in the schema the plugin serves. Outside CI a missing build skips
 * them; under CI=true it fails.
 */
import { spawn, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { dockerProviderBinary, dockerProviderBuilt, dockerProviderSchemaPath, dockerProviderVersions as versions } from "../../tools/engine/providers/docker";
import { inCI } from "../support/tools";

const sdkDir = resolve(__dirname, "../../node_modules/@pulumi/docker");
const built = dockerProviderBuilt();
if (!built && inCI) throw new Error(`pulumi-resource-docker ${versions.sdk} is not built at ${dockerProviderBinary()}; run: npm run tools (.ci/run does)`);

interface PropertySpec {
  $ref?: string;
  items?: PropertySpec;
}
interface ObjectSpec {
  properties?: Record<string, PropertySpec>;
  inputProperties?: Record<string, PropertySpec>;
}
interface Schema {
  name: string;
  config: { variables: Record<string, PropertySpec> };
  provider: ObjectSpec;
  resources: Record<string, ObjectSpec>;
  types: Record<string, ObjectSpec>;
}

const schema = (): Schema => JSON.parse(readFileSync(dockerProviderSchemaPath(), "utf8")) as Schema;

/** The input properties of a list-of-objects or object input, through its $ref. */
function nestedInputs(s: Schema, prop: PropertySpec): string[] {
  const ref = prop.$ref ?? prop.items?.$ref;
  if (!ref) throw new Error(`property is not an object type: ${JSON.stringify(prop)}`);
  const type = s.types[ref.replace("#/types/", "")];
  return Object.keys(type?.properties ?? {});
}

/** What the SDK itself sends for a resource: the keys of its `<Name>Args` interface. */
function sdkArgs(file: string, iface: string): string[] {
  const text = readFileSync(join(sdkDir, file), "utf8");
  const body = text.slice(text.indexOf(`export interface ${iface} {`)).split("\n}")[0];
  return [...body.matchAll(/^ {4}(\w+)\??:/gm)].map((m) => m[1]);
}

/** The tokens and inputs components/platform/docker.ts and infra/platform.ts set. */
const watchpostInputs = {
  "docker:index/container:Container": [
    "name",
    "image",
    "entrypoints",
    "command",
    "user",
    "envs",
    "uploads",
    "volumes",
    "ports",
    "networksAdvanced",
    "hosts",
    "healthcheck",
    "memory",
    "cpus",
    "restart",
    "privileged",
    "labels",
    "logDriver",
    "logOpts",
  ],
  "docker:index/remoteImage:RemoteImage": ["name", "keepLocally"],
  "docker:index/network:Network": ["name", "driver", "attachable"],
  "docker:index/volume:Volume": ["name"],
} as const;

const nestedWatchpostInputs = {
  uploads: ["file", "content", "permissions"],
  volumes: ["volumeName", "containerPath", "hostPath", "readOnly"],
  ports: ["internal", "external", "ip"],
  networksAdvanced: ["name", "aliases"],
  hosts: ["host", "ip"],
  healthcheck: ["tests", "interval", "timeout", "retries", "startPeriod"],
  labels: ["label", "value"],
} as const;

const title = `pulumi-resource-docker ${versions.sdk} built from the upstream Terraform provider (${versions.upstreamModule}) through pulumi-terraform-bridge ${versions.bridge}, not Pulumi's release binary`;

describe.skipIf(!built)(title, () => {
  it(`reports version ${versions.sdk}, the @pulumi/docker release it serves`, () => {
    const sdk = JSON.parse(readFileSync(join(sdkDir, "package.json"), "utf8")) as { version: string };
    expect(sdk.version).toBe(versions.sdk);
    expect(execFileSync(dockerProviderBinary(), ["-version"], { encoding: "utf8" }).trim()).toBe(versions.sdk);
  });

  it("serves the tokens of Container, RemoteImage (TF docker_image), Network and Volume with every input Watchpost sets", () => {
    const s = schema();
    expect(s.name).toBe("docker");
    for (const [token, inputs] of Object.entries(watchpostInputs)) {
      expect(Object.keys(s.resources), token).toContain(token);
      expect(Object.keys(s.resources[token].inputProperties ?? {}), token).toEqual(expect.arrayContaining([...inputs]));
    }
    expect(Object.keys(s.resources["docker:index/remoteImage:RemoteImage"].properties ?? {})).toContain("imageId");
  });

  it("names the fields of the container's nested inputs as the SDK's input types do", () => {
    const s = schema();
    const container = s.resources["docker:index/container:Container"].inputProperties ?? {};
    for (const [prop, fields] of Object.entries(nestedWatchpostInputs)) {
      expect(nestedInputs(s, container[prop]), prop).toEqual(expect.arrayContaining([...fields]));
    }
  });

  it("takes the provider's host, as docker.Provider sends it", () => {
    const s = schema();
    expect(Object.keys(s.config.variables)).toContain("host");
    expect(Object.keys(s.provider.inputProperties ?? {})).toEqual(expect.arrayContaining(sdkArgs("provider.d.ts", "ProviderArgs")));
  });

  it.each([
    ["container.d.ts", "ContainerArgs", "docker:index/container:Container"],
    ["remoteImage.d.ts", "RemoteImageArgs", "docker:index/remoteImage:RemoteImage"],
    ["network.d.ts", "NetworkArgs", "docker:index/network:Network"],
    ["volume.d.ts", "VolumeArgs", "docker:index/volume:Volume"],
  ])("knows every input the SDK's %s can send (%s)", (file, iface, token) => {
    const args = sdkArgs(file, iface);
    expect(args.length).toBeGreaterThan(0);
    expect(Object.keys(schema().resources[token].inputProperties ?? {})).toEqual(expect.arrayContaining(args));
  });

  it("starts as a plugin and prints the gRPC port the engine connects to", async () => {
    const child = spawn(dockerProviderBinary(), [], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const port = await new Promise<number>((done, fail) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const line = out.split("\n")[0];
          if (out.includes("\n")) done(Number(line.trim()));
        });
        child.on("exit", (code) => fail(new Error(`plugin exited ${code} before printing its port: ${out}`)));
      });
      expect(port).toBeGreaterThan(0);
    } finally {
      child.kill();
    }
  });
});
