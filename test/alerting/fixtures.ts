/**
 * Inputs and on-disk layout for the Alertmanager tests: specs parsed through
 * the real zod schemas (so defaults are the shipped ones), stack configs from
 * the Pulumi stack files, and rendered artifacts written to a temp dir.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type AlertmanagerArtifacts, type AlertmanagerRenderInput, renderAlertmanagerConfig } from "../../components/alerting/render";
import { notificationsSpec, routingSpec } from "../../components/alerting/spec";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { parseStackConfig } from "../../infra/config/validate";
import { relocateAlertmanagerPaths } from "../../drill/rewrite";
import { afterAll } from "vitest";
import { prodSecrets } from "../../harness/stacks";

export const grafanaUrl = "https://grafana.example.test";
export const alertmanagerUrl = "https://alertmanager.example.test";

export function renderInput(notifications: unknown = {}, routing: unknown = {}, secrets: Iterable<string> = []): AlertmanagerRenderInput {
  return {
    notifications: notificationsSpec.parse(notifications),
    routing: routingSpec.parse(routing),
    secrets: new Set(secrets),
    grafanaUrl,
    alertmanagerUrl,
    environment: "test",
  };
}

export function stackRenderInput(stack: "dev" | "prod"): AlertmanagerRenderInput {
  const raw = readStackFile(stackFilePath(stack));
  const secrets = new Set([...raw.secrets, ...(stack === "prod" ? prodSecrets : [])]);
  const { config } = parseStackConfig(stack, { values: raw.values, secrets });
  return { notifications: config.notifications, routing: config.routing, secrets: config.secrets, grafanaUrl, alertmanagerUrl, environment: config.environment };
}

export interface WrittenConfig {
  dir: string;
  configFile: string;
}

/**
 * Writes the artifacts under a fresh temp dir (or `dir`), with the given test
 * secret values in the files `secretFiles` names. Values default to a dummy.
 */
/** The temp dirs this test file made; removed when its tests are done (they were left in /tmp, a thousand a run). */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function writeArtifacts(art: AlertmanagerArtifacts, secretValues: Record<string, string> = {}, dir?: string): WrittenConfig {
  const root = dir ?? mkdtempSync(join(tmpdir(), "watchpost-am-"));
  if (!dir) made.push(root);
  for (const [key, path] of Object.entries(art.secretFiles)) {
    const file = relocateAlertmanagerPaths(path, root);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, secretValues[key] ?? `http://127.0.0.1:9/dummy-${key}`, { mode: 0o600 });
  }
  for (const [name, content] of Object.entries(art.files)) {
    const file = join(root, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, relocateAlertmanagerPaths(content, root));
  }
  return { dir: root, configFile: join(root, "alertmanager.yml") };
}

export function renderAndWrite(input: AlertmanagerRenderInput, secretValues?: Record<string, string>): WrittenConfig {
  return writeArtifacts(renderAlertmanagerConfig(input), secretValues);
}
