/**
 * The teams' dashboard folders (`watchpost:dashboards`) on both platforms under
 * Pulumi mocks: on Docker the files and a provider per folder uploaded to
 * Grafana; on Kubernetes a ConfigMap per dashboard with the folder annotation
 * the Grafana chart's sidecar files them by, and the sidecar set to read it.
 * The same JSON as the plan (and synth) has, on both.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { projectDirectoryReader, readStackFile, stackFilePath } from "../infra/config/load";
import { parseStackConfig, type RawStackConfig } from "../infra/config/validate";
import { planStack } from "../infra/plan";
import { runStack } from "../harness/pulumi-mocks";

const fixtures = path.resolve(__dirname, "fixtures/dashboards");
const folders = {
  folders: [
    {
      name: "Payments",
      path: "payments",
      dashboards: [
        { title: "Checkout at a glance", rows: [{ title: "Traffic", panels: [{ title: "Requests per second", queries: [{ expr: "sum(rate(http_requests_total[5m]))" }] }] }] },
      ],
    },
  ],
};
const withFolders = (raw: RawStackConfig): RawStackConfig => ({ ...raw, values: { ...raw.values, dashboards: folders }, readDirectory: projectDirectoryReader(fixtures) });
const teamFiles = ["payments-checkout.json", "payments-latency.json", "payments-checkout-at-a-glance.json"];

describe("team dashboard folders on Docker", () => {
  const raw = withFolders(readStackFile(stackFilePath("dev")));
  const planned = planStack(parseStackConfig("dev", raw).config).grafana.folders[0];

  it("uploads each folder's dashboards to its own directory and a provider for it, beside the stack's own", async () => {
    const run = await runStack("dev", raw, () => "unused");
    const grafana = run.byType("docker:index/container:Container").find((c) => c.inputs.networksAdvanced?.[0]?.aliases?.includes("grafana"));
    const uploads = (grafana?.inputs.uploads ?? []) as Array<{ file: string; content: string }>;
    const team = uploads.filter((u) => u.file.startsWith("/etc/grafana/team-dashboards/"));
    expect(team.map((u) => u.file)).toEqual(teamFiles.map((f) => `/etc/grafana/team-dashboards/payments/${f}`));
    for (const u of team) expect(u.content).toBe(planned.dashboards[path.basename(u.file)]);
    // The stack's own dashboards stay where they were, in the Watchpost folder.
    expect(uploads.filter((u) => u.file.startsWith("/var/lib/grafana/dashboards/"))).toHaveLength(10);
    const providers = parse(uploads.find((u) => u.file === "/etc/grafana/provisioning/dashboards/watchpost.yaml")?.content ?? "").providers;
    expect(providers.map((p: { name: string; folder: string; options: { path: string } }) => [p.name, p.folder, p.options.path])).toEqual([
      ["watchpost", "Watchpost", "/var/lib/grafana/dashboards"],
      ["team-payments", "Payments", "/etc/grafana/team-dashboards/payments"],
    ]);
  });
});

describe("team dashboard folders on Kubernetes", () => {
  const kind = readStackFile(path.resolve(__dirname, "fixtures/Pulumi.kind.yaml"));
  const raw = withFolders(kind);
  const planned = planStack(parseStackConfig("kind", raw).config).grafana.folders[0];
  const sidecarOf = (run: Awaited<ReturnType<typeof runStack>>) =>
    run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "watchpost-kps")?.inputs.values.grafana.sidecar.dashboards;

  it("makes a ConfigMap per dashboard, labelled for the sidecar and annotated with its folder", async () => {
    const run = await runStack("kind", raw, (key) => `SECRET-VALUE-OF-${key}`);
    const maps = run.byType("kubernetes:core/v1:ConfigMap").filter((r) => r.inputs.metadata.annotations?.grafana_folder !== undefined);
    expect(maps.map((m) => m.name)).toEqual(teamFiles.map((f) => `metrics-dashboard-payments-${f.replace(/\.json$/, "")}`));
    for (const [i, map] of maps.entries()) {
      expect(map.inputs.metadata).toEqual({
        namespace: "monitoring",
        name: `dashboard-payments-${teamFiles[i].replace(/\.json$/, "")}`,
        labels: { grafana_dashboard: "1" },
        annotations: { grafana_folder: "Payments" },
      });
      expect(map.inputs.data).toEqual({ [teamFiles[i]]: planned.dashboards[teamFiles[i]] });
    }
    // The sidecar writes an annotated ConfigMap into the directory its annotation names; Grafana makes the directory a folder.
    expect(sidecarOf(run)).toMatchObject({ label: "grafana_dashboard", labelValue: "1", folderAnnotation: "grafana_folder", provider: { foldersFromFilesStructure: true } });
  });

  it("leaves the sidecar as it was when the stack has no team folders", async () => {
    const run = await runStack("kind", { values: kind.values, secrets: new Set() }, (key) => `SECRET-VALUE-OF-${key}`);
    expect(sidecarOf(run)).not.toHaveProperty("folderAnnotation");
    expect(sidecarOf(run)).not.toHaveProperty("provider");
    expect(run.byType("kubernetes:core/v1:ConfigMap").filter((r) => r.inputs.metadata.annotations?.grafana_folder !== undefined)).toEqual([]);
  });
});
