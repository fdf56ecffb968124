/**
 * The teams' dashboard folders (`watchpost:dashboards`) on both platforms under
 * Pulumi mocks: on Docker the files and a provider per folder uploaded to
 * Grafana; on Kubernetes a ConfigMap per folder, mounted by the Grafana chart
 * for a provider of the folder's own with its fixed uid.
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
  const grafanaOf = (run: Awaited<ReturnType<typeof runStack>>) =>
    run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "watchpost-kps")?.inputs.values.grafana;
  const folderMaps = (run: Awaited<ReturnType<typeof runStack>>) =>
    run.byType("kubernetes:core/v1:ConfigMap").filter((r) => r.inputs.metadata.name.startsWith("watchpost-dashboards-"));

  it("makes one ConfigMap of the folder's dashboards, which the sidecar does not read, before the chart", async () => {
    const run = await runStack("kind", raw, (key) => `SECRET-VALUE-OF-${key}`);
    const maps = folderMaps(run);
    expect(maps.map((m) => m.name)).toEqual(["metrics-watchpost-dashboards-payments"]);
    expect(maps[0].inputs.metadata).toEqual({ namespace: "monitoring", name: "watchpost-dashboards-payments" });
    expect(Object.keys(maps[0].inputs.data).sort()).toEqual([...teamFiles].sort());
    for (const file of teamFiles) expect(maps[0].inputs.data[file]).toBe(planned.dashboards[file]);
    const release = run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "watchpost-kps");
    expect(release?.dependencies.some((urn) => urn.endsWith("::metrics-watchpost-dashboards-payments"))).toBe(true);
  });

  it("gives the folder a provider of its own with its fixed uid, reading the ConfigMap the chart mounts for it", async () => {
    const run = await runStack("kind", raw, (key) => `SECRET-VALUE-OF-${key}`);
    const grafana = grafanaOf(run);
    expect(grafana.dashboardsConfigMaps).toEqual({ "folder-payments": "watchpost-dashboards-payments" });
    expect(grafana.dashboardProviders["watchpost-teams.yaml"].providers).toEqual([
      {
        name: "team-payments",
        folder: "Payments",
        folderUid: "folder-payments",
        type: "file",
        disableDeletion: true,
        allowUiUpdates: false,
        // The chart mounts a dashboardsConfigMaps entry at /var/lib/grafana/dashboards/<its key>.
        options: { path: "/var/lib/grafana/dashboards/folder-payments", foldersFromFilesStructure: false },
      },
    ]);
    // The stack's own dashboards stay with the sidecar, at the top.
    expect(grafana.sidecar.dashboards).toMatchObject({ enabled: true, label: "grafana_dashboard", labelValue: "1" });
    expect(grafana.sidecar.dashboards).not.toHaveProperty("folderAnnotation");
  });

  it("adds no providers and no folder ConfigMaps when the stack has no team folders", async () => {
    const run = await runStack("kind", { values: kind.values, secrets: new Set() }, (key) => `SECRET-VALUE-OF-${key}`);
    expect(grafanaOf(run)).not.toHaveProperty("dashboardProviders");
    expect(grafanaOf(run)).not.toHaveProperty("dashboardsConfigMaps");
    expect(folderMaps(run)).toEqual([]);
  });

  it("refuses a folder whose dashboards would not fit one ConfigMap, naming the folder", () => {
    const big = {
      title: "Huge",
      rows: [{ title: "Many", panels: Array.from({ length: 40 }, (_, i) => ({ title: `Panel ${i} ${"x".repeat(30_000)}`, queries: [{ expr: "up" }] })) }],
    };
    const huge = { ...raw, values: { ...raw.values, dashboards: { folders: [{ name: "Payments", dashboards: [big] }] } } };
    expect(() => parseStackConfig("kind", huge)).toThrow(
      /watchpost:dashboards.folders\[0\]: got "Payments"; holds \d+ bytes of dashboards, more than a Kubernetes ConfigMap takes \(1000000\); split them into two folders/,
    );
    // On Docker the files are uploaded one by one: no such limit.
    const dev = readStackFile(stackFilePath("dev"));
    expect(() => parseStackConfig("dev", { ...dev, values: { ...dev.values, dashboards: { folders: [{ name: "Payments", dashboards: [big] }] } } })).not.toThrow();
  });
});
