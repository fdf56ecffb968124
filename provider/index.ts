/**
 * Watchpost's component provider: the entry point the engine runs for
 * `pulumi package add <this folder>` and for programs in Python, Go or YAML
 * that use the generated SDK. Its schema is inferred from the facades' Args
 * interfaces (the folder's package.json and tsconfig.json tell the analyzer
 * where to start), with the secret inputs marked (schema.ts); its version is
 * Watchpost's own.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "@pulumi/pulumi/provider";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { AlertRouting, LoggingStack, PrometheusStack, TracingStack } from "./components";
import { packageName } from "./placement";
import { markSecretInputs } from "./schema";

class WatchpostProvider extends ComponentProvider {
  override async getSchema(): Promise<string> {
    return markSecretInputs(await super.getSchema());
  }
}

const { version } = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string };

main(new WatchpostProvider({ name: packageName, version, dirname: __dirname, components: [PrometheusStack, AlertRouting, LoggingStack, TracingStack] }), process.argv.slice(2));
