/**
 * The upstream binaries the drill runs, found on PATH under their Debian
 * names. A missing one is an error that names the package to install.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Tools {
  prometheus: string;
  promtool: string;
  alertmanager: string;
  amtool: string;
  nodeExporter: string;
  blackboxExporter: string;
}

/** Binary name → Debian package that ships it. */
export const debianPackages: Record<keyof Tools, [binary: string, pkg: string]> = {
  prometheus: ["prometheus", "prometheus"],
  promtool: ["promtool", "prometheus"],
  alertmanager: ["prometheus-alertmanager", "prometheus-alertmanager"],
  amtool: ["amtool", "prometheus-alertmanager"],
  nodeExporter: ["prometheus-node-exporter", "prometheus-node-exporter"],
  blackboxExporter: ["prometheus-blackbox-exporter", "prometheus-blackbox-exporter"],
};

function onPath(name: string): string | undefined {
  try {
    return execFileSync("sh", ["-c", 'command -v "$0"', name], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function findTools(): Tools {
  const found: Partial<Tools> = {};
  const missing: string[] = [];
  for (const [key, [binary, pkg]] of Object.entries(debianPackages) as Array<[keyof Tools, [string, string]]>) {
    const path = onPath(binary);
    if (path) found[key] = path;
    else missing.push(`${binary} (Debian package ${pkg})`);
  }
  if (missing.length > 0) {
    const packages = [...new Set(Object.values(debianPackages).map(([, pkg]) => pkg))].join(" ");
    throw new Error(`the drill needs ${missing.join(", ")}; install them with: sudo apt-get install ${packages}`);
  }
  return found as Tools;
}

let webhookUrlFile: boolean | undefined;

/** Whether the local Alertmanager knows webhook `url_file` (0.25 does not; the pinned image does). */
export function supportsWebhookUrlFile(amtool: string, scratchDir: string): boolean {
  if (webhookUrlFile === undefined) {
    const file = join(scratchDir, "url-file-probe.yml");
    writeFileSync(file, "route:\n  receiver: r\nreceivers:\n  - name: r\n    webhook_configs:\n      - url_file: /nonexistent\n");
    try {
      execFileSync(amtool, ["check-config", file], { stdio: "pipe", timeout: 10_000 });
      webhookUrlFile = true;
    } catch {
      webhookUrlFile = false;
    }
  }
  return webhookUrlFile;
}
