/**
 * The Pulumi engine as `npm run up` and `npm run pulumi` use it: the CLI built
 * from its Go module at the pinned version, with Watchpost's Node.js language
 * host (upstream's host module is not served by the module proxy), running
 * real TypeScript programs on the local backend.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CliError, cliDir, passphraseFile, prepare } from "../../infra/cli/engine";
import { parseUpArgs } from "../../infra/cli/up";
import { builtEngine, engineModule, sdkVersion } from "../../tools/engine/pulumi";
import { inCI } from "../support/tools";

const root = resolve(__dirname, "..", "..");
const engine = builtEngine();
if (!engine && inCI) throw new Error("the Pulumi CLI and language host are not built; run: npm run tools (.ci/run does)");
const tmp = mkdtempSync(join(tmpdir(), "watchpost-engine-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cliName = `Pulumi CLI ${sdkVersion()} built from source with Watchpost's Node.js language host (not upstream's)`;

/** A tiny TypeScript program beside the project's node_modules. */
function program(name: string, source: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, dependencies: { "@pulumi/pulumi": sdkVersion() } }));
  writeFileSync(join(dir, "Pulumi.yaml"), `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n`);
  writeFileSync(join(dir, "index.ts"), source);
  return dir;
}

function pulumiIn(dir: string, args: string[]) {
  const home = join(tmp, "home");
  const env = {
    ...process.env,
    PATH: `${resolve(engine?.pulumi ?? "", "..")}:${process.env.PATH}`,
    PULUMI_HOME: join(home, ".pulumi"),
    PULUMI_BACKEND_URL: `file://${join(tmp, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "engine-test-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  mkdirSync(join(tmp, "state"), { recursive: true });
  return spawnSync(engine?.pulumi ?? "pulumi", [...args, "--non-interactive"], { cwd: dir, env, encoding: "utf8", timeout: 240_000 });
}

describe.skipIf(!engine)(`${cliName} runs a TypeScript program`, () => {
  it("reports the pinned version", () => {
    const out = spawnSync(engine?.pulumi ?? "", ["version"], { encoding: "utf8" });
    expect(out.stdout.trim()).toBe(`v${sdkVersion()}`);
  });

  it("passes config and secrets to the program and keeps secret outputs secret", () => {
    const dir = program(
      "greeter",
      'import * as pulumi from "@pulumi/pulumi";\nconst c = new pulumi.Config();\nexport const greeting = `hello ${c.require("who")}`;\nexport const token = c.requireSecret("token");\n',
    );
    expect(pulumiIn(dir, ["stack", "init", "t1"]).status).toBe(0);
    expect(pulumiIn(dir, ["config", "set", "who", "watchpost"]).status).toBe(0);
    expect(pulumiIn(dir, ["config", "set", "--secret", "token", "tok-3f9a1c77e2"]).status).toBe(0);
    const up = pulumiIn(dir, ["up", "--yes", "--skip-preview"]);
    expect(up.status, up.stdout + up.stderr).toBe(0);
    const out = pulumiIn(dir, ["stack", "output", "--json"]);
    expect(JSON.parse(out.stdout)).toEqual({ greeting: "hello watchpost", token: "[secret]" });
    const exported = pulumiIn(dir, ["stack", "export"]);
    expect(exported.stdout).not.toContain("tok-3f9a1c77e2");
  }, 300_000);

  it("reports a program's error once, with its message, and fails the update", () => {
    const dir = program("failing", 'throw new Error("watchpost: prometheus.retention is bad");\n');
    expect(pulumiIn(dir, ["stack", "init", "t2"]).status).toBe(0);
    const up = pulumiIn(dir, ["up", "--yes", "--skip-preview"]);
    expect(up.status).not.toBe(0);
    const text = up.stdout + up.stderr;
    expect(text).toContain("watchpost: prometheus.retention is bad");
  }, 300_000);

  it("lists the program's resource providers with the versions their npm packages declare", () => {
    const dir = program("plugins", "export const x = 1;\n");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "plugins", dependencies: { "@pulumi/pulumi": sdkVersion(), "@pulumi/random": "4.21.2" } }));
    expect(pulumiIn(dir, ["stack", "init", "t3"]).status).toBe(0);
    const about = pulumiIn(dir, ["about", "--json"]);
    const { plugins } = JSON.parse(about.stdout) as { plugins: Array<{ name: string; version: string; kind: string }> };
    expect(plugins).toContainEqual({ name: "nodejs", kind: "language", version: sdkVersion() });
    expect(plugins).toContainEqual({ name: "random", kind: "resource", version: "4.21.2" });
  }, 120_000);
});

const home = (name: string) => ({ PULUMI_HOME: join(tmp, name, ".pulumi"), HOME: join(tmp, name), PATH: process.env.PATH });

describe("the environment npm run up prepares", () => {
  it("generates a stack's secrets passphrase once, readable by its owner only", () => {
    const env = home("pass");
    const first = passphraseFile("dev", env);
    expect(first.created).toBe(true);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(statSync(resolve(first.file, "..")).mode & 0o777).toBe(0o700);
    const second = passphraseFile("dev", env);
    expect(second).toEqual({ file: first.file, created: false });
    expect(readFileSync(first.file, "utf8").trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(passphraseFile("prod", env).file).not.toBe(first.file);
  });

  it("refuses a passphrase file others can read, naming the fix", () => {
    const env = home("loose");
    const { file } = passphraseFile("dev", env);
    chmodSync(file, 0o644);
    expect(() => passphraseFile("dev", env)).toThrow(CliError);
    expect(() => passphraseFile("dev", env)).toThrow(`chmod 600 ${file}`);
  });

  it.skipIf(!engine)(`installs the source-built CLI where the npm pulumi launcher looks, and uses the local backend when logged in nowhere (${cliName})`, () => {
    const env = home("prep");
    const { env: prepared, installed } = prepare("dev", env);
    expect(installed.fromSource).toBe(true);
    expect(existsSync(join(cliDir(sdkVersion(), env), "pulumi"))).toBe(true);
    expect(existsSync(join(cliDir(sdkVersion(), env), "pulumi-language-nodejs"))).toBe(true);
    expect(existsSync(join(cliDir(sdkVersion(), env), "pulumi-language-python"))).toBe(true);
    expect(prepared.PULUMI_VERSION).toBe(sdkVersion());
    // $HOME spelled out: Pulumi reads `~` from the password database, which ignores an isolated HOME.
    expect(prepared.PULUMI_BACKEND_URL).toBe(`file://${env.HOME}`);
    expect(prepared.PULUMI_CONFIG_PASSPHRASE_FILE).toBe(join(env.PULUMI_HOME, "watchpost", "passphrases", "dev.passphrase"));
    expect(prepared.PULUMI_CONFIG_PASSPHRASE).toBeUndefined();
    expect(prepared.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION).toBe("true");
  });

  it("leaves a chosen backend and passphrase alone", () => {
    const env = { ...home("chosen"), PULUMI_BACKEND_URL: "s3://bucket", PULUMI_CONFIG_PASSPHRASE: "given" };
    const { env: prepared } = prepare("dev", env);
    expect(prepared.PULUMI_BACKEND_URL).toBe("s3://bucket");
    expect(prepared.PULUMI_CONFIG_PASSPHRASE_FILE).toBeUndefined();
  });
});

describe("npm run up's arguments", () => {
  it("takes the stack and passes everything else to pulumi up", () => {
    expect(parseUpArgs(["--stack", "dev", "--yes", "--target", "urn:x"])).toEqual({ stack: "dev", rest: ["--yes", "--target", "urn:x"] });
    expect(parseUpArgs(["--stack=prod"])).toEqual({ stack: "prod", rest: [] });
  });
  it("requires a stack, naming the stack files", () => {
    expect(() => parseUpArgs(["--yes"])).toThrow(/--stack is required .*Pulumi\.dev\.yaml/);
    expect(() => parseUpArgs(["--stack", "--yes"])).toThrow(/--stack needs a stack name/);
  });
  it("answers --help", () => {
    expect(parseUpArgs(["--help"])).toEqual({ help: true });
  });

  it("stops on a stack file that does not exist before the CLI runs, without a stack trace: no stack is created", () => {
    const env = { ...process.env, ...home("bad"), PULUMI_BACKEND_URL: `file://${join(tmp, "bad-state")}` };
    mkdirSync(join(tmp, "bad-state"), { recursive: true });
    const missing = spawnSync("npm", ["run", "-s", "up", "--", "--stack", "nosuchstack"], { cwd: root, env, encoding: "utf8", timeout: 60_000 });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("Pulumi.nosuchstack.yaml does not exist");
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(tmp, "bad-state", ".pulumi"))).toBe(false);
  }, 90_000);

  it("names the engine module it builds", () => {
    expect(engineModule()).toMatchObject({ module: "github.com/pulumi/pulumi/pkg/v3", moduleVersion: `v${sdkVersion()}` });
  });
});

describe("npm run pulumi finds the stack a command works on (for its passphrase)", () => {
  it("from --stack, and from the name stack init and select take (an e2e run found init without it)", async () => {
    const { stackOf } = await import("../../infra/cli/pulumi.js");
    expect(stackOf(["preview", "--stack", "dev"])).toBe("dev");
    expect(stackOf(["up", "--stack=prod"])).toBe("prod");
    expect(stackOf(["stack", "init", "dev", "--secrets-provider", "passphrase"])).toBe("dev");
    expect(stackOf(["stack", "select", "--create", "e2e"])).toBe("e2e");
    expect(stackOf(["whoami"])).toBeUndefined();
  });
});

describe("the committed stack files", () => {
  it("carry no secrets provider state: a stack's salt and ciphertext are made on the user's machine by npm run up", () => {
    for (const stack of ["dev", "prod"]) {
      const text = readFileSync(join(root, `Pulumi.${stack}.yaml`), "utf8");
      expect(text, `Pulumi.${stack}.yaml`).not.toMatch(/^encryptionsalt:|^encryptedkey:|secure: v1:/m);
    }
  });
});
