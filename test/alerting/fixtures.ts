/**
 * Inputs and on-disk layout for the Alertmanager tests: specs parsed through
 * the real zod schemas (so defaults are the shipped ones), stack configs from
 * the Pulumi stack files, and rendered artifacts written to a temp dir.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type AlertmanagerArtifacts, type AlertmanagerRenderInput, renderAlertmanagerConfig } from "../../components/alerting/render";
import { notificationsSpec, routingSpec } from "../../components/alerting/spec";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { parseStackConfig } from "../../infra/config/validate";
import { inlineWebhookUrlFiles, relocateAlertmanagerPaths } from "../../drill/rewrite";
import { prodSecrets } from "../support/stacks";

export const grafanaUrl = "https://grafana.example.test";
export const alertmanagerUrl = "https://alertmanager.example.test";

export function renderInput(
  notifications: unknown = {},
  routing: unknown = {},
  secrets: Iterable<string> = [],
): AlertmanagerRenderInput {
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

let webhookUrlFile: boolean | undefined;

/**
 * Whether the local Alertmanager knows webhook `url_file`. Debian's 0.25 does
 * not (the pinned v0.34 image does); for the old binary only, the tests inline
 * the test sink's URL in place of `url_file`. The shipped config never has it.
 */
export function supportsWebhookUrlFile(amtool: string): boolean {
  if (webhookUrlFile === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "watchpost-am-probe-"));
    const file = join(dir, "probe.yml");
    writeFileSync(file, "route:\n  receiver: r\nreceivers:\n  - name: r\n    webhook_configs:\n      - url_file: /nonexistent\n");
    try {
      execFileSync(amtool, ["check-config", file], { stdio: "pipe" });
      webhookUrlFile = true;
    } catch {
      webhookUrlFile = false;
    }
  }
  return webhookUrlFile;
}

export interface WrittenConfig {
  dir: string;
  configFile: string;
}

/**
 * Writes the artifacts under a fresh temp dir (or `dir`), with the given test
 * secret values in the files `secretFiles` names. Values default to a dummy.
 */
export function writeArtifacts(art: AlertmanagerArtifacts, amtool: string, secretValues: Record<string, string> = {}, dir?: string): WrittenConfig {
  const root = dir ?? mkdtempSync(join(tmpdir(), "watchpost-am-"));
  for (const [key, path] of Object.entries(art.secretFiles)) {
    const file = relocateAlertmanagerPaths(path, root);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, secretValues[key] ?? `http://127.0.0.1:9/dummy-${key}`, { mode: 0o600 });
  }
  for (const [name, content] of Object.entries(art.files)) {
    const file = join(root, name);
    mkdirSync(dirname(file), { recursive: true });
    let text = relocateAlertmanagerPaths(content, root);
    if (name === "alertmanager.yml" && !supportsWebhookUrlFile(amtool)) text = inlineWebhookUrlFiles(text, (file) => readFileSync(file, "utf8"));
    writeFileSync(file, text);
  }
  return { dir: root, configFile: join(root, "alertmanager.yml") };
}

export function renderAndWrite(input: AlertmanagerRenderInput, amtool: string, secretValues?: Record<string, string>): WrittenConfig {
  return writeArtifacts(renderAlertmanagerConfig(input), amtool, secretValues);
}
