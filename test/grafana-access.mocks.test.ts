/**
 * Team folders' permissions under Pulumi mocks: GrafanaAccess creates exactly a provider, a team per
 * team name and a folder permission per folder, with the admin's credentials only as a secret; the dev
 * stack with permissions wires it to the published Grafana after the Grafana container, the prod stack
 * to Grafana's Ingress host after the chart's release; stacks
 * without permissions create no Grafana resources at all.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GrafanaAccess, type PermittedFolder } from "../components/grafana-access/index";
import { readStackFile, stackFilePath } from "../infra/config/load";
import type { RawStackConfig } from "../infra/config/validate";
import { lookups, outputValue, runStack } from "../harness/pulumi-mocks";
import { prodSecrets } from "../harness/stacks";

interface Made {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

const grafanaTypes = ["pulumi:providers:grafana", "grafana:oss/team:Team", "grafana:oss/folderPermission:FolderPermission"];
const password = "admin-password-0123456789";
const folders: PermittedFolder[] = [
  { name: "Payments", uid: "folder-payments", permissions: { team: "payments", members: ["ana@example.com"], teamPermission: "Edit", orgViewers: true } },
  { name: "Payments internal", uid: "folder-payments-internal", permissions: { team: "payments", members: ["bo@example.com"], teamPermission: "Admin", orgViewers: false } },
];

describe("GrafanaAccess", () => {
  const made: Made[] = [];

  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          made.push({ type: args.type, name: args.name, inputs: args.inputs });
          const state = args.type === "grafana:oss/team:Team" ? { ...args.inputs, teamId: 7 } : args.inputs;
          return { id: `${args.name}-id`, state };
        },
        call: (args) => args.inputs,
      },
      "watchpost",
      "dev",
      false,
    );
    const access = new GrafanaAccess("access", { url: "http://127.0.0.1:3000", adminUser: "admin", adminPassword: password, folders });
    await outputValue(pulumi.all(Object.values(access.teamIds)));
    await new Promise((r) => setTimeout(r, 50));
  });

  it("creates exactly a provider, one team for the two folders of payments, and a permission per folder", () => {
    expect(made.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "grafana:oss/folderPermission:FolderPermission access-folder-payments",
      "grafana:oss/folderPermission:FolderPermission access-folder-payments-internal",
      "grafana:oss/team:Team access-team-payments",
      "pulumi:providers:grafana access-provider",
      "watchpost:grafana:GrafanaAccess access",
    ]);
  });

  it("signs in at the URL given as the admin, with user:password made a secret though the password came plain", () => {
    const provider = lookups(made).one("pulumi:providers:grafana", "access-provider");
    // The engine's secret wrapper, as the mock receives it.
    expect(provider.inputs).toEqual({
      url: "http://127.0.0.1:3000",
      auth: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: `admin:${password}` },
      retries: "12",
      retryWait: "5",
    });
  });

  it("makes the team of every member its folders list, and sets each folder's items on its uid", () => {
    const { one } = lookups(made);
    expect(one("grafana:oss/team:Team", "access-team-payments").inputs).toEqual({ name: "payments", members: ["ana@example.com", "bo@example.com"] });
    expect(one("grafana:oss/folderPermission:FolderPermission", "access-folder-payments").inputs).toEqual({
      folderUid: "folder-payments",
      permissions: [
        { teamId: "7", permission: "Edit" },
        { role: "Viewer", permission: "View" },
        { role: "Editor", permission: "View" },
      ],
    });
    expect(one("grafana:oss/folderPermission:FolderPermission", "access-folder-payments-internal").inputs).toEqual({
      folderUid: "folder-payments-internal",
      permissions: [{ teamId: "7", permission: "Admin" }],
    });
  });

  it("writes the password nowhere but the provider's secret auth", () => {
    for (const r of made.filter((m) => m.type !== "pulumi:providers:grafana")) expect(JSON.stringify(r.inputs)).not.toContain(password);
  });
});

const permitted = {
  folders: [
    {
      name: "Payments",
      dashboards: [{ title: "Checkout", rows: [{ title: "Traffic", panels: [{ title: "Requests", queries: [{ expr: "sum(rate(http_requests_total[5m]))" }] }] }] }],
      permissions: { team: "payments", members: ["ana@example.com"], orgViewers: false },
    },
  ],
};

describe("the dev stack with a team folder's permissions", () => {
  let run: Awaited<ReturnType<typeof runStack>>;
  beforeAll(async () => {
    const raw = readStackFile(stackFilePath("dev"));
    run = await runStack("dev", { ...raw, values: { ...raw.values, dashboards: permitted } } as RawStackConfig, () => "unused");
  });

  it("reaches Grafana at its published loopback port with the generated admin password, as a secret", () => {
    const provider = run.one("pulumi:providers:grafana", "grafana-access-provider");
    expect(provider.inputs.url).toBe("http://127.0.0.1:3000");
    expect(provider.inputs.auth).toBe("admin:generated-password-0123456789abcdef");
    expect(provider.secretInputs).toContain("auth");
    for (const r of run.resources.filter((m) => m.type !== "pulumi:providers:grafana")) expect(JSON.stringify(r.inputs)).not.toContain("generated-password-0123456789abcdef:");
  });

  it("gives the folder the team's Edit only, after the Grafana deployment", () => {
    const permission = run.one("grafana:oss/folderPermission:FolderPermission", "grafana-access-folder-payments");
    expect(permission.inputs.folderUid).toBe("folder-payments");
    expect(permission.inputs.permissions).toHaveLength(1);
    expect(permission.inputs.permissions[0]).toMatchObject({ permission: "Edit" });
    // dependsOn the metrics component reaches the engine as its children, the Grafana container among them.
    const grafana = run.byType("docker:index/container:Container").find((c) => c.inputs.networksAdvanced?.[0]?.aliases?.includes("grafana"));
    const container = `docker:index/container:Container::${grafana?.name}`;
    expect(permission.dependencies.filter((urn) => urn.endsWith(container))).toHaveLength(1);
    expect(run.one("grafana:oss/team:Team", "grafana-access-team-payments").dependencies.filter((urn) => urn.endsWith(container))).toHaveLength(1);
  });

  it("provisions the folder with the uid the permission names", () => {
    const grafana = run.byType("docker:index/container:Container").find((c) => c.inputs.networksAdvanced?.[0]?.aliases?.includes("grafana"));
    const yaml =
      ((grafana?.inputs.uploads ?? []) as Array<{ file: string; content: string }>).find((u) => u.file === "/etc/grafana/provisioning/dashboards/watchpost.yaml")?.content ?? "";
    expect(parse(yaml).providers.find((p: { name: string }) => p.name === "team-payments")).toMatchObject({ folder: "Payments", folderUid: "folder-payments" });
  });
});

describe("the prod stack (Kubernetes) with a team folder's permissions", () => {
  let run: Awaited<ReturnType<typeof runStack>>;
  const raw = readStackFile(stackFilePath("prod"));
  beforeAll(async () => {
    run = await runStack("prod", { values: { ...raw.values, dashboards: permitted }, secrets: new Set(prodSecrets) }, (key) => `SECRET-VALUE-OF-${key}`);
  }, 60_000);

  it("reaches Grafana at its Ingress host, as the admin, with the password a secret", () => {
    const provider = run.one("pulumi:providers:grafana", "grafana-access-provider");
    const domain = (raw.values.ingress as { domain: string }).domain;
    expect(provider.inputs.url).toBe(`https://grafana.${domain}`);
    expect(provider.secretInputs).toContain("auth");
  });

  it("sets the folder's permission on the uid its chart provider fixes, after the chart's release", () => {
    const permission = run.one("grafana:oss/folderPermission:FolderPermission", "grafana-access-folder-payments");
    expect(permission.inputs.folderUid).toBe("folder-payments");
    const release = run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "watchpost-kps");
    expect(release?.inputs.values.grafana.dashboardProviders["watchpost-teams.yaml"].providers[0]).toMatchObject({ folder: "Payments", folderUid: "folder-payments" });
    expect(permission.dependencies.filter((urn) => urn.endsWith(`::${release?.name}`))).toHaveLength(1);
  });
});

describe("stacks without permissions", () => {
  it("dev creates no Grafana provider, team or folder permission", async () => {
    const raw = readStackFile(stackFilePath("dev"));
    const run = await runStack("dev", raw, () => "unused");
    expect(run.resources.filter((r) => grafanaTypes.includes(r.type) || r.type.startsWith("watchpost:grafana:"))).toEqual([]);
  });

  it("prod creates none either", async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const run = await runStack("prod", { values: raw.values, secrets: new Set(prodSecrets) }, (key) => `SECRET-VALUE-OF-${key}`);
    expect(run.resources.filter((r) => r.type.startsWith("grafana:") || r.type === "pulumi:providers:grafana" || r.type.startsWith("watchpost:grafana:"))).toEqual([]);
  });
});
