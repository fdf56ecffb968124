/**
 * Grafana's sign-in and external database under Pulumi mocks, on both platforms:
 * the settings Grafana reads, the secrets only by file and as Pulumi secrets,
 * and on Kubernetes two replicas without a volume, exactly as synth writes them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { parseStackConfig } from "../infra/config/validate";
import { placeholderWiring } from "../infra/kubernetes";
import { synth } from "../infra/synth";
import { type Recorded, runStack } from "../harness/pulumi-mocks";
import { prodSecrets } from "../harness/stacks";
import { grafanaSecretValues } from "../components/prometheus/grafana-secrets";

const work = mkdtempSync(path.join(tmpdir(), "watchpost-grafana-sso-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const secretValue = (key: string) => `SECRET-VALUE-OF-${key}`;
const grafanaSecrets = ["grafanaOidcClientSecret", "grafanaDatabasePassword"];
const sso = {
  clientId: "watchpost-grafana",
  authUrl: "https://idp.example.com/authorize",
  tokenUrl: "https://idp.example.com/token",
  apiUrl: "https://idp.example.com/userinfo",
  roles: { Admin: ["platform-admins"], Viewer: "*" },
  disableLoginForm: true,
};
const database = { host: "grafana-db.internal:6432", name: "grafana", user: "grafana" };
const rolePath = "contains(to_array(groups), 'platform-admins') && 'Admin' || 'Viewer'";

describe("Docker: Grafana signs in with OIDC and keeps its database in PostgreSQL", () => {
  let grafana: Recorded;
  beforeAll(async () => {
    const raw = readStackFile(stackFilePath("dev"));
    const values = {
      ...raw.values,
      ingress: { auth: { issuerUrl: "https://idp.example.com", clientId: "watchpost-oauth2-proxy", emailDomains: ["example.com"] } },
      grafana: { sso, database },
    };
    const run = await runStack("dev", { values, secrets: new Set(grafanaSecrets) }, secretValue);
    const found = run.byType("docker:index/container:Container").find((c) => c.inputs.networksAdvanced?.[0]?.aliases?.includes("grafana"));
    if (!found) throw new Error("no Grafana container");
    grafana = found;
  });

  it("sets the generic OAuth client, the role mapping, the hidden login form and the database as GF_ variables", () => {
    const env = Object.fromEntries((grafana.inputs.envs as string[]).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
    expect(env).toMatchObject({
      GF_AUTH_GENERIC_OAUTH_ENABLED: "true",
      GF_AUTH_GENERIC_OAUTH_CLIENT_ID: "watchpost-grafana",
      GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: "$__file{/etc/grafana-secrets/oidc-client-secret}",
      GF_AUTH_GENERIC_OAUTH_TOKEN_URL: "https://idp.example.com/token",
      GF_AUTH_GENERIC_OAUTH_ALLOWED_DOMAINS: "example.com",
      GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_PATH: rolePath,
      GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_STRICT: "true",
      GF_AUTH_DISABLE_LOGIN_FORM: "true",
      GF_DATABASE_TYPE: "postgres",
      GF_DATABASE_HOST: "grafana-db.internal:6432",
      GF_DATABASE_PASSWORD: "$__file{/etc/grafana-secrets/database-password}",
    });
  });

  it("uploads both secrets as files, as Pulumi secrets, and no value reaches the environment or the command", () => {
    const uploads = grafana.inputs.uploads as Array<{ file: string; content: string }>;
    expect(uploads.find((u) => u.file === "/etc/grafana-secrets/oidc-client-secret")?.content).toBe(secretValue("grafanaOidcClientSecret"));
    expect(uploads.find((u) => u.file === "/etc/grafana-secrets/database-password")?.content).toBe(secretValue("grafanaDatabasePassword"));
    expect(grafana.secretInputs).toContain("uploads");
    expect(JSON.stringify([grafana.inputs.envs, grafana.inputs.command, grafana.inputs.entrypoint])).not.toContain("SECRET-VALUE-OF");
  });

  it("resets the admin password on every start, tolerating only a database that has no admin yet", () => {
    const start = (grafana.inputs.command as string[]).join("\n");
    expect(start).toContain('*"user not found"*)');
    expect(start).not.toContain("grafana.db");
  });
});

describe("Kubernetes: two Grafana replicas on PostgreSQL, signing in with OIDC (prod)", () => {
  const doc = parse(readFileSync(stackFilePath("prod"), "utf8"));
  const secrets = [...prodSecrets, ...grafanaSecrets];
  for (const key of secrets) doc.config[`watchpost:${key}`] = { secure: "v1:AAAAencrypted" };
  doc.config["watchpost:grafana"] = { sso, database };
  const file = path.join(work, "Pulumi.prod.yaml");
  writeFileSync(file, stringify(doc));
  const out = path.join(work, "prod");
  const result = synth("prod", out, file);
  let run: Awaited<ReturnType<typeof runStack>>;
  let kps: Recorded;

  beforeAll(async () => {
    const raw = readStackFile(file);
    const { config } = parseStackConfig("prod", raw);
    run = await runStack("prod", raw, secretValue, { aws: placeholderWiring(config) });
    kps = run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "watchpost-kps") as Recorded;
  });

  it("the chart values carry the sign-in and database sections, two replicas, a PDB, no volume and the mounted Secret", () => {
    const g = kps.inputs.values.grafana;
    expect(g["grafana.ini"]["auth.generic_oauth"]).toMatchObject({
      client_id: "watchpost-grafana",
      client_secret: "$__file{/etc/grafana-secrets/oidc-client-secret}",
      role_attribute_path: rolePath,
      role_attribute_strict: true,
      allowed_domains: "example.com",
    });
    expect(g["grafana.ini"].auth).toEqual({ disable_login_form: true });
    expect(g["grafana.ini"].database).toMatchObject({ type: "postgres", host: "grafana-db.internal:6432", password: "$__file{/etc/grafana-secrets/database-password}" });
    expect(g.replicas).toBe(2);
    expect(g.podDisruptionBudget).toEqual({ minAvailable: 1 });
    expect(g.persistence).toEqual({ enabled: false });
    expect(g.extraSecretMounts).toEqual([
      { name: "grafana-secrets", secretName: "watchpost-grafana-secrets", mountPath: "/etc/grafana-secrets", readOnly: true, defaultMode: 0o440 },
    ]);
    // The password reset reads grafana.ini, whose database password is a $__file{} of the same Secret.
    expect(g.extraInitContainers[0].volumeMounts).toContainEqual({ name: "grafana-secrets", mountPath: "/etc/grafana-secrets", readOnly: true });
  });

  it("creates the Secret from the two secrets, as Pulumi secrets, before the release", () => {
    const secret = run.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && r.inputs.metadata?.name === "watchpost-grafana-secrets") as Recorded;
    expect(secret.name).toBe("metrics-grafana-secrets");
    expect(secret.inputs.stringData).toEqual({
      "oidc-client-secret": secretValue("grafanaOidcClientSecret"),
      "database-password": secretValue("grafanaDatabasePassword"),
    });
    expect(secret.secretInputs).toContain("stringData");
    expect(kps.dependencies.some((urn) => urn.endsWith("::metrics-grafana-secrets"))).toBe(true);
  });

  it("lets Grafana reach the database's port, and synth writes the values and the policy the mocks register", () => {
    const policy = run.resources.find((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && r.name === "network-grafana") as Recorded;
    expect(policy.inputs.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 6432, protocol: "TCP" }] });
    const read = (f: string) => parse(readFileSync(path.join(out, f), "utf8"));
    expect(read("kubernetes/charts/watchpost-kps.values.yaml")).toEqual(parse(stringify(kps.inputs.values)));
    expect(read("kubernetes/networkpolicy/watchpost-grafana.yaml").spec).toEqual(policy.inputs.spec);
    expect(readFileSync(path.join(out, "grafana/auth.ini"), "utf8")).toContain(`role_attribute_path = ${rolePath}\n`);
    const written = result.files.map((f) => readFileSync(path.join(out, f), "utf8")).join("\n");
    expect(written).not.toContain("SECRET-VALUE-OF");
    const manifest = read("secrets.yaml").secrets as Array<{ key: string; mountedAt: string }>;
    expect(manifest.find((e) => e.key === "watchpost:grafanaDatabasePassword")?.mountedAt).toBe(
      "/etc/grafana-secrets/database-password in Grafana's container: an uploaded file (Docker) or Secret watchpost-grafana-secrets (Kubernetes)",
    );
  });
});

describe("PrometheusStack's Grafana secrets", () => {
  it("names the missing secret's property when the sign-in or the database is configured without it", () => {
    const grafana = { auth: { sso: undefined, database }, databasePassword: undefined } as unknown as Parameters<typeof grafanaSecretValues>[0];
    let thrown: unknown;
    try {
      grafanaSecretValues(grafana);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      propertyPath: "grafana.databasePassword",
      message: "is required with grafana.auth.database: Grafana reads it from a file (secret watchpost:grafanaDatabasePassword)",
    });
    expect(grafanaSecretValues({ ...grafana, databasePassword: "pw" })).toEqual({ grafanaDatabasePassword: "pw" });
  });
});
