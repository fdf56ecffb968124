/**
 * npm run tools                       build every tool at its pinned version (cached)
 * npm run tools -- --path <tool>      build that tool if needed, then print its path
 * npm run tools -- --list             print each tool, its version and whether it is built
 */
import { binaryPath, builtTool, readStamp } from "./cache";
import { ToolBuildError, buildModule } from "./build";
import { isToolName, moduleOf, toolModules, tools } from "./catalog";
import { buildEngine, builtEngine, engineModule } from "./engine/pulumi";
import { buildDockerProvider, dockerProviderBinary, dockerProviderBuilt, dockerProviderVersions } from "./engine/providers/docker";
import { buildRandomProvider, randomProviderBinary, randomProviderVersions, readRandomProviderStamp } from "./engine/providers/random";
import { buildJmespath, builtJmespath, jmespathModule } from "./jmespath";

const usage = `usage: npm run tools [-- --path <tool> | --list]
tools: ${Object.keys(tools).join(", ")}`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function main(argv: string[]): void {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const unknown = argv.filter((a, i) => a.startsWith("-") && !["--path", "--list"].includes(a) && argv[i - 1] !== "--path");
  if (unknown.length > 0) fail(`unknown option ${unknown.join(" ")}\n${usage}`);

  if (argv.includes("--list")) {
    for (const mod of toolModules) {
      const stamp = readStamp(mod);
      for (const binary of Object.keys(mod.binaries)) {
        const state = stamp ? binaryPath(mod, binary) : "not built";
        process.stdout.write(`${binary}\t${mod.release}\t${mod.module}@${mod.moduleVersion}\t${state}\n`);
      }
    }
    const engine = engineModule();
    const built = builtEngine();
    process.stdout.write(`pulumi\t${engine.release}\t${engine.module}@${engine.moduleVersion}\t${built?.pulumi ?? "not built"}\n`);
    process.stdout.write(`pulumi-language-nodejs\t${engine.release}\ttools/engine/language-host\t${built?.languageHost ?? "not built"}\n`);
    process.stdout.write(`pulumi-language-python\t${engine.release}\ttools/engine/python-host\t${built?.pythonHost ?? "not built"}\n`);
    const { release, upstream } = randomProviderVersions;
    const state = readRandomProviderStamp() ? randomProviderBinary() : "not built";
    process.stdout.write(`pulumi-resource-random\t${release}\t${upstream.module}@${upstream.version}\t${state}\n`);
    const docker = dockerProviderVersions;
    process.stdout.write(
      `pulumi-resource-docker\t${docker.sdk}\t${docker.upstreamModule}@${docker.upstreamVersion}\t${dockerProviderBuilt() ? dockerProviderBinary() : "not built"}\n`,
    );
    process.stdout.write(`jmespath\t${jmespathModule.release}\t${jmespathModule.module}@${jmespathModule.moduleVersion}\t${builtJmespath() ?? "not built"}\n`);
    return;
  }

  const at = argv.indexOf("--path");
  if (at >= 0) {
    const name = argv[at + 1];
    if (!name || !isToolName(name)) fail(`--path needs a tool name, got ${JSON.stringify(name ?? "")}\n${usage}`);
    buildModule(moduleOf(name), log);
    process.stdout.write(`${builtTool(name)}\n`);
    return;
  }

  const started = Date.now();
  for (const mod of toolModules) {
    const result = buildModule(mod, log);
    if (result.cached) log(`${mod.id} ${mod.release}: cached`);
  }
  if (buildEngine(log).cached) log(`pulumi ${engineModule().release}: cached`);
  // The Pulumi provider @pulumi/random drives, for the engine tests (tools/engine/providers/random.ts).
  if (buildRandomProvider(log).cached) log(`pulumi-resource-random ${randomProviderVersions.release}: cached`);
  if (buildDockerProvider(log).cached) log(`pulumi-resource-docker ${dockerProviderVersions.sdk}: cached`);
  // The JMESPath library Grafana evaluates role_attribute_path with, for the role-mapping tests (tools/jmespath.ts).
  if (builtJmespath()) log(`jmespath ${jmespathModule.release}: cached`);
  else buildJmespath(log);
  log(`tools ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  if (err instanceof ToolBuildError) fail(err.message);
  throw err;
}
